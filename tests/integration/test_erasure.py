"""Erasure on request (issue #14, GDPR art. 17): an admin erases a customer; then every store is searched
(every DynamoDB item, every S3 object version including the raw archive's, every queued message, every
SNS notification, the search index's table and the keys and links between identities) and nothing of
theirs is found, while the case still shows that something was erased.

Real handlers under moto, each with only its own environment and role (the API, triage, the webhook, the
search indexer on the cases table's stream, and the erasure worker, which alone may delete from the raw
archive)."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from infra.local.events import sqs_event
from shared.rules.search_terms import email_key, order_key
from tests.fixtures.webhooks.signing import api_event, signed_headers
from tests.integration.test_analytics import run_report_requests
from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, as_, join_care, outbox_bodies
from tests.integration.test_case_lifecycle import deliver
from tests.integration.test_customer_links import on_instagram
from tests.integration.test_knowledge import approved
from tests.integration.test_redaction_corpus import drain_ingest
from tests.integration.test_search_api import found, index_changes

ADMIN = ("ada@heard.local", "admin")
AUDITOR = ("aud@heard.local", "auditor")
# What identifies the customer to be erased; none of it may be left anywhere afterwards.
ZELDA = {"id": "zq-77", "name": "Zelda Quixote"}
HER_WORDS = [
    "Zebrafruit parcel QX-55123 never arrived",
    "Still no zebrafruit, QX-55123 is lost (order #ZQ-90817, zelda.q@example.com)",
]
# Her words as the search index keeps them too: lower case, and the keys of her order and email.
TRACES = ["zq-77", "Zelda", "Quixote", "Zebrafruit", "zebrafruit", "QX-55123", "quixote", "zelda", "55123"]
TRACES += [order_key("ZQ-90817"), email_key("zelda.q@example.com")]
OTHER = {"id": "ok-1", "name": "Otto Keeper"}
QUESTION = {
    "title": "Lost parcel",
    "body": "Sorry {first_name}, we will trace your parcel for case {case_number}.",
    "topics": ["delivery"],
    "keywords": ["parcel"],
}


def comment_feed(comment_id: str, author: dict[str, str], text: str, now: int) -> bytes:
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": comment_id,
            "post_id": "555000111_9001",
            "parent_id": "555000111_9001",
            "from": author,
            "created_time": now,
            "message": text,
        },
    }
    return json.dumps(
        {"object": "page", "entry": [{"id": "555000111", "time": now, "changes": [change]}]}
    ).encode()


def post(body: bytes, at: Any, context: Any) -> None:
    from functions.webhook.handler import handler as webhook

    event = api_event("meta", "POST", body, signed_headers("meta", body, at))
    assert webhook(event, context)["statusCode"] == 200


def run_erasure_worker(aws: Any, context: Any) -> int:
    from functions.erasure.handler import handler

    sqs, handled = boto3.client("sqs"), 0
    while got := sqs.receive_message(QueueUrl=aws.resolve["erasure"], MaxNumberOfMessages=10).get(
        "Messages", []
    ):
        answer = handler(sqs_event(got, "arn:aws:sqs:eu-west-1:123456789012:erasure"), context)
        assert answer == {"batchItemFailures": []}
        for message in got:
            sqs.delete_message(QueueUrl=aws.resolve["erasure"], ReceiptHandle=message["ReceiptHandle"])
        handled += len(got)
    return handled


def everything(aws: Any) -> dict[str, str]:
    """Every store Heard has, as text, by where it is: the raw archive and every object version included."""
    found: dict[str, str] = {}
    ddb, s3, sqs = boto3.client("dynamodb"), boto3.client("s3"), boto3.client("sqs")
    for table in ddb.list_tables()["TableNames"]:  # every page: a long-running local stack has many
        pages = ddb.get_paginator("scan").paginate(TableName=table)
        found[f"dynamodb:{table}"] = json.dumps([i for p in pages for i in p["Items"]], ensure_ascii=False)
    for bucket in [b["Name"] for b in s3.list_buckets()["Buckets"]]:
        versions = s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for version in [v for p in versions for v in p.get("Versions", [])]:
            got = s3.get_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
            body = got["Body"].read()
            found[f"s3:{bucket}/{version['Key']}@{version['VersionId']}"] = (
                parquet_text(body) if version["Key"].endswith(".parquet") else body.decode("utf-8", "replace")
            )
    for url in sqs.list_queues().get("QueueUrls", []):
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=0).get(
            "Messages", []
        )
        found[f"sqs:{url}"] = json.dumps([m["Body"] for m in got], ensure_ascii=False)
    from moto.sns.models import sns_backends

    for topic in sns_backends["123456789012"]["eu-west-1"].topics.values():
        found[f"sns:{topic.arn}"] = json.dumps(topic.sent_notifications, default=str, ensure_ascii=False)
    return found


def parquet_text(body: bytes) -> str:
    """An analytics file's rows as text (Parquet is compressed: its bytes alone would hide anything)."""
    import tempfile

    import duckdb

    with tempfile.NamedTemporaryFile(suffix=".parquet") as file:
        file.write(body)
        file.flush()
        rows = duckdb.connect().execute("SELECT * FROM read_parquet(?)", [file.name]).fetchall()
    return json.dumps(rows, default=str, ensure_ascii=False)


