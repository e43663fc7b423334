"""The local stack, started once per test session and shared by every end-to-end test (the console's
browser test uses it too). Tests talk to it over real HTTP, as a user or a platform would.

It runs strict: each function sees only its own environment and every AWS call a handler makes is checked
against that function's role in the synthesised template; a test during which any call was denied fails,
naming function, action and resource."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.iam_check import format_denials
from infra.local.runner import LocalStack
from tests.e2e.console_helpers import CHROMIUM, CHROMIUM_ARGS, WAIT_MS

E2E_DIR = Path(__file__).resolve().parent
_running: list[LocalStack] = []


@pytest.fixture(scope="session")
def local_stack() -> Iterator[LocalStack]:
    stack = LocalStack(port=0, demo=False, clock_speed=1.0, fake_platforms=True, strict=True)
    stack.start()
    _running.append(stack)
    try:
        yield stack
    finally:
        stack.stop()  # idempotent: may already be stopped by the hook below


@pytest.fixture(autouse=True)
def no_denied_calls() -> Iterator[None]:
    yield
    for stack in _running:
        if stack.checker is not None:
            _, denials = stack.checker.reset()
            if denials:
                pytest.fail(format_denials(denials), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    # The stack points this process's AWS environment at its moto server; stop it as soon as the last
    # end-to-end test is done, so tests collected after these (e.g. `pytest tests`) see a clean process.
    # A wrapper, so the last test's own fixtures are torn down first (they may still call the stack).
    yield
    if _running and (nextitem is None or E2E_DIR not in Path(str(nextitem.path)).resolve().parents):
        _running.pop().stop()


# ---- the console's browser tests: one Chromium for the session, a fresh context (session) per page ----


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (run `make browser`)")
    sync_api = pytest.importorskip("playwright.sync_api")
    sync_api.expect.set_options(timeout=WAIT_MS)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def new_page(browser: Any, local_stack: LocalStack) -> Iterator[Callable[[], Any]]:
    """Open tabs, each in its own context (its own session), failing the test on any uncaught error."""
    contexts: list[Any] = []
    errors: list[str] = []

    def open_page() -> Any:
        context = browser.new_context(base_url=local_stack.base_url, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(WAIT_MS)
        contexts.append(context)
        tab = context.new_page()
        tab.on("pageerror", lambda error: errors.append(str(error)))
        return tab

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], f"uncaught errors in the console: {errors}"


@pytest.fixture
def page(new_page: Callable[[], Any]) -> Any:
    return new_page()
