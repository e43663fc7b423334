"""The knowledge base through the real API and triage handlers under moto (#11): an agent proposes an
answer from a case, a supervisor approves it, suggestions rank it first with the case's variables filled,
using it teaches it the question, automatic answers use it, saved replies and the pre-send check."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from shared.usecases.deps import default_deps, reset_default_deps
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import case_of, drain_delayed, outbox
from tests.integration.test_routing_faq import configure
from tests.unit.routing import fakes

BILLING = {
    "title": "Charged twice for one order",
    "body": "Hi {first_name}, sorry about the double charge. The second payment is a pre-authorisation "
    "and drops off within 3 working days; case {case_number} tracks it.",
    "topics": ["billing"],
    "tags": ["refund"],
    "keywords": ["charged", "twice"],
    "automatic": True,
}
DELIVERY = {
    "title": "Where is my parcel",
    "body": "Hi {first_name}, parcels arrive within 5 working days; track yours at example.com/track.",
    "topics": ["delivery"],
}


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)


def queued_case(aws: Any, context: Any, text: str, platform_id: str = "c-1", author: str = "cust-1") -> str:
    deliver([comment(platform_id, author, text)], aws, context)
    _, listing = api("GET", "/api/cases", query="status=queued", context=context)
    return next(c["case_id"] for c in listing["items"] if c["summary"].startswith(text[:20]))


def approved(context: Any, fields: dict[str, Any], case_id: str | None = None) -> dict[str, Any]:
    status, proposed = api(
        "POST", "/api/knowledge/answers", body={**fields, "case_id": case_id}, context=context
    )
    assert status == 201, proposed
    answer = proposed["answer"]
    status, decided = api(
        "POST",
        f"/api/knowledge/answers/{answer['answer_id']}/decision",
        role="supervisor",
        body={"version": answer["version"], "action": "approve", "note": "clear and right"},
        context=context,
    )
    assert status == 200, decided
    return decided


def test_an_agents_proposal_from_a_case_is_approved_and_its_history_kept(
    aws, lambda_context, at_tuesday_morning
):
    case_id = queued_case(aws, lambda_context, "I was charged twice for my order?")
    # When an agent proposes an answer from the case
    status, proposed = api(
        "POST", "/api/knowledge/answers", body={**BILLING, "case_id": case_id}, context=lambda_context
    )
    # Then it is proposed, owned by the agent, and learned the case's question as its first example
    assert status == 201
    answer = proposed["answer"]
    assert answer["state"] == "proposed" and answer["owner"] == "agent@heard.local"
    assert answer["examples"] == ["I was charged twice for my order?"]
    # and it is not suggested while only proposed
    assert api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)[1]["items"] == []
    # and an agent may not approve it
    decision = {"version": 1, "action": "approve"}
    url = f"/api/knowledge/answers/{answer['answer_id']}/decision"
    assert api("POST", url, body=decision, context=lambda_context)[0] == 403
    # When a supervisor approves it, then edits its body
    assert api("POST", url, role="supervisor", body=decision, context=lambda_context)[0] == 200
    status, edited = api(
        "PATCH",
        f"/api/knowledge/answers/{answer['answer_id']}",
        role="supervisor",
        body={"version": 2, "body": BILLING["body"] + " Thanks, {agent_name}.", "note": "sign-off"},
        context=lambda_context,
    )
    # Then every version is kept, newest first, with who did what
    assert status == 200
    assert [(v["version"], v["action"], v["actor"]) for v in edited["history"]] == [
        (3, "edited", "supervisor@heard.local"),
        (2, "approved", "supervisor@heard.local"),
        (1, "proposed", "agent@heard.local"),
    ]
    # and a stale version is refused
    stale = api(
        "PATCH",
        f"/api/knowledge/answers/{answer['answer_id']}",
        role="supervisor",
        body={"version": 2, "title": "x"},
        context=lambda_context,
    )
    assert stale[0] == 409
    # and the approved list has it, the proposed list no longer does
    assert [
        a["answer_id"] for a in api("GET", "/api/knowledge/answers", context=lambda_context)[1]["items"]
    ] == [answer["answer_id"]]
    assert (
        api("GET", "/api/knowledge/answers", query="state=proposed", context=lambda_context)[1]["items"] == []
    )


def test_unknown_variables_are_a_422_naming_them(aws, lambda_context, at_tuesday_morning):
    status, problem = api(
        "POST",
        "/api/knowledge/answers",
        body={**DELIVERY, "body": "Hi {first_name}, your {order_total} ships {eta}."},
        context=lambda_context,
    )
    assert status == 422
    assert "{order_total}" in problem["message"] and "{eta}" in problem["message"]
    assert "{first_name}" not in problem["message"]


def test_suggestions_rank_the_approved_answer_first_and_using_it_fills_and_learns(
    aws, lambda_context, at_tuesday_morning
):
    approved(lambda_context, BILLING)
    delivery = approved(lambda_context, DELIVERY)
    case_id = queued_case(aws, lambda_context, "Why has my card been charged two times for one order?")
    # When the agent asks for suggestions
    status, found = api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)
    # Then the billing answer is first, variables filled, with why
    assert status == 200
    first = found["items"][0]
    assert first["answer"]["title"] == BILLING["title"]
    assert first["text"].startswith("Hi Jo, sorry about the double charge") and case_id in first["text"]
    assert "{" not in first["text"] and "order" in first["why"]
    assert found["items"][1]["answer"]["answer_id"] == delivery["answer"]["answer_id"]
    # When the agent uses it
    status, used = api(
        "POST",
        f"/api/knowledge/answers/{first['answer']['answer_id']}/use",
        body={"case_id": case_id},
        context=lambda_context,
    )
    # Then the filled text comes back and the answer learned the question
    assert status == 200 and used["text"] == first["text"]
    detail = api("GET", f"/api/knowledge/answers/{first['answer']['answer_id']}", context=lambda_context)[1]
    assert detail["answer"]["used"] == 1
    assert detail["answer"]["examples"] == ["Why has my card been charged two times for one order?"]


def test_an_approved_automatic_answer_answers_a_plain_question(aws, lambda_context, at_tuesday_morning):
    configure(lambda_context, on=True)
    approved(lambda_context, BILLING)
    deliver([comment("c-9", "cust-9", "Why was I charged twice?")], aws, lambda_context)
    sent = outbox(aws)
    assert [m["author"] for m in sent] == ["heard-bot"]
    assert sent[0]["text"].startswith("Hi Jo, sorry about the double charge")
    assert case_of(sent[0]["case_id"], lambda_context)["case"]["status"] == "resolved"


def test_a_retired_or_proposed_answer_never_answers_automatically(aws, lambda_context, at_tuesday_morning):
    configure(lambda_context, on=True)
    api("POST", "/api/knowledge/answers", body=BILLING, context=lambda_context)  # proposed only
    retired = approved(lambda_context, {**BILLING, "title": "Old double charge"})["answer"]
    api(
        "POST",
        f"/api/knowledge/answers/{retired['answer_id']}/decision",
        role="supervisor",
        body={"version": retired["version"], "action": "retire"},
        context=lambda_context,
    )
    deliver([comment("c-9", "cust-9", "Why was I charged twice?")], aws, lambda_context)
    assert outbox(aws) == []


def test_saved_replies_are_searched_and_filled(aws, lambda_context, at_tuesday_morning):
    case_id = queued_case(aws, lambda_context, "Do you ship to Ireland?")
    mine = {
        "scope": "personal",
        "title": "Shipping abroad",
        "body": "Hi {first_name}, yes we ship there.",
        "keywords": ["ireland", "abroad"],
    }
    team = {
        "scope": "team",
        "team": "care",
        "title": "Opening hours",
        "body": "We are open 9-5, {first_name}.",
    }
    assert api("POST", "/api/knowledge/macros", body=mine, context=lambda_context)[0] == 201
    assert api("POST", "/api/knowledge/macros", body=team, context=lambda_context)[0] == 403
    assert (
        api("POST", "/api/knowledge/macros", role="supervisor", body=team, context=lambda_context)[0] == 201
    )
    status, found = api("GET", "/api/knowledge/macros", query="q=ireland&team=care", context=lambda_context)
    assert status == 200 and [m["title"] for m in found["items"]] == ["Shipping abroad"]
    status, both = api("GET", "/api/knowledge/macros", query="team=care", context=lambda_context)
    assert [m["title"] for m in both["items"]] == ["Shipping abroad", "Opening hours"]
    status, text = api(
        "POST", "/api/knowledge/fill", body={"case_id": case_id, "text": mine["body"]}, context=lambda_context
    )
    assert status == 200 and text["text"] == "Hi Jo, yes we ship there."
    bad = api(
        "POST", "/api/knowledge/fill", body={"case_id": case_id, "text": "Hi {nmae}"}, context=lambda_context
    )
    assert bad[0] == 422 and "{nmae}" in bad[1]["message"]


def test_the_presend_check_flags_a_curt_reply_and_is_stored_with_the_reply(
    aws, lambda_context, at_tuesday_morning
):
    deliver(
        [comment()], aws, lambda_context
    )  # "My parcel still hasn't arrived after two weeks, this is ridiculous"
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    curt = {"text": "Send us your phone number and we will look into it."}
    status, checked = api("POST", f"/api/cases/{case_id}/presend-check", body=curt, context=lambda_context)
    assert status == 200
    assert {f["code"] for f in checked["findings"]} == {"empathy", "next_step", "personal_data"}
    kind = {
        "text": "I'm so sorry your parcel is late. Please DM us your order number and we'll chase it today."
    }
    assert (
        api("POST", f"/api/cases/{case_id}/presend-check", body=kind, context=lambda_context)[1]["findings"]
        == []
    )
    # When the agent sends the curt one anyway, the check's findings are kept with the reply
    assert api("POST", f"/api/cases/{case_id}/replies", body=curt, context=lambda_context)[0] == 202
    reply = next(e for e in case_of(case_id, lambda_context)["timeline"] if e["kind"] == "reply")
    assert {f["code"] for f in reply["data"]["presend"]} == {"empathy", "next_step", "personal_data"}
    # and they are shown to people who work cases and supervisors, not to a reviewer who opens the case
    as_supervisor = api("GET", f"/api/cases/{case_id}", role="supervisor", context=lambda_context)[1]
    assert next(e for e in as_supervisor["timeline"] if e["kind"] == "reply")["data"]["presend"]
    status, as_reviewer = api("GET", f"/api/cases/{case_id}", role="reviewer", context=lambda_context)
    assert status == 200
    seen = next(e for e in as_reviewer["timeline"] if e["kind"] == "reply")
    assert "presend" not in seen["data"] and seen["text"].startswith("Send us your phone number")


def _listing_vectors(aws: Any) -> dict[str, str]:
    """The approved answers' listing items as DynamoDB holds them: answer id -> stored vectors."""
    items = boto3.client("dynamodb").query(
        TableName=aws.resolve["cases"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "KB_STATE#approved"}},
    )["Items"]
    return {i["sk"]["S"]: i["vectors"]["S"] for i in items if "vectors" in i}


