"""Customer-care conventions for sentiment: requests are neutral, unresolved problems are negative, fixes
are positive. Examples written for these tests (not taken from bench/data)."""

from __future__ import annotations

import pytest

from shared.triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "@acme can you DM me the tracking number please?",
        "@acme I need to change my email address on the account",
        "@acme what's the best way to move my plan to my partner?",
        "@acme is the Glasgow shop open on Sunday?",
        "@acme I've lost my bank card, how do I freeze it?",
        "@acme I booked the wrong date by mistake, can I change it?",
    ],
)
def test_plain_requests_and_questions_are_neutral(text: str) -> None:
    # Given a request or information question with no sign of unhappiness
    triage = classify(text)
    # Then it is neutral and not a complaint, however the lexicon scores its words
    assert triage.sentiment == "neutral"
    assert triage.category != "complaint"


def test_a_fault_described_in_a_how_to_question_is_a_neutral_complaint() -> None:
    # Given a problem stated plainly, with a request for help
    triage = classify("@acme the app shows error 503 when I pay, could you check what's wrong?")
    # Then the problem is still routed to be fixed, but the customer is not read as unhappy
    assert triage.sentiment == "neutral"
    assert triage.category == "complaint"
    assert triage.action == "fix"


@pytest.mark.parametrize(
    "text",
    [
        "@acme can you check my refund please? it's been 9 days",
        "@acme could you stop calling me? I've asked you three times now",
        "@acme please can someone call me back, I was promised a call on Monday",
    ],
)
def test_a_request_after_waiting_or_a_broken_promise_is_negative(text: str) -> None:
    # Given a polite request that says the customer has waited or been let down
    triage = classify(text)
    # Then the politeness does not make it neutral
    assert triage.sentiment == "negative"
    assert triage.category == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@acme love the blender but the lid cracked on day two",
        "@acme the engineer was lovely but my broadband is still not working",
        "@acme thanks for the reply, but unfortunately the fault is back again",
    ],
)
def test_a_problem_after_but_makes_the_post_a_complaint(text: str) -> None:
    triage = classify(text)
    assert triage.sentiment == "negative"
    assert triage.category == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@acme the first charger was faulty but the new one works perfectly, thanks",
        "@acme the delivery was late but the driver rang ahead, no problem at all. thank you",
    ],
)
def test_a_fix_after_but_is_thanks(text: str) -> None:
    triage = classify(text)
    assert triage.sentiment == "positive"
    assert triage.category == "praise"


@pytest.mark.parametrize(
    "text",
    [
        "@acme nothing says premium broadband like a router that reboots every hour 👏",
        "@acme thx for nothing, the reset did not help",
        "@acme Gracias por nada, el pedido llegó roto otra vez",
        "@acme Merci pour rien, encore un colis perdu",
    ],
)
def test_more_sarcasm_and_other_languages(text: str) -> None:
    assert classify(text).sentiment == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "@acme any update? it's day 12 now",
        "@acme how does this even happen, you deleted all my saved addresses",
        "@acme why was I billed for a plan I cancelled in May?",
        "@acme the courier booked for today didn't turn up either",
    ],
)
def test_chasers_and_problem_questions_are_complaints(text: str) -> None:
    triage = classify(text)
    assert triage.sentiment == "negative"
    assert triage.category == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "Nothing but praise for the @acme returns team, quick and polite",
        "@acme plumber was polite and tidy. 10/10",
        "@acme refund received this morning, thank you so much",
    ],
)
def test_praise_without_sentiment_words_vader_knows(text: str) -> None:
    assert classify(text).sentiment == "positive"


def test_folded_hands_do_not_turn_a_complaint_into_praise() -> None:
    # Given a billing error with "please" as an emoji
    triage = classify("@acme I've been billed twice for March, could you check please? 🙏")
    # Then it is read as the complaint it is
    assert triage.sentiment == "negative"
    assert triage.category == "complaint"


def test_priority_reasons_are_unchanged_for_a_neutral_fault_report() -> None:
    # Given a plain fault report (neutral, but a complaint)
    triage = classify("@acme my card was declined at the till, can you check if it's blocked?")
    # Then it keeps the complaint's priority reason, and no "negative" reason
    assert triage.category == "complaint"
    assert triage.priority_reasons == ["complaint"]
    assert triage.priority == 3
