"""Issue 4's "Done when" over real HTTP against the local stack: a crisis declared through the API answers
matching posts with the holding statement. A supervisor declares it (a configured type, a keyword no other
test uses, a statement with its next update and where to find more); a matching signed Meta comment
becomes a priority-1 crisis case on the crisis team and gets the statement (with the contact line) from
"heard-bot", on its timeline and at the fake platform; a post that does not match gets no automatic
answer; an updated statement reaches the next matching customer; after the end, matching posts are
ordinary cases. An agent may not declare a crisis.

Each test declares its own crisis and ends it, uses its own customers, and resolves every case it opened,
because the stack is shared with the other end-to-end tests."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from infra.wiring import CONFIG_FILE as CONFIG_PATH
from shared.adapters.config_store import parse_config
from tests.e2e.webclient import (
    call,
    case_detail,
    cases_of_customer,
    deliver,
    resolve_case,
    sent_to_fakes,
)

pytestmark = pytest.mark.e2e

PAGE_ID = "104000000000001"


def _word() -> str:
    # Letters only: a whole word no classifier keyword or other test's text contains.
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


@dataclass
class Post:
    customer_id: str
    comment_id: str
    text: str


def _post_comment(stack: Any, text: str) -> Post:
    """A customer's signed Facebook comment on our page, delivered and fully processed."""
    now = int(time.time())
    customer = str(7_300_000_000_000_000 + secrets.randbelow(10**12))
    post_id = f"{PAGE_ID}_{secrets.randbelow(10**15):015d}"
    comment_id = f"{post_id.split('_')[1]}_{secrets.randbelow(10**15):015d}"
    payload = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": now,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "from": {"id": customer, "name": "Robin Crisis"},
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
    answer = deliver(stack, "meta", payload)
    assert answer.status == 200, answer.body
    assert stack.drain_queues(timeout=15), "the queues did not drain"
    return Post(customer, comment_id, text)


def _sent_to_comment(stack: Any, comment_id: str) -> list[dict[str, Any]]:
    """What the fake Graph API received as public replies to this comment."""
    answer = call(stack.base_url, "GET", "/fake/sent")
    assert answer.status == 200, answer.body
    return [r for r in answer.json()["items"] if r["path"] == f"/v21.0/{comment_id}/comments"]


def _the_case(stack: Any, token: str, post: Post) -> dict[str, Any]:
    # Queued, or (a crisis case) owned by the crisis type's point person or backup (R6)
    cases = cases_of_customer(stack, token, post.customer_id)
    assert len(cases) == 1, cases
    detail = case_detail(stack, token, cases[0]["case_id"])
    return detail


def _bot_replies(detail: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in detail["timeline"] if e["kind"] == "reply" and e["actor"] == "heard-bot"]


def _statement(tag: str, version: str) -> dict[str, str]:
    return {
        "text": f"We know some K2 kettles switch off early ({tag}, {version}) and are investigating",
        "next_update": "by 15:00 UTC",
        "more_info": f"https://example.com/k2/{tag}",
    }


@pytest.fixture(scope="module")
def tokens(local_stack) -> dict[str, str]:
    return {role: local_stack.sign_in(email) for role, email in local_stack.users.items()}


@pytest.fixture(scope="module")
def crisis_type(local_stack, tokens) -> dict[str, Any]:
    """A crisis type of the running configuration (config/heard.json's crisis_types)."""
    answer = call(local_stack.base_url, "GET", "/api/config", token=tokens["supervisor"])
    assert answer.status == 200, answer.body
    kinds = answer.json()["config"]["crisis_types"]
    assert kinds, "the configuration has no crisis types"
    return dict(kinds[0])


# Each function caches the active crises for CACHE_SECONDS in its own container (in AWS, and in the local
# stack since each function runs with its own environment and adapters): a change made through the api
# reaches triage only when its cache expires. Shortened here so the tests wait half a second, not 30.
CRISIS_CACHE_SECONDS = 0.5


@pytest.fixture(autouse=True)
def short_crisis_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from shared.usecases import crisis

    monkeypatch.setattr(crisis, "CACHE_SECONDS", CRISIS_CACHE_SECONDS)


def _until_triage_sees_it() -> None:
    time.sleep(CRISIS_CACHE_SECONDS + 0.1)


@dataclass
class Declared:
    crisis: dict[str, Any]
    keyword: str
    tag: str


