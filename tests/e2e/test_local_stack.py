"""The local stack's own surface: health, console config, sign-in proxy, static console, the authorizer
and the Meta webhook's handshake and signature check, all over real HTTP."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from tests.e2e.webclient import call

pytestmark = pytest.mark.e2e

META_SECRET = "heard-local-meta-secret"


def _feed_comment(comment_id: str, author_id: str, text: str) -> bytes:
    now = int(time.time())
    post_id = f"104000000000001_{comment_id[:8]}"
    return json.dumps(
        {
            "object": "page",
            "entry": [
                {
                    "id": "104000000000001",
                    "time": now,
                    "changes": [
                        {
                            "field": "feed",
                            "value": {
                                "from": {"id": author_id, "name": "Test Customer"},
                                "item": "comment",
                                "verb": "add",
                                "post_id": post_id,
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


def _archived_keys(local_stack) -> set[str]:
    s3 = local_stack.client("s3")
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=local_stack.resources["archive"])
    return {obj["Key"] for page in pages for obj in page.get("Contents", [])}


def test_health_answers_ok_once_started(local_stack):
    # Given a started local stack / When /health is asked
    answer = call(local_stack.base_url, "GET", "/health")
    # Then it is up
    assert answer.status == 200
    assert answer.json() == {"status": "ok"}


def test_config_json_tells_the_console_how_to_sign_in(local_stack):
    answer = call(local_stack.base_url, "GET", "/config.json")
    assert answer.status == 200
    config = answer.json()
    assert config["apiUrl"] == local_stack.base_url
    assert config["cognitoEndpoint"] == local_stack.base_url + "/cognito"
    assert config["userPoolId"] == local_stack.resources["user-pool"]
    assert config["clientId"] == local_stack.resources["user-pool-client"]
    assert config["region"]


def test_a_user_signs_in_through_the_cognito_proxy_and_the_api_accepts_the_token(local_stack):
    # Given the console's sign-in call (Cognito USER_PASSWORD_AUTH through the same-origin proxy)
    answer = call(
        local_stack.base_url,
        "POST",
        "/cognito",
        body=json.dumps(
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": local_stack.resources["user-pool-client"],
                "AuthParameters": {"USERNAME": "supervisor@heard.local", "PASSWORD": local_stack.password},
            }
        ).encode(),
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    assert answer.status == 200
    token = answer.json()["AuthenticationResult"]["IdToken"]
    # When the token is used as a Bearer token
    me = call(local_stack.base_url, "GET", "/api/me", token=f"Bearer {token}")
    # Then the API sees who it is and which groups they are in
    assert me.status == 200
    assert me.json()["email"] == "supervisor@heard.local"
    assert "supervisor" in me.json()["groups"]


def test_the_cognito_proxy_refuses_admin_operations(local_stack):
    answer = call(
        local_stack.base_url,
        "POST",
        "/cognito",
        body=b"{}",
        headers={"X-Amz-Target": "AWSCognitoIdentityProviderService.AdminCreateUser"},
    )
    assert answer.status == 400


def test_a_wrong_password_is_refused(local_stack):
    answer = call(
        local_stack.base_url,
        "POST",
        "/cognito",
        body=json.dumps(
            {
                "AuthFlow": "USER_PASSWORD_AUTH",
                "ClientId": local_stack.resources["user-pool-client"],
                "AuthParameters": {"USERNAME": "agent@heard.local", "PASSWORD": "not-the-password"},
            }
        ).encode(),
        headers={
            "X-Amz-Target": "AWSCognitoIdentityProviderService.InitiateAuth",
            "Content-Type": "application/x-amz-json-1.1",
        },
    )
    assert answer.status == 400
    assert answer.json()["__type"].endswith("NotAuthorizedException")


@pytest.mark.parametrize("authorization", [None, "", "Bearer", "not-a-jwt", "Bearer a.b.c"])
def test_the_api_without_a_valid_token_is_401_like_api_gateway(local_stack, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    answer = call(local_stack.base_url, "GET", "/api/cases", headers=headers)
    assert answer.status == 401
    assert answer.json() == {"message": "Unauthorized"}


def test_a_token_signed_by_someone_else_is_401(local_stack):
    # Given a token with the right claims but forged (the signature is of other content)
    real = local_stack.sign_in(local_stack.users["admin"])
    header, payload, signature = real.split(".")
    forged = ".".join(
        [header, payload[:-4] + ("AAAA" if not payload.endswith("AAAA") else "BBBB"), signature]
    )
    answer = call(local_stack.base_url, "GET", "/api/cases", token=forged)
    assert answer.status == 401


def test_unknown_api_resources_answer_like_api_gateway(local_stack):
    answer = call(local_stack.base_url, "GET", "/webhooks")
    assert answer.status == 403
    assert answer.json() == {"message": "Missing Authentication Token"}


def test_the_console_is_served_with_its_content_types(local_stack):
    index = call(local_stack.base_url, "GET", "/")
    assert index.status == 200
    assert index.headers["Content-Type"].startswith("text/html")
    assert b"<html" in index.body.lower()


@pytest.mark.parametrize(
    "path", ["/../pyproject.toml", "/%2e%2e/pyproject.toml", "/..%2fMakefile", "/nope.js"]
)
def test_static_files_never_leave_the_console_folder(local_stack, path):
    answer = call(local_stack.base_url, "GET", path)
    assert answer.status == 404
    assert b"[project]" not in answer.body


def test_meta_verification_handshake(local_stack):
    good = call(
        local_stack.base_url,
        "GET",
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=heard-local-verify&hub.challenge=1158201444",
    )
    assert good.status == 200
    assert good.body == b"1158201444"
    bad = call(
        local_stack.base_url,
        "GET",
        "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444",
    )
    assert bad.status == 403


def test_a_wrongly_signed_delivery_is_401_and_stores_nothing(local_stack):
    # Given a feed comment signed with the wrong secret
    body = _feed_comment("990000001_771", "7100000000000999", "Wrongly signed: must never become a case")
    signature = "sha256=" + hmac.new(b"not-the-app-secret", body, hashlib.sha256).hexdigest()
    before = _archived_keys(local_stack)
    # When it is delivered
    answer = call(
        local_stack.base_url,
        "POST",
        "/webhooks/meta",
        body=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    # Then it is refused and nothing is archived or queued
    assert answer.status == 401
    assert _archived_keys(local_stack) == before
    assert local_stack.drain_queues(timeout=5)
    admin = local_stack.sign_in(local_stack.users["admin"])
    cases = call(local_stack.base_url, "GET", "/api/cases?limit=100", token=admin).json()["items"]
    assert all(case["customer"]["id"] != "7100000000000999" for case in cases)


def test_an_unsigned_delivery_is_401(local_stack):
    body = _feed_comment("990000002_772", "7100000000000998", "No signature at all")
    answer = call(
        local_stack.base_url,
        "POST",
        "/webhooks/meta",
        body=body,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status == 401


def test_a_malformed_signed_delivery_is_400(local_stack):
    body = b'{"object": "page", "entry": "not a list"'
    signature = "sha256=" + hmac.new(META_SECRET.encode(), body, hashlib.sha256).hexdigest()
    answer = call(
        local_stack.base_url,
        "POST",
        "/webhooks/meta",
        body=body,
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature},
    )
    assert answer.status == 400


def test_the_schedules_drive_the_real_functions(local_stack):
    # Given the reports listed now
    supervisor = local_stack.sign_in(local_stack.users["supervisor"])
    before = call(local_stack.base_url, "GET", "/api/reports", token=supervisor).json()["items"]
    # When every recurring schedule fires (the daily report among them) with a real Scheduled Event
    local_stack.run_schedules_now()
    # Then the reports function ran and stored one more report
    after = call(local_stack.base_url, "GET", "/api/reports", token=supervisor).json()["items"]
    assert len(after) == len(before) + 1
    assert {"sla", "reports"} <= {function_id for _, function_id in local_stack.ticker.fired}