def test_the_answers_vectors_are_embedded_once_and_stored_with_them(aws, lambda_context, at_tuesday_morning):
    billing = approved(lambda_context, BILLING)["answer"]["answer_id"]
    delivery = approved(lambda_context, DELIVERY)["answer"]["answer_id"]
    # When the first index is built (intake's, for this new case, or the suggestions'), the vectors it
    # embedded are kept with the answers
    case_id = queued_case(aws, lambda_context, "Why has my card been charged two times for one order?")
    assert api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)[0] == 200
    stored = _listing_vectors(aws)
    assert set(stored) == {billing, delivery} and all(
        v.startswith("all-MiniLM-L6-v2|") for v in stored.values()
    )
    # and they are never part of what the API shows
    detail = api("GET", f"/api/knowledge/answers/{billing}", context=lambda_context)[1]
    assert "vectors" not in detail["answer"]
    # When another container starts, it reads them instead of embedding again
    reset_default_deps()
    api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)
    assert default_deps().answer_index.fresh_vectors() == []
    # When an answer learns a question, its texts change: its vectors go, and the next index stores new ones
    api("POST", f"/api/knowledge/answers/{billing}/use", body={"case_id": case_id}, context=lambda_context)
    assert set(_listing_vectors(aws)) == {delivery}
    api("GET", f"/api/cases/{case_id}/suggestions", context=lambda_context)
    assert set(_listing_vectors(aws)) == {billing, delivery}
