"""Questions without an approved answer (#11, R16) through the real API handler under moto, with its own
environment and role: suggestions that found no good match record the question (once per case and day),
supervisors see them grouped with counts and examples, and start an answer from one of the cases."""

from __future__ import annotations

from typing import Any

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_knowledge import BILLING, _fake_classifier, approved, queued_case

__all__ = ["_fake_classifier"]  # the autouse fixture of the knowledge tests applies here too

ASKED = [
    ("g-1", "cust-1", "Do you sell gift vouchers for birthdays?"),
    ("g-2", "cust-2", "Can I buy a gift voucher online for my mum?"),
    ("g-3", "cust-3", "Is your coffee fair trade?"),
    ("g-4", "cust-4", "I was charged twice for my order, why?"),
]


def asked_cases(aws: Any, context: Any) -> dict[str, str]:
    cases = {}
    for platform_id, author, text in ASKED:
        case_id = queued_case(aws, context, text, platform_id=platform_id, author=author)
        status, _ = api("GET", f"/api/cases/{case_id}/suggestions", context=context)
        assert status == 200
        cases[text] = case_id
    return cases


def test_questions_without_a_good_answer_are_grouped_for_supervisors(aws, lambda_context, at_tuesday_morning):
    # Given an approved billing answer, and agents who asked for suggestions on four cases (one of them
    # twice), three of which the knowledge base cannot answer
    approved(lambda_context, BILLING)
    cases = asked_cases(aws, lambda_context)
    api("GET", f"/api/cases/{cases[ASKED[0][2]]}/suggestions", context=lambda_context)
    # When a supervisor lists the questions without an approved answer
    status, found = api("GET", "/api/knowledge/unanswered", role="supervisor", context=lambda_context)
    # Then the gift vouchers are one group of two (the repeated ask counted once), the coffee another,
    # and the billing question, which the approved answer matched, is not there
    assert status == 200, found
    groups = [(g["count"], sorted(g["questions"])) for g in found["items"]]
    assert groups == [
        (2, sorted(q for _, _, q in ASKED[:2])),
        (1, [ASKED[2][2]]),
    ]
    first = found["items"][0]
    assert "gift" in first["label"] and set(first["case_ids"]) == {cases[q] for _, _, q in ASKED[:2]}
    # When the supervisor starts an answer from the group's newest case
    status, proposed = api(
        "POST",
        "/api/knowledge/answers",
        role="supervisor",
        body={
            "title": "Gift vouchers",
            "body": "Hi {first_name}, gift vouchers are sold in every shop.",
            "case_id": first["case_ids"][0],
        },
        context=lambda_context,
    )
    # Then the proposal carries that customer's question as its first example
    assert status == 201 and proposed["answer"]["examples"][0] in {q for _, _, q in ASKED[:2]}


def test_only_supervisors_see_unanswered_questions_and_bad_input_is_named(
    aws, lambda_context, at_tuesday_morning
):
    assert api("GET", "/api/knowledge/unanswered", context=lambda_context)[0] == 403
    status, problem = api(
        "GET", "/api/knowledge/unanswered", role="supervisor", query="days=0", context=lambda_context
    )
    assert status == 422 and "days" in str(problem)
    status, empty = api("GET", "/api/knowledge/unanswered", role="supervisor", context=lambda_context)
    assert status == 200 and empty == {"days": 7, "items": []}


def test_questions_are_recorded_at_intake_without_anyone_asking_for_suggestions(
    aws, lambda_context, at_tuesday_morning
):
    # Given an approved billing answer
    approved(lambda_context, BILLING)
    # When customers write (nobody opens their cases): two voucher questions, one coffee question, one
    # the billing answer matches, and a compliment (which asks nothing)
    for platform_id, author, text in ASKED:
        deliver([comment(platform_id, author, text)], aws, lambda_context)
    deliver([comment("g-5", "cust-5", "Lovely staff in your Leeds shop, great job")], aws, lambda_context)
    # Then the triage function recorded the questions no approved answer matches, grouped by similarity
    status, found = api("GET", "/api/knowledge/unanswered", role="supervisor", context=lambda_context)
    assert status == 200, found
    assert [(g["count"], sorted(g["questions"])) for g in found["items"]] == [
        (2, sorted(q for _, _, q in ASKED[:2])),
        (1, [ASKED[2][2]]),
    ]
