"""The local stack, started once per test session and shared by every end-to-end test (the console's
browser test uses it too). Tests talk to it over real HTTP, as a user or a platform would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.local.runner import LocalStack

E2E_DIR = Path(__file__).resolve().parent
_running: list[LocalStack] = []


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    stack = LocalStack(port=0, demo=False, clock_speed=1.0, fake_platforms=True)
    stack.start()
    _running.append(stack)
    try:
        yield stack
    finally:
        stack.stop()  # idempotent: may already be stopped by the hook below


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # The stack points this process's AWS environment at its moto server; stop it as soon as the last
    # end-to-end test is done, so tests collected after these (e.g. `pytest tests`) see a clean process.
    # A wrapper, so the last test's own fixtures are torn down first (they may still call the stack).
    yield
    if _running and (nextitem is None or E2E_DIR not in Path(str(nextitem.path)).resolve().parents):
        _running.pop().stop()
