"""Variables are filled safely; the index ranks by meaning of the words and says why."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.models.knowledge import KnowledgeAnswer
from shared.retrieval import Suggester
from shared.rules.variables import VARIABLES, as_template, clean_value, fill, first_name, unknown_variables


def test_unknown_variables_are_named_once_each_in_order():
    assert unknown_variables("Hi {first_name}, {eta} {total} {eta} {case_number}") == ["eta", "total"]
    assert unknown_variables("no variables, {} and { spaced } are text") == []


def test_values_cannot_inject_variables_markup_or_lines():
    text = fill("Hi {first_name}!", {"first_name": "{case_number}<b>\nJo"})
    assert text == "Hi case_numberb Jo!"


@given(st.text(max_size=200))
def test_a_filled_value_is_one_short_line_without_braces(value):
    cleaned = clean_value(value)
    assert "\n" not in cleaned and "{" not in cleaned and "}" not in cleaned and len(cleaned) <= 80


def test_first_name_falls_back_to_there():
    assert first_name("Jo Customer") == "Jo" and first_name(None) == "there" and first_name("  ") == "there"


def test_every_variable_is_documented():
    assert all(VARIABLES.values())


ANSWERS = [
    KnowledgeAnswer.seed(
        "a-card", "Card has not arrived", "Cards arrive within 5 days.", ["Where is my new card?"]
    ),
    KnowledgeAnswer.seed(
        "a-refund", "Refund for a return", "Refunds take 3 days.", ["When do I get my money back?"]
    ),
    KnowledgeAnswer.seed("a-pin", "PIN blocked", "Unblock your PIN in the app.", ["My pin is blocked"]),
]


def test_the_right_answer_is_first_and_the_why_names_shared_words():
    hits = Suggester(ANSWERS).rank("I still haven't received my card", 3)
    assert hits[0].answer_id == "a-card"
    assert "card" in hits[0].matched


def test_a_learned_example_is_the_reason_given():
    hits = Suggester(ANSWERS).rank("when will I get my money back?", 1)
    assert hits[0].answer_id == "a-refund" and "similar question" in hits[0].because


def test_only_approved_answers_are_indexed():
    retired = ANSWERS[0].model_copy(update={"state": "retired"})
    assert [h.answer_id for h in Suggester([retired, *ANSWERS[1:]]).rank("card arrived?", 3)] != ["a-card"]
    assert "a-card" not in {h.answer_id for h in Suggester([retired]).rank("card", 3)}


def test_typos_still_find_the_answer_through_character_ngrams():
    assert Suggester(ANSWERS).rank("refnd for my retrun", 1)[0].answer_id == "a-refund"


def test_a_past_reply_becomes_a_template_of_this_cases_values():
    values = {
        "first_name": "Dana",
        "customer_name": "Dana Smith",
        "case_number": "c123",
        "agent_name": "Sam",
        "company": "Acme",
    }
    text = "Hi Dana Smith, sorry dana! Case c123 {x} is fixed. Samuel from Acme, Sam"
    assert as_template(text, values) == (
        "Hi {customer_name}, sorry {first_name}! Case {case_number} (x) is fixed. Samuel from {company}, {agent_name}"
    )
    # 'there' (no name known) and values shorter than 3 characters are left alone
    assert as_template("Hi there Jo", {"first_name": "there", "customer_name": "Jo"}) == "Hi there Jo"
