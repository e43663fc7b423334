"""Brands and connected accounts (issue #16) through the real handlers under moto, each with its own
environment and role: an admin connects a second brand's Page, its deliveries are verified with its own
secret, become cases for the brand's team, and are answered with the brand's contact line through the
account's own token; an unknown account is archived, counted and refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from infra.local.events import sqs_event
from shared.models.interaction import Interaction
from shared.usecases import accounts as accounts_usecase
from tests.fixtures.webhooks.signing import SECRETS, api_event, signed_headers
from tests.integration.conftest import TUESDAY_MORNING
from tests.integration.test_case_lifecycle import api
from tests.integration.test_dispatch import outbox_event

BRAND = {
    "id": "acme-uk",
    "name": "Acme UK",
    "contact_line": "Prefer a person? Call Acme UK on +44 20 7946 0000.",
    "default_team": "pr",
    "holding_statements": {},
    "answer_tags": ["acme-uk"],
}
ACCOUNT_SECRETS = {
    "META_APP_SECRET": "acme-uk-app-secret",
    "META_VERIFY_TOKEN": "acme-uk-verify",
    "META_PAGE_TOKEN": "acme-uk-page-token-ZZ9001",
}


def page_comment(page_id: str, comment_id: str, author: str, text: str) -> bytes:
    change = {
        "field": "feed",
        "value": {
            "item": "comment",
            "verb": "add",
            "comment_id": comment_id,
            "post_id": f"{page_id}_1",
            "parent_id": f"{page_id}_1",
            "from": {"id": author, "name": "Dana Customer"},
            "created_time": int(TUESDAY_MORNING.timestamp()),
            "message": text,
        },
    }
    entry = {"id": page_id, "time": int(TUESDAY_MORNING.timestamp()), "changes": [change]}
    return json.dumps({"object": "page", "entry": [entry]}).encode()


def to_account(event: dict[str, Any], account: str) -> dict[str, Any]:
    platform = event["pathParameters"]["platform"]
    event["pathParameters"]["account"] = account
    event["path"] = f"/webhooks/{platform}/{account}"
    event["resource"] = "/webhooks/{platform}/{account}"
    return event


def webhook(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from functions.webhook.handler import handler

    return handler(event, context)


def triage_queued(aws: Any, context: Any) -> list[Interaction]:
    """Move what the webhook queued through the triage function; the interactions it saw."""
    from functions.triage.handler import handler

    sqs = boto3.client("sqs")
    messages = sqs.receive_message(QueueUrl=aws.resolve["ingest"], MaxNumberOfMessages=10)["Messages"]
    assert handler(sqs_event(messages, "arn:aws:sqs:eu-west-1:123456789012:ingest"), context) == {
        "batchItemFailures": []
    }
    return [Interaction.model_validate_json(m["Body"]) for m in messages]


@pytest.fixture
def connected(aws, lambda_context, at_tuesday_morning):
    accounts_usecase.forget()
    assert api("PUT", "/api/brands/acme-uk", role="admin", body=BRAND, context=lambda_context)[0] == 200
    status, account = api(
        "POST",
        "/api/accounts",
        role="admin",
        body={
            "account_id": "acme-uk-page",
            "platform": "meta",
            "brand": "acme-uk",
            "name": "Acme UK Facebook Page",
            "external_id": "777000222",
            "credentials": ACCOUNT_SECRETS,
        },
        context=lambda_context,
    )
    assert status == 201, account
    yield account
    accounts_usecase.forget()


def test_an_admin_connects_an_account_whose_secret_is_its_own(aws, connected, lambda_context):
    # Then the answer says where to point the Page's webhook, and never a credential
    assert connected["webhook_path"] == "/webhooks/meta/acme-uk-page"
    assert connected["credential_names"] == sorted(ACCOUNT_SECRETS)
    assert "acme-uk-app-secret" not in json.dumps(connected)
    # And the credentials are in the account's own secret
    secret = boto3.client("secretsmanager").get_secret_value(SecretId="heard-local/accounts/acme-uk-page")
    assert json.loads(secret["SecretString"]) == ACCOUNT_SECRETS
    # And only admins see or change accounts
    assert api("GET", "/api/accounts", role="supervisor", context=lambda_context)[0] == 403
    _, listed = api("GET", "/api/accounts", role="admin", context=lambda_context)
    assert [a["account_id"] for a in listed["items"]] == ["acme-uk-page"]
    assert "META_PAGE_TOKEN" in listed["credential_names"]["meta"]
    # And a second account with the same id is a conflict, an unknown brand or credential a 422
    again = {**connected, "credentials": ACCOUNT_SECRETS}
    for field in ("credential_names", "webhook_path", "created_at", "created_by"):
        again.pop(field)
    assert api("POST", "/api/accounts", role="admin", body=again, context=lambda_context)[0] == 409
    bad_brand = {**again, "account_id": "other", "brand": "nope"}
    status, answer = api("POST", "/api/accounts", role="admin", body=bad_brand, context=lambda_context)
    assert status == 422 and "unknown brand" in json.dumps(answer)
    bad_key = {**again, "account_id": "other", "credentials": {"X_BEARER_TOKEN": "t"}}
    status, answer = api("POST", "/api/accounts", role="admin", body=bad_key, context=lambda_context)
    assert status == 422 and "are not meta credentials" in json.dumps(answer)


def test_the_account_has_its_own_verification(aws, connected, lambda_context):
    # Given Meta's handshake on the account's URL: its own verify token is answered, the default refused
    query = {"hub.mode": "subscribe", "hub.verify_token": "acme-uk-verify", "hub.challenge": "c-123"}
    answer = webhook(to_account(api_event("meta", "GET", query=query), "acme-uk-page"), lambda_context)
    assert (answer["statusCode"], answer["body"]) == (200, "c-123")
    query["hub.verify_token"] = SECRETS["META_VERIFY_TOKEN"]
    answer = webhook(to_account(api_event("meta", "GET", query=query), "acme-uk-page"), lambda_context)
    assert answer["statusCode"] == 403
    # And a delivery signed with the default app secret is refused on the account's URL
    body = page_comment("777000222", "1_1", "42", "Where is my order?")
    headers = signed_headers("meta", body, datetime.now(UTC))
    answer = webhook(
        to_account(api_event("meta", body=body, headers=headers), "acme-uk-page"), lambda_context
    )
    assert answer["statusCode"] == 401


def test_two_brands_pages_become_cases_for_each_brands_team_answered_with_its_contact_line(
    aws, fakes, connected, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    now = datetime.now(UTC)
    # Given a comment on the default brand's Page and one on Acme UK's Page
    default_body = page_comment("555000111", "1_2", "42", "My parcel never arrived, two weeks now")
    acme_body = page_comment("777000222", "2_2", "42", "My parcel never arrived, two weeks now")
    default_event = api_event("meta", body=default_body, headers=signed_headers("meta", default_body, now))
    acme_headers = signed_headers("meta", acme_body, now, {"META_APP_SECRET": "acme-uk-app-secret"})
    acme_event = to_account(api_event("meta", body=acme_body, headers=acme_headers), "acme-uk-page")
    # When both are delivered and triaged
    assert webhook(default_event, lambda_context)["statusCode"] == 200
    assert webhook(acme_event, lambda_context)["statusCode"] == 200
    seen = triage_queued(aws, lambda_context)
    # Then the same customer has one case per brand, each with its brand's team
    assert {(i.brand, i.connected_account) for i in seen} == {(None, None), ("acme-uk", "acme-uk-page")}
    _, listing = api("GET", "/api/cases", role="supervisor", query="status=queued", context=lambda_context)
    by_brand = {c.get("brand"): c for c in listing["items"]}
    assert by_brand[None]["team"] == "care"
    assert by_brand["acme-uk"]["team"] == "pr"
    assert "brand acme-uk" in by_brand["acme-uk"]["routing_reason"]
    # When an agent answers the Acme UK case
    case_id = by_brand["acme-uk"]["case_id"]
    _, claimed = api("POST", "/api/queues/pr/next", role="supervisor", context=lambda_context)
    assert claimed["case"]["case_id"] == case_id
    status, _ = api(
        "POST",
        f"/api/cases/{case_id}/replies",
        role="supervisor",
        body={"text": "So sorry!"},
        context=lambda_context,
    )
    assert status == 202
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    # Then the reply carries Acme UK's contact line and went out with the account's own Page token
    (sent,) = [s for s in fakes.sent if s["platform"] == "meta"]
    assert "Call Acme UK on +44 20 7946 0000" in sent["json"]["message"]
    assert sent["token_suffix"] == "ZZ9001"


def test_pages_sharing_the_apps_callback_are_told_apart_by_their_page_id(
    aws, fakes, connected, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    now = datetime.now(UTC)
    # Given one delivery to the app's shared callback (/webhooks/meta, signed with the app's secret) whose
    # entries are two Pages: the default brand's and Acme UK's (its account's external_id is the Page id)
    default = json.loads(page_comment("555000111", "5_1", "61", "My parcel never arrived, two weeks now"))
    acme = json.loads(page_comment("777000222", "5_2", "62", "My parcel never arrived, two weeks now"))
    body = json.dumps({"object": "page", "entry": default["entry"] + acme["entry"]}).encode()
    event = api_event("meta", body=body, headers=signed_headers("meta", body, now))
    # When it is delivered and triaged
    assert webhook(event, lambda_context)["statusCode"] == 200
    seen = triage_queued(aws, lambda_context)
    # Then each entry belongs to its Page's account and brand, and becomes a case for that brand's team
    assert {(i.author.id, i.brand, i.connected_account) for i in seen} == {
        ("61", None, None),
        ("62", "acme-uk", "acme-uk-page"),
    }
    _, listing = api("GET", "/api/cases", role="supervisor", query="status=queued", context=lambda_context)
    assert {(c.get("brand"), c["team"]) for c in listing["items"]} == {(None, "care"), ("acme-uk", "pr")}
    # And Acme UK's case is answered through Acme UK's own Page token with its contact line
    _, claimed = api("POST", "/api/queues/pr/next", role="supervisor", context=lambda_context)
    path = f"/api/cases/{claimed['case']['case_id']}/replies"
    assert api("POST", path, role="supervisor", body={"text": "Sorry!"}, context=lambda_context)[0] == 202
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    (sent,) = [s for s in fakes.sent if s["platform"] == "meta"]
    assert sent["path"].endswith("/5_2/comments") and sent["token_suffix"] == "ZZ9001"
    assert "Call Acme UK on +44 20 7946 0000" in sent["json"]["message"]


def test_a_delivery_for_an_unknown_account_is_archived_counted_and_refused(
    aws, connected, lambda_context, monkeypatch
):
    from shared.usecases import ingest

    counted: list[str] = []
    monkeypatch.setattr(ingest, "_count", lambda name, value=1: counted.append(name))
    body = page_comment("888", "3_3", "42", "hello")
    headers = signed_headers("meta", body, datetime.now(UTC), {"META_APP_SECRET": "acme-uk-app-secret"})
    # When a delivery comes for an account Heard does not have
    answer = webhook(
        to_account(api_event("meta", body=body, headers=headers), "acme-fr-page"), lambda_context
    )
    # Then it is refused clearly, counted, and its bytes archived (unverified)
    assert answer["statusCode"] == 404
    assert "unknown account 'acme-fr-page' for meta" in answer["body"]
    assert counted == ["WebhookUnknownAccount"]
    s3 = boto3.client("s3")
    (item,) = s3.list_objects_v2(Bucket=aws.resolve["archive"])["Contents"]
    stored = s3.get_object(Bucket=aws.resolve["archive"], Key=item["Key"])
    assert stored["Body"].read() == body and stored["Metadata"]["signature-verified"] == "false"
    # And an account of another platform is unknown on this one's URL
    x_event = to_account(api_event("x", body=body, headers={}), "acme-uk-page")
    assert webhook(x_event, lambda_context)["statusCode"] == 404


def test_a_removed_account_is_refused_and_its_secret_deleted(aws, connected, lambda_context):
    # When the admin removes the account
    assert api("DELETE", "/api/accounts/acme-uk-page", role="admin", context=lambda_context)[0] == 204
    # Then deliveries to it are refused and the secret is gone
    body = page_comment("777000222", "4_4", "42", "hello")
    headers = signed_headers("meta", body, datetime.now(UTC), {"META_APP_SECRET": "acme-uk-app-secret"})
    answer = webhook(
        to_account(api_event("meta", body=body, headers=headers), "acme-uk-page"), lambda_context
    )
    assert answer["statusCode"] == 404
    with pytest.raises(boto3.client("secretsmanager").exceptions.ResourceNotFoundException):
        boto3.client("secretsmanager").get_secret_value(SecretId="heard-local/accounts/acme-uk-page")
    assert api("DELETE", "/api/accounts/acme-uk-page", role="admin", context=lambda_context)[0] == 404
    # And the brand, now without accounts, can be removed
    assert api("DELETE", "/api/brands/acme-uk", role="admin", context=lambda_context)[0] == 204


def test_a_brand_with_accounts_cannot_be_removed_and_the_single_account_setup_is_the_default(
    aws, connected, lambda_context
):
    status, answer = api("DELETE", "/api/brands/acme-uk", role="admin", context=lambda_context)
    assert status == 409 and "acme-uk-page" in answer["message"]
    _, brands = api("GET", "/api/brands", role="admin", context=lambda_context)
    assert [b["id"] for b in brands["items"]] == ["default", "acme-uk"]
    assert brands["items"][0]["default_team"] == "care"
    bad = {**BRAND, "id": "acme-fr", "default_team": "nobody"}
    status, answer = api("PUT", "/api/brands/acme-fr", role="admin", body=bad, context=lambda_context)
    assert status == 422 and "unknown team" in json.dumps(answer)


def test_routing_rules_can_use_brand_and_account(aws, connected, lambda_context, at_tuesday_morning):
    # Given a rule sending Acme UK's Page to the Spanish team
    _, config = api("GET", "/api/config", role="admin", context=lambda_context)
    document = config["config"]
    rule = {"name": "Acme UK page", "team": "care-es", "brands": ["acme-uk"], "accounts": ["acme-uk-page"]}
    document["rules"] = [rule, *document["rules"]]
    assert api("PUT", "/api/config", role="admin", body=document, context=lambda_context)[0] == 200
    body = page_comment("777000222", "5_5", "43", "My parcel never arrived, two weeks now")
    headers = signed_headers("meta", body, datetime.now(UTC), {"META_APP_SECRET": "acme-uk-app-secret"})
    assert (
        webhook(to_account(api_event("meta", body=body, headers=headers), "acme-uk-page"), lambda_context)[
            "statusCode"
        ]
        == 200
    )
    at_tuesday_morning["now"] += timedelta(seconds=1)
    triage_queued(aws, lambda_context)
    _, listing = api("GET", "/api/cases", role="supervisor", query="status=queued", context=lambda_context)
    (case,) = listing["items"]
    assert case["team"] == "care-es" and case["routing_reason"] == "rule: Acme UK page"


def test_a_generic_sources_message_is_answered_through_its_callback(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    accounts_usecase.forget()
    # Given a generic source connected with its own secret and callback URL (the fake bridge)
    credentials = {
        "GENERIC_WEBHOOK_SECRET": "reviews-secret",
        "GENERIC_CALLBACK_URL": fakes.base_urls["generic"] + "/reviews",
    }
    request = {
        "account_id": "acme-reviews",
        "platform": "generic",
        "brand": "default",
        "name": "Review bridge",
        "credentials": credentials,
    }
    assert api("POST", "/api/accounts", role="admin", body=request, context=lambda_context)[0] == 201
    event = {
        "source": "trustpilot",
        "id": "rv-77",
        "author": {"id": "tp-9", "name": "Lee"},
        "text": "Slow refund",
    }
    body = json.dumps({"events": [event]}).encode()
    now = at_tuesday_morning["now"]  # the freshness window is checked against Heard's clock
    headers = signed_headers("generic", body, now, {"GENERIC_WEBHOOK_SECRET": "reviews-secret"})
    answer = webhook(
        to_account(api_event("generic", body=body, headers=headers), "acme-reviews"), lambda_context
    )
    assert answer["statusCode"] == 200
    triage_queued(aws, lambda_context)
    # When an agent answers it
    _, claimed = api("POST", "/api/queues/care/next", context=lambda_context)
    case_id = claimed["case"]["case_id"]
    assert (
        api("POST", f"/api/cases/{case_id}/replies", body={"text": "Sorry, Lee"}, context=lambda_context)[0]
        == 202
    )
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    # Then the bridge's callback received the answer to that review, and the reply is sent
    (sent,) = [s for s in fakes.sent if s["platform"] == "generic"]
    assert sent["path"] == "/reviews"
    assert (sent["json"]["source"], sent["json"]["in_reply_to"]) == ("trustpilot", "rv-77")
    assert sent["json"]["text"].startswith("Sorry, Lee")
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    reply = next(e for e in detail["timeline"] if e["kind"] == "reply")
    assert reply["data"]["delivery"] == "sent" and reply["data"]["platform_message_id"].startswith("bridge-")
    accounts_usecase.forget()
