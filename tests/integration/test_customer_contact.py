"""A customer's contact details captured with consent (issue #10): in clear with when and how the
customer agreed, else only digests; withdrawing consent removes the clear text; the details link the
customer's identities and go when the customer is erased. Real API handler under moto."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import boto3
import pytest

from tests.integration.test_approvals_reviews import AGENT, as_, claimed_case, join_care
from tests.integration.test_case_lifecycle import comment, deliver


@pytest.fixture(autouse=True)
def _members(aws: Any, lambda_context: Any) -> None:
    join_care(lambda_context, AGENT)


def _stored(aws: Any) -> list[dict[str, Any]]:
    """Every contact item as DynamoDB holds it."""
    table = aws.resolve["cases"]
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]  # a test looks at everything held
    return [i for i in items if i["sk"]["S"] == "CONTACT"]


def test_contact_details_are_kept_in_clear_only_with_consent(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    path = f"/api/cases/{case_id}/customer/contact"
    # Without consent: only digests are kept, and the panel says details were given
    status, answer = as_(
        AGENT, "PUT", path, lambda_context, {"email": "Jo@Example.com", "phone": "+44 7700 900123"}
    )
    assert status == 200, answer
    contact = answer["contact"]
    assert (contact["email"], contact["phone"], contact["in_clear"]) == (None, None, False)
    assert contact["has_email"] and contact["has_phone"] and contact["recorded_by"] == AGENT[0]
    held = json.dumps(_stored(aws))
    assert "jo@example.com" not in held.lower() and "900123" not in held
    # With consent (how, and when): kept in clear, with the consent on the panel
    agreed = (at_tuesday_morning["now"] - timedelta(days=1)).isoformat()
    body = {"email": "jo@example.com", "consent": {"how": "in_conversation", "at": agreed}}
    status, answer = as_(AGENT, "PUT", path, lambda_context, body)
    assert status == 200
    contact = answer["contact"]
    assert contact["email"] == "jo@example.com" and contact["in_clear"]
    assert (contact["consent_how"], contact["consent_at"][:10]) == ("in_conversation", agreed[:10])
    assert as_(AGENT, "GET", f"/api/cases/{case_id}/customer", lambda_context)[1]["contact"]["email"] == (
        "jo@example.com"
    )
    # When the customer withdraws consent, Then the clear text goes and the digest stays
    status, answer = as_(AGENT, "DELETE", f"{path}/consent", lambda_context)
    assert status == 200 and answer["contact"]["email"] is None and answer["contact"]["has_email"]
    assert "jo@example.com" not in json.dumps(_stored(aws)).lower()


def test_bad_contact_details_are_refused_with_what_is_wrong(aws, lambda_context, at_tuesday_morning):
    deliver([comment()], aws, lambda_context)
    case_id = claimed_case(AGENT, lambda_context)
    path = f"/api/cases/{case_id}/customer/contact"
    for body in (
        {},
        {"email": "not-an-email"},
        {"phone": "call me maybe"},
        {"email": "jo@example.com", "consent": {"how": "telepathy"}},
        {"email": "jo@example.com", "consent": {"how": "by_phone", "at": "2999-01-01T00:00:00Z"}},
        {"email": "jo@example.com", "consent": {"how": "by_phone", "at": "2026-01-01T00:00:00"}},  # no zone
    ):
        status, answer = as_(AGENT, "PUT", path, lambda_context, body)
        assert status in (400, 422), (body, status, answer)
    reader = ("audit@heard.local", "auditor")
    assert as_(reader, "PUT", path, lambda_context, {"email": "jo@example.com"})[0] == 403
    assert (
        as_(
            AGENT,
            "PUT",
            "/api/cases/nosuchcase/customer/contact",
            lambda_context,
            {"phone": "+44 7700 900123"},
        )[0]
        == 404
    )


def test_the_same_phone_given_on_two_identities_links_them(aws, lambda_context, at_tuesday_morning):
    deliver([comment("c-1", "cust-1"), comment("c-2", "cust-2")], aws, lambda_context)
    first, second = claimed_case(AGENT, lambda_context), claimed_case(AGENT, lambda_context)
    for case_id in (first, second):
        status, _ = as_(
            AGENT, "PUT", f"/api/cases/{case_id}/customer/contact", lambda_context, {"phone": "07700 900123"}
        )
        assert status == 200
    _, answer = as_(AGENT, "GET", f"/api/cases/{second}/customer", lambda_context)
    assert [(i["id"], i["linked_by"]) for i in answer["identities"]] == [
        ("cust-2", None),
        ("cust-1", "phone"),
    ]
