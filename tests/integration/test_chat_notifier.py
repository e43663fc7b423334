"""The Slack/Teams notifier (issue #17) under moto, each handler with only its own environment and role.

An admin sets the webhook (the URL in the secret, never answered back), an urgent escalation goes from
the cases table's stream through the events function onto Heard's bus, the notifier's rule (moto matches
its pattern; the local runner's rule poller delivers) invokes `notify-chat`, and one message reaches the
fake receiver. A redelivered event is not posted again; a receiver that fails makes the invocation fail,
so EventBridge retries it and, at last, the failure queue keeps it.
"""

from __future__ import annotations

import importlib
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest

from infra.local.fake_chat import FakeChat, start_fake_chat
from infra.local.resources import PREFIX
from infra.local.rules import RulePoller, provision_rules, rule_bindings
from infra.wiring import heard
from shared.errors import Unavailable
from tests.fixtures.lambda_context import fake_context
from tests.integration.conftest import stream_drain
from tests.integration.test_case_lifecycle import api as api_call
from tests.integration.test_escalation import claimed_case

ADMIN = "admin"


def api(method: str, path: str, **options: Any) -> tuple[int, Any]:
    options.setdefault("context", fake_context("heard-test"))
    return api_call(method, path, **options)


@pytest.fixture
def receiver() -> Iterator[FakeChat]:
    chat = start_fake_chat()
    yield chat
    chat.stop()


@pytest.fixture
def rules(aws: Any, lambda_context: Any) -> Callable[[], int]:
    """The wiring's rules on Heard's bus (moto matches them); returns a drain that invokes notify-chat
    with each delivered event, as the local runner's rule poller does."""
    sqs = boto3.client("sqs", region_name="eu-west-1")
    provision_rules(heard(), sqs, boto3.client("events", region_name="eu-west-1"), aws.resolve, PREFIX)
    (binding,) = rule_bindings(heard())

    class DirectInvoker:
        def invoke(self, function_id: str, event: dict[str, Any]) -> Any:
            return importlib.import_module(heard().function(function_id).module).handler(
                event, lambda_context
            )

    poller = RulePoller(
        binding, aws.resolve[binding.queue_id], lambda: sqs, DirectInvoker(), threading.Event()
    )  # type: ignore[arg-type]

    def drain() -> int:
        return poller.poll_once(sqs, wait_seconds=0)

    return drain


def set_webhook(url: str | None, **settings: Any) -> tuple[int, Any]:
    body = {"enabled": True, "kind": "slack", **settings}
    if url is not None:
        body["url"] = url
    return api("PUT", "/api/integrations/chat-webhook", role=ADMIN, body=body)


def escalation_event(
    case_id: str = "c0000000001", entry_id: str = "e01", urgent: bool = True
) -> dict[str, Any]:
    return {
        "version": "0",
        "id": f"eb-{entry_id}",
        "detail-type": "Case Escalated",
        "source": "heard",
        "account": "123456789012",
        "time": "2026-11-17T10:01:00Z",
        "region": "eu-west-1",
        "resources": [],
        "detail": {
            "schema_version": 1,
            "event_id": f"{case_id}#{entry_id}",
            "at": "2026-11-17T10:01:00Z",
            "case_id": case_id,
            "entry_id": entry_id,
            "actor": "agent@heard.local",
            "urgent": urgent,
        },
    }


def notify(event: dict[str, Any], context: Any) -> Any:
    from functions.notify_chat.handler import handler

    return handler(event, context)


def test_the_admin_sets_the_webhook_and_sees_only_its_host(aws, receiver):
    # Given no webhook: the notifier is off and nothing is set
    status, state = api("GET", "/api/integrations/chat-webhook", role=ADMIN)
    assert status == 200 and state == {
        "configured": False,
        "host": None,
        "enabled": False,
        "kind": "slack",
        "events": ["Case Escalated", "Crisis Declared", "Crisis Updated", "Crisis Ended"],
    }
    # When the admin sets it (Teams, escalations and crises declared)
    url = f"{receiver.url}/hooks/T000/B000/secret-part"
    status, state = set_webhook(url, kind="teams", events=["Case Escalated", "Crisis Declared"])
    # Then the answer shows the host, never the URL; the URL is in the secret, not the configuration
    assert status == 200 and state["configured"] is True and state["host"] == "127.0.0.1"
    assert "secret-part" not in json.dumps(state)
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=aws.resolve["chat-webhook"])
    assert json.loads(secret["SecretString"]) == {"url": url}
    _, config = api("GET", "/api/config", role=ADMIN)
    assert config["config"]["chat_notifier"] == {
        "enabled": True,
        "kind": "teams",
        "events": ["Case Escalated", "Crisis Declared"],
    }
    assert "secret-part" not in json.dumps(config)
    # and the change is in the audit trail under the admin's name
    _, found = api("GET", "/api/audit", role="auditor", query="action=config.chat_webhook")
    assert [r["actor"] for r in found["items"]] == ["admin@heard.local"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "http://hooks.slack.com/services/x"}, "url"),
        ({"url": "ftp://hooks.slack.com/x"}, "url"),
        ({"url": "https://user:pw@hooks.slack.com/x"}, "url"),
        ({"url": "https://hooks.slack.com/x", "kind": "irc"}, "kind"),
        ({"url": "https://hooks.slack.com/x", "events": ["Case Opened"]}, "events"),
        ({"enabled": True}, "url"),  # on without any URL set
    ],
)
def test_bad_settings_are_refused_naming_the_field(aws, body, field):
    status, answer = api("PUT", "/api/integrations/chat-webhook", role=ADMIN, body=body)
    assert status == 422
    assert field in json.dumps(answer)


