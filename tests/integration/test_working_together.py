"""Working together on a case (issue #10): internal notes with @mentions, tags, handing a case to a named
colleague, releasing it to the queue, and the per-agent notifications they cause, through the real API
handler, triage, dispatcher and follow-up functions under moto."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, TRAINEE, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import comment, deliver
from tests.integration.test_dispatch import outbox_event

COLLEAGUE = ("cleo@heard.local", "agent")


@pytest.fixture(autouse=True)
def _members(aws: Any, lambda_context: Any) -> None:
    """Only a team's members claim from its queue (R7): the people these tests use are in care."""
    join_care(lambda_context, AGENT, TRAINEE, COLLEAGUE)


def inbox(user: tuple[str, str], ctx: Any) -> dict[str, Any]:
    status, answer = as_(user, "GET", "/api/me/notifications", ctx)
    assert status == 200
    return answer


def owned_case(aws: Any, ctx: Any, user: tuple[str, str] = AGENT) -> str:
    deliver([comment()], aws, ctx)
    return claimed_case(user, ctx)


def test_a_note_mentioning_a_colleague_is_internal_and_notifies_them(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    # When the owner adds a note that mentions a colleague
    text = f"Customer is a VIP, @{COLLEAGUE[0]} can you check the depot? cc @{AGENT[0]}"
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/notes", lambda_context, {"text": text})
    # Then the note is on the timeline, internal, naming the mentions
    assert status == 201
    assert answer["note"]["kind"] == "note" and answer["note"]["data"]["internal"] is True
    assert answer["note"]["data"]["mentions"] == [COLLEAGUE[0], AGENT[0]]
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert any(e["kind"] == "note" and e["text"] == text for e in detail["timeline"])
    # and nothing went to the customer
    assert not boto3.client("sqs").receive_message(QueueUrl=aws.resolve["outbox"]).get("Messages")
    # and the colleague has one unread notification pointing at the case; the author mentioned themself: none
    box = inbox(COLLEAGUE, lambda_context)
    assert box["unread"] == 1
    assert box["items"][0]["kind"] == "mentioned" and box["items"][0]["case_id"] == case_id
    assert AGENT[0] in box["items"][0]["text"]
    assert inbox(AGENT, lambda_context)["unread"] == 0


def test_marking_notifications_read_touches_only_ones_own(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    for n in range(2):
        as_(AGENT, "POST", f"/api/cases/{case_id}/notes", lambda_context, {"text": f"@{COLLEAGUE[0]} #{n}"})
    box = inbox(COLLEAGUE, lambda_context)
    assert box["unread"] == 2
    first = box["items"][0]["notification_id"]
    # When somebody else tries to mark the colleague's notification read, nothing changes
    assert as_(AGENT, "POST", "/api/me/notifications/read", lambda_context, {"ids": [first]})[0] == 200
    assert inbox(COLLEAGUE, lambda_context)["unread"] == 2
    # When the colleague marks one read, then all
    status, answer = as_(COLLEAGUE, "POST", "/api/me/notifications/read", lambda_context, {"ids": [first]})
    assert status == 200 and answer["unread"] == 1
    assert next(i for i in answer["items"] if i["notification_id"] == first)["read_at"]
    assert as_(COLLEAGUE, "POST", "/api/me/notifications/read", lambda_context)[1]["unread"] == 0
    # A malformed id is refused, naming the field
    status, answer = as_(COLLEAGUE, "POST", "/api/me/notifications/read", lambda_context, {"ids": ["x"]})
    assert status == 422 and answer["detail"][0]["loc"][:2] == ["body", "ids"]


def test_tags_are_replaced_normalised_and_recorded(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    status, answer = as_(
        AGENT,
        "PUT",
        f"/api/cases/{case_id}/tags",
        lambda_context,
        {"tags": ["Refund", "late  parcel", "refund"]},
    )
    assert status == 200 and answer["case"]["tags"] == ["refund", "late parcel"]
    status, answer = as_(AGENT, "PUT", f"/api/cases/{case_id}/tags", lambda_context, {"tags": ["refund"]})
    assert answer["case"]["tags"] == ["refund"]
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert detail["case"]["tags"] == ["refund"]
    tagged = [e for e in detail["timeline"] if e["kind"] == "tagged"]
    # (the clock is frozen: both entries share a moment, so compare without their order)
    assert sorted(t["data"]["removed"] for t in tagged) == [[], ["late parcel"]]
    # A tag with other characters is a 422 naming it; another agent's case is 403
    status, answer = as_(AGENT, "PUT", f"/api/cases/{case_id}/tags", lambda_context, {"tags": ["<b>"]})
    assert status == 422 and "<b>" in answer["message"]
    assert as_(COLLEAGUE, "PUT", f"/api/cases/{case_id}/tags", lambda_context, {"tags": []})[0] == 403


def test_handing_a_case_to_a_colleague_makes_them_owner_and_tells_them(
    aws, lambda_context, at_tuesday_morning
):
    case_id = owned_case(aws, lambda_context)
    body = {"to": COLLEAGUE[0], "note": "Cleo handles the depot"}
    # A colleague who does not own it cannot give it away
    assert as_(TRAINEE, "POST", f"/api/cases/{case_id}/hand", lambda_context, body)[0] == 403
    # When the owner hands it over
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/hand", lambda_context, body)
    assert (
        status == 200 and answer["case"]["owner"] == COLLEAGUE[0] and answer["case"]["status"] == "assigned"
    )
    # Then the colleague is told, and sees it among their cases
    box = inbox(COLLEAGUE, lambda_context)
    assert box["items"][0]["kind"] == "handed_to_you" and "depot" in box["items"][0]["text"]
    _, mine = as_(COLLEAGUE, "GET", "/api/cases?owner=me", lambda_context)
    assert [c["case_id"] for c in mine["items"]] == [case_id]
    # and the former owner no longer may act on it, and handing it to its owner is a 409
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/release", lambda_context)[0] == 403
    assert (
        as_(COLLEAGUE, "POST", f"/api/cases/{case_id}/hand", lambda_context, {"to": COLLEAGUE[0]})[0] == 409
    )
    # A bad address is refused before anything happens
    assert as_(COLLEAGUE, "POST", f"/api/cases/{case_id}/hand", lambda_context, {"to": "cleo"})[0] == 422


def test_a_supervisor_hands_a_queued_case_to_a_named_agent(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    _, queued = as_(SUPERVISOR, "GET", "/api/cases?status=queued", lambda_context)
    case_id = queued["items"][0]["case_id"]
    status, answer = as_(SUPERVISOR, "POST", f"/api/cases/{case_id}/hand", lambda_context, {"to": AGENT[0]})
    assert status == 200 and answer["case"]["owner"] == AGENT[0]
    # The queue's message for it is now stale: the next claim does not hand it to anyone else
    assert as_(COLLEAGUE, "POST", "/api/queues/care/next", lambda_context)[0] == 204


def test_releasing_puts_the_case_back_in_its_queue_for_anyone(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/release", lambda_context, {"note": "off sick"})
    assert status == 200 and answer["case"]["status"] == "queued" and answer["case"]["owner"] is None
    # Releasing again is a 409: it is already in the queue
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/release", lambda_context)[0] == 409
    # Then a colleague claims it from the queue
    status, claimed = as_(COLLEAGUE, "POST", "/api/queues/care/next", lambda_context)
    assert status == 200 and claimed["case"]["case_id"] == case_id
    _, detail = as_(COLLEAGUE, "GET", f"/api/cases/{case_id}", lambda_context)
    assert any("Released to the care queue" in e["text"] for e in detail["timeline"])


def test_a_reviewer_may_read_but_not_write_notes(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    reviewer = ("rita@heard.local", "reviewer")
    assert as_(reviewer, "POST", f"/api/cases/{case_id}/notes", lambda_context, {"text": "hi"})[0] == 403
    assert as_(reviewer, "GET", "/api/me/notifications", lambda_context)[0] == 200
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/notes", lambda_context, {"text": "   "})[0] == 422
    assert as_(AGENT, "POST", "/api/cases/nosuchcase/notes", lambda_context, {"text": "hi"})[0] == 404


def test_the_trainee_hears_when_their_reply_is_approved_or_sent_back(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context, TRAINEE)
    _, reply = as_(TRAINEE, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Sorry, Jo!"})
    reply_id = reply["reply"]["entry_id"]
    as_(
        SUPERVISOR,
        "POST",
        f"/api/cases/{case_id}/replies/{reply_id}/reject",
        lambda_context,
        {"feedback": "Name the fix"},
    )
    at_tuesday_morning["now"] += timedelta(minutes=5)
    _, reply = as_(
        TRAINEE, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Refund sent, Jo."}
    )
    as_(
        SUPERVISOR,
        "POST",
        f"/api/cases/{case_id}/replies/{reply['reply']['entry_id']}/approve",
        lambda_context,
    )
    kinds = [n["kind"] for n in inbox(TRAINEE, lambda_context)["items"]]
    assert kinds == ["reply_approved", "reply_rejected"]
    assert "Name the fix" in inbox(TRAINEE, lambda_context)["items"][1]["text"]


def test_the_author_hears_when_the_platform_refuses_their_reply(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    case_id = owned_case(aws, lambda_context)
    as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Sorry about that, Jo!"})
    fakes.fail_next("meta", "error")
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    box = inbox(AGENT, lambda_context)
    assert box["items"][0]["kind"] == "reply_failed" and box["items"][0]["case_id"] == case_id


def test_the_owner_hears_when_a_follow_up_comes_due(aws, lambda_context, at_tuesday_morning):
    from functions.followups.handler import handler as followups

    case_id = owned_case(aws, lambda_context)
    assert as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"note": "refunded"})[0] == 200
    scheduler = boto3.client("scheduler")
    name = scheduler.list_schedules(GroupName=aws.resolve["followups"])["Schedules"][0]["Name"]
    schedule = scheduler.get_schedule(Name=name, GroupName=aws.resolve["followups"])
    followups(json.loads(schedule["Target"]["Input"]), lambda_context)
    box = inbox(AGENT, lambda_context)
    assert box["unread"] == 1 and box["items"][0]["kind"] == "followup_due"
