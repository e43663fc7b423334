"""Issue 3's "Done when" over real HTTP against the local stack: a correctly signed delivery of each
platform's shape becomes exactly one case with the right platform and channel; an agent's reply reaches
the fake platform with the request shape that channel needs, and its timeline entry says "sent" with the
platform's message id. WhatsApp statuses for that reply update its delivery state; a wrongly signed
delivery for each non-Meta platform is refused with 401 and opens nothing.

Every test uses its own customer ids and texts, finds its case by customer id, and resolves what it
opened, because the stack is shared with the other end-to-end tests (the browser test takes "next case"
from a team queue)."""

from __future__ import annotations

import secrets
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.e2e.webclient import (
    call,
    case_detail,
    cases_of_customer,
    deliver,
    reply_entry,
    resolve_case,
    sent_to_fakes,
    wait_for,
)

pytestmark = pytest.mark.e2e

PAGE_ID = "104000000000001"
IG_ACCOUNT = "17841400000000001"
WA_PHONE_NUMBER_ID = "106540352242922"
X_ACCOUNT = "2244994945"
LINKEDIN_ORG = "urn:li:organization:2414183"
TELEGRAM_BOT_TOKEN = "123456:heard-local-bot"  # the local stack's default (infra/local/resources.py)


def _digits(n: int) -> str:
    """A random id of n digits that never passes the Luhn check: an id quoted in a message must not be
    masked as a card number at intake (1 in 10 random 13-19 digit ids would be)."""
    from shared.triage.pii import luhn_valid

    while luhn_valid(digits := str(10 ** (n - 1) + secrets.randbelow(9 * 10 ** (n - 1)))):
        pass
    return digits


def _word() -> str:
    # Letters only: no personal-data redaction (numbers, emails) can touch it in the case summary.
    return "".join(secrets.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


@dataclass
class Delivery:
    """One signed delivery of a platform's shape, what case it must open, and the reply request it needs."""

    webhook: str  # /webhooks/<webhook>
    payload: dict[str, Any] | list[Any]
    customer_id: str
    platform: str
    channel: str
    marker: str  # a word in the customer's text (and so in the case summary)
    reply_path: str | None = None  # the fake platform's path the reply must be POSTed to (None: no connector)
    reply_platform: str | None = None  # which fake: meta, x or telegram
    reply_shape: Callable[[dict[str, Any], str], None] | None = None  # asserts on (request JSON, reply text)


# ---- the platforms' shapes ---------------------------------------------------------------------------


def facebook_comment() -> Delivery:
    now, word = int(time.time()), _word()
    customer, post_id = _digits(16), f"{PAGE_ID}_{_digits(15)}"
    comment_id = f"{post_id.split('_')[1]}_{_digits(15)}"
    payload = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": now,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "from": {"id": customer, "name": "Dana Feed"},
                            "item": "comment",
                            "verb": "add",
                            "post_id": post_id,
                            "parent_id": post_id,
                            "comment_id": comment_id,
                            "created_time": now,
                            "message": f"My parcel never arrived and support is silent ({word})",
                        },
                    }
                ],
            }
        ],
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert body["message"] == text

    return Delivery(
        "meta", payload, customer, "facebook", "comment", word, f"/v21.0/{comment_id}/comments", "meta", shape
    )