@pytest.mark.parametrize("role", ["agent", "supervisor", "auditor"])
def test_only_admins_may_see_or_set_the_webhook(aws, role):
    assert api("GET", "/api/integrations/chat-webhook", role=role)[0] == 403
    assert set_webhook("https://hooks.slack.com/services/x")[0] == 200  # (as admin)
    assert api("POST", "/api/integrations/chat-webhook/test", role=role)[0] == 403


def test_a_test_message_reaches_the_webhook_or_names_its_failure(aws, receiver):
    assert api("POST", "/api/integrations/chat-webhook/test", role=ADMIN)[0] == 422  # nothing set yet
    set_webhook(f"{receiver.url}/hooks/demo")
    status, answer = api("POST", "/api/integrations/chat-webhook/test", role=ADMIN)
    assert (status, answer) == (200, {"delivered": True, "status": 200, "host": "127.0.0.1", "error": None})
    (posted,) = receiver.received
    assert posted["json"]["text"].startswith("Heard test message")
    # A webhook that answers 500: not delivered, and why (the admin's result, not an error of Heard's)
    set_webhook(f"{receiver.url}/fail/demo")
    status, answer = api("POST", "/api/integrations/chat-webhook/test", role=ADMIN)
    assert status == 200 and answer["delivered"] is False and "answered 500" in answer["error"]


def test_an_urgent_escalation_reaches_the_channel_once(
    aws, lambda_context, at_tuesday_morning, receiver, rules
):
    events_stream = stream_drain(aws, lambda_context, "events")
    set_webhook(f"{receiver.url}/hooks/demo")
    # Given an agent's case escalated urgently (to the customer service manager: urgency high)
    case_id = claimed_case(aws, lambda_context)
    status, _ = api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={"contact": "cs-manager", "reason": "customer threatens legal action"},
        context=lambda_context,
    )
    assert status == 200
    # When the stream reaches the events function and the bus's rule the notifier
    assert events_stream() > 0
    assert rules() == 1  # only the escalation matches the rule (not the case opened, nor the claim)
    # Then one Slack message with the case's link, and nothing the customer or the agent wrote
    (posted,) = receiver.received
    message = posted["json"]
    assert message["blocks"][0]["text"]["text"] == "Urgent escalation"
    assert f"/#/cases/{case_id}" in json.dumps(message)
    assert "legal action" not in json.dumps(message)


def test_a_team_escalation_is_not_urgent_and_not_posted(
    aws, lambda_context, at_tuesday_morning, receiver, rules
):
    events_stream = stream_drain(aws, lambda_context, "events")
    set_webhook(f"{receiver.url}/hooks/demo")
    case_id = claimed_case(aws, lambda_context)
    api(
        "POST",
        f"/api/cases/{case_id}/escalate",
        body={"team": "pr", "reason": "press"},
        context=lambda_context,
    )
    events_stream()
    assert rules() == 0 and receiver.received == []


def test_a_redelivered_event_is_not_posted_twice(aws, lambda_context, receiver):
    set_webhook(f"{receiver.url}/hooks/demo")
    event = escalation_event()
    assert notify(event, lambda_context) == {"outcome": "posted"}
    # EventBridge delivers at least once: the same event (same event_id) again
    assert notify(dict(event, id="eb-again"), lambda_context) == {"outcome": "posted"}
    assert len(receiver.received) == 1


def test_a_failing_receiver_fails_the_invocation_and_a_retry_posts(aws, lambda_context, receiver):
    set_webhook(f"{receiver.url}/hooks/demo")
    receiver.fail(1)
    # When the receiver answers 500, the invocation fails (EventBridge retries, then the DLQ keeps it)
    with pytest.raises(Unavailable, match="answered 500"):
        notify(escalation_event(entry_id="e02"), lambda_context)
    assert receiver.received == []
    # and the retry of the same event posts it (a failure is not remembered as done)
    assert notify(escalation_event(entry_id="e02"), lambda_context) == {"outcome": "posted"}
    assert len(receiver.received) == 1


def test_what_finally_fails_lands_in_the_failure_queue(aws, lambda_context, receiver, rules):
    set_webhook(f"{receiver.url}/fail/demo")
    boto3.client("events").put_events(
        Entries=[
            {
                "EventBusName": aws.resolve["events"],
                "Source": "heard",
                "DetailType": "Crisis Declared",
                "Detail": json.dumps({"event_id": "k1#declared#1", "crisis_id": "k1", "status": "active"}),
            }
        ]
    )
    (binding,) = rule_bindings(heard())
    sqs = boto3.client("sqs")
    for _ in range(binding.retry_attempts + 1):  # the first attempt and every retry fail
        assert rules() == 1
        _make_visible(sqs, aws.resolve[binding.queue_id])
    assert rules() == 0
    dead = sqs.receive_message(QueueUrl=aws.resolve[binding.failure_queue_id]).get("Messages", [])
    assert [json.loads(m["Body"])["detail"]["crisis_id"] for m in dead] == ["k1"]


def _make_visible(sqs: Any, url: str) -> None:
    """The failed event comes back at once instead of after the visibility timeout."""
    from moto.sqs.models import sqs_backends

    backend = sqs_backends["123456789012"]["eu-west-1"]
    queue = backend.get_queue(url.rsplit("/", 1)[1])
    for message in queue._messages:
        message.change_visibility(0)


def test_off_or_not_chosen_events_are_not_posted(aws, lambda_context, receiver):
    set_webhook(f"{receiver.url}/hooks/demo", events=["Crisis Declared"])
    assert notify(escalation_event(entry_id="e03"), lambda_context) == {"outcome": "not chosen"}
    set_webhook(None, enabled=False)
    assert notify(escalation_event(entry_id="e04"), lambda_context) == {"outcome": "off"}
    assert receiver.received == []
