"""The company-systems adapters (issue #17): the Lambda adapter's exact request and its answers through
botocore's Stubber (moto's Lambda invoke needs Docker), the circuit breaker, the answer's validation and
size bound, the signature, and the configuration that chooses them."""

from __future__ import annotations

import io
import json

import boto3
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from pydantic import ValidationError

from shared.adapters.company_systems import (
    MAX_ANSWER_BYTES,
    CircuitBreaker,
    LambdaCompanySystem,
    parse_answer,
)
from shared.errors import Unavailable
from shared.models.company import CompanySystem, LookupResult
from shared.rules.signing import signature, verify

ARN = "arn:aws:lambda:eu-west-1:210987654321:function:orders-lookup"


def stubbed(payload: bytes, **extra: object) -> tuple[LambdaCompanySystem, Stubber]:
    client = boto3.client("lambda", region_name="eu-west-1", aws_access_key_id="k", aws_secret_access_key="s")
    stub = Stubber(client)
    answer = {"StatusCode": 200, "Payload": StreamingBody(io.BytesIO(payload), len(payload)), **extra}
    expected = {
        "FunctionName": ARN,
        "InvocationType": "RequestResponse",
        "Payload": b'{"kind":"order","value":"A-10042"}',
    }
    stub.add_response("invoke", answer, expected)
    return LambdaCompanySystem(ARN, 2.0, client=client), stub


def test_the_lambda_adapter_invokes_the_configured_function_and_validates_its_answer():
    body = {
        "found": True,
        "orders": [{"order_number": "A-10042", "status": "Shipped", "home_address": "1 Example St"}],
    }
    adapter, stub = stubbed(json.dumps(body).encode())
    with stub:
        result = adapter.lookup("order", "A-10042")
    stub.assert_no_pending_responses()
    assert result.found and result.orders[0].status == "Shipped"
    assert "home_address" not in result.model_dump_json()  # unknown fields are never kept


def test_a_failing_function_or_an_invalid_answer_is_unavailable():
    adapter, stub = stubbed(b'{"errorMessage": "boom"}', FunctionError="Unhandled")
    with stub, pytest.raises(Unavailable, match="failed: Unhandled"):
        adapter.lookup("order", "A-10042")
    adapter, stub = stubbed(b'{"found": "perhaps", "orders": 3}')
    with stub, pytest.raises(Unavailable, match="not valid: found, orders"):
        adapter.lookup("order", "A-10042")
    client = boto3.client("lambda", region_name="eu-west-1", aws_access_key_id="k", aws_secret_access_key="s")
    stub = Stubber(client)
    stub.add_client_error("invoke", service_error_code="AccessDeniedException", http_status_code=403)
    with stub, pytest.raises(Unavailable, match="AccessDeniedException"):
        LambdaCompanySystem(ARN, 2.0, client=client).lookup("order", "A-10042")


def test_an_answer_larger_than_the_bound_is_refused():
    big = json.dumps({"found": True, "customer_name": "x" * MAX_ANSWER_BYTES}).encode()
    with pytest.raises(Unavailable, match="more than"):
        parse_answer(big)


def test_the_breaker_opens_after_three_failures_and_tries_again_after_its_pause():
    now = [0.0]
    breaker = CircuitBreaker(threshold=3, open_seconds=30, monotonic=lambda: now[0])
    calls: list[int] = []

    def failing() -> LookupResult:
        calls.append(1)
        raise Unavailable("down")

    for _ in range(3):
        with pytest.raises(Unavailable, match="down"):
            breaker.call(failing)
    with pytest.raises(Unavailable, match="trying again shortly"):
        breaker.call(failing)
    assert len(calls) == 3  # open: the company system is not called
    now[0] = 31.0
    assert breaker.call(lambda: LookupResult(found=False)) == LookupResult(found=False)  # the trial closes it
    with pytest.raises(Unavailable, match="down"):
        breaker.call(failing)  # one failure after closing does not open it again


def test_the_signature_covers_timestamp_and_body_and_expires():
    sig = signature("s" * 20, "1764756000", b'{"kind":"order","value":"A-1"}')
    assert verify("s" * 20, "1764756000", b'{"kind":"order","value":"A-1"}', sig, now=1764756100)
    assert not verify("s" * 20, "1764756000", b'{"kind":"order","value":"A-2"}', sig, now=1764756100)
    assert not verify("t" * 20, "1764756000", b'{"kind":"order","value":"A-1"}', sig, now=1764756100)
    assert not verify("s" * 20, "1764756000", b'{"kind":"order","value":"A-1"}', sig, now=1764756000 + 301)


def test_the_configuration_names_a_usable_target():
    assert CompanySystem(kind="lambda", function_arn=ARN).function_arn == ARN
    for bad in (
        {"kind": "https"},
        {"kind": "https", "url": "http://orders.example.com/lookup"},
        {"kind": "lambda", "function_arn": "arn:aws:s3:::bucket"},
        {"kind": "https", "url": "https://orders.example.com/x", "timeout_ms": 60000},
        {"kind": "ftp", "url": "https://orders.example.com/x"},
    ):
        with pytest.raises(ValidationError):
            CompanySystem.model_validate(bad)


def test_intakes_lookups_wait_at_most_the_cap_and_stop_after_one_failure():
    from shared.adapters.company_systems import INTAKE_TIMEOUT_MS, for_intake

    systems = for_intake(None, None, None)  # type: ignore[arg-type]  # the configuration is not read here
    adapter = systems._build(CompanySystem(kind="lambda", function_arn=ARN, timeout_ms=5000))
    assert isinstance(adapter, LambdaCompanySystem) and adapter.timeout_seconds == INTAKE_TIMEOUT_MS / 1000
    breaker = systems._breaker()

    def failing() -> LookupResult:
        raise Unavailable("down")

    with pytest.raises(Unavailable, match="down"):
        breaker.call(failing)
    with pytest.raises(Unavailable, match="trying again shortly"):  # open after one failure
        breaker.call(failing)
