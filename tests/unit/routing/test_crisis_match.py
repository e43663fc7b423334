"""Crisis matching: keywords as whole words or phrases, any case; topics; newest crisis first."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from shared.rules.crisis import CrisisMatcher, match, matched_keywords

OUTAGE = CrisisMatcher("k1", ("outage", "is down", "#appdown"), ())
RECALL = CrisisMatcher("k2", ("recall",), ("product",))


def test_a_keyword_matches_in_any_case_as_a_whole_word():
    assert match("Is there an OUTAGE in London?", None, [OUTAGE]) is OUTAGE
    assert match("Total outage!!", None, [OUTAGE]) is OUTAGE


def test_a_keyword_inside_another_word_does_not_match():
    assert match("the outages report from last year", None, [OUTAGE]) is None
    assert match("recalled nothing", None, [RECALL]) is None


def test_a_phrase_matches_across_any_whitespace_but_not_in_pieces():
    assert match("the app is\n  down again", None, [OUTAGE]) is OUTAGE
    assert match("down is the app", None, [OUTAGE]) is None


def test_a_keyword_with_punctuation_needs_a_boundary_outside_only():
    assert matched_keywords("so #AppDown today", ["#appdown"]) == ["#appdown"]
    assert matched_keywords("so #AppDowns today", ["#appdown"]) == []


def test_a_topic_matches_whatever_the_words():
    assert match("my kettle makes a strange noise", "product", [OUTAGE, RECALL]) is RECALL


def test_the_first_crisis_given_wins_when_several_match():
    assert match("recall after the outage", None, [RECALL, OUTAGE]) is RECALL


def test_nothing_matches_without_crises_or_terms():
    assert match("outage", "product", []) is None
    assert match("outage", None, [CrisisMatcher("k3", ("  ",), ())]) is None


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40), st.sampled_from(["outage", "is down"]))
def test_any_text_containing_a_keyword_between_spaces_matches(noise, keyword):
    assert match(f"{noise} {keyword.upper()} {noise}", None, [OUTAGE]) is OUTAGE


@given(st.text(max_size=200))
def test_matching_never_fails_on_arbitrary_text(text):
    match(text, None, [OUTAGE, RECALL])
