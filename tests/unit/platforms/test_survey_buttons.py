"""Survey quick-answer buttons (R21): the payload, each platform's outbound shape (checked by the local fakes,
which check what the real APIs check), each platform's inbound parsing, and forged payloads."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.models.survey import SurveyKind
from shared.platforms.fakes import FakeContext, Refused
from shared.platforms.meta.fake import FakeMeta
from shared.platforms.meta.inbound import MetaAdapter
from shared.platforms.outbound import Choice, HttpResponse, send_reply
from shared.platforms.telegram.fake import FakeTelegram
from shared.platforms.telegram.inbound import TelegramAdapter
from shared.rules.survey_answers import button_payload, parse_answer, read_button
from shared.usecases.surveys import choices
from tests.unit.platforms.test_windows_and_outbound import CREDS, NOW, SETTINGS, reply

SURVEY = "sv1m8y45p9tq9w1dfwf07"
RECEIVED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


def buttons(kind: SurveyKind) -> tuple[Choice, ...]:
    return tuple(Choice.model_validate(c) for c in choices(SURVEY, kind))


class ThroughFake:
    """A transport that hands each request to a platform's local fake, as the local stack does."""

    def __init__(self, fake, prefix: str) -> None:
        self.fake, self.prefix, self.requests = fake, prefix, []
        self.ids = iter(range(1, 100))

    def __call__(self, method, url, *, headers, body):
        payload = json.loads(body)
        self.requests.append(payload)
        ctx = FakeContext(lambda: next(self.ids), lambda: True)
        path = url.removeprefix(self.prefix)
        try:
            answer = self.fake.handle(ctx, method, path, payload, headers.get("Authorization", "x"))
        except Refused as refused:
            return HttpResponse(refused.status, json.dumps(refused.body).encode())
        return HttpResponse(200, json.dumps(answer).encode())


# ---- the payload --------------------------------------------------------------------------------------


@given(st.sampled_from(list(SurveyKind)), st.data())
def test_a_buttons_payload_names_its_survey_and_score_and_fits_telegrams_64_bytes(kind, data):
    score = data.draw(st.integers(kind.lowest, kind.highest))
    payload = button_payload(SURVEY, score)
    assert read_button(payload) == (SURVEY, score) and len(payload.encode()) <= 64
    assert parse_answer("anything", kind, payload) == score


@pytest.mark.parametrize(
    "forged",
    [
        "heard-survey:",
        f"heard-survey:{SURVEY}",
        f"heard-survey:{SURVEY}:",
        f"heard-survey:{SURVEY}:abc",
        f"heard-survey:{SURVEY}:100",
        f"heard-survey:{SURVEY}:9:9",
        f"heard-survey:{SURVEY.upper()}:9",
        "heard-survey:../../etc:9",
        f"heard-survey:{SURVEY}:9\n",
    ],
)
def test_a_forged_or_truncated_payload_is_no_answer(forged):
    assert read_button(forged) is None
    assert parse_answer("9", SurveyKind.NPS, forged) is None


def test_a_score_outside_the_scale_is_no_answer():
    assert parse_answer("", SurveyKind.CSAT, button_payload(SURVEY, 9)) is None


# ---- outbound, through the fakes -------------------------------------------------------------------------


def test_messenger_and_instagram_dms_carry_quick_replies():
    transport = ThroughFake(FakeMeta(), "https://graph.test")
    for platform in ("messenger", "instagram"):
        survey = reply(platform, "direct", {"page_id": "9", "recipient_id": "psid"}).model_copy(
            update={"choices": buttons(SurveyKind.NPS)}
        )
        assert send_reply(survey, CREDS, SETTINGS, transport, now=NOW).state == "sent"
    quick = transport.requests[0]["message"]["quick_replies"]
    assert [q["title"] for q in quick] == [str(n) for n in range(11)]
    assert quick[9] == {"content_type": "text", "title": "9", "payload": f"heard-survey:{SURVEY}:9"}
    # The fake refuses what the Send API refuses: more than 13 quick replies
    too_many = {"recipient": {"id": "p"}, "messaging_type": "RESPONSE", "message": {"text": "?"}}
    too_many["message"]["quick_replies"] = [{"content_type": "text", "title": "x", "payload": "y"}] * 14
    with pytest.raises(Refused):
        FakeMeta().handle(FakeContext(lambda: 1, lambda: True), "POST", "/v21.0/9/messages", too_many, "t")


def test_public_comments_and_x_send_the_text_alone():
    transport = ThroughFake(FakeMeta(), "https://graph.test")
    public = reply("facebook", "comment", {"comment_id": "1_2"}).model_copy(
        update={"choices": buttons(SurveyKind.CSAT)}
    )
    send_reply(public, CREDS, SETTINGS, transport, now=NOW)
    assert transport.requests == [{"message": public.text}]


def test_whatsapp_csat_is_a_list_three_options_are_buttons_nps_is_text():
    transport = ThroughFake(FakeMeta(), "https://graph.test")
    base = reply("whatsapp", "direct", {"phone_number_id": "55", "to": "4477"})
    csat = send_reply(
        base.model_copy(update={"choices": buttons(SurveyKind.CSAT)}), CREDS, SETTINGS, transport, now=NOW
    )
    three = base.model_copy(update={"choices": buttons(SurveyKind.CSAT)[:3]})
    send_reply(three, CREDS, SETTINGS, transport, now=NOW)
    nps = send_reply(
        base.model_copy(update={"choices": buttons(SurveyKind.NPS)}), CREDS, SETTINGS, transport, now=NOW
    )
    listed, pressed, typed = transport.requests
    assert csat.via == "interactive" and listed["interactive"]["type"] == "list"
    rows = listed["interactive"]["action"]["sections"][0]["rows"]
    assert [r["id"] for r in rows] == [f"heard-survey:{SURVEY}:{n}" for n in range(1, 6)]
    assert (
        pressed["interactive"]["type"] == "button" and len(pressed["interactive"]["action"]["buttons"]) == 3
    )
    assert nps.via == "text" and typed["type"] == "text"  # 11 options: more than a list holds


