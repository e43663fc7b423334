"""The customer behind a case: who they are on this platform and their other cases (R19)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.models.case import Case
from shared.models.interaction import Author, Platform
from shared.usecases.deps import Deps

HISTORY = 20


@dataclass(frozen=True)
class CustomerProfile:
    platform: Platform
    author: Author
    other_cases: list[Case]  # newest first, without the case being viewed


def customer_of(deps: Deps, case_id: str) -> CustomerProfile:
    case = deps.cases.get(case_id)
    others = [c for c in deps.cases.customer_cases(case.customer_key, HISTORY + 1) if c.case_id != case_id]
    return CustomerProfile(platform=case.platform, author=case.customer, other_cases=others[:HISTORY])
