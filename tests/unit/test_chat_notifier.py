"""The chat notifier's pure parts (issue #17): messages as Slack and Teams take them, which URLs may be
a webhook, which events the EventBridge rule lets through, and when the use case posts or skips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto.events.models import EventPattern

from infra.wiring import CHAT_RULE_PATTERN, heard
from shared.models.chat import ChatNotifier, url_host, webhook_url_problem
from shared.models.events import EventType
from shared.rules import chat_messages
from shared.usecases import chat_notify

CONSOLE = "https://console.example.com/"
ESCALATED = {
    "schema_version": 1,
    "event_id": "k3x#e01",
    "at": "2026-12-03T10:15:02Z",
    "case_id": "k3x",
    "entry_id": "e01",
    "actor": "agent@heard.local",
    "urgent": True,
}
DECLARED = {
    "event_id": "c9#declared#1",
    "at": "2026-12-03T10:00:00Z",
    "crisis_id": "c9",
    "crisis_type": "outage",
    "status": "active",
    "statement_version": 1,
    "status_url": "https://status.example.com/status/c9.html",
    "actor": "supervisor@heard.local",
}


def test_an_escalation_in_slack_has_a_header_its_facts_and_a_button_to_the_case():
    message = chat_messages.message_for(EventType.CASE_ESCALATED, ESCALATED, CONSOLE)
    payload = chat_messages.payload("slack", message)
    header, section, actions = payload["blocks"]
    assert header["text"]["text"] == "Urgent escalation"
    assert {"type": "mrkdwn", "text": "*Case*\nk3x"} in section["fields"]
    assert actions["elements"][0]["url"] == "https://console.example.com/#/cases/k3x"
    assert payload["text"].splitlines()[0] == "Urgent escalation"


def test_a_crisis_in_teams_is_a_message_card_with_its_facts_and_a_link():
    message = chat_messages.message_for(EventType.CRISIS_DECLARED, DECLARED, CONSOLE)
    card = chat_messages.payload("teams", message)
    assert card["@type"] == "MessageCard" and card["title"] == "Crisis declared: outage"
    facts = {f["name"]: f["value"] for f in card["sections"][0]["facts"]}
    assert facts["Crisis"] == "c9" and facts["Status page"] == DECLARED["status_url"]
    assert card["potentialAction"][0]["targets"][0]["uri"] == "https://console.example.com/#/crises"
    assert card["themeColor"] == chat_messages.TEAMS_URGENT_COLOUR


def test_an_ended_crisis_is_not_urgent_and_a_message_without_a_console_has_no_link():
    message = chat_messages.message_for(EventType.CRISIS_ENDED, DECLARED, None)
    card = chat_messages.teams_payload(message)
    assert card["themeColor"] == chat_messages.TEAMS_COLOUR and "potentialAction" not in card


def test_slack_control_characters_are_escaped():
    detail = dict(ESCALATED, actor="<!channel> & co")
    payload = chat_messages.slack_payload(chat_messages.message_for(EventType.CASE_ESCALATED, detail, None))
    assert "&lt;!channel&gt; &amp; co" in json.dumps(payload["blocks"])


@settings(deadline=None, max_examples=50)  # a loaded CI machine must not fail on time
@given(
    st.dictionaries(st.sampled_from(["case_id", "actor", "priority", "topic", "at"]), st.text(max_size=400))
)
def test_any_detail_makes_a_bounded_message_of_its_facts_only(detail: dict[str, Any]):
    message = chat_messages.message_for(EventType.SLA_BREACHED, detail, CONSOLE)
    assert all(len(value) <= chat_messages.MAX_FACT for _, value in message.facts)
    shown = {label for label, _ in message.facts}
    assert shown == {label for name, label in chat_messages._CASE_FACTS if detail.get(name)}
    header = chat_messages.slack_payload(message)["blocks"][0]["text"]["text"]
    assert len(header) <= chat_messages.MAX_TITLE


@pytest.mark.parametrize(
    ("url", "local", "problem"),
    [
        ("https://hooks.slack.com/services/T/B/x", False, None),
        ("https://example.webhook.office.com/webhookb2/x", False, None),
        ("http://hooks.slack.com/services/T/B/x", False, "must be an https:// URL"),
        ("http://127.0.0.1:9000/hooks/demo", False, "must be an https:// URL"),
        ("http://127.0.0.1:9000/hooks/demo", True, None),  # the local stack's fake receiver
        ("http://hooks.slack.com/x", True, "must be an https:// URL"),
        ("https://u:p@hooks.slack.com/x", False, "must not carry a user name or password"),
        ("https:///path-only", False, "must be an https:// URL with a host"),
        (
            "https://hooks.slack.com/a b",
            False,
            "must be printable ASCII without spaces (percent-encode anything else)",
        ),
        (
            "https://hööks.example/x",
            False,
            "must be printable ASCII without spaces (percent-encode anything else)",
        ),
        ("https://hooks.slack.com/" + "x" * 1000, False, "must be at most 1000 characters"),
    ],
)
def test_which_urls_may_be_a_webhook(url: str, local: bool, problem: str | None):
    assert webhook_url_problem(url, local=local) == problem


def test_only_the_host_of_a_url_is_shown():
    assert url_host("https://hooks.slack.com/services/T/B/secret") == "hooks.slack.com"
    assert url_host(None) is None


def _matches(detail_type: str, detail: dict[str, Any]) -> bool:
    event = {"source": "heard", "detail-type": detail_type, "detail": detail}
    return bool(EventPattern.load(json.dumps(CHAT_RULE_PATTERN)).matches_event(event))


@pytest.mark.parametrize(
    ("detail_type", "detail", "sent"),
    [
        ("Case Escalated", {"urgent": True}, True),
        ("Case Escalated", {"urgent": False}, False),
        ("Case Escalated", {}, False),  # a team escalation carries no urgency
        ("SLA Breached", {}, True),
        ("Crisis Declared", {}, True),
        ("Crisis Updated", {}, True),
        ("Crisis Ended", {}, True),
        ("Case Opened", {"urgent": True}, False),
        ("Case Resolved", {}, False),
    ],
)
def test_the_rule_lets_through_urgent_escalations_breaches_and_crises(detail_type, detail, sent):
    assert _matches(detail_type, detail) is sent


def test_the_wiring_gives_the_rule_its_pattern_and_the_function_only_what_it_needs():
    function = heard().function("notify-chat")
    assert function.rules[0].event_pattern == CHAT_RULE_PATTERN
    assert {(u.resource, u.access.value) for u in function.uses} == {
        ("chat-webhook", "read"),
        ("config", "read"),
        ("idempotency", "read_write"),
        ("console", "read"),
    }


@pytest.mark.parametrize(
    ("settings", "kind", "detail", "reason"),
    [
        (ChatNotifier(), EventType.CRISIS_DECLARED, DECLARED, "off"),
        (
            ChatNotifier(enabled=True, events=["Crisis Ended"]),
            EventType.CRISIS_DECLARED,
            DECLARED,
            "not chosen",
        ),
        (ChatNotifier(enabled=True), EventType.CASE_ESCALATED, {"urgent": False}, "not urgent"),
        (ChatNotifier(enabled=True), EventType.CASE_ESCALATED, ESCALATED, None),
        (ChatNotifier(enabled=True, kind="teams"), EventType.CRISIS_UPDATED, DECLARED, None),
    ],
)
def test_when_an_event_is_posted(settings, kind, detail, reason):
    assert chat_notify.skip_reason(kind, detail, settings) == reason


# ---- the use case with every port faked ------------------------------------------------------------


def _event(kind: str, detail: dict[str, Any]) -> dict[str, Any]:
    return {"id": "eb-1", "source": "heard", "detail-type": kind, "detail": detail}


def _admin() -> Any:
    from shared.models.agent import Agent

    return Agent(email="admin@heard.local", groups=frozenset({"admin"}))


def test_configure_keeps_the_url_in_the_secret_and_the_rest_in_the_configuration():
    from tests.unit.fakes import fakes

    f = fakes()
    url = "https://hooks.slack.com/services/T/B/secret"
    state = chat_notify.configure(
        f.deps, _admin(), url=url, enabled=True, kind="teams", events=["Crisis Declared", "Crisis Declared"]
    )
    assert f.chat_secret.value == url
    assert f.config.config.chat_notifier == ChatNotifier(
        enabled=True, kind="teams", events=["Crisis Declared"]
    )
    assert (state.configured, state.host) == (True, "hooks.slack.com")
    assert "secret" not in state.model_dump_json()


def test_notify_posts_the_chosen_kind_and_skips_without_a_url():
    from tests.unit.fakes import fakes

    f = fakes()
    f.config.config = f.config.config.model_copy(
        update={"chat_notifier": ChatNotifier(enabled=True, kind="teams")}
    )
    assert chat_notify.notify(f.deps, _event("Crisis Declared", DECLARED)) == "no webhook"
    f.chat_secret.value = "https://example.webhook.office.com/x"
    assert chat_notify.notify(f.deps, _event("Crisis Declared", DECLARED)) == "posted"
    ((url, card),) = f.chat_webhook.posted
    assert url == "https://example.webhook.office.com/x" and card["@type"] == "MessageCard"
    assert chat_notify.notify(f.deps, _event("Something Else", {})) == "unknown type"


def test_a_failing_webhook_raises_for_eventbridge_to_retry():
    from shared.errors import Unavailable
    from tests.unit.fakes import fakes

    f = fakes()
    f.config.config = f.config.config.model_copy(update={"chat_notifier": ChatNotifier(enabled=True)})
    f.chat_secret.value, f.chat_webhook.down = "https://hooks.slack.com/x", True
    with pytest.raises(Unavailable):
        chat_notify.notify(f.deps, _event("Case Escalated", ESCALATED))


def test_a_url_the_http_client_refuses_is_unavailable_not_a_crash():
    from shared.adapters.chat_webhook import HttpsChatWebhook
    from shared.errors import Unavailable

    with pytest.raises(Unavailable, match="cannot be used"):
        HttpsChatWebhook(timeout_seconds=0.1).post("https://example.com/a b", {"text": "x"})