def messenger_dm() -> Delivery:
    now_ms, word, customer = int(time.time() * 1000), _word(), _digits(16)
    payload = {
        "object": "page",
        "entry": [
            {
                "id": PAGE_ID,
                "time": now_ms,
                "messaging": [
                    {
                        "sender": {"id": customer},
                        "recipient": {"id": PAGE_ID},
                        "timestamp": now_ms,
                        "message": {
                            "mid": f"m_{_word()}{_digits(8)}",
                            "text": f"Hi, my refund is late, can you check? ({word})",
                        },
                    }
                ],
            }
        ],
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert body["recipient"] == {"id": customer}
        assert body["messaging_type"] == "RESPONSE"  # inside the 24 h window
        assert body["message"] == {"text": text}

    return Delivery(
        "meta", payload, customer, "messenger", "direct", word, f"/v21.0/{PAGE_ID}/messages", "meta", shape
    )


def instagram_comment() -> Delivery:
    word, customer, comment_id = _word(), _digits(17), _digits(17)
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT,
                "time": int(time.time()),
                "changes": [
                    {
                        "field": "comments",
                        "value": {
                            "id": comment_id,
                            "text": f"Wrong size delivered again ({word})",
                            "from": {"id": customer, "username": f"ig_{word}"},
                            "media": {"id": _digits(17), "media_product_type": "FEED"},
                        },
                    }
                ],
            }
        ],
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert body == {"message": text}

    return Delivery(
        "meta", payload, customer, "instagram", "comment", word, f"/v21.0/{comment_id}/replies", "meta", shape
    )


