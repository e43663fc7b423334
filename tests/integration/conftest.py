"""Integration tests: the real handlers and use cases under moto (in-process), with every resource
created from the same wiring description the CDK stack and the local runner read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local.invoke import LambdaContext
from infra.local.resources import Provisioned, function_environment, provision
from infra.wiring import heard
from shared import clock
from shared.settings import get_settings
from shared.usecases.deps import reset_default_deps
from tests.fixtures.lambda_context import fake_context


class InProcessClients:
    """boto3 clients for moto's in-process mock (same interface as the local runner's Clients)."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if service not in self._clients:
            self._clients[service] = boto3.client(service, region_name="eu-west-1")
        return self._clients[service]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Provisioned]:
    with mock_aws():
        provisioned = provision(heard(), InProcessClients())  # type: ignore[arg-type]
        for name, value in function_environment(heard(), provisioned, {}).items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        reset_default_deps()
        yield provisioned
        get_settings.cache_clear()
        reset_default_deps()
        clock.reset()


# A Tuesday at 10:00 in London: the English care team is open.
TUESDAY_MORNING = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)


@pytest.fixture
def at_tuesday_morning() -> Iterator[dict[str, datetime]]:
    """Heard's clock frozen one minute after TUESDAY_MORNING; tests move it by changing ["now"]."""
    moment = {"now": TUESDAY_MORNING + timedelta(minutes=1)}
    clock.set_source(lambda: moment["now"])
    yield moment
    clock.reset()


@pytest.fixture
def fakes(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The built-in fake platform APIs, where the dispatcher sends replies (they record every request)."""
    from infra.local.fake_platforms import start_fake_platforms

    server = start_fake_platforms()
    for variable, url in server.env.items():  # derived from the platform specs
        monkeypatch.setenv(variable, url)
    get_settings.cache_clear()
    reset_default_deps()
    yield server
    server.stop()


@pytest.fixture
def lambda_context() -> LambdaContext:
    return fake_context("heard-test")
