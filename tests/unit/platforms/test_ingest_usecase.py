"""The ingest use case with in-memory ports: order of checks, what is stored when, and AWS call bounds."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from shared.adapters.ingest_queue import EnqueueFailed, IngestQueue, QueueMessage, chunks
from shared.models.interaction import Interaction
from shared.platforms.credentials import PlatformCredentials
from shared.settings import Settings
from shared.usecases.ingest import order_and_dedupe, receive
from tests.fixtures.webhooks.signing import SECRETS, fixture, signed_headers

NOW = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
CREDS = PlatformCredentials.model_validate(SECRETS)
SETTINGS = Settings.model_validate({"HEARD_MAX_WEBHOOK_BYTES": "4096000"})


class MemoryArchive:
    def __init__(self) -> None:
        self.puts: list[tuple[str, bytes]] = []

    def put_raw(self, platform, body, *, received_at, verified, content_type=None):
        self.puts.append((platform, body))
        return f"raw/{platform}/{len(self.puts)}.json"


class CountingSqs:
    """A boto3-shaped SQS client: counts SendMessageBatch calls and can fail entries."""

    def __init__(self, fail_ids: set[str] | None = None, fail_times: int = 0) -> None:
        self.calls = 0
        self.bodies: list[str] = []
        self.fail_ids, self.fail_times = fail_ids or set(), fail_times

    def send_message_batch(self, QueueUrl, Entries):  # noqa: N803 (boto3's names)
        self.calls += 1
        assert len(Entries) <= 10 and len({e["Id"] for e in Entries}) == len(Entries)
        failed = [e for e in Entries if e["Id"] in self.fail_ids and self.fail_times > 0]
        if failed:
            self.fail_times -= 1
        self.bodies += [e["MessageBody"] for e in Entries if e not in failed]
        return {
            "Successful": [],
            "Failed": [{"Id": e["Id"], "SenderFault": False, "Code": "x"} for e in failed],
        }


def messenger_batch(size: int) -> bytes:
    entries = [
        {
            "id": "1",
            "time": 1767261600,
            "messaging": [
                {
                    "sender": {"id": str(100 + n)},
                    "recipient": {"id": "1"},
                    "timestamp": 1767261600000 - n * 1000,
                    "message": {"mid": f"m{n}", "text": "hi"},
                }
            ],
        }
        for n in range(size)
    ]
    return json.dumps({"object": "page", "entry": entries}).encode()


def post(body: bytes, archive=None, sqs=None, headers=None):
    archive = archive or MemoryArchive()
    queue = IngestQueue("https://sqs.example/q", client=sqs or CountingSqs())
    headers = signed_headers("meta", body, NOW) if headers is None else headers
    answer = receive(
        "meta",
        "POST",
        headers,
        body,
        {},
        archive=archive,
        queue=queue,
        creds=CREDS,
        now=NOW,
        settings=SETTINGS,
    )
    return answer, archive, queue


@pytest.mark.parametrize(("updates", "sqs_calls"), [(1, 1), (100, 10), (1000, 100)])
def test_aws_calls_are_bounded_by_batching(updates, sqs_calls):
    # Given a delivery of n updates, When it is ingested, Then one S3 put and ceil(n/10) SQS calls are made
    sqs = CountingSqs()
    answer, archive, _ = post(messenger_batch(updates), sqs=sqs)
    assert answer.status == 200
    assert len(archive.puts) == 1 and sqs.calls == sqs_calls and len(sqs.bodies) == updates


def test_order_and_dedupe_sorts_by_event_time_and_keeps_each_key_once():
    def make(key: str, minute: int) -> Interaction:
        return Interaction.model_validate(
            {
                "platform": "telegram",
                "kind": "message",
                "channel": "direct",
                "platform_id": key,
                "dedupe_key": key,
                "author": {"id": "a"},
                "conversation_id": "c",
                "occurred_at": NOW + timedelta(minutes=minute),
            }
        )

    result = order_and_dedupe([make("b", 2), make("a", 1), make("b", 2), make("c", 0)])
    assert [i.dedupe_key for i in result] == ["c", "a", "b"]


def test_failed_entries_are_retried_once_then_the_delivery_is_refused():
    # Given SQS failing entry "3" once, Then the retry succeeds and the answer is 200
    flaky = CountingSqs(fail_ids={"3"}, fail_times=1)
    answer, _, _ = post(messenger_batch(5), sqs=flaky)
    assert answer.status == 200 and flaky.calls == 2 and len(flaky.bodies) == 5
    # Given SQS failing it twice, Then the platform is told to redeliver (503), the raw bytes kept
    broken = CountingSqs(fail_ids={"3"}, fail_times=2)
    answer, archive, _ = post(messenger_batch(5), sqs=broken)
    assert answer.status == 503 and len(archive.puts) == 1


def test_nothing_is_stored_when_the_signature_fails():
    archive, sqs = MemoryArchive(), CountingSqs()
    answer, _, _ = post(
        fixture("meta_messenger.json"), archive, sqs, headers={"X-Hub-Signature-256": "sha256=00"}
    )
    assert answer.status == 401 and archive.puts == [] and sqs.calls == 0


def test_unparseable_payload_is_400_after_archiving():
    archive, sqs = MemoryArchive(), CountingSqs()
    answer, _, _ = post(b"[1, 2", archive, sqs)
    assert answer.status == 400 and len(archive.puts) == 1 and sqs.calls == 0
    assert json.loads(answer.body)["message"].startswith("payload could not be parsed")


def test_size_limit_is_checked_before_the_signature():
    small = Settings.model_validate({"HEARD_MAX_WEBHOOK_BYTES": "1024"})
    answer = receive(
        "meta",
        "POST",
        {},
        b"x" * 1025,
        {},
        archive=MemoryArchive(),
        queue=IngestQueue("q", client=CountingSqs()),
        creds=CREDS,
        now=NOW,
        settings=small,
    )
    assert answer.status == 413


def test_chunks_respect_the_batch_byte_limit():
    big = QueueMessage("x" * 100_000)
    assert [len(c) for c in chunks([big] * 5)] == [2, 2, 1]
    assert [len(c) for c in chunks([QueueMessage("{}")] * 21)] == [10, 10, 1]


def test_send_batch_raises_with_the_failed_ids():
    queue = IngestQueue("q", client=CountingSqs(fail_ids={"0"}, fail_times=5))
    with pytest.raises(EnqueueFailed) as raised:
        queue.send_batch([QueueMessage("{}")])
    assert raised.value.failed == ["0"]
