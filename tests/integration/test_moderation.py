"""Moderation (issue #16) through the real handlers under moto and the built-in fake platforms: an agent
hides and unhides a comment, deletes the brand's own reply and blocks the customer, each recorded on the
timeline with its undo; what a platform does not allow is a 422; a routing rule hides spam automatically
through the dispatcher, and only when a rule says so."""

from __future__ import annotations

from datetime import timedelta

from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.usecases.deps import reset_default_deps
from tests.integration.conftest import TUESDAY_MORNING
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_dispatch import outbox_event

SPAM = "Buy followers cheap!!! click here http://spam.example free crypto giveaway"


def claimed(aws, context) -> str:
    deliver([comment()], aws, context)
    _, answer = api("POST", "/api/queues/care/next", context=context)
    return str(answer["case"]["case_id"])


def moderated(case_id: str, context) -> list[dict]:
    _, detail = api("GET", f"/api/cases/{case_id}", context=context)
    return [e for e in detail["timeline"] if e["kind"] == "moderated"]


def test_an_agent_hides_and_unhides_a_comment_and_blocks_the_customer(
    aws, fakes, lambda_context, at_tuesday_morning
):
    case_id = claimed(aws, lambda_context)
    # When the owner hides the customer's comment
    status, answer = api(
        "POST", f"/api/cases/{case_id}/moderation", body={"action": "hide"}, context=lambda_context
    )
    # Then the Graph API was asked to hide it, and the case says it is hidden and offers the undo
    assert status == 200, answer
    assert answer["case"]["hidden_ids"] == ["c-1"]
    assert "unhide" in answer["case"]["moderation"]
    (call,) = [s for s in fakes.sent if s["platform"] == "meta"]
    assert (call["method"], call["path"], call["json"]) == ("POST", "/v21.0/c-1", {"is_hidden": True})
    (entry,) = moderated(case_id, lambda_context)
    assert (entry["data"]["action"], entry["data"]["undo"], entry["actor"]) == (
        "hide",
        "unhide",
        "agent@heard.local",
    )
    # When they undo it, and block the customer on the Page
    at_tuesday_morning["now"] += timedelta(seconds=1)
    _, answer = api(
        "POST", f"/api/cases/{case_id}/moderation", body={"action": "unhide"}, context=lambda_context
    )
    assert answer["case"]["hidden_ids"] == []
    at_tuesday_morning["now"] += timedelta(seconds=1)
    _, answer = api(
        "POST", f"/api/cases/{case_id}/moderation", body={"action": "block"}, context=lambda_context
    )
    assert answer["case"]["author_blocked"] is True
    calls = [(s["method"], s["path"], s["json"]) for s in fakes.sent if s["platform"] == "meta"]
    assert calls[1:] == [
        ("POST", "/v21.0/c-1", {"is_hidden": False}),
        ("POST", "/v21.0/page-1/blocked", {"user": "cust-1"}),
    ]
    assert [e["data"]["action"] for e in moderated(case_id, lambda_context)] == ["hide", "unhide", "block"]
    # And someone who does not own the case may not
    status, _ = api(
        "POST",
        f"/api/cases/{case_id}/moderation",
        role="trainee",
        body={"action": "hide"},
        context=lambda_context,
    )
    assert status == 403


def test_only_the_brands_own_comment_can_be_deleted(aws, fakes, lambda_context, at_tuesday_morning):
    from functions.dispatcher.handler import handler as dispatcher

    case_id = claimed(aws, lambda_context)
    api("POST", f"/api/cases/{case_id}/replies", body={"text": "Sorry, Jo!"}, context=lambda_context)
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    ours = next(e for e in detail["timeline"] if e["kind"] == "reply")["data"]["platform_message_id"]
    # A customer's comment cannot be deleted; ours can
    status, answer = api(
        "POST",
        f"/api/cases/{case_id}/moderation",
        body={"action": "delete", "message_id": "c-1"},
        context=lambda_context,
    )
    assert status == 422 and "only a comment the brand sent" in str(answer)
    status, _ = api(
        "POST",
        f"/api/cases/{case_id}/moderation",
        body={"action": "delete", "message_id": ours},
        context=lambda_context,
    )
    assert status == 200
    assert ("DELETE", f"/v21.0/{ours}") in [(s["method"], s["path"]) for s in fakes.sent]
    assert moderated(case_id, lambda_context)[-1]["data"]["undo"] is None  # a deletion cannot be undone


