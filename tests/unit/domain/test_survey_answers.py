"""Reading survey answers (R21): properties of the parser, and the everyday ways customers answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.models.survey import SurveyKind
from shared.rules.survey_answers import PAYLOAD_PREFIX, parse_answer
from shared.rules.survey_scores import score_of, scores

KINDS = st.sampled_from(list(SurveyKind))


@st.composite
def in_scale(draw: st.DrawFn) -> tuple[SurveyKind, int]:
    kind = draw(KINDS)
    return kind, draw(st.integers(kind.lowest, kind.highest))


@given(
    in_scale(),
    st.sampled_from(["{n}", " {n} ", "{n}!", "{n}/{m}", "{n} / {m}", "{n} out of {m}", "{n} thanks"]),
)
def test_a_score_on_the_surveys_scale_is_read_in_any_usual_form(pick, form):
    kind, n = pick
    assert parse_answer(form.format(n=n, m=kind.highest), kind) == n


@given(in_scale())
def test_a_quick_reply_payload_is_the_score(pick):
    kind, n = pick
    assert parse_answer("anything the button says", kind, payload=f"{PAYLOAD_PREFIX}{n}") == n


@given(KINDS, st.integers(1, 5))
def test_stars_count_on_five_and_scale_to_the_survey(kind, stars):
    answer = parse_answer("⭐" * stars, kind)
    assert answer is not None and kind.lowest <= answer <= kind.highest
    assert answer == (stars if kind is SurveyKind.CSAT else stars * 2)


@given(KINDS, st.text(max_size=200))
def test_any_text_gives_nothing_or_a_score_within_the_scale(kind, text):
    answer = parse_answer(text, kind)
    assert answer is None or kind.lowest <= answer <= kind.highest


@given(KINDS, st.integers(11, 10_000))
def test_numbers_beyond_the_scale_are_not_answers(kind, n):
    assert parse_answer(str(n), kind) is None


@given(st.integers(6, 10))
def test_a_bare_six_to_ten_to_a_csat_is_a_ten_point_score_on_five(n):
    assert parse_answer(str(n), SurveyKind.CSAT) == int(n / 2 + 0.5)


@given(
    in_scale(), st.sampled_from(["weeks and still waiting", "days late", "times I called", "euros refund"])
)
def test_a_number_inside_a_sentence_is_a_message_not_an_answer(pick, rest):
    kind, n = pick
    assert parse_answer(f"{n} {rest}", kind) is None


@pytest.mark.parametrize(
    ("text", "kind", "score"),
    [
        ("9", SurveyKind.NPS, 9),
        ("8/10", SurveyKind.NPS, 8),
        ("8/10", SurveyKind.CSAT, 4),
        ("4 out of 5", SurveyKind.NPS, 8),
        ("nine", SurveyKind.NPS, 9),
        ("😀", SurveyKind.CSAT, 5),
        ("😡", SurveyKind.CSAT, 1),
        ("👍🏽", SurveyKind.CSAT, 4),
        ("5 stars", SurveyKind.CSAT, 5),
        ("10!! great service", SurveyKind.NPS, 10),
        ("0", SurveyKind.NPS, 0),
        ("0", SurveyKind.CSAT, None),
        ("9", SurveyKind.CSAT, 5),  # a 0-10 habit: a score, never a new message that reopens the case
        ("6", SurveyKind.CSAT, 3),
        ("😀😡", SurveyKind.CSAT, None),
        ("hello?", SurveyKind.NPS, None),
        ("3/4", SurveyKind.NPS, None),
        ("", SurveyKind.NPS, None),
    ],
)
def test_everyday_answers(text, kind, score):
    assert parse_answer(text, kind) == score


def test_csat_is_the_share_satisfied_and_nps_promoters_minus_detractors():
    assert score_of(SurveyKind.CSAT, [5, 4, 3, 1]) == 50.0
    assert score_of(SurveyKind.NPS, [10, 9, 8, 6]) == 25.0
    assert scores([]) == []
