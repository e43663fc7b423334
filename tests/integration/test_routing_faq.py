"""FAQ auto-answers (R17): only when the company turns them on, only for plain questions matching an
approved answer with high confidence; everything else goes to a person."""

from __future__ import annotations

import json

import pytest

from infra.wiring import CONFIG_FILE
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import case_of, drain_delayed, outbox
from tests.unit.routing import fakes

FAQ = [
    {
        "id": "returns",
        "question": "How do I return an item?",
        "keywords": ["return", "refund", "days"],
        "answer": "You can return any item within 30 days for a full refund: example.com/returns",
    },
    {
        "id": "opening-hours",
        "question": "When are stores open?",
        "keywords": ["store", "open", "sunday"],
        "answer": "Our stores open 9:00-18:00 Monday to Saturday and 10:00-16:00 on Sundays.",
    },
]


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)


def configure(context, on: bool) -> None:
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document.update(auto_answer_faq=on, faq=FAQ)
    status, answer = api("PUT", "/api/config", role="admin", body=document, context=context)
    assert status == 200, answer


def test_a_plain_question_gets_the_approved_answer_and_is_resolved(aws, lambda_context, at_tuesday_morning):
    configure(lambda_context, on=True)
    deliver(
        [
            comment("c-1", "cust-1", "How many days do I have to return a jumper for a refund?"),
            comment("c-2", "cust-2", "Is the store open on Sunday?"),
        ],
        aws,
        lambda_context,
    )
    # Then both are answered by heard-bot with the approved text and the contact line, and resolved
    sent = sorted(outbox(aws), key=lambda m: m["reply_context"]["comment_id"])
    assert [m["author"] for m in sent] == ["heard-bot", "heard-bot"]
    assert sent[0]["text"].startswith(FAQ[0]["answer"]) and "Prefer a person?" in sent[0]["text"]
    assert sent[1]["text"].startswith(FAQ[1]["answer"])
    _, resolved = api("GET", "/api/cases", query="status=resolved", context=lambda_context)
    assert len(resolved["items"]) == 2
    detail = case_of(sent[0]["case_id"], lambda_context)
    kinds = [e["kind"] for e in detail["timeline"]]
    assert kinds.count("reply") == 1 and "resolved" in kinds
    assert detail["case"]["first_response_at"] is not None and detail["case"]["reply_due"] is None
    # and nothing waits in the queue
    assert api("POST", "/api/queues/care/next", context=lambda_context)[0] == 204


def test_complaints_vague_questions_and_personal_data_go_to_a_person(aws, lambda_context, at_tuesday_morning):
    configure(lambda_context, on=True)
    deliver(
        [
            comment("c-1", "cust-1", "Terrible service, how many days to return it for a refund?"),
            comment("c-2", "cust-2", "Can I return this?"),
            comment(
                "c-3", "cust-3", "Refund to card 4111 1111 1111 1111 within how many days after a return?"
            ),
        ],
        aws,
        lambda_context,
    )
    assert outbox(aws) == []
    _, queued = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert len(queued["items"]) == 3


def test_nothing_is_answered_automatically_when_the_company_turns_it_off(
    aws, lambda_context, at_tuesday_morning
):
    configure(lambda_context, on=False)
    deliver(
        [comment("c-1", "cust-1", "How many days do I have to return a jumper for a refund?")],
        aws,
        lambda_context,
    )
    assert outbox(aws) == []
    _, queued = api("GET", "/api/cases", query="status=queued", context=lambda_context)
    assert len(queued["items"]) == 1


def test_a_customer_writing_again_after_an_automatic_answer_reaches_a_person(
    aws, lambda_context, at_tuesday_morning
):
    configure(lambda_context, on=True)
    deliver(
        [comment("c-1", "cust-1", "How many days do I have to return a jumper for a refund?")],
        aws,
        lambda_context,
    )
    case_id = outbox(aws)[0]["case_id"]
    deliver([comment("c-2", "cust-1", "That link does not work for me?")], aws, lambda_context)
    assert outbox(aws) == []
    assert case_of(case_id, lambda_context)["case"]["status"] == "queued"
    status, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    assert status == 200 and claimed["case"]["case_id"] == case_id
