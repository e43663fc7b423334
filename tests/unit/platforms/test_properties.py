"""Property tests: whatever bytes arrive, parsers answer with interactions or PayloadInvalid, and
signature checks with SignatureInvalid. Never another exception (which would be a 500)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.errors import PayloadInvalid, SignatureInvalid
from shared.platforms import NAMES, get_adapter
from shared.platforms.credentials import PlatformCredentials
from tests.fixtures.webhooks.signing import SECRETS, fixture

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
CREDS = PlatformCredentials.model_validate(SECRETS)
FIXTURES = {
    "meta": ["meta_page_feed.json", "meta_messenger.json", "meta_instagram.json", "whatsapp_messages.json"],
    "x": ["x_events.json"],
    "telegram": ["telegram_message.json", "telegram_edited_message.json", "telegram_channel_post.json"],
    "linkedin": ["linkedin_notifications.json"],
    "generic": ["generic_events.json"],
}
SEEDS = [(platform, json.loads(fixture(name))) for platform, names in FIXTURES.items() for name in names]

json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(max_size=30),
)
json_value = st.recursive(
    json_leaf,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)


def parse_never_crashes(platform: str, body: bytes) -> None:
    try:
        parsed = get_adapter(platform).parse(body, received_at=NOW, archive_key="raw/k")
    except PayloadInvalid:
        return
    assert parsed.unknown_events >= 0 and parsed.invalid_events >= 0
    for interaction in parsed.interactions:
        assert interaction.dedupe_key and interaction.platform_id and interaction.conversation_id
        interaction.model_dump_json()  # and it can travel on the queue


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(platform=st.sampled_from(NAMES), body=st.binary(max_size=300))
def test_random_bytes(platform: str, body: bytes) -> None:
    parse_never_crashes(platform, body)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(platform=st.sampled_from(NAMES), value=json_value)
def test_random_json(platform: str, value: Any) -> None:
    parse_never_crashes(platform, json.dumps(value).encode())


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = _replace(value[head], rest, new)
    return copy


@st.composite
def mutated_fixture(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real-shaped payload with a few values swapped for anything (wrong types, nulls, deep junk)."""
    platform, document = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(_paths(document)))
        document = _replace(document, path, draw(json_value))
    return platform, json.dumps(document).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=mutated_fixture())
def test_mutated_real_payloads(case: tuple[str, bytes]) -> None:
    parse_never_crashes(*case)


@settings(max_examples=150, deadline=None)
@given(
    platform=st.sampled_from(NAMES),
    body=st.binary(max_size=200),
    headers=st.dictionaries(
        st.sampled_from(
            [
                "X-Hub-Signature-256",
                "x-twitter-webhooks-signature",
                "X-Telegram-Bot-Api-Secret-Token",
                "X-LI-Signature",
                "X-Heard-Timestamp",
                "X-Heard-Signature",
                "Other",
            ]
        ),
        st.text(max_size=80),
        max_size=4,
    ),
)
def test_signature_checks_only_ever_refuse_with_signature_invalid(platform, body, headers) -> None:
    try:
        get_adapter(platform).verify(headers, body, CREDS, NOW)
    except SignatureInvalid:
        return
    # A random header can only pass for Telegram's shared secret if it is the secret itself.
    assert (
        platform == "telegram"
        and headers.get("X-Telegram-Bot-Api-Secret-Token") == SECRETS["TELEGRAM_SECRET_TOKEN"]
    )


@settings(max_examples=100, deadline=None)
@given(
    platform=st.sampled_from(NAMES),
    query=st.dictionaries(
        st.sampled_from(["hub.mode", "hub.verify_token", "hub.challenge", "crc_token", "challengeCode", "x"]),
        st.text(max_size=40),
        max_size=4,
    ),
)
def test_handshakes_answer_or_decline(platform, query) -> None:
    answer = get_adapter(platform).handshake(query, CREDS)
    assert answer is None or answer.status in (200, 403)


@settings(max_examples=200, deadline=None)
@given(timestamp=st.text(alphabet=st.characters(categories=["Nd", "No", "Nl", "Zs", "Pd"]), max_size=14))
def test_generic_timestamps_of_any_script_only_ever_fail_the_signature(timestamp: str) -> None:
    headers = {"X-Heard-Timestamp": timestamp, "X-Heard-Signature": "sha256=" + "0" * 64}
    try:
        get_adapter("generic").verify(headers, b"[]", CREDS, NOW)
    except SignatureInvalid:
        return
    raise AssertionError("an unsigned delivery was accepted")
