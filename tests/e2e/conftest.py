"""The local stack, started once per test session and shared by every end-to-end test (the console's
browser test uses it too). Tests talk to it over real HTTP, as a user or a platform would."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.local.runner import LocalStack


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    stack = LocalStack(port=0, demo=False, clock_speed=1.0, fake_platforms=True)
    stack.start()
    try:
        yield stack
    finally:
        stack.stop()
