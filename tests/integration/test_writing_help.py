"""Writing help (issue #11) through the real api handler under moto, with only its own environment and
role: the built-in, offline backend (the default) drafts from the approved answer that fits, marks the
draft on the timeline and sends nothing; a summary is stored on the case; translation says plainly that
it is not available offline; bad input is a 4xx naming the field; a throttled Bedrock is a 503."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from infra.deployed import LOCAL_ACCOUNT, LOCAL_DATA_KEY, synthesise
from infra.iam_check import Account, CallChecker
from infra.wiring import heard
from shared.adapters.writing_bedrock import BedrockWritingHelp
from tests.integration.test_case_lifecycle import api
from tests.integration.test_crisis import drain_delayed
from tests.integration.test_knowledge import BILLING, approved, queued_case
from tests.unit.routing import fakes

QUESTION = "I was charged twice for my order, please refund the second charge"


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)
    drain_delayed(monkeypatch)


def billing_case(context: Any, aws: Any) -> tuple[str, str]:
    case_id = queued_case(aws, context, QUESTION)
    answer = approved(context, BILLING)
    return case_id, answer["answer"]["answer_id"]


def test_a_draft_comes_from_the_approved_answer_is_marked_on_the_timeline_and_is_never_sent(
    aws, lambda_context, at_tuesday_morning
):
    # Given a billing complaint and an approved billing answer
    case_id, answer_id = billing_case(lambda_context, aws)
    assert api("GET", "/api/writing-help", context=lambda_context)[1] == {
        "backend": "builtin",
        "model": None,
        "translates": False,
        "draft_note": "draft — edit before sending",
    }
    # When an agent asks for a draft
    status, drafted = api("POST", f"/api/cases/{case_id}/draft", context=lambda_context)
    # Then it is the approved answer, filled for this case, and marked as a draft
    assert status == 200, drafted
    assert drafted["draft"] is True and drafted["note"] == "draft — edit before sending"
    assert drafted["text"].startswith("Hi ") and case_id in drafted["text"] and "{" not in drafted["text"]
    assert drafted["answers"] == [{"answer_id": answer_id, "title": BILLING["title"]}]
    assert (drafted["backend"], drafted["model"]) == ("builtin", None)
    # and the timeline shows the draft (by whom, from which answer), and no reply went anywhere
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    (entry,) = [e for e in detail["timeline"] if e["kind"] == "draft_generated"]
    assert entry == drafted["entry"] and entry["actor"] == "agent@heard.local"
    assert entry["data"]["draft"] is True and entry["data"]["answers"] == [answer_id]
    assert "not sent" in entry["text"]
    assert not [e for e in detail["timeline"] if e["kind"] == "reply"]
    assert detail["case"]["reply_count"] == 0
    outbox = boto3.client("sqs", region_name="eu-west-1")
    url = aws.resolve["outbox"]
    attrs = outbox.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    assert attrs["Attributes"]["ApproximateNumberOfMessages"] == "0"


def test_without_a_fitting_approved_answer_the_built_in_help_says_so(aws, lambda_context, at_tuesday_morning):
    case_id = queued_case(aws, lambda_context, "your shop smells of fresh paint")
    status, answer = api("POST", f"/api/cases/{case_id}/draft", context=lambda_context)
    assert status == 409 and "no approved answer fits" in answer["message"]
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert not [e for e in detail["timeline"] if e["kind"] == "draft_generated"]


def test_a_summary_is_stored_on_the_case(aws, lambda_context, at_tuesday_morning):
    case_id = queued_case(aws, lambda_context, QUESTION)
    status, summary = api("POST", f"/api/cases/{case_id}/summary", context=lambda_context)
    assert status == 200, summary
    assert summary["brief"].startswith("Customer: I was charged twice") and summary["brief_by"] == "builtin"
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert detail["case"]["brief"] == summary["brief"] and detail["case"]["brief_at"]


def test_translation_is_honestly_unavailable_offline_and_bad_input_names_the_field(
    aws, lambda_context, at_tuesday_morning
):
    case_id = queued_case(aws, lambda_context, QUESTION)
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    message = next(e for e in detail["timeline"] if e["kind"] == "message_in")
    url = f"/api/cases/{case_id}/translate"
    # offline: a 409 that says so, never the text passed off as a translation
    body = {"entry_id": message["entry_id"], "source": "en", "target": "fr"}
    status, answer = api("POST", url, body=body, context=lambda_context)
    assert status == 409 and "not available offline" in answer["message"]
    # the same language is no translation at all: the text as it is
    body = {"text": "Thanks!", "source": "en", "target": "en"}
    assert api("POST", url, body=body, context=lambda_context) == (
        200,
        {"text": "Thanks!", "source": "en", "target": "en", "backend": "builtin"},
    )
    # bad input: the field is named
    status, answer = api(
        "POST", url, body={"text": "hi", "source": "en", "target": "French"}, context=lambda_context
    )
    assert status == 422 and answer["detail"][0]["loc"] == ["body", "target"]
    status, answer = api("POST", url, body={"target": "fr"}, context=lambda_context)
    assert status == 422 and "entry_id or text" in answer["detail"][0]["msg"]
    status, answer = api("POST", url, body={"entry_id": "nope0000", "target": "fr"}, context=lambda_context)
    assert status == 404 and answer["message"].startswith("entry_id: ")
    # only people who work cases
    assert api("POST", f"/api/cases/{case_id}/draft", role="reviewer", context=lambda_context)[0] == 403
    assert api("POST", f"/api/cases/{case_id}/summary", role="auditor", context=lambda_context)[0] == 403
    assert api("POST", "/api/cases/nosuchcase1/draft", context=lambda_context)[0] == 404


MODEL = "eu.amazon.nova-lite-v1:0"


@pytest.fixture(scope="module")
def with_generative_help() -> Any:
    """The roles synthesised for a deployment with generative help (-c generativeHelp=<model>)."""
    pytest.importorskip("aws_cdk")
    return synthesise(heard(MODEL))


def converse_answer(text: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": [{"text": text}]}
    usage = {"inputTokens": 1, "outputTokens": 1, "totalTokens": 2}
    return {
        "output": {"message": message},
        "stopReason": "end_turn",
        "usage": usage,
        "metrics": {"latencyMs": 1},
    }


def stubbed_bedrock(deps_for: Any, *answers: dict[str, Any] | str) -> Stubber:
    """The api's writing help on Amazon Bedrock, answered in turn by botocore's Stubber (moto has no
    Bedrock): a Converse answer, or an error code."""
    runtime = boto3.client("bedrock-runtime", region_name="eu-west-1")
    stub = Stubber(runtime)
    for answer in answers:
        if isinstance(answer, str):
            stub.add_client_error("converse", service_error_code=answer, http_status_code=429)
        else:
            stub.add_response("converse", answer)
    deps_for("api").overrides["writing"] = BedrockWritingHelp(MODEL, runtime=runtime)
    return stub


def test_without_generative_help_the_apis_role_may_not_call_bedrock(
    aws, deps_for, lambda_context, at_tuesday_morning, role_check: list[CallChecker]
):
    # Given the default deployment (no generativeHelp) and the api somehow pointed at Bedrock
    case_id, _ = billing_case(lambda_context, aws)
    stub = stubbed_bedrock(deps_for, converse_answer("Hi!\nUSED: none"))
    # When it asks for a draft, the call is refused as AWS would refuse it: a 503, never a 500
    with stub:
        status, answer = api("POST", f"/api/cases/{case_id}/draft", context=lambda_context)
    assert status == 503 and "not configured" in answer["message"]
    _, denials = role_check[0].reset()
    assert {(d.function, d.request.action) for d in denials} == {("api", "bedrock:InvokeModel")}


def test_with_generative_help_a_bedrock_draft_is_grounded_and_a_throttled_one_is_a_503(
    aws, deps_for, lambda_context, at_tuesday_morning, role_check: list[CallChecker], with_generative_help
):
    checker = role_check[0]
    account = Account(region="eu-west-1", account=LOCAL_ACCOUNT, data_key_arn=LOCAL_DATA_KEY)
    checker.policies = with_generative_help.policies(aws.resolve, account)
    case_id, answer_id = billing_case(lambda_context, aws)
    # Given the api deployed with Bedrock: the model drafts from the approved answer
    text = (
        "Hi {first_name}, sorry for the double charge: it drops off within 3 working days.\nUSED: "
        + answer_id
    )
    stub = stubbed_bedrock(deps_for, converse_answer(text), "ThrottlingException")
    with stub:
        status, drafted = api("POST", f"/api/cases/{case_id}/draft", context=lambda_context)
    assert status == 200, drafted
    assert drafted["text"].startswith("Hi ") and "{" not in drafted["text"] and "USED" not in drafted["text"]
    assert drafted["answers"] == [{"answer_id": answer_id, "title": BILLING["title"]}]
    assert (drafted["backend"], drafted["model"]) == ("bedrock", MODEL)
    assert f"bedrock:{MODEL}" in drafted["entry"]["text"] and drafted["entry"]["data"]["draft"] is True
    # When the model is throttling, the agent gets a clear 503 and nothing is recorded
    with stub:
        status, answer = api("POST", f"/api/cases/{case_id}/draft", context=lambda_context)
    assert status == 503 and "busy" in answer["message"]
    _, detail = api("GET", f"/api/cases/{case_id}", context=lambda_context)
    assert len([e for e in detail["timeline"] if e["kind"] == "draft_generated"]) == 1
    # and the role allowed exactly that model's calls
    calls, denials = checker.reset()
    assert denials == [] and any(c.service == "bedrock-runtime" for c in calls)
