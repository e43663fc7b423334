"""Handshakes are rate-limited per platform and logged without the token or the answer (issue #7.1)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shared.platforms.credentials import PlatformCredentials
from shared.usecases import ingest
from shared.usecases.ingest import TokenBucket, receive
from tests.fixtures.webhooks.signing import SECRETS

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
CREDS = PlatformCredentials.model_validate(SECRETS)
TOKEN = "M2RkODJkZmMtYjlkYi00NmQ4LTk0MGUtM2JjYzkwM2Q4MjQ0"


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    ingest.reset_handshake_limits()
    yield
    ingest.reset_handshake_limits()


def handshake(platform: str, query: dict[str, str]) -> ingest.WebhookAnswer:
    return receive(platform, "GET", {}, b"", query, archive=None, queue=None, creds=CREDS, now=NOW)  # type: ignore[arg-type]


def test_token_bucket_allows_a_burst_then_refills_over_time() -> None:
    moment = [0.0]
    bucket = TokenBucket(capacity=3, per_second=0.5, clock=lambda: moment[0])
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    moment[0] = 1.0  # half a token back: still refused
    assert bucket.take() is False
    moment[0] = 2.0
    assert bucket.take() is True and bucket.take() is False
    moment[0] = 1000.0  # never more than the capacity
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]


def test_x_handshakes_beyond_the_burst_are_429_per_platform() -> None:
    answers = [handshake("x", {"crc_token": TOKEN}).status for _ in range(ingest.HANDSHAKE_BURST + 2)]
    assert answers[: ingest.HANDSHAKE_BURST] == [200] * ingest.HANDSHAKE_BURST
    assert answers[ingest.HANDSHAKE_BURST :] == [429, 429]
    # Another platform has its own bucket.
    assert handshake("linkedin", {"challengeCode": "890e4665-4dfe-4ab1-b689-ed553bceeed0"}).status == 200


def test_refused_probes_count_against_the_limit_too() -> None:
    for _ in range(ingest.HANDSHAKE_BURST):
        assert handshake("x", {"crc_token": '{"for_user_id": "1"}'}).status == 403
    assert handshake("x", {"crc_token": TOKEN}).status == 429


def test_handshakes_are_logged_without_the_token_or_the_answer(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    answer = handshake("x", {"crc_token": TOKEN})
    assert answer.status == 200
    response_token = json.loads(answer.body)["response_token"]
    records = [r for r in caplog.records if r.getMessage() == "webhook handshake answered"]
    assert len(records) == 1 and records[0].platform == "x" and records[0].status == 200  # type: ignore[attr-defined]
    assert TOKEN not in caplog.text and response_token.removeprefix("sha256=") not in caplog.text
