"""Escalation answer links through the real handlers under moto, each with only its own environment and
role (issue #12): the email and SMS carry a signed link scoped to one escalation and one person; the
public answer function shows what the department needs and records its answer as an internal note,
telling the owner; a changed or expired link gets 403; the SLA monitor reminds, then hands an urgent
escalation nobody answered to the contact's backup, once."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from infra.local.events import apigw_event
from tests.integration.test_case_lifecycle import api, comment, deliver

REGION = "eu-west-1"
LINK = re.compile(r"/answer\.html#([A-Za-z0-9_.-]+)")


def emails_to(address: str) -> list[Any]:
    return [
        m
        for m in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
        if address in m.destinations["ToAddresses"]
    ]


def sms_to(number: str) -> list[str]:
    return [
        text for n, text, *_ in sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values() if n == number
    ]


def public(method: str, token: str, context: Any, body: Any = None, suffix: str = "") -> tuple[int, Any]:
    from functions.answers.handler import handler

    resource = "/public/escalations/{token}" + suffix
    event = apigw_event(
        method=method,
        raw_path=f"/public/escalations/{token}{suffix}",
        query="",
        headers=[("Content-Type", "application/json")],
        body=json.dumps(body).encode() if body is not None else b"",
        resource=resource,
        path_parameters={"token": token},
        source_ip="127.0.0.1",
        claims=None,
    )
    answer = handler(event, context)
    return answer["statusCode"], json.loads(answer["body"]) if answer.get("body") else None


def escalated(aws: Any, context: Any, contact: str, urgent: bool) -> tuple[str, dict[str, Any]]:
    deliver([comment(text="You charged me twice, my card is 4111 1111 1111 1111")], aws, context)
    status, claimed = api("POST", "/api/queues/care/next", context=context)
    assert status == 200
    case_id = claimed["case"]["case_id"]
    body = {"contact": contact, "reason": "Can we refund the second charge today?", "urgent": urgent}
    status, answer = api("POST", f"/api/cases/{case_id}/escalate", body=body, context=context)
    assert status == 200
    return case_id, answer


def test_a_department_answers_through_its_link_and_the_owner_sees_it(aws, lambda_context, at_tuesday_morning):
    # Given an urgent escalation to the billing lead
    case_id, answer = escalated(aws, lambda_context, "billing-lead", urgent=True)
    # Then the email and the SMS each carry a link to the answer page
    [mail] = emails_to("lee.chen@example.com")
    [text] = sms_to("+15550103")
    token = LINK.search(mail.body).group(1)
    assert LINK.search(text) and answer["escalation"]["data"]["escalation_id"]
    # When the department opens it: the question and the case in brief, no customer name, no other cases
    status, page = public("GET", token, lambda_context)
    assert status == 200 and page["case_id"] == case_id and page["question"].startswith("Can we refund")
    assert page["asked_of"]["name"] == "Lee Chen" and page["answered"] is False
    assert "4111" not in json.dumps(page) and "timeline" not in page and "customer" not in page
    # and answers
    reply = {"answer": "Yes: refund approved, reference R-77."}
    status, recorded = public("POST", token, lambda_context, reply, "/answer")
    assert status == 200 and "Lee Chen" in recorded["text"]
    # Then the answer is an internal note on the case naming the contact, and the owner is told
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    [note] = [e for e in detail["timeline"] if e["kind"] == "note"]
    assert "refund approved, reference R-77" in note["text"] and note["actor"] == "lee.chen@example.com"
    assert note["data"]["internal"] is True and note["data"]["contact"] == "billing-lead"
    _, inbox = api("GET", "/api/me/notifications", context=lambda_context)
    assert any(n["kind"] == "escalation_answered" and n["case_id"] == case_id for n in inbox["items"])
    # and a second answer through the same link is refused
    assert public("POST", token, lambda_context, reply, "/answer")[0] == 409
    assert public("GET", token, lambda_context)[1]["answered"] is True


def test_a_changed_or_expired_link_is_refused_with_a_clear_message(aws, lambda_context, at_tuesday_morning):
    _, _ = escalated(aws, lambda_context, "billing-lead", urgent=False)
    [mail] = emails_to("lee.chen@example.com")  # not urgent: an email with the link, no SMS
    token = LINK.search(mail.body).group(1)
    assert sms_to("+15550103") == []
    payload, signature = token.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    status, answer = public("GET", forged, lambda_context)
    assert status == 403 and "changed" in answer["message"]
    assert public("POST", forged, lambda_context, {"answer": "x"}, "/answer")[0] == 403
    assert public("GET", "not-a-link-at-all", lambda_context)[0] == 403
    at_tuesday_morning["now"] += timedelta(days=8)
    status, answer = public("GET", token, lambda_context)
    assert status == 403 and "expired" in answer["message"]
    assert public("POST", token, lambda_context, {"answer": ""}, "/answer")[0] == 422


def test_an_unanswered_urgent_escalation_is_reminded_then_handed_to_the_backup_once(
    aws, lambda_context, at_tuesday_morning
):
    from functions.sla.handler import handler as sla

    # Given an urgent escalation to the customer service manager (backup: the PR lead), unanswered
    case_id, _ = escalated(aws, lambda_context, "cs-manager", urgent=True)
    assert len(emails_to("dana.reyes@example.com")) == 1
    # When 31 minutes pass (the configured reminder interval is 30) and the monitor runs twice
    at_tuesday_morning["now"] += timedelta(minutes=31)
    sla({}, lambda_context)
    sla({}, lambda_context)
    # Then Dana is reminded once, on the timeline
    assert len(emails_to("dana.reyes@example.com")) == 2
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    steps = [e["data"].get("step") for e in detail["timeline"] if e["kind"] == "escalated"]
    assert steps == [None, "reminded"]
    # When as long again passes without an answer
    at_tuesday_morning["now"] += timedelta(minutes=31)
    sla({}, lambda_context)
    sla({}, lambda_context)
    # Then the backup is reached once, with a link of their own, and the hand-over is on the timeline
    [backup_mail] = emails_to("sam.okafor@example.com")
    backup_token = LINK.search(backup_mail.body).group(1)
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    [handed] = [e for e in detail["timeline"] if e["data"].get("step") == "backup"]
    assert "handed to the backup" in handed["text"] and handed["data"]["backup"] == "pr-lead"
    # and the backup answers; nothing more is sent afterwards
    status, page = public("GET", backup_token, lambda_context)
    assert status == 200 and page["asked_of"]["title"]
    assert public("POST", backup_token, lambda_context, {"answer": "PR will call them."}, "/answer")[0] == 200
    at_tuesday_morning["now"] += timedelta(hours=3)
    sla({}, lambda_context)
    assert len(emails_to("sam.okafor@example.com")) == 1 and len(emails_to("dana.reyes@example.com")) == 2
