"""Survey quick-answer buttons through the real handlers under moto, each with only its own environment and
role: resolve (api) -> the schedule fires (followups) -> the dispatcher sends the survey with its buttons to
the platform's local fake -> the customer's tap arrives as a signed webhook (webhook, raw bytes verified)
-> triage stores the score once, however often the tap is delivered or repeated."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from tests.fixtures.webhooks.signing import api_event, signed_headers
from tests.integration.test_case_lifecycle import api, deliver
from tests.integration.test_dispatch import outbox_event
from tests.integration.test_redaction_corpus import drain_ingest
from tests.integration.test_surveys import dm, fire_survey


def resolve_and_survey(aws: Any, context: Any, first: Interaction, clock_at: dict[str, datetime]) -> str:
    """The customer's case, claimed and resolved by an agent; its survey sent through the dispatcher."""
    from functions.dispatcher.handler import handler as dispatcher

    deliver([first], aws, context)
    [case] = api("GET", "/api/cases", query="status=queued", context=context)[1]["items"]
    assert api("POST", f"/api/queues/{case['team']}/next", context=context)[0] == 200
    assert api("POST", f"/api/cases/{case['case_id']}/resolve", body={}, context=context)[0] == 200
    clock_at["now"] += timedelta(minutes=10)
    assert fire_survey(aws, context, case["case_id"])["status"] == "survey sent"
    assert dispatcher(outbox_event(aws), context) == {"batchItemFailures": []}
    return str(case["case_id"])


def webhook(platform: str, body: bytes, at: datetime, context: Any) -> dict[str, Any]:
    from functions.webhook.handler import handler

    return handler(api_event(platform, "POST", body, signed_headers(platform, body, at)), context)  # type: ignore[no-any-return]


