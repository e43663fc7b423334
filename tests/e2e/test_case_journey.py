"""The "Done when" journey over real HTTP against the local stack: a signed Meta feed comment becomes one
case (also when delivered twice); an agent claims it, replies (the reply is on the timeline and reaches the
fake platform) and resolves it; a supervisor's report CSV, downloaded through the presigned URL, has a row
for it; a trainee may not see reports."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import secrets
import time
import urllib.request
from typing import Any

import pytest

from tests.e2e.webclient import call, wait_for

pytestmark = pytest.mark.e2e

PAGE_ID = "104000000000001"


def _signed_feed_comment(app_secret: str, author_id: str, text: str) -> tuple[bytes, str]:
    now = int(time.time())
    post_id = f"{PAGE_ID}_{secrets.randbelow(10**15):015d}"
    comment_id = f"{post_id.split('_')[1]}_{secrets.randbelow(10**15):015d}"
    body = json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "time": now,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "from": {"id": author_id, "name": "Jamie Rivers"},
                                "item": "comment",
                                "verb": "add",
                                "post_id": post_id,
                                "parent_id": post_id,
                                "comment_id": comment_id,
                                "message": text,
                                "created_time": now,
                            },
                        }
                    ],
                }
            ],
        }
    ).encode()
    return body, "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def _cases_of(stack: Any, token: str, author_id: str) -> list[dict[str, Any]]:
    answer = call(stack.base_url, "GET", "/api/cases?limit=100", token=token)
    assert answer.status == 200, answer.body
    return [c for c in answer.json()["items"] if c["customer"]["id"] == author_id]


@pytest.fixture(scope="module")
def tokens(local_stack) -> dict[str, str]:
    return {role: local_stack.sign_in(email) for role, email in local_stack.users.items()}


@pytest.fixture(scope="module")
def delivered(local_stack, tokens) -> dict[str, Any]:
    """A correctly signed feed comment, delivered twice (platforms retry), and the case it became."""
    author_id = str(7_200_000_000_000_000 + secrets.randbelow(10**12))
    body, signature = _signed_feed_comment(
        "heard-local-meta-secret",
        author_id,
        "My order 48213 arrived broken and nobody answers my emails. Please help!",
    )
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": signature}
    started = time.monotonic()
    first = call(local_stack.base_url, "POST", "/webhooks/meta", body=body, headers=headers)
    second = call(local_stack.base_url, "POST", "/webhooks/meta", body=body, headers=headers)
    found = wait_for(lambda: _cases_of(local_stack, tokens["agent"], author_id), timeout=20)
    return {
        "author_id": author_id,
        "answers": (first.status, second.status),
        "cases": found,
        "seconds": time.monotonic() - started,
    }


def test_a_signed_feed_comment_becomes_exactly_one_case_even_when_delivered_twice(
    local_stack, tokens, delivered
):
    # Given a signed feed comment delivered twice / Then both deliveries are accepted
    assert delivered["answers"] == (200, 200)
    # And a case is visible through the API within seconds
    assert delivered["cases"], "no case appeared within 20 s"
    assert delivered["seconds"] < 20
    # And once everything queued has been processed, there is exactly one
    assert local_stack.drain_queues(timeout=15)
    cases = _cases_of(local_stack, tokens["agent"], delivered["author_id"])
    assert len(cases) == 1
    case = cases[0]
    assert case["status"] == "queued"
    assert case["platform"] == "facebook"
    assert "48213" in case["summary"]


@pytest.fixture(scope="module")
def claimed(local_stack, tokens, delivered) -> dict[str, Any]:
    case = delivered["cases"][0]
    for _ in range(6):  # other tests' cases may wait in the same team queue: claim until ours comes
        answer = call(local_stack.base_url, "POST", f"/api/queues/{case['team']}/next", token=tokens["agent"])
        if answer.status == 204:
            time.sleep(0.5)
            continue
        assert answer.status == 200, answer.body
        if answer.json()["case"]["case_id"] == case["case_id"]:
            return answer.json()["case"]
    pytest.fail("the agent could not claim the case")


def test_an_agent_claims_the_case_and_owns_it(claimed):
    assert claimed["status"] == "assigned"
    assert claimed["owner"] == "agent@heard.local"


def test_the_agents_reply_is_on_the_timeline_and_reaches_the_platform(local_stack, tokens, claimed):
    text = f"Sorry about that! A replacement is on its way (ref {secrets.token_hex(3)})."
    # When the owner replies
    answer = call(
        local_stack.base_url,
        "POST",
        f"/api/cases/{claimed['case_id']}/replies",
        token=tokens["agent"],
        json_body={"text": text},
    )
    assert answer.status == 202, answer.body
    assert answer.json()["reply"]["text"].startswith(text)  # Heard appends its contact line
    # Then the reply is on the case's timeline
    detail = call(
        local_stack.base_url, "GET", f"/api/cases/{claimed['case_id']}", token=tokens["agent"]
    ).json()
    assert any(e["kind"] == "reply" and e["text"].startswith(text) for e in detail["timeline"])
    # And the dispatcher delivers it to the (fake) platform
    if local_stack.fakes is None:
        pytest.skip("infra/local/fake_platforms.py is not available in this checkout")
    reached = wait_for(
        lambda: text in call(local_stack.base_url, "GET", "/fake/sent").body.decode(), timeout=15
    )
    assert reached, "the reply did not reach the fake platform"


def test_the_agent_resolves_the_case(local_stack, tokens, claimed):
    answer = call(
        local_stack.base_url,
        "POST",
        f"/api/cases/{claimed['case_id']}/resolve",
        token=tokens["agent"],
        json_body={},
    )
    assert answer.status == 200, answer.body
    assert answer.json()["case"]["status"] == "resolved"


def test_a_supervisor_report_csv_has_a_row_for_the_case(local_stack, tokens, claimed):
    # Given the analytics records of the case's changes (written off the hot path, from the table's stream)
    assert local_stack.drain_queues(timeout=30), "the local stack's queues and streams did not settle"
    # When a supervisor generates a report now
    created = call(local_stack.base_url, "POST", "/api/reports", token=tokens["supervisor"], json_body={})
    assert created.status == 202, created.body
    report = created.json()["report"]
    # It is queued; the reports function makes it off the request's path
    deadline = time.monotonic() + 60
    while report["status"] != "ready" and time.monotonic() < deadline:
        time.sleep(0.5)
        path = f"/api/reports/{report['id']}"
        report = call(local_stack.base_url, "GET", path, token=tokens["supervisor"]).json()["report"]
    assert report["status"] == "ready"
    listed = call(local_stack.base_url, "GET", "/api/reports", token=tokens["supervisor"]).json()["items"]
    assert report["id"] in {r["id"] for r in listed}
    # And downloads the CSV through the presigned URL
    link = call(
        local_stack.base_url,
        "GET",
        f"/api/reports/{report['id']}/download?format=csv",
        token=tokens["supervisor"],
    )
    assert link.status == 200, link.body
    with urllib.request.urlopen(link.json()["url"], timeout=10) as response:  # noqa: S310 (moto's URL)
        rows = list(csv.DictReader(io.StringIO(response.read().decode("utf-8"))))
    # Then it has one row for the case, with its owner
    ours = [row for row in rows if row["case_id"] == claimed["case_id"]]
    assert len(ours) == 1
    assert ours[0]["owner"] == "agent@heard.local"


def test_a_trainee_may_not_see_or_generate_reports(local_stack, tokens):
    assert call(local_stack.base_url, "GET", "/api/reports", token=tokens["trainee"]).status == 403
    assert (
        call(local_stack.base_url, "POST", "/api/reports", token=tokens["trainee"], json_body={}).status
        == 403
    )
