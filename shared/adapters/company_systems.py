"""The company's own systems behind the CompanySystems port (issue #17; docs/integrations.md).

Two adapters answer a lookup the same way:
- `HttpsCompanySystem`: POST {"kind", "value"} as JSON to the company's URL, signed with HMAC-SHA256 over
  timestamp + body (shared/rules/signing.py) with the secret kept in Secrets Manager; a strict timeout; at
  most 64 KiB of answer read; the answer validated by `LookupResult`.
- `LambdaCompanySystem`: invoke a function in the company's account (RequestResponse) with the same
  payload; its answer is validated the same way.

A circuit breaker sits in front of each: after three failures in a row the company system is not called
for 30 seconds (every lookup meanwhile is Unavailable at once), then one call tries it again. So a slow or
failing company system costs an agent at most one timeout. Intake asks only for an automatic "where is my
order" answer, through its own instance (`for_intake`): a timeout capped at INTAKE_TIMEOUT_MS and a breaker
that opens on the first failure for INTAKE_OPEN_SECONDS, so a slow or failing company system costs a
triage container at most one short wait a minute (docs/decisions.md, 2026-12-03); replies never wait for
it. `ConfiguredCompanySystems` reads the configuration on every lookup, so an admin's change applies
without a deploy (a Lambda ARN also needs one: the role is granted at deploy).
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import ValidationError

from shared.adapters.aws import AwsAdapter
from shared.adapters.secrets import SecretsReader
from shared.errors import ConfigurationError, Unavailable
from shared.models.company import CompanySystem, LookupKind, LookupResult
from shared.ports import ConfigSource
from shared.rules.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature

MAX_ANSWER_BYTES = 64 * 1024
SECRET_KEY = "COMPANY_HMAC_SECRET"  # the key in the secret's JSON
FAILURES_TO_OPEN = 3
OPEN_SECONDS = 30.0
T = TypeVar("T")
INTAKE_TIMEOUT_MS = 800  # the most an automatic answer's lookup may hold a message in triage
INTAKE_OPEN_SECONDS = 60.0


class CircuitBreaker:
    """Closed until `threshold` failures in a row; then open for `open_seconds`; then one trial call."""

    def __init__(
        self,
        threshold: int = FAILURES_TO_OPEN,
        open_seconds: float = OPEN_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
        name: str = "the company system",
    ):
        self.name = name
        self._threshold, self._open_seconds, self._monotonic = threshold, open_seconds, monotonic
        self._failures = 0
        self._open_until = 0.0

    def call(self, attempt: Callable[[], T]) -> T:
        if self._failures >= self._threshold and self._monotonic() < self._open_until:
            raise Unavailable(f"{self.name} failed several times; trying again shortly")
        try:
            result = attempt()
        except Unavailable:
            self._failures += 1
            if self._failures >= self._threshold:
                self._open_until = self._monotonic() + self._open_seconds
            raise
        self._failures = 0
        return result


def parse_answer(raw: bytes) -> LookupResult:
    if len(raw) > MAX_ANSWER_BYTES:
        raise Unavailable(f"the company system answered more than {MAX_ANSWER_BYTES} bytes")
    try:
        return LookupResult.model_validate_json(raw)
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "(answer)" for e in error.errors()[:5])
        raise Unavailable(f"the company system's answer is not valid: {fields}") from error


def _payload(kind: LookupKind, value: str) -> bytes:
    return json.dumps({"kind": kind, "value": value}, separators=(",", ":")).encode("utf-8")


@dataclass
class HttpsCompanySystem:
    url: str
    secret_id: str
    timeout_seconds: float
    secrets: SecretsReader
    clock: Callable[[], float] = time.time

    source = "https"

    def lookup(self, kind: LookupKind, value: str) -> LookupResult:
        body = _payload(kind, value)
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self._secret(), timestamp, body),
        }
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)
        try:
            # The URL is the company's (https, checked by the configuration; the local stack's fake is http).
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as answer:  # noqa: S310
                return parse_answer(answer.read(MAX_ANSWER_BYTES + 1))
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return LookupResult(found=False)
            raise Unavailable(f"the company system answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise Unavailable("the company system did not answer in time") from error

    def _secret(self) -> str:
        try:
            secret = self.secrets.get_json(self.secret_id).get(SECRET_KEY)
        except ConfigurationError as error:
            raise Unavailable("the company system's signing secret cannot be read") from error
        if not isinstance(secret, str) or len(secret) < 16:
            raise Unavailable(f"the secret has no {SECRET_KEY} of at least 16 characters")
        return secret


class LambdaCompanySystem(AwsAdapter):
    service = "lambda"
    source = "lambda"

    def __init__(self, function_arn: str, timeout_seconds: float, client: Any = None):
        self.function_arn, self.timeout_seconds, self._client = function_arn, timeout_seconds, client

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3
            from botocore.config import Config

            config = Config(
                connect_timeout=self.timeout_seconds,
                read_timeout=self.timeout_seconds,
                retries={"max_attempts": 1, "mode": "standard"},  # the breaker decides about retrying
            )
            self._client = boto3.client("lambda", config=config)
        return self._client

    def lookup(self, kind: LookupKind, value: str) -> LookupResult:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.client.invoke(
                FunctionName=self.function_arn,
                InvocationType="RequestResponse",
                Payload=_payload(kind, value),
            )
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            raise Unavailable(f"the company's function could not be invoked: {code}") from error
        except BotoCoreError as error:
            raise Unavailable("the company's function did not answer in time") from error
        if answer.get("FunctionError"):
            raise Unavailable(f"the company's function failed: {answer['FunctionError']}")
        return parse_answer(answer["Payload"].read(MAX_ANSWER_BYTES + 1))


class ConfiguredCompanySystems:
    """The adapter the configuration names, built once per configured target, behind its own breaker."""

    def __init__(
        self,
        config: ConfigSource,
        secret_id: str | None,
        url_override: str | None = None,
        secrets: SecretsReader | None = None,
        timeout_cap_ms: int | None = None,
        breaker: Callable[[], CircuitBreaker] = CircuitBreaker,
    ):
        self._config, self._secret_id, self._url_override = config, secret_id, url_override
        self._secrets = secrets or SecretsReader()
        self._timeout_cap_ms, self._breaker = timeout_cap_ms, breaker
        self._built: dict[CompanySystem, tuple[HttpsCompanySystem | LambdaCompanySystem, CircuitBreaker]] = {}

    @property
    def source(self) -> str:
        system = self._config.get().company_system
        return system.kind if system else ""

    def lookup(self, kind: LookupKind, value: str) -> LookupResult:
        system = self._config.get().company_system
        if system is None:
            raise Unavailable("no company system is configured (company_system in the configuration)")
        if system not in self._built:
            self._built[system] = (self._build(system), self._breaker())
        adapter, breaker = self._built[system]
        return breaker.call(lambda: adapter.lookup(kind, value))

    def _build(self, system: CompanySystem) -> HttpsCompanySystem | LambdaCompanySystem:
        timeout = min(system.timeout_ms, self._timeout_cap_ms or system.timeout_ms) / 1000
        if system.kind == "lambda":
            assert system.function_arn is not None  # the configuration's validator requires it
            return LambdaCompanySystem(system.function_arn, timeout)
        if not self._secret_id:
            raise Unavailable("this function has no company-systems secret")
        url = self._url_override or system.url
        assert url is not None  # the configuration's validator requires it
        return HttpsCompanySystem(url, self._secret_id, timeout, self._secrets)


def for_intake(
    config: ConfigSource, secret_id: str | None, url_override: str | None
) -> ConfiguredCompanySystems:
    """Intake's own lookups (automatic "where is my order" answers): a short timeout, a breaker that opens
    on the first failure."""
    return ConfiguredCompanySystems(
        config,
        secret_id,
        url_override,
        timeout_cap_ms=INTAKE_TIMEOUT_MS,
        breaker=lambda: CircuitBreaker(threshold=1, open_seconds=INTAKE_OPEN_SECONDS),
    )
