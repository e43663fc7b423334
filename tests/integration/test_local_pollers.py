"""The local SQS pollers: the real SQS event shape, partial batch failures and DLQ redrive (moto)."""

from __future__ import annotations

import json
import threading
from typing import Any

import boto3
import pytest
from aws_lambda_powertools.utilities.parser.models import SqsModel

from infra.local.invoke import Invoker
from infra.local.pollers import Poller, QueueBinding, queue_bindings, successful_receipts
from infra.wiring import Function, heard


def test_the_pollers_consume_exactly_the_wirings_queue_triggers():
    wired = sorted((f.queue.queue, f.id, f.queue.batch_size) for f in heard().functions if f.queue)
    assert [(b.queue_id, b.function_id, b.batch_size) for b in queue_bindings(heard())] == wired


MESSAGES = [{"MessageId": f"m{i}", "ReceiptHandle": f"r{i}"} for i in range(3)]


@pytest.mark.parametrize(
    ("result", "deleted"),
    [
        (None, ["r0", "r1", "r2"]),
        ({}, ["r0", "r1", "r2"]),
        ({"batchItemFailures": []}, ["r0", "r1", "r2"]),
        ({"batchItemFailures": [{"itemIdentifier": "m1"}]}, ["r0", "r2"]),
        ({"batchItemFailures": [{"itemIdentifier": "m0"}, {"itemIdentifier": "m2"}]}, ["r1"]),
        ({"batchItemFailures": [{"itemIdentifier": ""}]}, []),  # malformed report: the whole batch failed
        ({"batchItemFailures": [{"itemIdentifier": "not-in-batch"}]}, []),
    ],
)
def test_only_the_successes_are_deleted(result, deleted):
    assert [e["ReceiptHandle"] for e in successful_receipts(MESSAGES, result)] == deleted


class Consumer:
    """The triage function's stand-in: fails the messages whose body says so; may raise for the batch."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []
        self.raise_for_batch = False

    def __call__(self, function: Function):
        def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
            self.events.append(event)
            if self.raise_for_batch:
                raise RuntimeError("function error")
            failures = [
                {"itemIdentifier": r["messageId"]}
                for r in event["Records"]
                if json.loads(r["body"]).get("fail")
            ]
            return {"batchItemFailures": failures}

        return handler


@pytest.fixture
def ingest(aws):
    sqs = boto3.client("sqs", region_name="eu-west-1")
    url = aws.resolve["ingest"]
    # No waiting for redelivery in a test: failed messages come back at once.
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})
    consumer = Consumer()
    binding = next(b for b in queue_bindings(heard()) if b.queue_id == "ingest")
    poller = Poller(
        binding,
        url,
        aws.resolve["ingest:arn"],
        lambda: sqs,
        Invoker(heard(), consumer),
        threading.Event(),
        wait_seconds=0,
    )
    return sqs, url, consumer, poller


def _depth(sqs, url: str) -> int:
    attributes = sqs.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )
    return sum(int(v) for v in attributes["Attributes"].values())


def test_the_function_gets_a_real_sqs_event(aws, ingest):
    sqs, url, consumer, poller = ingest
    sqs.send_message(
        QueueUrl=url,
        MessageBody=json.dumps({"n": 1}),
        MessageAttributes={"platform": {"DataType": "String", "StringValue": "meta"}},
    )
    assert poller.poll_once(sqs) == 1
    event = consumer.events[0]
    SqsModel.model_validate(event)  # Powertools' model of what Lambda sends
    record = event["Records"][0]
    assert record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == aws.resolve["ingest:arn"]
    assert record["awsRegion"] == "eu-west-1"
    assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert record["messageAttributes"]["platform"] == {
        "stringValue": "meta",
        "stringListValues": [],
        "binaryListValues": [],
        "dataType": "String",
    }
    assert _depth(sqs, url) == 0  # processed messages are deleted


def test_reported_failures_stay_and_the_rest_are_deleted(aws, ingest):
    sqs, url, consumer, poller = ingest
    for n in range(4):
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": n, "fail": n == 2}))
    received = 0
    while received < 4:
        received += poller.poll_once(sqs)
    assert _depth(sqs, url) == 1
    left = sqs.receive_message(QueueUrl=url, MessageSystemAttributeNames=["All"])["Messages"]
    assert json.loads(left[0]["Body"])["n"] == 2


def test_a_function_error_keeps_the_whole_batch(aws, ingest):
    sqs, url, consumer, poller = ingest
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": 1}))
    consumer.raise_for_batch = True
    assert poller.poll_once(sqs) == 1
    assert _depth(sqs, url) == 1


def test_a_message_failing_every_time_ends_in_the_dlq(aws, ingest):
    # Given a message its function always fails (ingest's maxReceiveCount is 5)
    sqs, url, consumer, poller = ingest
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"fail": True}))
    max_receives = heard().queue("ingest").max_receive_count
    # When it has been received that many times
    for _ in range(max_receives):
        assert poller.poll_once(sqs) == 1
    # Then the next receive moves it to the DLQ instead
    assert poller.poll_once(sqs) == 0
    assert _depth(sqs, url) == 0
    assert _depth(sqs, aws.resolve["ingest:dlq"]) == 1
    counts = [e["Records"][0]["attributes"]["ApproximateReceiveCount"] for e in consumer.events]
    assert counts == [str(n) for n in range(1, max_receives + 1)]


def test_the_poller_thread_stops_when_told(aws, ingest):
    sqs, url, consumer, _ = ingest
    stop = threading.Event()
    binding = QueueBinding("ingest", "triage", 10, 0)
    poller = Poller(
        binding, url, aws.resolve["ingest:arn"], lambda: sqs, Invoker(heard(), consumer), stop, wait_seconds=0
    )
    poller.start()
    sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"n": 1}))
    deadline = threading.Event()
    for _ in range(50):
        if consumer.events:
            break
        deadline.wait(0.1)
    stop.set()
    poller.join(timeout=5)
    assert consumer.events
    assert not poller._thread.is_alive()
