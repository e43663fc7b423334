"""Satisfaction scores from survey answers (R21). Pure functions.

CSAT: the share of answers that are 4 or 5 on 1-5, in percent. NPS: the share of promoters (9-10) minus
the share of detractors (0-6), from -100 to 100. Both come with the number of answers and their average,
overall and per agent, team and topic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from shared.models.survey import SurveyAnswer, SurveyKind

UNOWNED = "(nobody)"


@dataclass(frozen=True)
class Score:
    key: str
    answers: int
    average: float
    score: float  # CSAT % satisfied, or NPS


@dataclass(frozen=True)
class KindScores:
    kind: SurveyKind
    overall: Score
    by_agent: list[Score]
    by_team: list[Score]
    by_topic: list[Score]


def score_of(kind: SurveyKind, values: list[int]) -> float:
    if not values:
        return 0.0
    if kind is SurveyKind.CSAT:
        return round(100 * sum(1 for v in values if v >= 4) / len(values), 1)
    promoters = sum(1 for v in values if v >= 9)
    detractors = sum(1 for v in values if v <= 6)
    return round(100 * (promoters - detractors) / len(values), 1)


def _score(kind: SurveyKind, key: str, values: list[int]) -> Score:
    average = round(sum(values) / len(values), 2) if values else 0.0
    return Score(key, len(values), average, score_of(kind, values))


def _grouped(
    kind: SurveyKind, answers: list[SurveyAnswer], key: Callable[[SurveyAnswer], str]
) -> list[Score]:
    groups: dict[str, list[int]] = defaultdict(list)
    for answer in answers:
        groups[key(answer)].append(answer.score)
    ranked = [_score(kind, k, v) for k, v in groups.items()]
    return sorted(ranked, key=lambda s: (-s.answers, s.key))


def scores(answers: Iterable[SurveyAnswer]) -> list[KindScores]:
    """Per kind of survey that has answers: overall, per agent, per team, per topic."""
    by_kind: dict[SurveyKind, list[SurveyAnswer]] = defaultdict(list)
    for answer in answers:
        by_kind[answer.kind].append(answer)
    return [
        KindScores(
            kind=kind,
            overall=_score(kind, "all", [a.score for a in found]),
            by_agent=_grouped(kind, found, lambda a: a.agent or UNOWNED),
            by_team=_grouped(kind, found, lambda a: a.team),
            by_topic=_grouped(kind, found, lambda a: a.topic),
        )
        for kind, found in sorted(by_kind.items())
    ]
