"""Satisfaction surveys (R21) in real Chromium against the local stack: a Messenger case is resolved, its
survey's one-time schedule fires and the dispatcher sends it through the fake Messenger with quick replies,
the customer taps "9", and the supervisor sees the score on the case and in the Satisfaction view.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.console_helpers import META_SECRET, _call, _id_token, _marker, _sign_in, _wait_for_queued_case
from tests.e2e.webclient import sent_to_fakes

pytestmark = pytest.mark.browser
PAGE_ID = "555000111"


def _post_messenger_dm(base_url: str, customer: str, text: str, quick_reply: str | None = None) -> None:
    now_ms = int(time.time() * 1000)
    message: dict[str, Any] = {"mid": f"m_{_marker()}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    event = {
        "sender": {"id": customer},
        "recipient": {"id": PAGE_ID},
        "timestamp": now_ms,
        "message": message,
    }
    body = json.dumps(
        {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms, "messaging": [event]}]}
    ).encode()
    signature = "sha256=" + hmac.new(META_SECRET, body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(
        f"{base_url}/webhooks/meta",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200


def _eventually(read: Callable[[], Any], wanted: Callable[[Any], bool], timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if wanted(value):
            return value
        assert time.monotonic() < deadline, f"still {value!r} after {timeout}s"
        time.sleep(0.25)


def test_a_customer_answers_the_survey_and_the_supervisor_sees_the_score(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    agent = _id_token(base, users["agent"], password)
    supervisor = _id_token(base, users["supervisor"], password)
    # Given a Messenger customer's case, resolved by an agent (Messenger DMs get an NPS survey)
    marker, customer = _marker(), f"9{int(time.time() * 1000)}"
    _post_messenger_dm(base, customer, f"My refund has not arrived yet {marker}")
    case_id = _wait_for_queued_case(base, agent, marker)["case_id"]
    resolved = _call(base, "POST", f"/cases/{case_id}/resolve", agent, {"note": "Refund sent"})
    assert resolved["case"]["survey"]["state"] == "scheduled"
    # When its one-time schedule fires (as the ticker will when it is due), the survey goes out once
    scheduler = local_stack.client("scheduler")
    group = local_stack.resources["followups"]
    schedule = scheduler.get_schedule(Name=f"sv-{case_id}", GroupName=group)
    local_stack.invoker.invoke("followups", json.loads(schedule["Target"]["Input"]))

    def case() -> dict[str, Any]:
        return dict(_call(base, "GET", f"/cases/{case_id}", supervisor))

    sent = _eventually(
        case,
        lambda d: any(e["data"].get("survey") and e["data"].get("delivery") == "sent" for e in d["timeline"]),
    )
    assert sent["case"]["survey"]["state"] == "sent"
    # And it reached the fake Messenger with a quick reply per score; the customer taps "9"
    [survey] = sent_to_fakes(local_stack, f"heard-survey:{sent['case']['survey']['survey_id']}:9")
    nine = survey["json"]["message"]["quick_replies"][9]
    _post_messenger_dm(base, customer, nine["title"], quick_reply=nine["payload"])
    answered = _eventually(case, lambda d: (d["case"]["survey"] or {}).get("state") == "answered")
    assert answered["case"]["status"] == "resolved"
    # Then the supervisor sees the score on the case
    page = new_page()
    _sign_in(page, users["supervisor"], password)
    page.goto(f"/#/cases/{case_id}")
    expect(page.locator("#case-survey")).to_contain_text("NPS 9 (0-10)")
    expect(page.locator("#case-survey")).to_contain_text("with a quick-answer button")
    expect(page.locator("#case-status")).to_contain_text("resolved")
    # and in the Satisfaction view, counted for the agent who handled the case
    page.get_by_role("link", name="Satisfaction").click()
    expect(page.get_by_role("heading", name="Satisfaction", level=1)).to_be_visible()
    agents = page.locator('#scores-nps table[data-dimension="agent"]')
    expect(agents.locator("tr", has_text=users["agent"])).to_be_visible()
    expect(page.locator("#scores-nps .overall-score")).not_to_be_empty()
