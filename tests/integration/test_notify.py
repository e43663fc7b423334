"""Email (SES) and SMS (SNS) to people through the real handlers under moto, each with its own environment
and role (ses:SendEmail from one identity, sns:Publish to phone numbers only): an SLA breach reaches the
on-call supervisor, an urgent escalation the contact and the on-call person, a failed send never blocks,
and supervisors set who is on call and how people are reached."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.ses.models import ses_backends
from moto.sns.models import sns_backends

from infra.wiring import NOTIFY_EMAIL
from tests.integration.test_case_lifecycle import api, comment, deliver

REGION = "eu-west-1"


def sent_emails() -> list[tuple[str, list[str], str]]:
    backend = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    return [(m.source, m.destinations["ToAddresses"], m.subject) for m in backend.sent_messages]


def sent_sms() -> list[tuple[str, str]]:
    return [
        (number, text) for number, text, *_ in sns_backends[DEFAULT_ACCOUNT_ID][REGION].sms_messages.values()
    ]


def claimed_case(aws: Any, lambda_context: Any) -> str:
    deliver([comment()], aws, lambda_context)
    status, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    assert status == 200
    return str(claimed["case"]["case_id"])


def test_an_sla_breach_emails_the_on_call_supervisor(aws, lambda_context, at_tuesday_morning):
    from functions.sla.handler import handler as sla

    # Given a queued case nobody answered (config/heard.json: supervisor@heard.local is on call)
    deliver([comment()], aws, lambda_context)
    at_tuesday_morning["now"] += timedelta(minutes=75)
    # When the SLA monitor runs
    assert sla({}, lambda_context) == {"breached": 1, "skipped": 0}
    # Then one email went from Heard's identity to the on-call person; no SMS (their preference)
    [(source, to, subject)] = sent_emails()
    assert source == NOTIFY_EMAIL.address and to == ["supervisor@heard.local"] and "SLA breached" in subject
    assert sent_sms() == []


def test_an_urgent_escalation_emails_and_texts_the_contact_and_the_on_call_person(
    aws, lambda_context, at_tuesday_morning
):
    case_id = claimed_case(aws, lambda_context)
    status, answer = api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={
            "contact": "billing-lead",
            "reason": "double charge, customer threatening to go public",
            "urgent": True,
        },
        context=lambda_context,
    )
    assert status == 200
    # Then the contact got an email and an SMS, the on-call supervisor an email and an SMS (their preference)
    assert sorted(to[0] for _, to, _ in sent_emails()) == ["lee.chen@example.com", "supervisor@heard.local"]
    assert sorted(number for number, _ in sent_sms()) == ["+15550103", "+447700900123"]
    reached = answer["escalation"]["data"]["reached"]
    assert all(r["sent"] for r in reached) and len(reached) == 4
    assert "Reached: lee.chen@example.com by email" in answer["escalation"]["text"]


def test_a_failed_email_is_recorded_and_never_blocks_the_escalation(aws, lambda_context, at_tuesday_morning):
    case_id = claimed_case(aws, lambda_context)
    # Given SES refuses to send (the identity is no longer verified)
    boto3.client("sesv2").delete_email_identity(EmailIdentity=NOTIFY_EMAIL.address)
    # When an agent escalates urgently
    status, answer = api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={"contact": "pr-lead", "reason": "a journalist asked"},
        context=lambda_context,
    )
    # Then the escalation stands, the emails are recorded as failed, and the SMS still went
    assert status == 200 and answer["escalation"]["data"]["urgent"] is True  # pr-lead is critical
    emails = [r for r in answer["escalation"]["data"]["reached"] if r["by"] == "email"]
    assert emails and all(not r["sent"] and "MessageRejected" in r["error"] for r in emails)
    assert "+15550102" in [number for number, _ in sent_sms()]
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert "escalated" in [e["kind"] for e in detail["timeline"]]


def test_supervisors_set_who_is_on_call_and_how_people_are_reached(aws, lambda_context, at_tuesday_morning):
    body = {
        "on_call": "admin@heard.local",
        "preferences": [{"email": "admin@heard.local", "phone": "+447700900456", "sms_for": ["sla_breach"]}],
    }
    assert api("PUT", "/api/contacts", role="agent", body=body, context=lambda_context)[0] == 403
    status, answer = api("PUT", "/api/contacts", role="supervisor", body=body, context=lambda_context)
    assert status == 200 and answer["on_call"] == "admin@heard.local"
    assert answer["preferences"][0]["sms_for"] == ["sla_breach"] and answer["directory"]
    status, again = api("GET", "/api/contacts", role="admin", context=lambda_context)
    assert status == 200 and again == answer
    bad = {"on_call": None, "preferences": [{"email": "a@b.c", "phone": "0770 900"}]}
    status, problem = api("PUT", "/api/contacts", role="supervisor", body=bad, context=lambda_context)
    assert status == 422 and "phone" in str(problem)
    twice = {"preferences": [{"email": "a@b.c"}, {"email": "A@b.c"}]}
    status, problem = api("PUT", "/api/contacts", role="supervisor", body=twice, context=lambda_context)
    assert status == 422 and "contact preference" in str(problem)