@contextmanager
def _declared(stack: Any, tokens: dict[str, str], crisis_type: dict[str, Any]) -> Iterator[Declared]:
    """A crisis declared by a supervisor for a keyword only this test uses, ended on the way out.

    A context manager inside each test, not a fixture: the session's last test must not leave a crisis
    behind for a stack that is stopped before function-scoped fixtures are torn down."""
    keyword, tag = _word(), _word()
    answer = call(
        stack.base_url,
        "POST",
        "/api/crises",
        token=tokens["supervisor"],
        json_body={
            "type": crisis_type["id"],
            "name": f"K2 kettles switching off ({tag})",
            "keywords": [keyword],
            "holding_statement": _statement(tag, "v1"),
        },
    )
    assert answer.status == 201, answer.body
    crisis = answer.json()["crisis"]
    _until_triage_sees_it()
    try:
        yield Declared(crisis, keyword, tag)
    finally:  # never leave a crisis active for the other tests (ending twice is harmless)
        ended = call(
            stack.base_url,
            "POST",
            f"/api/crises/{crisis['crisis_id']}/end",
            token=tokens["supervisor"],
            json_body={},
        )
        assert ended.status == 200, ended.body
        _until_triage_sees_it()


def test_a_declared_crisis_is_active_with_its_type_team_and_statement(local_stack, tokens, crisis_type):
    # When a supervisor declares a crisis of a configured type
    with _declared(local_stack, tokens, crisis_type) as declared:
        # Then it is active, routed to the type's team, with the statement customers will read
        crisis = declared.crisis
        assert crisis["status"] == "active"
        assert crisis["type"] == crisis_type["id"]
        assert (crisis["team"], crisis["point_person"]) == (crisis_type["team"], crisis_type["point_person"])
        assert crisis["keywords"] == [declared.keyword]
        assert crisis["statement_version"] == 1
        assert crisis["statement_text"] == (
            f"We know some K2 kettles switch off early ({declared.tag}, v1) and are investigating. "
            f"Next update: by 15:00 UTC. More: https://example.com/k2/{declared.tag}"
        )
        listed = call(local_stack.base_url, "GET", "/api/crises", token=tokens["agent"]).json()["items"]
        assert crisis["crisis_id"] in {c["crisis_id"] for c in listed if c["status"] == "active"}


def test_a_matching_post_becomes_a_priority_one_crisis_case_answered_with_the_holding_statement(
    local_stack, tokens, crisis_type
):
    agent = tokens["agent"]
    with _declared(local_stack, tokens, crisis_type) as declared:
        # Given an active crisis / When a customer's signed comment contains its keyword (in any case)
        post = _post_comment(
            local_stack, f"My kettle keeps doing the {declared.keyword.upper()} thing, is it safe?"
        )
        detail = _the_case(local_stack, agent, post)
    case = detail["case"]
    try:
        # Then its case is tagged, priority 1 for the crisis, on the crisis team, and still open for a person
        assert case["crisis"] == declared.crisis["type"]
        assert case["priority"] == 1
        assert case["priority_reasons"][0] == "crisis"
        assert case["team"] == declared.crisis["team"]
        assert case["status"] == "assigned" and case["owner"]  # the point person's, or their backup's (R6)
        assert case["first_response_at"] is None  # the statement is not the first response
        assert any(
            e["kind"] == "crisis" and e["data"]["crisis_id"] == declared.crisis["crisis_id"]
            for e in detail["timeline"]
        )
        # And the holding statement, with the contact line, is on the timeline by heard-bot, sent
        contact_line = parse_config(CONFIG_PATH.read_text()).contact_line
        bot = _bot_replies(detail)
        assert len(bot) == 1, bot
        assert bot[0]["text"].startswith(declared.crisis["statement_text"])
        assert contact_line in bot[0]["text"]
        assert bot[0]["data"]["automatic"] is True
        assert bot[0]["data"]["statement_version"] == 1
        assert bot[0]["data"]["delivery"] == "sent"
        # And it reached the platform as a public reply to the customer's comment
        sent = _sent_to_comment(local_stack, post.comment_id)
        assert len(sent) == 1, sent
        assert sent[0]["json"]["message"] == bot[0]["text"]
        assert sent[0]["id"] == bot[0]["data"]["platform_message_id"]
    finally:
        resolve_case(local_stack, tokens["admin"], case["case_id"])


def test_a_post_that_does_not_match_gets_no_automatic_answer(local_stack, tokens, crisis_type):
    agent = tokens["agent"]
    with _declared(local_stack, tokens, crisis_type) as declared:
        # Given an active crisis / When a customer writes about something else
        post = _post_comment(local_stack, f"My kettle lid squeaks a little, any tips? ({_word()})")
        detail = _the_case(local_stack, agent, post)
    try:
        # Then it is an ordinary case: not tagged, not answered, nothing sent to the platform
        assert detail["case"]["crisis"] is None
        assert "crisis" not in detail["case"]["priority_reasons"]
        assert _bot_replies(detail) == []
        assert _sent_to_comment(local_stack, post.comment_id) == []
        assert sent_to_fakes(local_stack, declared.tag) == []
    finally:
        resolve_case(local_stack, tokens["admin"], detail["case"]["case_id"])