def test_whatsapp_outside_its_window_sends_the_template():
    transport = ThroughFake(FakeMeta(), "https://graph.test")
    late = reply("whatsapp", "direct", {"phone_number_id": "55", "to": "4477"}, hours_ago=30)
    result = send_reply(
        late.model_copy(update={"choices": buttons(SurveyKind.CSAT)}), CREDS, SETTINGS, transport, now=NOW
    )
    assert result.via == "template" and transport.requests[0]["type"] == "template"


def test_telegram_sends_an_inline_keyboard_of_two_rows_for_nps():
    transport = ThroughFake(FakeTelegram(), "https://tg.test")
    survey = reply("telegram", "direct", {"chat_id": "5"}).model_copy(
        update={"choices": buttons(SurveyKind.NPS)}
    )
    assert send_reply(survey, CREDS, SETTINGS, transport, now=NOW).state == "sent"
    rows = transport.requests[0]["reply_markup"]["inline_keyboard"]
    assert [len(r) for r in rows] == [6, 5]
    assert rows[1][-1] == {"text": "10", "callback_data": f"heard-survey:{SURVEY}:10"}
    # The fake refuses callback_data over 64 bytes, as Telegram does
    bad = {
        "chat_id": 5,
        "text": "?",
        "reply_markup": {"inline_keyboard": [[{"text": "1", "callback_data": "x" * 65}]]},
    }
    with pytest.raises(Refused):
        FakeTelegram().handle(FakeContext(lambda: 1, lambda: True), "POST", "/bot1:tg/sendMessage", bad, None)


# ---- inbound ------------------------------------------------------------------------------------------


def test_messenger_quick_reply_payload_reaches_the_interaction():
    body = {
        "object": "page",
        "entry": [
            {
                "id": "9",
                "time": 1768046400000,
                "messaging": [
                    {
                        "sender": {"id": "psid"},
                        "recipient": {"id": "9"},
                        "timestamp": 1768046400000,
                        "message": {
                            "mid": "m1",
                            "text": "9",
                            "quick_reply": {"payload": button_payload(SURVEY, 9)},
                        },
                    }
                ],
            }
        ],
    }
    [message] = (
        MetaAdapter().parse(json.dumps(body).encode(), received_at=RECEIVED, archive_key=None).interactions
    )
    assert message.extra["quick_reply"] == f"heard-survey:{SURVEY}:9" and message.text == "9"


@pytest.mark.parametrize("kind", ["button_reply", "list_reply"])
def test_whatsapp_interactive_replies_reach_the_interaction(kind):
    pressed = {
        "type": "interactive",
        "interactive": {"type": kind, kind: {"id": button_payload(SURVEY, 4), "title": "4"}},
    }
    message = {"from": "4477", "id": "wamid.1", "timestamp": "1768046400", **pressed}
    value = {"metadata": {"phone_number_id": "55"}, "messages": [message]}
    body = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "w", "changes": [{"field": "messages", "value": value}]}],
    }
    [interaction] = (
        MetaAdapter().parse(json.dumps(body).encode(), received_at=RECEIVED, archive_key=None).interactions
    )
    assert interaction.extra["quick_reply"] == f"heard-survey:{SURVEY}:4" and interaction.text == "4"


def callback_update(data: str, update_id: int = 70, query_id: str = "q1") -> bytes:
    keyboard = {"inline_keyboard": [[{"text": "Great (5)", "callback_data": button_payload(SURVEY, 5)}]]}
    query = {
        "id": query_id,
        "from": {"id": 5, "first_name": "Mo", "is_bot": False},
        "message": {
            "message_id": 40,
            "chat": {"id": 5, "type": "private"},
            "date": 1768046400,
            "reply_markup": keyboard,
        },
        "chat_instance": "ci",
        "data": data,
    }
    return json.dumps({"update_id": update_id, "callback_query": query}).encode()


def test_a_telegram_callback_query_is_the_customers_answer_and_is_answered_in_the_webhooks_reply():
    parsed = TelegramAdapter().parse(
        callback_update(button_payload(SURVEY, 5)), received_at=RECEIVED, archive_key=None
    )
    [pressed] = parsed.interactions
    assert pressed.conversation_id == "5" and pressed.author.id == "5" and pressed.text == "Great (5)"
    assert pressed.extra["quick_reply"] == f"heard-survey:{SURVEY}:5" and pressed.platform_id == "callback:q1"
    assert parsed.answer == {
        "method": "answerCallbackQuery",
        "callback_query_id": "q1",
        "text": "Thank you for your answer.",
    }


def test_any_other_callback_query_is_answered_without_thanks_and_a_malformed_one_is_counted():
    parsed = TelegramAdapter().parse(
        callback_update("something-else"), received_at=RECEIVED, archive_key=None
    )
    assert parsed.answer == {"method": "answerCallbackQuery", "callback_query_id": "q1"}
    broken = json.dumps({"update_id": 71, "callback_query": {"id": "q2", "data": "x"}}).encode()
    parsed = TelegramAdapter().parse(broken, received_at=RECEIVED, archive_key=None)
    assert parsed.interactions == [] and parsed.invalid_events == 1
