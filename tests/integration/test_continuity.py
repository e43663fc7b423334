"""The conversation continues with its owner (issue #10): a case moved to private is reached by the
customer's next DM (same case, same owner) and says so publicly; a returning customer reaches their
resolved case for the configured period; the case view says when a reply would be refused. Real API and
triage handlers under moto."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from infra.wiring import CONFIG_FILE
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from tests.integration.test_approvals_reviews import AGENT, as_, claimed_case, join_care, outbox_bodies
from tests.integration.test_case_lifecycle import comment, deliver

NOTE = "We wrote to you privately to sort this out."


@pytest.fixture(autouse=True)
def _members(aws: Any, lambda_context: Any) -> None:
    join_care(lambda_context, AGENT)


def messenger_dm(platform_id: str, text: str, at: Any, author_id: str = "cust-1") -> Interaction:
    return Interaction(
        platform=Platform.MESSENGER,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id=platform_id,
        dedupe_key=f"messenger:{platform_id}:message",
        account_id="page-1",
        author=Author(id=author_id),
        conversation_id=f"page-1:{author_id}",
        text=text,
        occurred_at=at,
        reply_context={"recipient_id": author_id, "page_id": "page-1"},
    )


def configure(ctx: Any, **changes: Any) -> None:
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    stored = as_(("admin@heard.local", "admin"), "GET", "/api/config", ctx)[1]["config"]
    document.update(changes, revision=stored["revision"])  # saved over the revision it read
    status, answer = as_(("admin@heard.local", "admin"), "PUT", "/api/config", ctx, document)
    assert status == 200, answer
    join_care(ctx, AGENT)  # the document replaced the team's members


def test_a_comment_moved_to_private_continues_on_messenger_with_the_same_case_and_owner(
    aws, lambda_context, at_tuesday_morning
):
    configure(lambda_context, private_note=NOTE)
    # Given a public comment under a post, claimed by an agent, who answers it privately
    under_post = comment().model_copy(
        update={"reply_context": {"comment_id": "c-1", "page_id": "page-1", "post_id": "111_42"}}
    )
    deliver([under_post], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    status, _ = as_(
        AGENT,
        "POST",
        f"/api/cases/{case_id}/replies",
        lambda_context,
        {"text": "Let us look.", "private": True},
    )
    assert status == 202
    # Then the private message and a short public note that says so are queued
    sent = outbox_bodies(aws)
    assert sorted((m["private"], m["author"]) for m in sent) == [(False, "heard-bot"), (True, AGENT[0])]
    note = next(m for m in sent if not m["private"])
    assert note["text"].startswith(NOTE) and note["reply_context"]["comment_id"] == "c-1"
    # When the customer writes on Messenger with the same page-scoped id
    at_tuesday_morning["now"] += timedelta(minutes=20)
    deliver([messenger_dm("m-1", "Here is my address", at_tuesday_morning["now"])], aws, lambda_context)
    # Then it lands on the same case, still the agent's, continued privately, and the timeline says so
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    case = detail["case"]
    assert (case["status"], case["owner"], case["channel"], case["message_count"]) == (
        "assigned",
        AGENT[0],
        "direct",
        2,
    )
    assert case["parent_post"] == {"id": "111_42", "url": "https://www.facebook.com/111/posts/42"}
    moved = [e["text"] for e in detail["timeline"] if e["kind"] == "moved_private"]
    assert len(moved) == 2 and "Messenger" in moved[0] and "continues here with" in moved[1]
    assert as_(AGENT, "POST", "/api/queues/care/next", lambda_context)[0] == 204  # no new case opened
    # and the agent's next reply goes to the Messenger conversation
    as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Thanks, on its way."})
    (dm,) = outbox_bodies(aws)
    assert (dm["channel"], dm["reply_context"]["recipient_id"]) == ("direct", "cust-1")
    # and a further DM joins the same case without saying it again
    at_tuesday_morning["now"] += timedelta(minutes=5)
    deliver([messenger_dm("m-2", "Thank you", at_tuesday_morning["now"])], aws, lambda_context)
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert detail["case"]["message_count"] == 3
    assert [e["kind"] for e in detail["timeline"]].count("moved_private") == 2


def test_without_a_move_to_private_a_dm_from_the_same_person_opens_its_own_case(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    deliver([messenger_dm("m-1", "Hello?", at_tuesday_morning["now"])], aws, lambda_context)
    other = claimed_case(AGENT, lambda_context)
    assert other != case_id


def test_a_returning_customer_reaches_the_resolved_case_only_within_the_configured_days(
    aws, lambda_context, at_tuesday_morning
):
    configure(lambda_context, reopen_within_days=3)
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"reason": "solved"})
    # The case view says until when the customer reaches it
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert detail["reopens_until"].startswith(str((at_tuesday_morning["now"] + timedelta(days=3)).date()))
    # Within 3 days: reopened for the owner, and the timeline names the period
    at_tuesday_morning["now"] += timedelta(days=2)
    deliver([comment("c-2", text="Broke again", at=at_tuesday_morning["now"])], aws, lambda_context)
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert (detail["case"]["status"], detail["case"]["owner"]) == ("assigned", AGENT[0])
    reopened = [e["text"] for e in detail["timeline"] if e["kind"] == "reopened"]
    assert reopened and "within 3 days" in reopened[-1]
    # After 3 days: a new case
    as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"reason": "solved"})
    at_tuesday_morning["now"] += timedelta(days=4)
    deliver([comment("c-3", text="And again", at=at_tuesday_morning["now"])], aws, lambda_context)
    assert claimed_case(AGENT, lambda_context) != case_id


def test_the_reopen_period_is_validated(aws, lambda_context):
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document.update(reopen_within_days=400)
    status, answer = as_(("admin@heard.local", "admin"), "PUT", "/api/config", lambda_context, document)
    assert status in (400, 422) and "reopen_within_days" in json.dumps(answer)


def test_the_case_view_says_when_a_reply_would_be_refused_and_a_resolved_case_reopens_by_hand(
    aws, lambda_context, at_tuesday_morning
):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert detail["case"]["reply_refusal"] is None
    # and names the contact line appended to every reply, so the console counts the final text (X: 280)
    assert detail["contact_line"] == json.loads(CONFIG_FILE.read_text(encoding="utf-8")).get(
        "contact_line", "Prefer a person? Call us on +1 555 0100 or write to care@example.com."
    )
    as_(AGENT, "POST", f"/api/cases/{case_id}/resolve", lambda_context, {"reason": "solved"})
    _, detail = as_(AGENT, "GET", f"/api/cases/{case_id}", lambda_context)
    assert "resolved" in detail["case"]["reply_refusal"]
    refused = as_(AGENT, "POST", f"/api/cases/{case_id}/replies", lambda_context, {"text": "Hello"})
    assert refused[0] == 409
    # A Messenger conversation whose window closed: the view says so, the API refuses the same way
    deliver(
        [messenger_dm("m-9", "Hi there", at_tuesday_morning["now"], author_id="cust-9")], aws, lambda_context
    )
    dm_case = claimed_case(AGENT, lambda_context)
    at_tuesday_morning["now"] += timedelta(days=8)
    _, detail = as_(AGENT, "GET", f"/api/cases/{dm_case}", lambda_context)
    assert "stopped accepting replies" in detail["case"]["reply_refusal"]
    assert as_(AGENT, "POST", f"/api/cases/{dm_case}/replies", lambda_context, {"text": "Hello"})[0] == 409
    # The resolved case reopens by hand for its owner
    status, answer = as_(AGENT, "POST", f"/api/cases/{case_id}/reopen", lambda_context, {"note": "forgot"})
    assert (
        status == 200 and answer["case"]["status"] == "assigned" and answer["case"]["reply_refusal"] is None
    )
