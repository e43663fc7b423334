"""Personal data posted by customers stays in the raw archive only (#14): a corpus of messages carrying
cards, national ids, bank accounts, secrets, emails, phones and addresses goes through the real webhook,
triage, API (reads, claim, reply, report) and SLA handlers under moto; then every DynamoDB item, every S3
object version outside the archive, every queued message, every alert and every log line is searched for
any of it."""

from __future__ import annotations

import json
import logging
import re
from datetime import timedelta
from typing import Any

import boto3
import pytest

from infra.local.events import sqs_event
from tests.fixtures.webhooks.signing import api_event, signed_headers
from tests.integration.test_case_lifecycle import api

# (what the customer wrote, the personal data in it that must not be kept outside the raw archive)
CORPUS: list[tuple[str, list[str]]] = [
    ("I was charged twice on my card 4111 1111 1111 1111, refund me!", ["4111 1111 1111 1111"]),
    (
        "Card 5555-5555-5555-4444 exp 12/27 cvv 737, why was it declined?",
        ["5555-5555-5555-4444", "cvv 737"],
    ),  # 3 digits alone match hashes by chance
    ("My SSN is 078-05-1120, you asked for it on the phone", ["078-05-1120"]),
    ("NI number JG 10 37 59 A for the account check", ["JG 10 37 59 A"]),
    ("mi DNI es 12345678Z y el pedido no llega", ["12345678Z"]),
    ("Refund to IBAN GB82 WEST 1234 5698 7654 32 please", ["GB82 WEST 1234 5698 7654 32"]),
    ("I can't log in, my password is Tr0ub4dor&3 and it says wrong", ["Tr0ub4dor&3"]),
    ("Your developer leaked AKIAIOSFODNN7EXAMPLE in the app, fix it", ["AKIAIOSFODNN7EXAMPLE"]),
    ("Email me at dana.private@example.org about the broken order", ["dana.private@example.org"]),
    ("Call me on +44 20 7946 0958, the parcel never came", ["+44 20 7946 0958", "7946 0958"]),
    ("Deliver to 221B Baker Street instead, the last one went missing", ["221B Baker Street"]),
    ("CPF 529.982.247-25, a nota fiscal está errada", ["529.982.247-25"]),
]
SECRETS = [secret for _text, secrets in CORPUS for secret in secrets]


def meta_feed(index: int, text: str, now: int) -> bytes:
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": f"9001_{index}",
            "post_id": "555000111_9001",
            "parent_id": "555000111_9001",
            "from": {"id": f"corpus-{index}", "name": f"Customer {index}"},
            "created_time": now,
            "message": text,
        },
    }
    return json.dumps(
        {"object": "page", "entry": [{"id": "555000111", "time": now, "changes": [change]}]}
    ).encode()


def drain_ingest(aws: Any, context: Any) -> None:
    from functions.triage.handler import handler

    sqs = boto3.client("sqs")
    while True:
        got = sqs.receive_message(
            QueueUrl=aws.resolve["ingest"],
            MaxNumberOfMessages=10,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not got:
            return
        answer = handler(sqs_event(got, "arn:aws:sqs:eu-west-1:123456789012:ingest"), context)
        assert answer == {"batchItemFailures": []}
        for message in got:
            sqs.delete_message(QueueUrl=aws.resolve["ingest"], ReceiptHandle=message["ReceiptHandle"])


def every_store_except_the_archive(aws: Any) -> dict[str, str]:
    """Everything Heard stored, as text, by where it is."""
    found: dict[str, str] = {}
    ddb, s3, sqs = boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sqs")
    for table in ddb.list_tables()["TableNames"]:
        items = ddb.scan(TableName=table)["Items"]
        found[f"dynamodb:{table}"] = json.dumps(items, ensure_ascii=False)
    archive = aws.resolve["archive"]
    for bucket in [b["Name"] for b in s3.list_buckets()["Buckets"] if b["Name"] != archive]:
        for version in s3.list_object_versions(Bucket=bucket).get("Versions", []):
            body = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])[
                "Body"
            ].read()
            found[f"s3:{bucket}/{version['Key']}@{version['VersionId']}"] = body.decode("utf-8", "replace")
    for url in sqs.list_queues().get("QueueUrls", []):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        found[f"sqs:{url}"] = json.dumps([m["Body"] for m in got], ensure_ascii=False)
    from moto.sns.models import sns_backends

    for topic in sns_backends["123456789012"]["eu-west-1"].topics.values():
        found[f"sns:{topic.arn}"] = json.dumps(topic.sent_notifications, default=str, ensure_ascii=False)
    return found


