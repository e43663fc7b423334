"""Nothing accepted may vanish (issue #7.4): text and identifiers at every edge become a usable
interaction, and what still cannot be used is counted, logged and alarmed on."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.adapters.ingest_queue import IngestQueue
from shared.models.bounds import bounded_id, clean, shortened, truncated
from shared.models.interaction import Interaction
from shared.platforms import get_adapter
from shared.platforms.credentials import PlatformCredentials
from shared.settings import Settings
from shared.usecases.ingest import receive
from tests.fixtures.webhooks.signing import SECRETS, signed_headers
from tests.unit.platforms.test_ingest_usecase import CountingSqs, MemoryArchive

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
CREDS = PlatformCredentials.model_validate(SECRETS)
SETTINGS = Settings.model_validate({"HEARD_MAX_WEBHOOK_BYTES": "4096000"})
TEXT_LIMIT, NAME_LIMIT, ID_LIMIT = 64_000, 512, 512

# Every code point, lone surrogates included (hypothesis leaves those out by default).
any_char = st.characters(codec=None, categories=None, exclude_categories=())
any_text = st.text(alphabet=any_char, max_size=60)
surrogate = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)


def utf8(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---- the normalisers ---------------------------------------------------------------------------------


@given(value=any_text)
def test_clean_always_gives_valid_unicode_and_keeps_clean_text(value: str) -> None:
    cleaned = clean(value)
    assert utf8(cleaned)
    if utf8(value):
        assert cleaned == value


def test_clean_joins_a_pair_split_into_escapes_and_replaces_halves() -> None:
    assert clean("\ud83d\ude00") == "😀"
    assert clean("a\ud83db") == "a\ufffdb" and clean("\ude00") == "\ufffd"


@given(value=any_text, extra=st.integers(min_value=0, max_value=200_000), limit=st.integers(1, 70_000))
def test_truncated_fits_is_valid_and_says_what_it_cut(value: str, extra: int, limit: int) -> None:
    value = value + "y" * extra
    out = truncated(value, limit)
    assert len(out) <= limit and utf8(out)
    whole = clean(value)
    if len(whole) <= limit:
        assert out == whole
    elif limit >= 60:
        head, marker = out.rsplit("\n[… truncated ", 1)
        assert whole.startswith(head) and marker == f"{len(whole) - len(head)} characters]"


@given(value=any_text, extra=st.integers(min_value=0, max_value=2_000), limit=st.integers(2, 1_000))
def test_shortened_names_fit_and_end_with_an_ellipsis_when_cut(value: str, extra: int, limit: int) -> None:
    out = shortened(value + "n" * extra, limit)
    assert len(out) <= limit and utf8(out)
    if len(clean(value)) + extra > limit:
        assert out.endswith("…")


@given(a=any_text, b=any_text, extra=st.integers(min_value=0, max_value=3_000), limit=st.integers(40, 1_024))
def test_bounded_ids_fit_are_stable_and_stay_distinct(a: str, b: str, extra: int, limit: int) -> None:
    long_a, long_b = a + "7" * extra, b + "7" * extra
    out = bounded_id(long_a, limit)
    assert len(out) <= limit and utf8(out) and out == bounded_id(long_a, limit)
    if clean(long_a) != clean(long_b):
        assert out != bounded_id(long_b, limit)
    if len(long_a) <= limit and utf8(long_a):
        assert out == long_a


# ---- through a real parser: every edge becomes exactly one usable interaction ---------------------------

EDGE_LENGTHS = [0, 1, 255, 256, 257, 511, 512, 513, 1023, 1024, 1025, 63_999, 64_000, 64_001, 200_000]


def generic_event(**fields: Any) -> bytes:
    event = {"source": "reviews", "id": "r-1", "author": {"id": "u1", "name": "Ann"}, "text": "hi"}
    event.update(fields)
    return json.dumps({"events": [event]}).encode()


def one_interaction(body: bytes, platform: str = "generic") -> Interaction:
    parsed = get_adapter(platform).parse(body, received_at=NOW, archive_key="raw/k")
    assert parsed.invalid_events == 0 and len(parsed.interactions) == 1
    interaction = parsed.interactions[0]
    assert utf8(interaction.model_dump_json())  # it can travel on the queue
    return interaction


@pytest.mark.parametrize("length", EDGE_LENGTHS)
def test_text_of_any_length_is_kept_or_truncated_with_a_marker(length: int) -> None:
    interaction = one_interaction(generic_event(text="t" * length))
    if length <= TEXT_LIMIT:
        assert interaction.text == "t" * length
    else:
        assert len(interaction.text) <= TEXT_LIMIT and "truncated" in interaction.text


@pytest.mark.parametrize("length", EDGE_LENGTHS[1:])
def test_names_and_ids_of_any_length_fit(length: int) -> None:
    interaction = one_interaction(
        generic_event(id="i" * length, author={"id": "a" * length, "name": "n" * length}, thread="c" * length)
    )
    assert len(interaction.author.name or "") <= NAME_LIMIT and len(interaction.author.id) <= 256
    assert len(interaction.platform_id) <= ID_LIMIT and len(interaction.conversation_id) <= ID_LIMIT


def test_long_ids_keep_one_dedupe_key_across_redeliveries() -> None:
    body = generic_event(id="i" * 2000)
    assert one_interaction(body).dedupe_key == one_interaction(body).dedupe_key


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=any_text, name=any_text, half=surrogate)
def test_lone_surrogates_anywhere_never_lose_the_message(text: str, name: str, half: str) -> None:
    # json.dumps escapes a lone surrogate as \udXXX, exactly what a platform sending half an emoji does.
    body = generic_event(
        text=text + half, author={"id": "u" + half, "name": name + half}, meta={"k" + half: [half]}
    )
    interaction = one_interaction(body)
    assert interaction.text == clean(text + half) and interaction.text.endswith("\ufffd")
    assert interaction.author.id == "u\ufffd" and interaction.author.name == clean(name + half)
    assert interaction.extra["meta"] == {"k\ufffd": ["\ufffd"]}


@pytest.mark.parametrize(
    ("platform", "body"),
    [
        (
            "telegram",
            {
                "update_id": 9,
                "message": {
                    "message_id": 2,
                    "chat": {"id": 3, "type": "private"},
                    "from": {"id": 4, "first_name": "n" * 600},
                    "date": 1767261600,
                    "text": "half \ud83d emoji " + "x" * 70_000,
                },
            },
        ),
        (
            "x",
            {
                "for_user_id": "1",
                "tweet_create_events": [
                    {"id_str": "5", "text": "\udc00" * 3, "user": {"id_str": "9", "name": "n" * 900}}
                ],
            },
        ),
    ],
)
def test_other_parsers_normalise_the_same_way(platform: str, body: dict[str, Any]) -> None:
    interaction = one_interaction(json.dumps(body).encode(), platform)
    assert len(interaction.text) <= TEXT_LIMIT and len(interaction.author.name or "") <= NAME_LIMIT


# ---- what still cannot be used is counted, logged and archived -------------------------------------------


def test_unusable_events_are_counted_logged_and_kept_in_the_archive(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    body = json.dumps({"events": [{"source": "reviews", "id": "r-1", "text": "no author"}]}).encode()
    archive, sqs = MemoryArchive(), CountingSqs()
    answer = receive(
        "generic",
        "POST",
        signed_headers("generic", body, NOW),
        body,
        {},
        archive=archive,
        queue=IngestQueue("q", client=sqs),
        creds=CREDS,
        now=NOW,
        settings=SETTINGS,
    )
    assert answer.status == 200 and archive.puts == [("generic", body)]
    records = [r for r in caplog.records if r.getMessage() == "webhook events unusable"]
    assert len(records) == 1 and records[0].invalid_events == 1  # type: ignore[attr-defined]