def traces(stores: dict[str, str], words: list[str]) -> list[tuple[str, str]]:
    return [(where, w) for where, text in stores.items() for w in words if w in text]


@pytest.fixture
def zeldas_case(aws: Any, lambda_context: Any, at_tuesday_morning: Any, analytics_stream: Any) -> str:
    """Zelda's two comments and Otto's one, through the webhook and triage; an agent claims Zelda's case,
    mentions a colleague about her in a note, uses a knowledge answer (which learns her question), replies
    (the dispatcher takes the reply off the outbox), and a supervisor generates a report."""
    join_care(lambda_context, AGENT)
    answer = approved(lambda_context, QUESTION)["answer"]
    now = int(at_tuesday_morning["now"].timestamp())
    post(comment_feed("9001_1", ZELDA, HER_WORDS[0], now), at_tuesday_morning["now"], lambda_context)
    post(comment_feed("9001_2", ZELDA, HER_WORDS[1], now + 60), at_tuesday_morning["now"], lambda_context)
    post(
        comment_feed("9001_3", OTHER, "Otto's order 77 is late", now + 90),
        at_tuesday_morning["now"],
        lambda_context,
    )
    drain_ingest(aws, lambda_context)
    status, held = as_(
        ADMIN, "GET", "/api/privacy/customers?platform=facebook&customer_id=zq-77", lambda_context
    )
    assert status == 200 and held["name"] == ZELDA["name"] and len(held["cases"]) == 1
    case_id = held["cases"][0]["case_id"]
    while (claimed := as_(AGENT, "POST", "/api/queues/care/next", lambda_context))[1]["case"][
        "case_id"
    ] != case_id:
        assert claimed[0] == 200
    note = {"text": f"@{SUPERVISOR[0]} Zelda Quixote says QX-55123 is lost"}
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/notes", lambda_context, note)[0] == 201
    used = as_(
        AGENT,
        "POST",
        f"/api/knowledge/answers/{answer['answer_id']}/use",
        lambda_context,
        {"case_id": case_id},
    )
    assert used[0] == 200 and "Zelda" in used[1]["text"]
    assert (
        as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": used[1]["text"]})[0]
        == 202
    )
    assert outbox_bodies(aws)  # the dispatcher took it
    assert analytics_stream() > 0  # her case's changes reach the analytics store (Parquet)
    assert as_(SUPERVISOR, "POST", "/api/reports", lambda_context, {})[0] == 202
    assert run_report_requests(aws, lambda_context) == 1
    index_changes(aws, lambda_context)  # the cases table's stream reaches the search indexer
    # and a photo she sent, copied from the platform when an agent opened it (its caption names her)
    boto3.client("s3").put_object(
        Bucket=aws.resolve["attachments"], Key=f"in/{case_id}/m-1/0", Body=b"Zelda Quixote's receipt"
    )
    return case_id


