"""Handshakes are not signing oracles (issue #7.1).

X's CRC answers HMAC(secret, crc_token) and LinkedIn's challenge HMAC(secret, challengeCode), with the same
secret that signs deliveries. Whoever could choose the token could have any body signed. The adapters
answer only tokens shaped like the platform's own, and those shapes make it impossible for an answer to
be the signature of a body the parser accepts. These tests hold the adapters to that."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.platforms import get_adapter
from shared.platforms.base import HttpAnswer
from shared.platforms.credentials import PlatformCredentials
from tests.fixtures.webhooks.signing import SECRETS, fixture

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
CREDS = PlatformCredentials.model_validate(SECRETS)
X_BODY = fixture("x_events.json")
LINKEDIN_BODY = fixture("linkedin_notifications.json")

# What X and LinkedIn send: X a base64 or hex nonce, LinkedIn a type-4 UUID.
REAL_X_TOKENS = ["M2RkODJkZmMtYjlkYi00NmQ4LTk0MGUtM2JjYzkwM2Q4MjQ0", "9b2b4a6f0c1d4e5f8a7b6c5d4e3f2a1b"]
REAL_LINKEDIN_CODES = ["890e4665-4dfe-4ab1-b689-ed553bceeed0", "890e4665"]


def x_answer_as_signature(answer: HttpAnswer) -> dict[str, str]:
    return {"x-twitter-webhooks-signature": json.loads(answer.body)["response_token"]}


def linkedin_answer_as_signature(answer: HttpAnswer) -> dict[str, str]:
    return {"X-LI-Signature": json.loads(answer.body)["challengeResponse"]}


def accepted(platform: str, body: bytes) -> bool:
    """Whether the parser would make anything of `body` (a body it refuses cannot forge an event)."""
    try:
        parsed = get_adapter(platform).parse(body, received_at=NOW, archive_key="raw/k")
    except PayloadInvalid:
        return False
    return bool(parsed.interactions or parsed.unknown_events or parsed.invalid_events)


def verifies(platform: str, headers: dict[str, str], body: bytes) -> bool:
    try:
        get_adapter(platform).verify(headers, body, CREDS, NOW)
    except SignatureInvalid:
        return False
    return True


# ---- the attack the hardening review ran ------------------------------------------------------------


def test_an_x_crc_token_that_is_a_delivery_body_is_refused() -> None:
    # Given a whole X delivery offered as a CRC token
    answer = get_adapter("x").handshake({"crc_token": X_BODY.decode()}, CREDS)
    # Then no HMAC is computed for it
    assert answer is not None and answer.status == 403
    assert "response_token" not in answer.body


def test_a_linkedin_challenge_that_is_a_signed_body_is_refused() -> None:
    code = "hmacsha256=" + LINKEDIN_BODY.decode()
    answer = get_adapter("linkedin").handshake({"challengeCode": code}, CREDS)
    assert answer is not None and answer.status == 403
    assert "challengeResponse" not in answer.body


@pytest.mark.parametrize("token", REAL_X_TOKENS)
def test_real_x_crc_tokens_are_answered(token: str) -> None:
    answer = get_adapter("x").handshake({"crc_token": token}, CREDS)
    assert answer is not None and answer.status == 200
    assert json.loads(answer.body)["response_token"].startswith("sha256=")


@pytest.mark.parametrize("code", REAL_LINKEDIN_CODES)
def test_real_linkedin_challenge_codes_are_answered(code: str) -> None:
    answer = get_adapter("linkedin").handshake({"challengeCode": code}, CREDS)
    assert answer is not None and answer.status == 200
    assert json.loads(answer.body)["challengeCode"] == code


@pytest.mark.parametrize(
    "token",
    ["", "a" * 129, "abc 123", "{}", '{"for_user_id":"1"}', "[1]", "tok\n", "ab%7B", "é" * 10, "abc"],
)
def test_x_tokens_not_shaped_like_xs_are_refused(token: str) -> None:
    answer = get_adapter("x").handshake({"crc_token": token}, CREDS)
    assert answer is not None and answer.status == 403


@pytest.mark.parametrize(
    "code",
    [
        "",
        "890e466",
        "0" * 65,
        "hmacsha256=00",
        "890e4665 4dfe",
        "{}",
        "zzzzzzzz",
        "890e4665=",
        "ＡＢＣＤＥＦ12",
    ],
)
def test_linkedin_codes_not_shaped_like_linkedins_are_refused(code: str) -> None:
    answer = get_adapter("linkedin").handshake({"challengeCode": code}, CREDS)
    assert answer is not None and answer.status == 403


# ---- the property: no accepted challenge can ever be turned into a delivery signature ------------------

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
json_object = st.dictionaries(
    st.sampled_from(["for_user_id", "tweet_create_events", "notifications", "users", "x"]),
    st.one_of(
        json_scalar, st.lists(st.dictionaries(st.text(max_size=8), json_scalar, max_size=3), max_size=2)
    ),
    max_size=4,
)
token_text = st.one_of(
    st.text(max_size=140),
    st.text(alphabet='abcdefABCDEF0123456789-+/=_{}[]" :,hmacsh', max_size=80),
    json_object.map(json.dumps),
    json_object.map(lambda value: "hmacsha256=" + json.dumps(value)),
    st.sampled_from(REAL_X_TOKENS + REAL_LINKEDIN_CODES),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(token=token_text)
def test_no_accepted_x_crc_answer_is_a_delivery_signature(token: str) -> None:
    answer = get_adapter("x").handshake({"crc_token": token}, CREDS)
    assert answer is not None
    if answer.status != 200:
        return
    # The answer signs exactly the token's bytes; the only body it can verify is the token itself...
    body = token.encode("utf-8")
    assert verifies("x", x_answer_as_signature(answer), body)
    # ...and the parser refuses that body, so nothing can be forged with it.
    assert not accepted("x", body)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(code=token_text)
def test_no_accepted_linkedin_answer_is_a_delivery_signature(code: str) -> None:
    answer = get_adapter("linkedin").handshake({"challengeCode": code}, CREDS)
    assert answer is not None
    if answer.status != 200:
        return
    # A delivery signature covers "hmacsha256=" + body: an accepted code never carries that prefix, so
    # there is no body at all whose signature equals the answer.
    assert not code.startswith("hmacsha256=")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=json_object)
def test_every_body_the_parsers_accept_is_refused_as_a_challenge(document: dict[str, Any]) -> None:
    # The converse, from the body's side: take any body the X or LinkedIn parser accepts and ask for its
    # signature through the handshake. It is always refused.
    body = json.dumps(document)
    if accepted("x", body.encode()):
        answer = get_adapter("x").handshake({"crc_token": body}, CREDS)
        assert answer is not None and answer.status == 403
    if accepted("linkedin", body.encode()):
        answer = get_adapter("linkedin").handshake({"challengeCode": "hmacsha256=" + body}, CREDS)
        assert answer is not None and answer.status == 403


def test_the_real_fixture_bodies_cannot_be_signed_through_a_handshake() -> None:
    assert accepted("x", X_BODY) and accepted("linkedin", LINKEDIN_BODY)
    for body in (X_BODY, X_BODY.strip(), json.dumps(json.loads(X_BODY), separators=(",", ":")).encode()):
        assert get_adapter("x").handshake({"crc_token": body.decode()}, CREDS).status == 403  # type: ignore[union-attr]
    code = "hmacsha256=" + LINKEDIN_BODY.decode()
    assert get_adapter("linkedin").handshake({"challengeCode": code}, CREDS).status == 403  # type: ignore[union-attr]
