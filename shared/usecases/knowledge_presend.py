"""The pre-send check on a draft reply for a case (R13): what shared/rules/presend.py finds, for the
console before sending and stored with the reply when it is sent (`data.presend` on its timeline entry,
which supervisors see on the case; the blind reviewer sees only the reply's text)."""

from __future__ import annotations

from typing import Any

from shared.models.case import Case, TimelineEntry
from shared.models.triage import Category, Sentiment
from shared.rules.presend import Finding, check
from shared.usecases.deps import Deps
from shared.usecases.knowledge import question_of
from shared.usecases.replies import PLATFORM_TEXT_LIMITS, compose


def findings(
    deps: Deps, case: Case, timeline: list[TimelineEntry], text: str, private: bool
) -> list[Finding]:
    negative = case.sentiment is Sentiment.NEGATIVE or case.category is Category.COMPLAINT
    return check(
        text,
        question_of(timeline),
        negative=negative,
        public=case.channel.is_public,
        private_reply=private,
        sent_length=len(compose(text, deps.config.get().brand(case.brand).contact_line)),
        limit=PLATFORM_TEXT_LIMITS.get(case.platform),
    )


def check_draft(deps: Deps, case_id: str, text: str, private: bool) -> list[Finding]:
    case, timeline = deps.cases.get_with_timeline(case_id)
    return findings(deps, case, timeline, text, private)


def record(deps: Deps, case: Case, text: str, private: bool) -> list[dict[str, Any]]:
    """What the check says about a reply being sent, as stored on its timeline entry."""
    _, timeline = deps.cases.get_with_timeline(case.case_id)
    return [{"code": f.code, "message": f.message} for f in findings(deps, case, timeline, text, private)]