def test_an_erased_customer_is_found_nowhere_and_the_case_shows_the_erasure(
    aws, lambda_context, zeldas_case, analytics_stream
):
    # Given Zelda's data in the case, the timeline, the knowledge base, a notification and the raw archive
    before = everything(aws)
    assert {w[0].split(":")[0] for w in traces(before, TRACES)} == {"dynamodb", "s3"}
    search_table = f"dynamodb:{aws.resolve['search']}"
    assert {w for where, w in traces(before, TRACES) if where == search_table} >= {"zelda", "zebrafruit"}
    assert found(lambda_context, q="Zelda Quixote") == [zeldas_case]
    assert found(lambda_context, q="order #ZQ-90817") == [zeldas_case]
    archive = f"s3:{aws.resolve['archive']}/"
    assert sum(1 for k, v in before.items() if k.startswith(archive) and "Zelda" in v) == 2
    inbox = as_(SUPERVISOR, "GET", "/api/me/notifications", lambda_context)[1]["items"]
    assert any("Zelda" in n["text"] for n in inbox)
    answers = as_(AGENT, "GET", "/api/knowledge/answers?state=approved", lambda_context)[1]["items"]
    assert any("QX-55123" in e for a in answers for e in a["examples"])
    # When an admin erases her (from her case), and the erasure worker runs
    status, answer = as_(ADMIN, "POST", "/api/privacy/erasures", lambda_context, {"case_id": zeldas_case})
    assert status == 200, answer
    erasure = answer["erasure"]
    assert erasure["case_ids"] == [zeldas_case] and erasure["archive"] == "pending"
    assert erasure["erased"]["messages"] == 2 and erasure["erased"]["archive_objects"] == 2
    assert erasure["erased"]["attachments"] == 1
    answers = as_(AGENT, "GET", "/api/knowledge/answers?state=approved", lambda_context)[1]["items"]
    assert erasure["erased"]["notifications"] == 1 and erasure["erased"]["knowledge_examples"] == 1
    assert run_erasure_worker(aws, lambda_context) == 1
    assert analytics_stream() > 0  # the erased case's new snapshot reaches the analytics store
    assert found(lambda_context, q="zebrafruit") == []  # at once, before the stream's next batch
    index_changes(aws, lambda_context)  # which indexes the erased case again, as it is now
    # Then nothing of hers is left in any table (the search index's included), bucket (every version,
    # analytics files read row by row), queue or topic, and she is found by none of her words, names or keys
    after = everything(aws)
    assert traces(after, TRACES) == []
    # while the analytics store still counts her case (ids, times and classifications only: a tombstone)
    analytics = {k: v for k, v in after.items() if k.startswith(f"s3:{aws.resolve['analytics']}/")}
    assert any(zeldas_case in v for k, v in analytics.items() if "/cases/" in k)
    # while Otto's data is untouched (his raw delivery, his case)
    assert traces(after, ["Otto Keeper", "ok-1"]) and any(
        k.startswith("s3:") and "Otto" in v for k, v in after.items()
    )
    for words in ("Zelda", "quixote", "zebrafruit", "QX-55123", "order #ZQ-90817", "zelda.q@example.com"):
        assert found(lambda_context, q=words) == [], words
    inbox = as_(SUPERVISOR, "GET", "/api/me/notifications", lambda_context)[1]["items"]
    assert [n["text"] for n in inbox if n["kind"] != "report_ready"] == ["Personal data erased on request."]
    # and the case stays, showing that something was erased, when and by whom
    status, case = as_(SUPERVISOR, "GET", f"/api/cases/{zeldas_case}", lambda_context)
    assert status == 200 and case["case"]["erased_at"] and case["case"]["erasure_id"] == erasure["erasure_id"]
    assert case["case"]["status"] == "resolved" and case["case"]["message_count"] == 2
    erased = [e for e in case["timeline"] if e["kind"] == "erased"]
    assert len(erased) == 1 and erased[0]["actor"] == ADMIN[0]
    assert [e["text"] for e in case["timeline"] if e["kind"] == "message_in"] == ["", ""]
    # and the erasure record says the archive is done, without naming her
    status, record = as_(ADMIN, "GET", f"/api/privacy/erasures/{erasure['erasure_id']}", lambda_context)
    assert status == 200 and record["archive"] == "done" and record["archive_versions_deleted"] == 2
    # and the audit trail records who erased, naming the erasure, not the person
    status, trail = as_(ADMIN, "GET", "/api/audit?action=customer.erase", lambda_context)
    assert [(r["actor"], r["target"]) for r in trail["items"]] == [(ADMIN[0], erasure["erasure_id"])]


