"""Invoking the deployed handler functions in-process, the way Lambda would.

Each function gets a realistic context object and runs one invocation at a time (as if its reserved
concurrency were 1): Powertools' resolvers keep the current event on a module-level app, so two threads
inside one handler module at once would see each other's requests.

Each invocation sees only its own function's environment (`FunctionEnvironments`: the variables of the
resources its wiring uses, never another function's), and runs as that function (`as_function`), so the
role checker (`infra.iam_check.CallChecker`), when installed, evaluates its AWS calls against its role.
"""

from __future__ import annotations

import importlib
import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from infra.iam_check import as_function
from infra.local.resources import PREFIX, SECRET_DEFAULTS, function_arn
from infra.wiring import Function, Wiring, environment_for
from shared.settings import function_environment

log = logging.getLogger("heard.local")

Handler = Callable[[Any, Any], Any]
Loader = Callable[[Function], Handler]


@dataclass
class LambdaContext:
    """The attributes and method of AWS's context object that handlers and Powertools read."""

    function_name: str
    memory_limit_in_mb: int
    invoked_function_arn: str
    timeout_seconds: int
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    function_version: str = "$LATEST"
    log_stream_name: str = "local"
    identity: Any = None
    client_context: Any = None
    _deadline: float = 0.0

    def __post_init__(self) -> None:
        self._deadline = time.monotonic() + self.timeout_seconds
        self.log_group_name = f"/aws/lambda/{self.function_name}"

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def import_handler(function: Function) -> Handler:
    """The deployed entry point named by the wiring, e.g. functions.webhook.handler.handler."""
    module = importlib.import_module(function.module)
    handler: Handler = getattr(module, function.attribute)
    return handler


class FunctionEnvironments:
    """What each function's process environment would hold in AWS: the process's own variables (AWS
    endpoint, behaviour settings a test sets) minus every resource variable, plus the function's own."""

    def __init__(self, wiring: Wiring, resolve: Mapping[str, str]) -> None:
        self._own = {fn.id: environment_for(wiring, fn, dict(resolve)) for fn in wiring.functions}
        self._secret_users = {
            fn.id
            for fn in wiring.functions
            if any(u.resource in {s.id for s in wiring.secrets} for u in fn.uses)
        }
        self._resource_variables = set().union(*(set(env) for env in self._own.values())) | set(
            SECRET_DEFAULTS
        )

    def for_function(self, function_id: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
        base = os.environ if base is None else base
        env = {k: v for k, v in base.items() if k not in self._resource_variables}
        if function_id in self._secret_users:  # locally the credentials are env vars as well as the secret
            env.update({k: base[k] for k in SECRET_DEFAULTS if k in base})
        env.update(self._own[function_id])
        return env


class HandlerUnavailable(Exception):
    """The handler module cannot be imported (not written yet, or broken)."""


class Invoker:
    def __init__(
        self,
        wiring: Wiring,
        loader: Loader = import_handler,
        environments: FunctionEnvironments | None = None,
    ) -> None:
        self._wiring = wiring
        self._loader = loader
        self.environments = environments
        self._handlers: dict[str, Handler] = {}
        self._locks = {fn.id: threading.Lock() for fn in wiring.functions}
        self._load_lock = threading.Lock()
        self._in_flight = 0
        self._count_lock = threading.Lock()

    @property
    def in_flight(self) -> int:
        with self._count_lock:
            return self._in_flight

    def handler(self, function_id: str) -> Handler:
        with self._load_lock:
            if function_id not in self._handlers:
                function = self._wiring.function(function_id)
                try:
                    self._handlers[function_id] = self._loader(function)
                except ImportError as error:
                    raise HandlerUnavailable(f"{function.handler}: {error}") from error
            return self._handlers[function_id]

    def running_as(self, function_id: str) -> Any:
        """Run the block as the function: its environment (once set) and its identity for the role check."""
        from contextlib import ExitStack

        stack = ExitStack()
        stack.enter_context(as_function(function_id))
        if self.environments is not None:
            stack.enter_context(function_environment(self.environments.for_function(function_id)))
        return stack

    def warm_up(self) -> None:
        """Import every handler once (a cold start for each), logging the ones that are missing."""
        for function in self._wiring.functions:
            try:
                self.handler(function.id)
            except HandlerUnavailable as error:
                log.warning("handler unavailable", extra={"function": function.id, "error": str(error)})

    def invoke(self, function_id: str, event: Any) -> Any:
        """Run one invocation; exceptions propagate like a Lambda function error."""
        function = self._wiring.function(function_id)
        handler = self.handler(function_id)
        context = LambdaContext(
            function_name=f"{PREFIX}-{function.id}",
            memory_limit_in_mb=function.memory_mb,
            invoked_function_arn=function_arn(function.id),
            timeout_seconds=function.timeout_seconds,
        )
        with self._count_lock:
            self._in_flight += 1
        try:
            with self._locks[function_id], self.running_as(function_id):
                return handler(event, context)
        finally:
            with self._count_lock:
                self._in_flight -= 1
