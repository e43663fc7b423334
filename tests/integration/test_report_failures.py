"""A report asked for in the console that cannot be made: the reports function (its own environment and
role) fails it on the queue's first two receives, and on the third (the report-requests queue's
max_receive_count) marks it failed with the reason, tells the supervisor, and the supervisor retries it."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from infra.local.events import sqs_event
from infra.wiring import heard
from shared.errors import Unavailable
from shared.usecases import report_requests, reports
from tests.integration.test_case_lifecycle import api

QUEUE_ARN = "arn:aws:sqs:eu-west-1:123456789012:report-requests"


def receive_and_run(aws: Any, context: Any) -> tuple[str, dict[str, Any]]:
    """One receive of the report-requests queue handed to the reports function, as Lambda's mapping would
    (visibility 0: the next receive is the queue's redelivery). (receive count, the function's answer)."""
    from functions.reports.handler import handler as reports_function

    sqs = boto3.client("sqs")
    [message] = sqs.receive_message(
        QueueUrl=aws.resolve["report-requests"],
        MaxNumberOfMessages=1,
        VisibilityTimeout=0,
        MessageSystemAttributeNames=["ApproximateReceiveCount"],
    )["Messages"]
    answer = reports_function(sqs_event([message], QUEUE_ARN), context)
    if not answer["batchItemFailures"]:  # Lambda deletes what the function did not report as failed
        sqs.delete_message(QueueUrl=aws.resolve["report-requests"], ReceiptHandle=message["ReceiptHandle"])
    return message["Attributes"]["ApproximateReceiveCount"], answer


def test_the_attempts_match_the_queues_receive_limit():
    [queue] = [q for q in heard().queues if q.id == "report-requests"]
    assert queue.max_receive_count == report_requests.MAX_ATTEMPTS


def test_a_report_failing_three_times_is_failed_with_its_reason_and_can_be_retried(
    aws, lambda_context, at_tuesday_morning, monkeypatch: pytest.MonkeyPatch
):
    # Given the analytics store cannot be read
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise Unavailable("the analytics store could not be read")

    working = reports.make
    monkeypatch.setattr(reports, "make", broken)
    body = {"period": "week", "request_key": "fails-0001"}
    status, answer = api("POST", "/api/reports", role="supervisor", body=body, context=lambda_context)
    assert status == 202
    report_id = answer["report"]["id"]
    # When the reports function fails it twice, the queue delivers it again and it stays queued
    for attempt in ("1", "2"):
        count, result = receive_and_run(aws, lambda_context)
        assert count == attempt and len(result["batchItemFailures"]) == 1
        assert (
            api("GET", f"/api/reports/{report_id}", role="supervisor", context=lambda_context)[1]["report"][
                "status"
            ]
            == "queued"
        )
    # When the third (last) attempt fails too
    count, result = receive_and_run(aws, lambda_context)
    assert count == "3" and result == {"batchItemFailures": []}
    # Then the report is failed with the reason, in the list and on its own
    status, polled = api("GET", f"/api/reports/{report_id}", role="supervisor", context=lambda_context)
    assert status == 200 and polled["report"]["status"] == "failed" and polled["report"]["attempts"] == 3
    assert "analytics store could not be read" in polled["report"]["failure_reason"]
    listed = api("GET", "/api/reports", role="supervisor", context=lambda_context)[1]["items"]
    assert [(r["id"], r["status"]) for r in listed] == [(report_id, "failed")]
    # And nothing is left on the queue or its DLQ; the supervisor is told
    sqs = boto3.client("sqs")
    for name in ("report-requests", "report-requests:dlq"):
        assert "Messages" not in sqs.receive_message(QueueUrl=aws.resolve[name], VisibilityTimeout=0)
    inbox = api("GET", "/api/me/notifications", role="supervisor", context=lambda_context)[1]["items"]
    assert [n["kind"] for n in inbox if n["kind"].startswith("report")] == ["report_failed"]
    # And a download says why, naming the failure
    status, problem = api(
        "GET",
        f"/api/reports/{report_id}/download",
        role="supervisor",
        query="format=csv",
        context=lambda_context,
    )
    assert status == 409 and "retry it first" in str(problem)
    # When the store is back and the supervisor retries it (an agent may not; a ready report is not retried)
    monkeypatch.setattr(reports, "make", working)
    assert api("POST", f"/api/reports/{report_id}/retry", role="agent", context=lambda_context)[0] == 403
    status, again = api("POST", f"/api/reports/{report_id}/retry", role="supervisor", context=lambda_context)
    assert (
        status == 202 and again["report"]["status"] == "queued" and again["report"]["failure_reason"] is None
    )
    # Then the next attempt makes it
    count, result = receive_and_run(aws, lambda_context)
    assert result == {"batchItemFailures": []}
    status, made = api("GET", f"/api/reports/{report_id}", role="supervisor", context=lambda_context)
    assert made["report"]["status"] == "ready" and "csv" in made["report"]["formats"]
    status, problem = api(
        "POST", f"/api/reports/{report_id}/retry", role="supervisor", context=lambda_context
    )
    assert status == 409 and "only a failed report" in str(problem)
    assert api("POST", "/api/reports/nosuchreport/retry", role="supervisor", context=lambda_context)[0] == 404
