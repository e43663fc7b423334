"""A data subject (a customer, by one of their identities) and everything Heard holds on them (GDPR art. 15).

Found through the customer's history items (pk CUSTOMER#<platform>#<author id>): no Scan. A case opened
before those items existed is reached through its own id.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import InvalidInput, NotFound
from shared.models.case import Case, TimelineEntry
from shared.models.interaction import Author, Platform
from shared.usecases.deps import Deps

MAX_CASES = 500  # one export or lookup; a customer with more is exported in parts by period (R25 export)


@dataclass(frozen=True)
class Subject:
    """Whose data: one identity on one platform (the platform's author id)."""

    platform: Platform
    customer_id: str

    @property
    def key(self) -> str:
        return f"{self.platform.value}#{self.customer_id}"


@dataclass(frozen=True)
class Held:
    """What Heard holds on one customer: who they are and their cases, with timelines when asked."""

    subject: Subject
    author: Author
    cases: list[Case]
    timelines: dict[str, list[TimelineEntry]]


def subject_of(
    deps: Deps, platform: Platform | None, customer_id: str | None, case_id: str | None
) -> Subject:
    """The subject named by an identity, or by one of their cases."""
    if case_id:
        case = deps.cases.get(case_id)
        if case.erasure_id:
            raise NotFound(f"case {case_id}'s customer was erased ({case.erasure_id})")
        return Subject(case.platform, case.customer.id)
    if platform is None or not customer_id:
        raise InvalidInput("name the customer: a case_id, or a platform and customer_id")
    return Subject(platform, customer_id)


def case_ids(deps: Deps, subject: Subject, case_id: str | None = None) -> list[str]:
    ids = deps.cases.customer_case_ids(subject.key)
    if case_id and case_id not in ids:  # a case opened before history items existed
        ids.append(case_id)
    return ids


def held(deps: Deps, subject: Subject, case_id: str | None = None, timelines: bool = False) -> Held:
    """The customer's cases (oldest first) and, when asked, their timelines; NotFound when none."""
    cases: list[Case] = []
    found: dict[str, list[TimelineEntry]] = {}
    for cid in case_ids(deps, subject, case_id)[:MAX_CASES]:
        if timelines:
            case, found[cid] = deps.cases.get_with_timeline(cid)
        else:
            case = deps.cases.get(cid)
        if case.customer_key == subject.key:
            cases.append(case)
    if not cases:
        raise NotFound("Heard holds nothing on this customer (never known, or erased)")
    return Held(subject, cases[-1].customer, cases, {c.case_id: found[c.case_id] for c in cases if timelines})