def test_an_updated_statement_answers_the_next_matching_customer(local_stack, tokens, crisis_type):
    agent, supervisor = tokens["agent"], tokens["supervisor"]
    opened: list[str] = []
    try:
        with _declared(local_stack, tokens, crisis_type) as declared:
            crisis_id = declared.crisis["crisis_id"]
            # Given a first matching customer, answered with version 1
            first = _post_comment(local_stack, f"Is the {declared.keyword} problem affecting my kettle too?")
            opened.append(_the_case(local_stack, agent, first)["case"]["case_id"])
            assert [
                f"{declared.tag}, v1" in r["json"]["message"]
                for r in _sent_to_comment(local_stack, first.comment_id)
            ] == [True]
            # When a supervisor updates the statement (one call)
            answer = call(
                local_stack.base_url,
                "PATCH",
                f"/api/crises/{crisis_id}",
                token=supervisor,
                json_body={"holding_statement": _statement(declared.tag, "v2")},
            )
            assert answer.status == 200, answer.body
            updated = answer.json()["crisis"]
            assert updated["statement_version"] == 2
            assert f"{declared.tag}, v2" in updated["statement_text"]
            assert [h["action"] for h in updated["history"]] == ["declared", "updated"]
            _until_triage_sees_it()
            # And another customer's post matches
            second = _post_comment(local_stack, f"Same {declared.keyword} issue here since this morning")
            second_detail = _the_case(local_stack, agent, second)
            opened.append(second_detail["case"]["case_id"])
        # Then they get the new text, on their timeline and at the platform
        bot = _bot_replies(second_detail)
        assert len(bot) == 1, bot
        assert bot[0]["text"].startswith(updated["statement_text"])
        assert bot[0]["data"]["statement_version"] == 2
        assert [r["json"]["message"] for r in _sent_to_comment(local_stack, second.comment_id)] == [
            bot[0]["text"]
        ]
        # And the first customer got the new version once too, as an update (issue 17: updates reach
        # everyone affected, not only those who write again)
        to_first = [r["json"]["message"] for r in _sent_to_comment(local_stack, first.comment_id)]
        assert len(to_first) == 2 and to_first[1].startswith(f"Update: {updated['statement_text']}")
    finally:
        for case_id in opened:
            resolve_case(local_stack, tokens["admin"], case_id)


def test_after_the_crisis_ends_matching_posts_get_no_automatic_answer(local_stack, tokens, crisis_type):
    agent, supervisor = tokens["agent"], tokens["supervisor"]
    with _declared(local_stack, tokens, crisis_type) as declared:
        crisis_id = declared.crisis["crisis_id"]
        # Given a supervisor ends the crisis (one call)
        answer = call(
            local_stack.base_url,
            "POST",
            f"/api/crises/{crisis_id}/end",
            token=supervisor,
            json_body={"note": "fixed by a firmware update"},
        )
        assert answer.status == 200, answer.body
        assert answer.json()["crisis"]["status"] == "ended"
        assert answer.json()["crisis"]["ended_at"]
        _until_triage_sees_it()
        # When a customer's post contains its keyword
        post = _post_comment(local_stack, f"Still seeing the {declared.keyword} thing, anyone else?")
        detail = _the_case(local_stack, agent, post)
        # (and an ended crisis cannot be updated)
        patched = call(
            local_stack.base_url,
            "PATCH",
            f"/api/crises/{crisis_id}",
            token=supervisor,
            json_body={"holding_statement": _statement(declared.tag, "v3")},
        )
    try:
        assert patched.status == 409, patched.body
        # Then it is an ordinary case: no crisis tag, no automatic answer, nothing sent
        assert detail["case"]["crisis"] is None
        assert "crisis" not in detail["case"]["priority_reasons"]
        assert _bot_replies(detail) == []
        assert _sent_to_comment(local_stack, post.comment_id) == []
    finally:
        resolve_case(local_stack, tokens["admin"], detail["case"]["case_id"])


@pytest.mark.parametrize("role", ["agent", "trainee"])
def test_only_supervisors_and_admins_may_declare_a_crisis(local_stack, tokens, crisis_type, role):
    keyword = _word()
    # When an agent (or trainee) tries to declare a crisis
    answer = call(
        local_stack.base_url,
        "POST",
        "/api/crises",
        token=tokens[role],
        json_body={
            "type": crisis_type["id"],
            "name": "Not allowed",
            "keywords": [keyword],
            "holding_statement": _statement(keyword, "v1"),
        },
    )
    # Then it is forbidden and no crisis exists for it
    assert answer.status == 403, answer.body
    listed = call(local_stack.base_url, "GET", "/api/crises?limit=200", token=tokens["supervisor"])
    assert listed.status == 200, listed.body
    assert keyword not in json.dumps(listed.json())
