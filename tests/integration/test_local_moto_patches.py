"""The local stack's fix to moto's TransactWriteItems: the same all-or-nothing behaviour and conditions,
without copying whole tables (which made the local stack slow down and grow to gigabytes)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from infra.local import moto_patches

REGION = "eu-west-1"


@pytest.fixture
def dynamodb() -> Iterator[Any]:
    assert moto_patches.apply()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="t",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"},
            ],
        )
        client.create_table(
            TableName="h",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        yield client


def _items(client: Any, table: str) -> list[dict[str, Any]]:
    return sorted(client.scan(TableName=table)["Items"], key=lambda i: str(sorted(i.items())))


def _put(table: str, **attrs: str) -> dict[str, Any]:
    return {"Put": {"TableName": table, "Item": {k: {"S": v} for k, v in attrs.items()}}}


def test_a_successful_transaction_applies_every_action(dynamodb):
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "n": {"N": "1"}})
    dynamodb.put_item(TableName="h", Item={"id": {"S": "gone"}})
    dynamodb.transact_write_items(
        TransactItems=[
            _put("t", pk="a", sk="2", v="new"),
            {
                "Update": {
                    "TableName": "t",
                    "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}},
                    "UpdateExpression": "SET n = n + :one",
                    "ConditionExpression": "n = :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}},
                }
            },
            {"Delete": {"TableName": "h", "Key": {"id": {"S": "gone"}}}},
            {
                "ConditionCheck": {
                    "TableName": "h",
                    "Key": {"id": {"S": "x"}},
                    "ConditionExpression": "attribute_not_exists(id)",
                }
            },
        ]
    )
    assert _items(dynamodb, "t") == [
        {"pk": {"S": "a"}, "sk": {"S": "1"}, "n": {"N": "2"}},
        {"pk": {"S": "a"}, "sk": {"S": "2"}, "v": {"S": "new"}},
    ]
    assert _items(dynamodb, "h") == []


@pytest.mark.parametrize("failing", ["condition", "condition_check", "bad_update"])
def test_a_failed_action_leaves_every_table_exactly_as_before(dynamodb, failing):
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "n": {"N": "1"}})
    dynamodb.put_item(TableName="h", Item={"id": {"S": "keep"}, "v": {"S": "old"}})
    before = (_items(dynamodb, "t"), _items(dynamodb, "h"))
    last: dict[str, Any] = {
        "condition": _put("h", id="keep", v="overwritten") | {},
        "condition_check": {
            "ConditionCheck": {
                "TableName": "h",
                "Key": {"id": {"S": "keep"}},
                "ConditionExpression": "attribute_not_exists(id)",
            }
        },
        "bad_update": {
            "Update": {
                "TableName": "h",
                "Key": {"id": {"S": "keep"}},
                "UpdateExpression": "SET v = v + :one",  # a string plus a number: invalid when applied
                "ExpressionAttributeValues": {":one": {"N": "1"}},
            }
        },
    }[failing]
    if failing == "condition":
        last["Put"]["ConditionExpression"] = "attribute_not_exists(id)"
    # A failed condition cancels the transaction; an invalid update is a validation error (as in moto).
    with pytest.raises(dynamodb.exceptions.ClientError) as raised:
        dynamodb.transact_write_items(
            TransactItems=[
                _put("t", pk="a", sk="2", v="new"),  # a new item: must disappear again
                {
                    "Update": {  # an item changed in place: must get its old value back
                        "TableName": "t",
                        "Key": {"pk": {"S": "a"}, "sk": {"S": "1"}},
                        "UpdateExpression": "SET n = :nine",
                        "ExpressionAttributeValues": {":nine": {"N": "9"}},
                    }
                },
                _put("t", pk="b", sk="1"),  # a new partition: must disappear again
                last,
            ]
        )
    if failing == "bad_update":
        assert raised.value.response["Error"]["Code"] == "ValidationException"
    else:
        reasons = [r["Code"] for r in raised.value.response["CancellationReasons"]]
        assert reasons == ["None", "None", "None", "ConditionalCheckFailed"]
    assert (_items(dynamodb, "t"), _items(dynamodb, "h")) == before


def test_a_failed_delete_is_undone(dynamodb):
    dynamodb.put_item(TableName="h", Item={"id": {"S": "keep"}, "v": {"S": "old"}})
    with pytest.raises(dynamodb.exceptions.TransactionCanceledException):
        dynamodb.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": "h", "Key": {"id": {"S": "keep"}}}},
                _put("h", id="other") | {},
                {
                    "ConditionCheck": {
                        "TableName": "h",
                        "Key": {"id": {"S": "none"}},
                        "ConditionExpression": "attribute_exists(id)",
                    }
                },
            ]
        )
    assert _items(dynamodb, "h") == [{"id": {"S": "keep"}, "v": {"S": "old"}}]


def test_two_actions_on_one_item_are_refused_and_nothing_is_written(dynamodb):
    with pytest.raises(dynamodb.exceptions.ClientError, match="multiple operations"):
        dynamodb.transact_write_items(TransactItems=[_put("h", id="x"), _put("h", id="y"), _put("h", id="x")])
    assert _items(dynamodb, "h") == []


def test_a_transaction_does_not_copy_the_tables(dynamodb, monkeypatch):
    for i in range(50):
        dynamodb.put_item(TableName="t", Item={"pk": {"S": "p"}, "sk": {"S": str(i)}})
    copied: list[str] = []
    real_deepcopy = copy.deepcopy

    def spy(value: Any, memo: Any = None) -> Any:
        copied.append(type(value).__name__)
        return real_deepcopy(value, memo)

    monkeypatch.setattr(moto_patches.copy, "deepcopy", spy)
    dynamodb.transact_write_items(TransactItems=[_put("t", pk="p", sk="new")])
    assert "Table" not in copied and len(copied) == 1  # one snapshot, of the one touched key


def test_reads_and_writes_from_many_threads_do_not_fail():
    # moto's server answers each request on its own thread; a Scan iterating a table while another thread
    # wrote to it failed with "dictionary changed size during iteration" (a 500) before the lock.
    import threading

    from moto.server import ThreadedMotoServer

    assert moto_patches.apply()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        client = boto3.client(
            "dynamodb",
            region_name=REGION,
            endpoint_url=f"http://{host}:{port}",
            aws_access_key_id="k",
            aws_secret_access_key="s",
        )
        client.create_table(
            TableName="busy",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        )
        errors: list[str] = []

        def writer(n: int) -> None:
            for i in range(150):
                try:
                    client.put_item(TableName="busy", Item={"id": {"S": f"{n}-{i}"}})
                except Exception as error:  # noqa: BLE001 (collected and asserted below)
                    errors.append(repr(error))

        def reader() -> None:
            for _ in range(40):
                try:
                    client.scan(TableName="busy")
                except Exception as error:  # noqa: BLE001
                    errors.append(repr(error))

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
        threads += [threading.Thread(target=reader) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert client.scan(TableName="busy", Select="COUNT")["Count"] == 450
    finally:
        server.stop()


def test_sqs_sends_keep_fifo_deduplication_and_the_counts():
    assert moto_patches.apply()
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        fifo = sqs.create_queue(
            QueueName="q.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
        )["QueueUrl"]
        for _ in range(2):
            sqs.send_message(QueueUrl=fifo, MessageBody="same", MessageGroupId="g")
        strict = sqs.create_queue(QueueName="s.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
        with pytest.raises(sqs.exceptions.ClientError, match="MessageDeduplicationId"):
            sqs.send_message(QueueUrl=strict, MessageBody="x", MessageGroupId="g")
        plain = sqs.create_queue(QueueName="plain")["QueueUrl"]
        sqs.send_message_batch(
            QueueUrl=plain, Entries=[{"Id": str(i), "MessageBody": str(i)} for i in range(3)]
        )
        sqs.send_message(QueueUrl=plain, MessageBody="late", DelaySeconds=60)
        count = "ApproximateNumberOfMessages"
        assert sqs.get_queue_attributes(QueueUrl=fifo, AttributeNames=[count])["Attributes"][count] == "1"
        attributes = sqs.get_queue_attributes(QueueUrl=plain, AttributeNames=["All"])["Attributes"]
        assert attributes[count] == "3" and attributes["ApproximateNumberOfMessagesDelayed"] == "1"
        assert "ContentBasedDeduplication" not in attributes


def test_a_send_does_not_count_the_queue(monkeypatch):
    from moto.sqs.models import Queue

    assert moto_patches.apply()
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="deep")["QueueUrl"]
        counted: list[int] = []
        real = Queue.messages.fget  # type: ignore[attr-defined]
        monkeypatch.setattr(Queue, "messages", property(lambda self: counted.append(1) or real(self)))
        sqs.send_message(QueueUrl=url, MessageBody="x")
        assert counted == []
        received = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        assert [m["Body"] for m in received] == ["x"]
        assert len(counted) <= 1  # at most one look at the queue per receive, not one per message


def test_messages_past_their_retention_are_not_received():
    assert moto_patches.apply()
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="short", Attributes={"MessageRetentionPeriod": "60"})["QueueUrl"]
        sqs.send_message(QueueUrl=url, MessageBody="old")
        from moto.sqs.models import sqs_backends

        queue = sqs_backends["123456789012"][REGION].queues["short"]
        for message in queue._messages:
            message.sent_timestamp -= 61_000  # sent 61 s ago
        assert sqs.receive_message(QueueUrl=url).get("Messages", []) == []


def test_index_queries_find_the_same_items_in_the_same_order_and_pages():
    assert moto_patches.apply()
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(
            TableName="g",
            BillingMode="PAY_PER_REQUEST",
            KeySchema=[
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": a, "AttributeType": "S"} for a in ("pk", "sk", "gpk", "gsk")
            ],
            GlobalSecondaryIndexes=[
                {
                    "IndexName": "by_g",
                    "KeySchema": [
                        {"AttributeName": "gpk", "KeyType": "HASH"},
                        {"AttributeName": "gsk", "KeyType": "RANGE"},
                    ],
                    "Projection": {"ProjectionType": "ALL"},
                }
            ],
        )
        for i in range(30):
            item = {"pk": {"S": f"p{i % 7}"}, "sk": {"S": f"s{i}"}}
            if i % 3:
                item |= {"gpk": {"S": "A" if i % 2 else "B"}, "gsk": {"S": f"{i:03d}"}}
            client.put_item(TableName="g", Item=item)
        # an update moves an item into A; a delete takes one out
        client.update_item(
            TableName="g",
            Key={"pk": {"S": "p0"}, "sk": {"S": "s0"}},
            UpdateExpression="SET gpk = :a, gsk = :k",
            ExpressionAttributeValues={":a": {"S": "A"}, ":k": {"S": "000"}},
        )
        client.delete_item(TableName="g", Key={"pk": {"S": "p1"}, "sk": {"S": "s1"}})
        expected = sorted(
            [f"{i:03d}" for i in range(30) if i % 3 and i % 2 and i != 1 and f"{i:03d}" < "025"] + ["000"],
            reverse=True,
        )
        pages, start = [], None
        while True:
            request = {
                "TableName": "g",
                "IndexName": "by_g",
                "KeyConditionExpression": "gpk = :a AND gsk < :top",
                "ExpressionAttributeValues": {":a": {"S": "A"}, ":top": {"S": "025"}},
                "ScanIndexForward": False,
                "Limit": 3,
            }
            if start:
                request["ExclusiveStartKey"] = start
            answer = client.query(**request)
            pages.append([i["gsk"]["S"] for i in answer["Items"]])
            start = answer.get("LastEvaluatedKey")
            if not start:
                break
        assert [k for page in pages for k in page] == expected
        assert all(len(page) <= 3 for page in pages)
        assert (
            client.query(
                TableName="g",
                IndexName="by_g",
                KeyConditionExpression="gpk = :b",
                ExpressionAttributeValues={":b": {"S": "none"}},
            )["Items"]
            == []
        )


def test_table_queries_read_one_partition_with_conditions_order_and_pages(dynamodb):
    for p in ("a", "b"):
        for i in range(12):
            dynamodb.put_item(
                TableName="t", Item={"pk": {"S": p}, "sk": {"S": f"T#{i:02d}"}, "n": {"N": str(i)}}
            )
    dynamodb.put_item(TableName="t", Item={"pk": {"S": "a"}, "sk": {"S": "META"}})
    pages, start = [], None
    while True:
        request = {
            "TableName": "t",
            "KeyConditionExpression": "pk = :a AND begins_with(sk, :t)",
            "FilterExpression": "n <> :five",
            "ExpressionAttributeValues": {":a": {"S": "a"}, ":t": {"S": "T#"}, ":five": {"N": "5"}},
            "ScanIndexForward": False,
            "Limit": 4,
        }
        if start:
            request["ExclusiveStartKey"] = start
        answer = dynamodb.query(**request)
        pages.append([i["sk"]["S"] for i in answer["Items"]])
        start = answer.get("LastEvaluatedKey")
        if not start:
            break
    assert [k for page in pages for k in page] == [f"T#{i:02d}" for i in range(11, -1, -1) if i != 5]
    assert (
        dynamodb.query(
            TableName="t", KeyConditionExpression="pk = :z", ExpressionAttributeValues={":z": {"S": "z"}}
        )["Items"]
        == []
    )
    assert (
        dynamodb.query(
            TableName="h", KeyConditionExpression="id = :z", ExpressionAttributeValues={":z": {"S": "z"}}
        )["Items"]
        == []
    )
    dynamodb.put_item(TableName="h", Item={"id": {"S": "z"}})
    assert (
        dynamodb.query(
            TableName="h", KeyConditionExpression="id = :z", ExpressionAttributeValues={":z": {"S": "z"}}
        )["Count"]
        == 1
    )