def survey_of(case_id: str, context: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    _, detail = api("GET", f"/api/cases/{case_id}", context=context)
    answers = [e for e in detail["timeline"] if e["kind"] == "survey_answered"]
    return detail["case"], answers


def messenger_tap(mid: str, payload: str, at: datetime) -> bytes:
    # Written by hand, with a non-ASCII title: the signature is checked on these exact bytes.
    event = (
        f'{{"sender":{{"id":"psid-7"}},"recipient":{{"id":"page-1"}},"timestamp":{int(at.timestamp() * 1000)},'
        f'"message":{{"mid":"{mid}","text":"9 \u2b50","quick_reply":{{"payload":"{payload}"}}}}}}'
    )
    return f'{{"object":"page","entry":[{{"id":"page-1","time":{int(at.timestamp() * 1000)},"messaging":[{event}]}}]}}'.encode()


def test_a_messenger_survey_has_quick_replies_and_a_tap_is_stored_once(
    aws, fakes, lambda_context, at_tuesday_morning
):
    # Given a resolved Messenger case whose NPS survey went out
    case_id = resolve_and_survey(
        aws,
        lambda_context,
        dm("mid-1", "My parcel never arrived", at_tuesday_morning["now"]),
        at_tuesday_morning,
    )
    # Then the fake Send API got the question with one quick reply per score, 0 to 10
    [sent] = [r for r in fakes.sent if r["path"].endswith("/messages") and r["status"] == 200]
    quick = sent["json"]["message"]["quick_replies"]
    assert "recommend" in sent["json"]["message"]["text"] and [q["title"] for q in quick] == [
        str(n) for n in range(11)
    ]
    survey = survey_of(case_id, lambda_context)[0]["survey"]
    assert quick[9]["payload"] == f"heard-survey:{survey['survey_id']}:9"
    # When the customer taps 9, Meta delivers it twice, and the customer taps 9 again
    at_tuesday_morning["now"] += timedelta(minutes=2)
    tap = messenger_tap("m_tap_1", quick[9]["payload"], at_tuesday_morning["now"])
    for body in (tap, tap, messenger_tap("m_tap_2", quick[9]["payload"], at_tuesday_morning["now"])):
        assert webhook("meta", body, at_tuesday_morning["now"], lambda_context)["statusCode"] == 200
    drain_ingest(aws, lambda_context)
    # Then the score is on the case once, which stays resolved
    case, answers = survey_of(case_id, lambda_context)
    assert (
        case["status"] == "resolved"
        and case["survey"]["score"] == 9
        and case["survey"]["answered_by"] == "button"
    )
    assert len(answers) == 1
    status, scores = api("GET", "/api/surveys/scores", role="supervisor", context=lambda_context)
    assert status == 200 and scores["kinds"][0]["overall"]["answers"] == 1
    # When a forged payload (another survey's id) arrives signed, it is ignored: nothing changes
    forged = messenger_tap("m_tap_3", "heard-survey:sv0000000000000000000:0", at_tuesday_morning["now"])
    assert webhook("meta", forged, at_tuesday_morning["now"], lambda_context)["statusCode"] == 200
    drain_ingest(aws, lambda_context)
    assert survey_of(case_id, lambda_context) == (case, answers)
    assert api("GET", "/api/cases", query="status=queued", context=lambda_context)[1]["items"] == []


def telegram_dm(at: datetime) -> Interaction:
    return Interaction(
        platform=Platform.TELEGRAM,
        kind=EventKind.MESSAGE,
        channel=Channel.DIRECT,
        platform_id="5:31",
        dedupe_key="telegram:update:900",
        author=Author(id="5", name="Mo Customer"),
        conversation_id="5",
        text="My refund never came and nobody answers",
        occurred_at=at,
        reply_context={"chat_id": "5", "message_id": "31"},
    )


def callback(update_id: int, query_id: str, keyboard: dict[str, Any], data: str) -> bytes:
    query = {
        "id": query_id,
        "from": {"id": 5, "is_bot": False, "first_name": "Mo"},
        "message": {
            "message_id": 41,
            "chat": {"id": 5, "type": "private"},
            "date": 1,
            "reply_markup": keyboard,
        },
        "chat_instance": "-77",
        "data": data,
    }
    return json.dumps({"update_id": update_id, "callback_query": query}).encode()


def test_a_telegram_survey_has_an_inline_keyboard_and_a_callback_query_is_answered_and_stored_once(
    aws, fakes, lambda_context, at_tuesday_morning
):
    # Given a resolved Telegram case whose CSAT survey went out
    case_id = resolve_and_survey(
        aws, lambda_context, telegram_dm(at_tuesday_morning["now"]), at_tuesday_morning
    )
    # Then the fake Bot API got sendMessage with an inline keyboard, one button per score 1 to 5
    [sent] = [r for r in fakes.sent if r["path"].endswith("/sendMessage")]
    keyboard = sent["json"]["reply_markup"]
    assert [b["text"] for b in keyboard["inline_keyboard"][0]] == ["1", "2", "3", "4", "5"]
    four = keyboard["inline_keyboard"][0][3]["callback_data"]
    # When the customer presses 4: Telegram delivers the update twice, and the customer presses again
    at_tuesday_morning["now"] += timedelta(minutes=2)
    for update_id, query_id in ((901, "q-1"), (901, "q-1"), (902, "q-2")):
        answer = webhook(
            "telegram",
            callback(update_id, query_id, keyboard, four),
            at_tuesday_morning["now"],
            lambda_context,
        )
        # Then each press is answered in the webhook's own reply (answerCallbackQuery: no call of ours)
        assert answer["statusCode"] == 200
        assert json.loads(answer["body"]) == {
            "method": "answerCallbackQuery",
            "callback_query_id": query_id,
            "text": "Thank you for your answer.",
        }
    drain_ingest(aws, lambda_context)
    # And the score is on the case once, which stays resolved
    case, answers = survey_of(case_id, lambda_context)
    assert case["status"] == "resolved" and case["survey"]["kind"] == "csat" and case["survey"]["score"] == 4
    assert len(answers) == 1 and case["survey"]["answer_text"] == "4"
    # And a forged callback_data (the right survey, a score outside the scale) changes nothing
    forged = four.rsplit(":", 1)[0] + ":9"
    assert (
        webhook(
            "telegram", callback(903, "q-3", keyboard, forged), at_tuesday_morning["now"], lambda_context
        )["statusCode"]
        == 200
    )
    drain_ingest(aws, lambda_context)
    assert survey_of(case_id, lambda_context) == (case, answers)