def instagram_dm() -> Delivery:
    now_ms, word, customer = int(time.time() * 1000), _word(), _digits(16)
    payload = {
        "object": "instagram",
        "entry": [
            {
                "id": IG_ACCOUNT,
                "time": now_ms,
                "messaging": [
                    {
                        "sender": {"id": customer},
                        "recipient": {"id": IG_ACCOUNT},
                        "timestamp": now_ms,
                        "message": {
                            "mid": f"aWdf{_word()}{_digits(10)}",
                            "text": f"Where is my order? ({word})",
                        },
                    }
                ],
            }
        ],
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert body["recipient"] == {"id": customer}
        assert body["messaging_type"] == "RESPONSE"
        assert body["message"] == {"text": text}

    return Delivery(
        "meta", payload, customer, "instagram", "direct", word, f"/v21.0/{IG_ACCOUNT}/messages", "meta", shape
    )


def whatsapp_text() -> Delivery:
    word, customer = _word(), "44" + _digits(10)
    payload = _whatsapp_value(
        customer,
        {
            "contacts": [{"profile": {"name": "Ines"}, "wa_id": customer}],
            "messages": [
                {
                    "from": customer,
                    "id": f"wamid.{_word().upper()}{_digits(8)}",
                    "timestamp": str(int(time.time())),
                    "type": "text",
                    "text": {"body": f"Is my parcel lost? ({word})"},
                }
            ],
        },
    )

    def shape(body: dict[str, Any], text: str) -> None:
        assert body["messaging_product"] == "whatsapp"
        assert body["to"] == customer
        assert body["type"] == "text"  # free-form: inside the 24 h customer-service window
        assert body["text"]["body"] == text

    return Delivery(
        "meta",
        payload,
        customer,
        "whatsapp",
        "direct",
        word,
        f"/v21.0/{WA_PHONE_NUMBER_ID}/messages",
        "meta",
        shape,
    )


def _whatsapp_value(customer: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550783881",
                                "phone_number_id": WA_PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def x_mention() -> Delivery:
    word, customer, tweet_id = _word(), _digits(12), _digits(19)
    payload = {
        "for_user_id": X_ACCOUNT,
        "tweet_create_events": [
            {
                "id_str": tweet_id,
                "text": f"@AcmeCare my train ticket refund is three weeks late ({word})",
                "in_reply_to_status_id_str": None,
                "timestamp_ms": str(int(time.time() * 1000)),
                "user": {
                    "id_str": customer,
                    "name": "Jo Traveller",
                    "screen_name": f"jo{word}",
                    "followers_count": 120,
                },
            }
        ],
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert body == {"text": text, "reply": {"in_reply_to_tweet_id": tweet_id}}

    return Delivery("x", payload, customer, "x", "mention", word, "/2/tweets", "x", shape)


def x_dm() -> Delivery:
    word, customer = _word(), _digits(12)
    payload = {
        "for_user_id": X_ACCOUNT,
        "direct_message_events": [
            {
                "type": "message_create",
                "id": _digits(19),
                "created_timestamp": str(int(time.time() * 1000)),
                "message_create": {
                    "target": {"recipient_id": X_ACCOUNT},
                    "sender_id": customer,
                    "message_data": {"text": f"My booking vanished from the app ({word})"},
                },
            }
        ],
        "users": {customer: {"id": customer, "name": "Jo DM", "screen_name": f"dm{word}"}},
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert body == {"text": text}

    return Delivery(
        "x",
        payload,
        customer,
        "x",
        "direct",
        word,
        f"/2/dm_conversations/with/{customer}/messages",
        "x",
        shape,
    )


def telegram_message() -> Delivery:
    word, customer, message_id = _word(), int(_digits(9)), int(_digits(4))
    payload = {
        "update_id": int(_digits(9)),
        "message": {
            "message_id": message_id,
            "date": int(time.time()),
            "from": {"id": customer, "is_bot": False, "first_name": "Kai", "username": f"kai{word}"},
            "chat": {"id": customer, "type": "private", "first_name": "Kai"},
            "text": f"Where is my order? Nobody answers ({word})",
        },
    }

    def shape(body: dict[str, Any], text: str) -> None:
        assert str(body["chat_id"]) == str(customer)
        assert body["reply_to_message_id"] == message_id
        assert body["text"] == text

    return Delivery(
        "telegram",
        payload,
        str(customer),
        "telegram",
        "direct",
        word,
        f"/bot{TELEGRAM_BOT_TOKEN}/sendMessage",
        "telegram",
        shape,
    )


def generic_review() -> Delivery:
    word, customer, review = _word(), f"tp-{_word()}", f"rv-{_word()}"
    payload = {
        "events": [
            {
                "source": "trustpilot",
                "id": review,
                "author": {"id": customer, "name": "Lee"},
                "text": f"Two stars: slow refund and no answer ({word})",
                "channel": "review",
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "rating": 2,
                "thread": "acme-uk",
            }
        ]
    }

    def shape(request: dict[str, Any], text: str) -> None:  # the bridge's callback (issue #16)
        assert (request["source"], request["in_reply_to"], request["text"]) == ("trustpilot", review, text)
        assert request["id"]  # Heard's reply id: the bridge drops a retry

    # Locally GENERIC_CALLBACK_URL points at the fakes, so the reply is posted to their /generic/
    return Delivery("generic", payload, customer, "generic", "review", word, "/", "generic", shape)


def linkedin_comment() -> Delivery:
    word, customer, activity = _word(), f"urn:li:person:{_word()}", _digits(19)
    comment = f"urn:li:comment:(urn:li:activity:{activity},{_digits(19)})"
    payload = {
        "type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS",
        "notifications": [
            {
                "notificationId": int(_digits(9)),
                "action": "COMMENT",
                "organizationalEntity": LINKEDIN_ORG,
                "sourcePost": f"urn:li:share:{activity}",
                "lastModifiedAt": int(time.time() * 1000),
                "generatedActivity": comment,
                "decoratedGeneratedActivity": {
                    "comment": {
                        "entity": comment,
                        "text": f"Your support line never picks up ({word})",
                        "owner": customer,
                    }
                },
            }
        ],
    }

    def shape(request: dict[str, Any], text: str) -> None:  # the organisation comments under theirs
        assert request == {
            "actor": LINKEDIN_ORG,
            "object": f"urn:li:activity:{activity}",
            "parentComment": comment,
            "message": {"text": text},
        }

    path = f"/rest/socialActions/{urllib.parse.quote(comment, safe='')}/comments"
    return Delivery("linkedin", payload, customer, "linkedin", "comment", word, path, "linkedin", shape)


SHAPES = {
    "facebook-comment": facebook_comment,
    "messenger-dm": messenger_dm,
    "instagram-comment": instagram_comment,
    "instagram-dm": instagram_dm,
    "whatsapp-text": whatsapp_text,
    "x-mention": x_mention,
    "x-dm": x_dm,
    "telegram-message": telegram_message,
    "generic-review": generic_review,
    "linkedin-comment": linkedin_comment,
}


# ---- fixtures and steps ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tokens(local_stack) -> dict[str, str]:
    return {role: local_stack.sign_in(email) for role, email in local_stack.users.items()}


def _open_case(stack: Any, token: str, delivery: Delivery) -> dict[str, Any]:
    """Deliver, let every function finish, and return the one case it opened."""
    answer = deliver(stack, delivery.webhook, delivery.payload)
    assert answer.status == 200, answer.body
    assert stack.drain_queues(timeout=15), "the queues did not drain"
    cases = cases_of_customer(stack, token, delivery.customer_id, status="queued")
    assert len(cases) == 1, cases
    return cases[0]


def _reply(stack: Any, token: str, case_id: str, text: str) -> dict[str, Any]:
    answer = call(
        stack.base_url, "POST", f"/api/cases/{case_id}/replies", token=token, json_body={"text": text}
    )
    assert answer.status == 202, answer.body
    reply: dict[str, Any] = answer.json()["reply"]
    assert reply["text"].startswith(text)  # Heard appends its contact line
    return reply


def _settled(stack: Any, token: str, case_id: str, entry_id: str) -> dict[str, Any]:
    """The reply's timeline entry once the dispatcher has finished with it."""
    assert stack.drain_queues(timeout=15), "the outbox did not drain"
    entry = wait_for(
        lambda: (e := reply_entry(stack, token, case_id, entry_id))
        and e["data"].get("delivery") not in ("queued", "sending", "retrying")
        and e,
        timeout=10,
    )
    assert entry, "the reply never left the outbox"
    return entry


# ---- the tests ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", list(SHAPES), ids=str)
def test_a_signed_delivery_becomes_a_case_and_the_reply_reaches_the_platform_in_its_shape(
    local_stack, tokens, shape
):
    # Given a correctly signed delivery of this platform's shape
    delivery = SHAPES[shape]()
    agent = tokens["agent"]
    # When it is delivered / Then exactly one case with the right platform and channel is opened
    case = _open_case(local_stack, agent, delivery)
    assert (case["platform"], case["channel"]) == (delivery.platform, delivery.channel)
    assert case["status"] == "queued"
    assert case["team"]
    assert delivery.marker in case["summary"]
    try:
        # When an agent answers it (answering a queued case makes it theirs)
        text = f"Sorry about this, we are on it ({_word()})."
        reply = _reply(local_stack, agent, case["case_id"], text)
        entry = _settled(local_stack, agent, case["case_id"], reply["entry_id"])
        # Then the fake platform received exactly one request, on the channel's endpoint, in its shape
        requests = sent_to_fakes(local_stack, text)
        assert len(requests) == 1, requests
        request = requests[0]
        assert (request["platform"], request["method"], request["path"]) == (
            delivery.reply_platform,
            "POST",
            delivery.reply_path,
        )
        assert delivery.reply_shape is not None
        delivery.reply_shape(request["json"], reply["text"])
        assert request["status"] in (200, 201), request
        # And the reply's timeline entry says it was sent, with the platform's message id
        assert entry["data"]["delivery"] == "sent", entry
        assert request["id"] and request["id"] in entry["data"]["platform_message_id"]
        owned = case_detail(local_stack, agent, case["case_id"])["case"]
        assert (owned["status"], owned["owner"]) == ("assigned", local_stack.users["agent"])
    finally:
        resolve_case(local_stack, agent, case["case_id"])


def _answered_on_whatsapp(stack: Any, token: str) -> tuple[Delivery, dict[str, Any], str, str]:
    """A WhatsApp customer's case answered by an agent and sent: (delivery, case, reply entry id, wamid)."""
    delivery = whatsapp_text()
    case = _open_case(stack, token, delivery)
    reply = _reply(stack, token, case["case_id"], f"Let me check that parcel ({_word()}).")
    sent = _settled(stack, token, case["case_id"], reply["entry_id"])
    assert sent["data"]["delivery"] == "sent"
    assert sent["data"]["platform_message_id"].startswith("wamid.")
    return delivery, case, reply["entry_id"], sent["data"]["platform_message_id"]


def _report_status(stack: Any, delivery: Delivery, wamid: str, state: str, at: int) -> None:
    """WhatsApp reports a state of our message (its own delivery, as the platform sends each)."""
    status = {"id": wamid, "status": state, "timestamp": str(at), "recipient_id": delivery.customer_id}
    answer = deliver(stack, "meta", _whatsapp_value(delivery.customer_id, {"statuses": [status]}))
    assert answer.status == 200, answer.body
    assert stack.drain_queues(timeout=15)


def _delivery_states(timeline: list[dict[str, Any]], wamid: str) -> list[str]:
    return [
        e["data"]["state"]
        for e in timeline
        if e["kind"] == "delivery" and e["data"].get("platform_id") == wamid
    ]


def test_whatsapp_statuses_update_the_sent_replys_delivery_state(local_stack, tokens):
    agent = tokens["agent"]
    # Given a reply sent to a WhatsApp customer
    delivery, case, entry_id, wamid = _answered_on_whatsapp(local_stack, agent)
    try:
        now = int(time.time())
        for offset, state in enumerate(("delivered", "read")):
            # When WhatsApp reports the message's new state
            _report_status(local_stack, delivery, wamid, state, now + offset)
            # Then the reply's delivery state follows it, and the timeline says so
            detail = case_detail(local_stack, agent, case["case_id"])
            entry = next(e for e in detail["timeline"] if e["entry_id"] == entry_id)
            assert entry["data"]["delivery"] == state
            assert _delivery_states(detail["timeline"], wamid)[-1] == state
        # And statuses never open a case of their own
        assert [c["case_id"] for c in cases_of_customer(local_stack, agent, delivery.customer_id)] == [
            case["case_id"]
        ]
    finally:
        resolve_case(local_stack, agent, case["case_id"])


def test_a_late_whatsapp_status_never_moves_the_reply_back(local_stack, tokens):
    agent = tokens["agent"]
    # Given a reply sent to a WhatsApp customer
    delivery, case, entry_id, wamid = _answered_on_whatsapp(local_stack, agent)
    try:
        # When "read" arrives first and "delivered" later (webhooks are not delivered in order)
        now = int(time.time())
        _report_status(local_stack, delivery, wamid, "read", now + 2)
        _report_status(local_stack, delivery, wamid, "delivered", now + 1)
        # Then the reply stays read, and the timeline records both reports in their own order
        detail = case_detail(local_stack, agent, case["case_id"])
        entry = next(e for e in detail["timeline"] if e["entry_id"] == entry_id)
        assert entry["data"]["delivery"] == "read"
        assert sorted(_delivery_states(detail["timeline"], wamid)) == ["delivered", "read"]
    finally:
        resolve_case(local_stack, agent, case["case_id"])


BAD_SIGNATURES = {
    "x": {"x-twitter-webhooks-signature": "sha256=bm90LXRoZS1zaWduYXR1cmU="},
    "telegram": {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret-token"},
    "linkedin": {"X-LI-Signature": "0" * 64},
    "generic": {"X-Heard-Signature": "sha256=" + "0" * 64},
}


@pytest.mark.parametrize(
    ("webhook", "shape"),
    [
        ("x", "x-mention"),
        ("telegram", "telegram-message"),
        ("linkedin", "linkedin-comment"),
        ("generic", "generic-review"),
    ],
)
def test_a_wrongly_signed_delivery_is_401_and_opens_nothing(local_stack, tokens, webhook, shape):
    # Given a well-formed delivery with a wrong signature (and one with none)
    delivery = SHAPES[shape]()
    headers = dict(BAD_SIGNATURES[webhook])
    if webhook == "generic":
        headers["X-Heard-Timestamp"] = str(int(time.time()))  # fresh: only the signature is wrong
    # When they are delivered / Then both are refused
    assert deliver(local_stack, webhook, delivery.payload, headers=headers).status == 401
    assert deliver(local_stack, webhook, delivery.payload, headers={}).status == 401
    # And nothing reaches a case
    assert local_stack.drain_queues(timeout=10)
    assert cases_of_customer(local_stack, tokens["agent"], delivery.customer_id) == []
