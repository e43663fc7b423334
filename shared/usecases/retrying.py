"""Read-modify-write use cases run again when the case changed between their read and their write.

Cases are saved with an optimistic lock (the stored version must be the one read). Another writer in
between (a reviewer's grade, a delivery receipt, the SLA check) is not the agent's fault: the use case
reads the case again and re-applies the agent's intent, a few times, before the conflict reaches them.
A use case wrapped here must be safe to run again from its start (no side effect before its save that a
second run would repeat; named schedules are replaced, not added)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from shared.errors import ChangedMeanwhile
from shared.observability import logger

ATTEMPTS = 3

P = ParamSpec("P")
R = TypeVar("R")


def on_change(use_case: Callable[P, R]) -> Callable[P, R]:
    """`use_case`, run again from its start (up to ATTEMPTS in all) when its save meets a newer case."""

    @functools.wraps(use_case)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS):
            try:
                return use_case(*args, **kwargs)
            except ChangedMeanwhile:
                logger.info(
                    "case changed meanwhile; trying again",
                    extra={"use_case": use_case.__name__, "attempt": attempt},
                )
        return use_case(*args, **kwargs)

    return run