def test_erasing_again_changes_nothing_and_says_so(aws, lambda_context, zeldas_case):
    first = as_(ADMIN, "POST", "/api/privacy/erasures", lambda_context, {"case_id": zeldas_case})[1][
        "erasure"
    ]
    # When the same customer is erased again, by her case or by her identity
    again = as_(ADMIN, "POST", "/api/privacy/erasures", lambda_context, {"case_id": zeldas_case})
    by_identity = as_(
        ADMIN,
        "POST",
        "/api/privacy/erasures",
        lambda_context,
        {"platform": "facebook", "customer_id": "zq-77"},
    )
    # Then the first erasure is the answer, or nothing is held; no second record
    assert again[0] == 200 and again[1]["erasure"]["erasure_id"] == first["erasure_id"]
    assert by_identity[0] == 200 and by_identity[1]["erasure"] is None
    listed = as_(ADMIN, "GET", "/api/privacy/erasures", lambda_context)[1]["items"]
    assert [e["erasure_id"] for e in listed] == [first["erasure_id"]]
    finding = as_(ADMIN, "GET", "/api/privacy/customers?platform=facebook&customer_id=zq-77", lambda_context)
    assert finding[0] == 404


def test_only_admins_erase_and_bad_requests_are_named(aws, lambda_context, zeldas_case):
    for user in (AGENT, SUPERVISOR, AUDITOR):
        assert as_(user, "POST", "/api/privacy/erasures", lambda_context, {"case_id": zeldas_case})[0] == 403
        assert as_(user, "GET", f"/api/privacy/customers?case_id={zeldas_case}", lambda_context)[0] == 403
    both = {"case_id": zeldas_case, "platform": "facebook", "customer_id": "zq-77"}
    for body in (
        {},
        both,
        {"platform": "facebook"},
        {"case_id": "NOT A CASE"},
        {"platform": "myspace", "customer_id": "x"},
    ):
        status, answer = as_(ADMIN, "POST", "/api/privacy/erasures", lambda_context, body)
        assert status == 422, (body, answer)
    assert as_(ADMIN, "POST", "/api/privacy/erasures", lambda_context, {"case_id": "nosuchcase"})[0] == 404
    assert as_(ADMIN, "GET", "/api/privacy/customers", lambda_context)[0] == 422
    # and nothing was erased by any of it
    assert as_(ADMIN, "GET", f"/api/privacy/customers?case_id={zeldas_case}", lambda_context)[0] == 200


def test_erasure_removes_her_keys_and_the_links_other_identities_had_to_her(
    aws, lambda_context, at_tuesday_morning
):
    # Given her Facebook comment and an Instagram account giving the same email, linked by the indexer
    join_care(lambda_context, AGENT)
    deliver([on_instagram("ig-1", "ig-77", "Still nothing! ZELDA.Q@example.com")], aws, lambda_context)
    now = int(at_tuesday_morning["now"].timestamp())
    post(
        comment_feed("9001_9", ZELDA, "Where is it? zelda.q@example.com", now),
        at_tuesday_morning["now"],
        lambda_context,
    )
    drain_ingest(aws, lambda_context)
    index_changes(aws, lambda_context)
    ddb = boto3.client("dynamodb")
    table = aws.resolve["cases"]

    def naming_her() -> list[str]:
        items = ddb.scan(TableName=table)["Items"]
        return [
            f"{i['pk']['S']} {i['sk']['S']}"
            for i in items
            if i["pk"]["S"].startswith(("KEY#", "CUSTOMER#")) and "zq-77" in json.dumps(i)
        ]

    assert any(n.startswith("KEY#") for n in naming_her())
    assert any("LINK#facebook#zq-77" in n for n in naming_her())
    # When an admin erases her Facebook identity
    status, answer = as_(
        ADMIN,
        "POST",
        "/api/privacy/erasures",
        lambda_context,
        {"platform": "facebook", "customer_id": "zq-77"},
    )
    assert status == 200, answer
    run_erasure_worker(aws, lambda_context)
    index_changes(aws, lambda_context)
    # Then no key, link or pointer names her, and the Instagram identity keeps its own case
    assert naming_her() == []
    assert found(lambda_context, q="zelda.q@example.com") != []  # the Instagram case gave it too
    assert traces(everything(aws), ["zq-77"]) == []