def archived(aws: Any) -> str:
    s3 = boto3.client("s3")
    listing = s3.list_objects_v2(Bucket=aws.resolve["archive"]).get("Contents", [])
    return "\n".join(
        s3.get_object(Bucket=aws.resolve["archive"], Key=o["Key"])["Body"].read().decode() for o in listing
    )


def variants(secret: str) -> set[str]:
    """The secret as written, its digits or characters alone, and as JSON would escape it."""
    compact = "".join(c for c in secret if c.isalnum())
    return {secret, json.dumps(secret)[1:-1], *([compact] if len(compact) >= 6 else [])}


_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def _extras(record: logging.LogRecord) -> dict[str, Any]:
    """What a log line carries besides the standard fields (times, thread ids: numbers that would match
    short secrets by chance)."""
    return {k: v for k, v in vars(record).items() if k not in _STANDARD}


@pytest.mark.timeout(300)
def test_personal_data_is_kept_in_the_raw_archive_only(aws, lambda_context, at_tuesday_morning, caplog):
    caplog.set_level(logging.INFO)  # what Lambda keeps (POWERTOOLS_LOG_LEVEL defaults to INFO)
    now = int(at_tuesday_morning["now"].timestamp())
    # Given a corpus of customer messages full of personal data, delivered through the webhook
    from functions.webhook.handler import handler as webhook

    for index, (text, _secrets) in enumerate(CORPUS):
        body = meta_feed(index, text, now)
        event = api_event("meta", "POST", body, signed_headers("meta", body, at_tuesday_morning["now"]))
        assert webhook(event, lambda_context)["statusCode"] == 200
    # When triage takes them in, supervisors read every case, an agent claims and answers one, the SLA
    # monitor runs past the due time, and a report is generated
    drain_ingest(aws, lambda_context)
    # (a crisis type's case goes straight to its point person: queued or assigned)
    cases = []
    for state in ("queued", "assigned"):
        status, listing = api(
            "GET", "/api/cases", query=f"status={state}&limit=50", role="supervisor", context=lambda_context
        )
        assert status == 200
        cases += listing["items"]
    assert len(cases) == len(CORPUS)
    for case in cases:
        assert (
            api("GET", f"/api/cases/{case['case_id']}", role="supervisor", context=lambda_context)[0] == 200
        )
    status, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    assert status == 200
    api(
        "POST",
        f"/api/cases/{claimed['case']['case_id']}/replies",
        body={"text": "Sorry, on it."},
        context=lambda_context,
    )
    at_tuesday_morning["now"] += timedelta(hours=3)
    from functions.sla.handler import handler as sla

    sla({"source": "aws.events", "id": "e-1", "detail-type": "Scheduled Event", "detail": {}}, lambda_context)
    assert api("POST", "/api/reports", role="supervisor", body={}, context=lambda_context)[0] == 202
    from tests.integration.test_analytics import run_report_requests

    assert run_report_requests(aws, lambda_context) == 1  # the report's files are searched too

    # Then the raw archive holds every piece of it (replay depends on it) ...
    raw = archived(aws)
    assert all(secret in raw for secret in SECRETS)
    # ... and no other store, and no log line, holds any of it
    stores = every_store_except_the_archive(aws)
    assert any(
        key.startswith("dynamodb:") and "Customer 3" in text for key, text in stores.items()
    )  # searched
    leaks = [(where, s) for where, text in stores.items() for s in SECRETS for v in variants(s) if v in text]
    assert leaks == []
    logged = "\n".join(f"{r.getMessage()} {_extras(r)} {r.exc_text or ''}" for r in caplog.records)
    assert logged  # the handlers did log
    assert [s for s in SECRETS for v in variants(s) if v in logged] == []
    # and the timeline says what was there without saying what it was
    case_id = listing["items"][0]["case_id"]
    timeline = api("GET", f"/api/cases/{case_id}", role="supervisor", context=lambda_context)[1]["timeline"]
    said = [e["text"] for e in timeline if e["kind"] == "message_in"]
    assert len(said) == 1 and re.search(r"\[(card|national_id|iban|secret|email|phone|address)\]", said[0])
