"""Integration tests: the real handlers and use cases under moto (in-process), with every resource
created from the same wiring description the CDK stack and the local runner read.

Each handler (`functions.<id>.handler.handler`, however a test imports it) runs as its deployed function:
with only that function's environment, and with every AWS call it makes checked against that function's
role in the synthesised template (`infra.iam_check`). A call the role would deny fails like AWS would
(AccessDenied) and fails the test, naming function, action and resource. Test code itself (seeding,
assertions) runs with every resource, unchecked, like an operator would."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.deployed import Deployed, synthesise
from infra.iam_check import CallChecker, format_denials
from infra.local.invoke import FunctionEnvironments, LambdaContext
from infra.local.resources import Provisioned, function_environment, provision
from infra.local.runner import role_checker
from infra.wiring import Wiring, heard
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


_environments: list[FunctionEnvironments] = []


@pytest.fixture
def deps_for(aws: Provisioned) -> Callable[[str], Any]:
    """The adapters container a function's handler uses (its own environment): to inject a fake there."""
    from shared.settings import function_environment
    from shared.usecases.deps import default_deps

    def deps(function_id: str) -> Any:
        with function_environment(_environments[0].for_function(function_id)):
            return default_deps()

    return deps


@pytest.fixture(scope="session")
def deployed() -> Deployed:
    """The synthesised template's roles (synth once per session: it takes seconds)."""
    pytest.importorskip("aws_cdk")
    return synthesise(heard())


def run_as_deployed(
    wiring: Wiring, provisioned: Provisioned, monkeypatch: pytest.MonkeyPatch
) -> FunctionEnvironments:
    """Replace each function's entry point by one that runs it with only its own environment and as
    that function (for the role check)."""
    from infra.local.invoke import Invoker

    environments = FunctionEnvironments(wiring, provisioned.resolve)
    invoker = Invoker(wiring, environments=environments)
    for function in wiring.functions:
        module = importlib.import_module(function.module)
        original = getattr(module, function.attribute)

        def as_deployed(
            event: Any, context: Any, _fid: str = function.id, _handler: Callable[..., Any] = original
        ) -> Any:
            with invoker.running_as(_fid):
                return _handler(event, context)

        monkeypatch.setattr(module, function.attribute, functools.wraps(original)(as_deployed))
    return environments


@pytest.fixture
def role_check(deployed: Deployed) -> Iterator[list[CallChecker]]:
    """Set by `aws` to the checker in use; a test that expects denials reads and clears them."""
    yield []


@pytest.fixture
def aws(
    monkeypatch: pytest.MonkeyPatch, deployed: Deployed, role_check: list[CallChecker]
) -> Iterator[Provisioned]:
    wiring = heard()
    with mock_aws():
        provisioned = provision(wiring, InProcessClients())  # type: ignore[arg-type]
        for name, value in function_environment(wiring, provisioned, {}).items():
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        reset_default_deps()
        _environments[:] = [run_as_deployed(wiring, provisioned, monkeypatch)]
        checker = role_checker(wiring, provisioned.resolve)
        role_check.append(checker)
        checker.install()
        try:
            yield provisioned
        finally:
            checker.uninstall()
            get_settings.cache_clear()
            reset_default_deps()
            clock.reset()
        _, denials = checker.reset()
        if denials:
            pytest.fail(format_denials(denials), pytrace=False)


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


@pytest.fixture
def analytics_stream(aws: Provisioned, lambda_context: LambdaContext) -> Callable[[], int]:
    """Deliver what the cases table's stream holds since the last call to the analytics function (as
    Lambda's stream mapping does in AWS and the local runner's stream poller does locally); how many
    stream records it handled."""
    from infra.local.streams import StreamPoller, stream_bindings

    (binding,) = [b for b in stream_bindings(heard()) if b.function_id == "analytics"]

    class DirectInvoker:
        def invoke(self, function_id: str, event: dict[str, Any]) -> Any:
            module = importlib.import_module(heard().function(function_id).module)
            return module.handler(event, lambda_context)

    import threading

    poller = StreamPoller(
        binding,
        aws.resolve[f"{binding.table_id}:stream"],
        lambda: boto3.client("dynamodbstreams", region_name="eu-west-1"),
        DirectInvoker(),  # type: ignore[arg-type]
        threading.Event(),
    )
    client = boto3.client("dynamodbstreams", region_name="eu-west-1")

    def drain() -> int:
        handled = 0
        while found := poller.poll_once(client):
            handled += found
        return handled

    return drain