def test_what_the_platform_does_not_allow_is_refused_before_any_call(
    aws, fakes, lambda_context, at_tuesday_morning
):
    dm = Interaction(
        platform=Platform.TELEGRAM,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id="tg-1",
        dedupe_key="telegram:tg-1",
        author=Author(id="tg-user"),
        conversation_id="chat-1",
        text="Where is my refund?",
        occurred_at=TUESDAY_MORNING,
        reply_context={"chat_id": "chat-1", "message_id": "1"},
    )
    deliver([dm], aws, lambda_context)
    _, answer = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = answer["case"]["case_id"]
    assert answer["case"]["moderation"] == []
    status, answer = api(
        "POST", f"/api/cases/{case_id}/moderation", body={"action": "hide"}, context=lambda_context
    )
    assert status == 422 and "telegram does not let Heard hide" in str(answer)
    assert fakes.sent == []


def test_a_routing_rule_hides_spam_automatically_only_when_asked(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    # Given no rule asks for it, spam is not hidden
    deliver([comment(platform_id="c-spam-1", author_id="spammer-1", text=SPAM)], aws, lambda_context)
    assert [s for s in fakes.sent if s["path"].endswith("c-spam-1")] == []
    # When an admin adds a rule that hides spam
    _, config = api("GET", "/api/config", role="admin", context=lambda_context)
    document = config["config"]
    rule = {"name": "Hide spam", "team": "care", "categories": ["spam"], "auto_hide": True}
    document["rules"] = [rule, *document["rules"]]
    assert api("PUT", "/api/config", role="admin", body=document, context=lambda_context)[0] == 200
    reset_default_deps()  # triage keeps the configuration 30 s per container; a new container reads it
    at_tuesday_morning["now"] += timedelta(minutes=1)
    deliver([comment(platform_id="c-spam-2", author_id="spammer-2", text=SPAM)], aws, lambda_context)
    # Then the dispatcher hides the comment on the platform, once, and the case says so
    event = outbox_event(aws)
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    assert dispatcher(event, lambda_context) == {"batchItemFailures": []}
    hides = [s for s in fakes.sent if s["path"] == "/v21.0/c-spam-2"]
    assert [h["json"] for h in hides] == [{"is_hidden": True}]
    _, listing = api("GET", "/api/cases", role="supervisor", query="status=queued", context=lambda_context)
    case = next(c for c in listing["items"] if c["hidden_ids"] == ["c-spam-2"])
    (entry,) = moderated(case["case_id"], lambda_context)
    assert entry["data"]["automatic"] is True and entry["data"]["delivery"] == "done"


def test_an_instagram_mention_shows_its_text_fetched_from_the_graph_api(
    aws, fakes, lambda_context, at_tuesday_morning
):
    # Given a mention as Instagram's webhook carries it: media and comment ids, no text, no author
    mention = Interaction(
        platform=Platform.INSTAGRAM,
        kind=EventKind.MESSAGE,
        channel=Channel.MENTION,
        platform_id="ig-c-9",
        dedupe_key="instagram:ig-c-9:mention",
        author=Author(id="media:ig-m-9"),
        conversation_id="ig-m-9",
        occurred_at=TUESDAY_MORNING,
        reply_context={"media_id": "ig-m-9", "comment_id": "ig-c-9", "ig_account_id": "17841400000000001"},
        extra={"needs_fetch": True},
    )
    # When triage takes it
    deliver([mention], aws, lambda_context)
    # Then its case shows the text and the author the Graph API gave
    _, listing = api("GET", "/api/cases", role="supervisor", query="status=queued", context=lambda_context)
    (case,) = listing["items"]
    assert case["summary"] == "Loving the new store @heard ig-c-9"
    assert (case["customer"]["id"], case["customer"]["handle"]) == ("ig-user-ig-c-9", "fan_ig-c-9")
