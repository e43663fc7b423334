"""A read-modify-write use case meeting a newer case is run again, a bounded number of times."""

from __future__ import annotations

import pytest

from shared.errors import ChangedMeanwhile, Conflict
from shared.usecases.retrying import ATTEMPTS, on_change


def test_a_use_case_whose_case_changed_meanwhile_runs_again_and_succeeds() -> None:
    calls: list[int] = []

    @on_change
    def resolve(case_id: str) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise ChangedMeanwhile("the case changed meanwhile; try again")
        return f"resolved {case_id}"

    assert resolve("c1") == "resolved c1"
    assert len(calls) == 2


def test_a_case_that_keeps_changing_reaches_the_caller_after_the_last_attempt() -> None:
    calls: list[int] = []

    @on_change
    def resolve() -> None:
        calls.append(1)
        raise ChangedMeanwhile("the case changed meanwhile; try again")

    with pytest.raises(ChangedMeanwhile):
        resolve()
    assert len(calls) == ATTEMPTS


def test_other_conflicts_are_not_retried() -> None:
    calls: list[int] = []

    @on_change
    def resolve() -> None:
        calls.append(1)
        raise Conflict("a trainee's reply waits for approval")

    with pytest.raises(Conflict):
        resolve()
    assert calls == [1]
