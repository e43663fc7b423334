"""Writing help (issue #11): the Amazon Bedrock adapter's Converse requests and Amazon Translate's through
botocore's Stubber (exact request shape, response parsing, errors translated to 503/409/422, never a 500),
the built-in offline help, and the use cases on fakes (drafts marked on the timeline, never sent)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from shared.adapters.writing_bedrock import (
    MAX_TOKENS,
    TEMPERATURE,
    TOP_P,
    BedrockWritingHelp,
    conversation,
    draft_prompt,
)
from shared.adapters.writing_builtin import BuiltinWritingHelp, extractive_summary
from shared.errors import ConfigurationError, Conflict, InvalidInput, Unavailable
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.interaction import Author, Channel, Platform
from shared.models.writing import GroundingAnswer
from shared.usecases import knowledge, writing
from tests.unit.fakes import Fakes
from tests.unit.usecases.conftest import TUESDAY, a_case

MODEL = "eu.amazon.nova-lite-v1:0"
AGENT = Agent("agent@heard.local", frozenset({"agent"}))
BOSS = Agent("supervisor@heard.local", frozenset({"supervisor"}))
BILLING = GroundingAnswer(
    answer_id="a0billing0001",
    title="Charged twice",
    body="Hi {first_name}, the second payment is a pre-authorisation and drops off within 3 days.",
)
CASE = Case(
    case_id="c1",
    status=CaseStatus.ASSIGNED,
    team="care",
    owner="agent@heard.local",
    platform=Platform.FACEBOOK,
    channel=Channel.COMMENT,
    customer=Author(id="fb-4242", name="Ana Example", handle="ana.example"),
    conversation_id="t-1",
    language="en",
    topic="billing",
    opened_at=TUESDAY,
    updated_at=TUESDAY,
    last_customer_at=TUESDAY,
)


def entry(kind: TimelineKind, text: str, actor: str = "customer", n: int = 1) -> TimelineEntry:
    return TimelineEntry(case_id="c1", entry_id=f"e{n}", kind=kind, at=TUESDAY, actor=actor, text=text)


TIMELINE = [
    entry(TimelineKind.MESSAGE_IN, "I was charged twice for order [ORDER]. Please fix it!"),
    entry(TimelineKind.NOTE, "VIP, be quick", actor="supervisor@heard.local", n=2),
    entry(TimelineKind.REPLY, "Sorry Ana, we're looking into it.", actor="agent@heard.local", n=3),
]


def client(service: str) -> Any:
    return boto3.client(service, region_name="eu-west-1", aws_access_key_id="k", aws_secret_access_key="s")


def converse_answer(text: str, stop: str = "end_turn") -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": [{"text": text}]}},
        "stopReason": stop,
        "usage": {"inputTokens": 200, "outputTokens": 40, "totalTokens": 240},
        "metrics": {"latencyMs": 400},
    }


def bedrock(*answers: dict[str, Any], system: str | None = None) -> tuple[BedrockWritingHelp, Stubber]:
    runtime = client("bedrock-runtime")
    stub = Stubber(runtime)
    for answer in answers:
        expected = {
            "modelId": MODEL,
            "system": [{"text": system or draft_prompt("Example Co", "en", [BILLING])}],
            "messages": [{"role": "user", "content": [{"text": conversation(CASE, TIMELINE)}]}],
            "inferenceConfig": {"maxTokens": MAX_TOKENS, "temperature": TEMPERATURE, "topP": TOP_P},
        }
        stub.add_response("converse", answer, expected)
    return BedrockWritingHelp(MODEL, company=lambda: "Example Co", runtime=runtime), stub


def test_a_draft_is_one_converse_call_grounded_in_the_approved_answers_and_parsed():
    help_, stub = bedrock(
        converse_answer(
            "Hi {first_name}, sorry! The second charge drops off within 3 days.\nUSED: a0billing0001, a-made-up"
        )
    )
    with stub:
        drafted = help_.draft(CASE, TIMELINE, [BILLING])
    stub.assert_no_pending_responses()
    assert drafted.text == "Hi {first_name}, sorry! The second charge drops off within 3 days."
    assert drafted.used == ("a0billing0001",)  # an id it was not given is ignored


def test_what_is_sent_to_the_model_is_the_redacted_case_and_the_unfilled_answers_only():
    system, said = draft_prompt("Example Co", "en", [BILLING]), conversation(CASE, TIMELINE)
    assert "[a0billing0001] Charged twice" in system and "Hi {first_name}" in system
    assert "USED:" in system and "Never invent" in system
    assert "Customer: I was charged twice for order [ORDER]." in said
    assert "Agent: Sorry Ana" in said  # the agent's own words, as sent
    for private in ("Ana Example", "ana.example", "fb-4242", "agent@heard.local", "VIP"):
        assert private not in system + said.replace("Sorry Ana,", "")  # no name, handle, id, email, note


def test_a_summary_is_cut_to_the_brief_and_errors_are_translated_never_raw():
    from shared.adapters.writing_bedrock import SUMMARY_RULES
    from shared.adapters.writing_builtin import MAX_BRIEF

    help_, stub = bedrock(converse_answer("x " * 600), system=SUMMARY_RULES.format(most=MAX_BRIEF))
    with stub:
        assert len(help_.summarise(CASE, TIMELINE)) == MAX_BRIEF
    for code, status, raised in (
        ("ThrottlingException", 429, Unavailable),
        ("ModelTimeoutException", 408, Unavailable),
        ("ServiceUnavailableException", 503, Unavailable),
        ("AccessDeniedException", 403, ConfigurationError),
        ("ValidationException", 400, ConfigurationError),
    ):
        help_, stub = bedrock()
        stub.add_client_error("converse", service_error_code=code, http_status_code=status)
        with stub, pytest.raises(raised, match=code):
            help_.draft(CASE, TIMELINE, [BILLING])
    help_, stub = bedrock(converse_answer("", stop="guardrail_intervened"))
    with stub, pytest.raises(Conflict, match="declined"):
        help_.draft(CASE, TIMELINE, [BILLING])
    help_, stub = bedrock(converse_answer("USED: none"))
    with stub, pytest.raises(Unavailable, match="without a draft"):
        help_.draft(CASE, TIMELINE, [BILLING])


def test_translation_goes_through_amazon_translate_and_its_refusals_name_the_field():
    translator = client("translate")
    stub = Stubber(translator)
    expected = {"Text": "Merci !", "SourceLanguageCode": "fr", "TargetLanguageCode": "en"}
    stub.add_response(
        "translate_text",
        {"TranslatedText": "Thank you!", "SourceLanguageCode": "fr", "TargetLanguageCode": "en"},
        expected,
    )
    stub.add_client_error("translate_text", service_error_code="UnsupportedLanguagePairException")
    stub.add_client_error("translate_text", service_error_code="ThrottlingException", http_status_code=429)
    help_ = BedrockWritingHelp(MODEL, translator=translator)
    with stub:
        assert help_.translate("Merci !", "fr", "en") == "Thank you!"
        with pytest.raises(InvalidInput, match="^target: "):
            help_.translate("Merci !", "fr", "xx")
        with pytest.raises(Unavailable, match="ThrottlingException"):
            help_.translate("Merci !", "fr", "en")
    stub.assert_no_pending_responses()


def test_the_built_in_help_drafts_from_the_best_answer_summarises_and_never_fakes_a_translation():
    builtin = BuiltinWritingHelp()
    drafted = builtin.draft(CASE, TIMELINE, [BILLING])
    assert (drafted.text, drafted.used) == (BILLING.body, ("a0billing0001",))
    with pytest.raises(Conflict, match="no approved answer fits"):
        builtin.draft(CASE, TIMELINE, [])
    with pytest.raises(Conflict, match="not available offline"):
        builtin.translate("Merci", "fr", "en")
    assert builtin.translates is False


def test_the_extractive_summary_keeps_the_customers_telling_sentences_and_where_the_case_stands():
    said = [
        entry(TimelineKind.MESSAGE_IN, "Hello. I was charged twice for my order. Very annoying."),
        entry(TimelineKind.MESSAGE_IN, "Still charged twice, the refund never came.", n=2),
        entry(TimelineKind.REPLY, "We refunded the second charge. It shows in 3 days.", actor="a@x", n=3),
    ]
    case = CASE.model_copy(update={"message_count": 2, "reply_count": 1})
    brief = extractive_summary(case, said)
    assert brief.startswith("Customer: I was charged twice for my order. Still charged twice")
    assert "Last reply: We refunded the second charge." in brief
    assert brief.endswith("Assigned; 2 messages from the customer, 1 reply.")
    assert "Hello" not in brief


# ---- the use cases, on fakes ----------------------------------------------------------------------


def approved_billing(world: Fakes) -> str:
    fields = {
        "title": "Charged twice for my order",
        "body": "Hi {first_name}, sorry: it drops off in 3 days.",
    }
    answer = knowledge.propose(world.deps, AGENT, fields, None)
    knowledge.decide(world.deps, BOSS, answer.answer_id, 1, "approve", "")
    return answer.answer_id


def test_a_built_in_draft_is_filled_for_the_case_and_marked_on_the_timeline_never_sent(world):
    a_case(world, summary="charged twice")
    world.cases.append(entry(TimelineKind.MESSAGE_IN, "I was charged twice for my order", n=9))
    answer_id = approved_billing(world)
    drafted = writing.draft(world.deps, AGENT, "c1")
    assert drafted.text == "Hi Ana, sorry: it drops off in 3 days."
    assert [a.answer_id for a in drafted.answers] == [answer_id]
    _, timeline = world.cases.get_with_timeline("c1")
    (marked,) = [e for e in timeline if e.kind is TimelineKind.DRAFT_GENERATED]
    assert marked.data == {
        "draft": True,
        "backend": "builtin",
        "model": None,
        "answers": [answer_id],
        "chars": len(drafted.text),
    }
    assert "not sent" in marked.text
    assert not [e for e in timeline if e.kind is TimelineKind.REPLY] and world.outbox.sent == []


def test_a_summary_is_stored_on_the_case_by_its_backend(world):
    a_case(world)
    case = writing.summarise(world.deps, AGENT, "c1")
    stored = world.cases.get("c1")
    assert stored.brief == case.brief and stored.brief.startswith("Customer: late!")
    assert stored.brief_by == "builtin" and stored.version == case.version


def test_translating_a_message_uses_the_cases_language_and_the_same_language_is_not_sent(world):
    a_case(world, language="fr")
    _, timeline = world.cases.get_with_timeline("c1")
    message_id = timeline[0].entry_id
    with pytest.raises(Conflict, match="not available offline"):
        writing.translate(world.deps, "c1", "en", entry_id=message_id)
    same = writing.translate(world.deps, "c1", "fr", entry_id=message_id)
    assert (same.text, same.source, same.target) == ("late!", "fr", "fr")
    with pytest.raises(InvalidInput, match="^source: "):
        writing.translate(world.deps, "c1", "en", text="bonjour")
    a_case(world, "c2", language="und")  # triage could not tell: the agent says which language it is
    _, timeline = world.cases.get_with_timeline("c2")
    with pytest.raises(InvalidInput, match="^source: "):
        writing.translate(world.deps, "c2", "en", entry_id=timeline[0].entry_id)


def test_a_bedrock_summary_is_stored_with_the_model_that_wrote_it(world):
    a_case(world)
    runtime = client("bedrock-runtime")
    stub = Stubber(runtime)
    stub.add_response("converse", converse_answer("The customer's parcel is late.\n"))
    world.deps.overrides["writing"] = BedrockWritingHelp(MODEL, runtime=runtime)
    with stub:
        writing.summarise(world.deps, AGENT, "c1")
    stored = world.cases.get("c1")
    assert (stored.brief, stored.brief_by) == ("The customer's parcel is late.", f"bedrock:{MODEL}")
