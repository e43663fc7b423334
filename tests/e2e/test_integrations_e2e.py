"""Issue 17's "Done when" (its company-systems and events parts) over real HTTP against the local stack:
an agent sees an order's status on a "where is my order" case from the fake company order system (signed
requests only), and the case's life, its resolution included, comes out as events on Heard's EventBridge
bus, where a company's rule delivers them to its own queue. (The crisis part: test_outreach_e2e.py.)"""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest

from tests.e2e.test_platforms_e2e import facebook_comment
from tests.e2e.webclient import call, cases_of_customer, deliver, resolve_case, wait_for

pytestmark = pytest.mark.e2e


def subscribe(stack: Any) -> tuple[Any, str]:
    """What a company does to connect a tool: a rule on Heard's bus that sends Heard's events to a queue."""
    sqs, events = boto3.client("sqs"), boto3.client("events")
    url = sqs.create_queue(QueueName="e2e-company-tool")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    bus = stack.resources["events"]
    events.put_rule(Name="e2e-heard", EventBusName=bus, EventPattern=json.dumps({"source": ["heard"]}))
    events.put_targets(Rule="e2e-heard", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn}])
    return sqs, url


def events_for(sqs: Any, url: str, case_id: str, seen: list[dict[str, Any]]) -> list[str] | None:
    for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        seen.append(json.loads(message["Body"]))
    steps = [e["detail-type"] for e in seen if e["detail"].get("case_id") == case_id]
    return steps if "Case Resolved" in steps else None


def test_an_agent_sees_the_order_and_the_resolved_case_emits_its_event(local_stack) -> None:
    stack = local_stack
    token = stack.sign_in(stack.users["supervisor"])
    sqs, queue = subscribe(stack)
    customer = facebook_comment()
    customer.payload["entry"][0]["changes"][0]["value"]["message"] = (  # type: ignore[call-overload,index]
        f"where is my order #A-10042? the parcel is late ({customer.marker})"
    )
    assert deliver(stack, customer.webhook, customer.payload).status == 200
    assert stack.drain_queues(timeout=30), "the queues did not drain"
    (case,) = cases_of_customer(stack, token, customer.customer_id)
    case_id = case["case_id"]
    # When the agent asks for the order the customer wrote
    answer = call(stack.base_url, "POST", f"/api/cases/{case_id}/lookups", token=token, json_body={})
    assert answer.status == 200, answer.body
    found = answer.json()
    # Then the fake company system answered its status, and it was asked with a valid signature
    assert (found["found"], found["orders"][0]["status"]) == (True, "Out for delivery")
    asked = [r for r in stack.company.received if r["json"] == {"kind": "order", "value": "A-10042"}]
    assert asked and all(r["signed"] for r in asked)
    # When the case is resolved
    resolve_case(stack, token, case_id)
    assert stack.drain_queues(timeout=30)
    # Then the company's queue has the case's life as events from Heard, its resolution last
    seen: list[dict[str, Any]] = []
    steps = wait_for(lambda: events_for(sqs, queue, case_id, seen), timeout=20)
    assert steps is not None, [e["detail-type"] for e in seen]
    assert steps[0] == "Case Opened" and steps[-1] == "Case Resolved"
    assert "where is my order" not in json.dumps(seen)  # what the customer wrote stays in Heard
