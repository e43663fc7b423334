"""Meta's outbound connector: Graph API replies for Facebook Pages, Messenger, Instagram and WhatsApp."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from shared.errors import PlatformError, RateLimited, WindowClosed
from shared.platforms.outbound import (
    HttpResponse,
    OutboundReply,
    PlatformUnavailable,
    SendResult,
    Transport,
    need_context,
    post_json,
    require_token,
)
from shared.rules.windows import free_form_until, is_open

# Graph error codes that mean "slow down" (app, user, page, Send API and WhatsApp throughput limits).
META_RATE_LIMIT_CODES = {
    4,
    17,
    32,
    613,
    80001,
    80002,
    80003,
    80004,
    80005,
    80006,
    80008,
    80014,
    130429,
    131048,
    131056,
}
META_TRANSIENT_CODES = {1, 2}  # "unknown error" / "service temporarily unavailable": retry
# (code, subcode) pairs and codes Meta uses for "outside the allowed window".
META_WINDOW_SUBCODES = {2018278, 2018108, 2534022}
META_WINDOW_CODES = {131047}  # WhatsApp re-engagement: more than 24 h since the customer wrote


def send(reply: OutboundReply, creds: Any, graph: str, transport: Transport, now: datetime) -> SendResult:
    """Reply through the Graph API: Page comments, Messenger and Instagram DMs, WhatsApp."""
    token = require_token(creds.meta_page_token, "META_PAGE_TOKEN")
    platform, channel = reply.platform, reply.channel
    if platform == "whatsapp":
        return _whatsapp(reply, creds, graph, token, transport, now)
    if channel == "direct":
        page = need_context(reply, "page_id")
        recipient = {"id": need_context(reply, "recipient_id")}
        payload: dict[str, Any] = {"recipient": recipient, "message": _dm_message(reply)}
        if is_open(free_form_until(platform, channel, reply.last_customer_at), now):
            payload["messaging_type"], via = "RESPONSE", "response"
        else:  # between 24 h and 7 days only a human agent may answer, and must say so with the tag
            payload["messaging_type"], payload["tag"], via = "MESSAGE_TAG", "HUMAN_AGENT", "human_agent"
        answer = _meta_call(transport, f"{graph}/{page}/messages", payload, token)
        sent = SendResult(platform_message_id=_meta_id(answer, "message_id"), state="sent", via=via)
        return _then_image(reply, payload, f"{graph}/{page}/messages", token, transport, sent)
    if reply.private:  # public comment -> one private message to its author
        page = need_context(reply, "page_id", "ig_account_id")
        comment = need_context(reply, "comment_id")
        payload = {"recipient": {"comment_id": comment}, "message": {"text": reply.text}}
        answer = _meta_call(transport, f"{graph}/{page}/messages", payload, token)
        return SendResult(
            platform_message_id=_meta_id(answer, "message_id"), state="sent", via="private_reply"
        )
    if platform == "instagram" and channel == "mention":
        account = need_context(reply, "ig_account_id")
        payload = {"media_id": need_context(reply, "media_id"), "message": reply.text}
        if reply.reply_context.get("comment_id"):
            payload["comment_id"] = reply.reply_context["comment_id"]
        answer = _meta_call(transport, f"{graph}/{account}/mentions", payload, token)
        return SendResult(platform_message_id=_meta_id(answer, "id"), state="sent", via="mention_reply")
    if platform == "instagram":  # Instagram replies attach to the top-level comment only
        target = need_context(reply, "reply_to_comment_id", "comment_id")
        answer = _meta_call(transport, f"{graph}/{target}/replies", {"message": reply.text}, token)
        return SendResult(platform_message_id=_meta_id(answer, "id"), state="sent", via="comment_reply")
    target = need_context(reply, "comment_id", "post_id")
    answer = _meta_call(transport, f"{graph}/{target}/comments", {"message": reply.text}, token)
    return SendResult(platform_message_id=_meta_id(answer, "id"), state="sent", via="comment")


QUICK_REPLIES_MAX = 13  # Messenger and Instagram show at most 13 quick replies


def _dm_message(reply: OutboundReply) -> dict[str, Any]:
    """A DM's text, with its quick-answer buttons as quick replies (the customer's tap sends the payload
    back on the message event as `quick_reply.payload`)."""
    message: dict[str, Any] = {"text": reply.text}
    if reply.choices and len(reply.choices) <= QUICK_REPLIES_MAX:
        message["quick_replies"] = [
            {"content_type": "text", "title": c.title, "payload": c.payload} for c in reply.choices
        ]
    return message


def _then_image(
    reply: OutboundReply,
    text_payload: dict[str, Any],
    url: str,
    token: str,
    transport: Transport,
    sent: SendResult,
) -> SendResult:
    """Messenger and Instagram DMs carry text or an attachment, not both: the image follows the text as
    its own message. Once the text is out, a failed image is reported, never retried (a retry would send
    the text again)."""
    if reply.image is None:
        return sent
    attachment = {"type": "image", "payload": {"url": reply.image.url, "is_reusable": False}}
    payload = {**text_payload, "message": {"attachment": attachment}}
    try:
        _meta_call(transport, url, payload, token)
    except (PlatformError, RateLimited) as error:  # the text is out: never a retry
        return sent.model_copy(update={"image_error": f"the image was not sent: {error}"})
    return sent


def _whatsapp(
    reply: OutboundReply, creds: Any, graph: str, token: str, transport: Transport, now: datetime
) -> SendResult:
    phone_number_id = need_context(reply, "phone_number_id")
    payload: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": need_context(reply, "to"),
    }
    window_open = is_open(free_form_until("whatsapp", "direct", reply.last_customer_at), now)
    interactive = whatsapp_interactive(reply) if window_open and reply.image is None else None
    if reply.image is not None and not window_open:
        raise PlatformError("WhatsApp takes an image only inside the 24 h window; send the text alone")
    if reply.image is not None:  # the text is the image's caption: one message
        payload.update(type="image", image={"link": reply.image.url, "caption": reply.text[:1024]})
        via = "image"
    elif interactive is not None:
        payload.update(type="interactive", interactive=interactive)
        via = "interactive"
    elif window_open:
        payload.update(type="text", text={"body": reply.text, "preview_url": False})
        via = "text"
    else:  # outside the customer-service window only an approved template is delivered
        payload.update(
            type="template",
            template={
                "name": creds.whatsapp_template,
                "language": {"code": creds.whatsapp_template_language},
                "components": [{"type": "body", "parameters": [{"type": "text", "text": reply.text[:1024]}]}],
            },
        )
        via = "template"
    answer = _meta_call(transport, f"{graph}/{phone_number_id}/messages", payload, token)
    data = answer.json()
    messages = data.get("messages") if isinstance(data, dict) else None
    if (
        not isinstance(messages, list)
        or not messages
        or not isinstance(messages[0], dict)
        or not messages[0].get("id")
    ):
        raise PlatformError("WhatsApp accepted the request but returned no message id")
    return SendResult(platform_message_id=str(messages[0]["id"]), state="sent", via=via)


WA_BUTTONS_MAX = 3  # reply buttons of an interactive message
WA_ROWS_MAX = 10  # rows of an interactive list, all sections together
WA_BODY_MAX = 1024


def whatsapp_interactive(reply: OutboundReply) -> dict[str, Any] | None:
    """WhatsApp's interactive message for the reply's buttons: up to 3 reply buttons, else a list of up to
    10 rows (a 1-5 CSAT); None when there are none or more than a list holds (a 0-10 NPS: the text asks for
    a number) or the text is longer than an interactive body."""
    choices = reply.choices
    if not choices or len(choices) > WA_ROWS_MAX or len(reply.text) > WA_BODY_MAX:
        return None
    body = {"text": reply.text}
    if len(choices) <= WA_BUTTONS_MAX:
        buttons = [{"type": "reply", "reply": {"id": c.payload, "title": c.title}} for c in choices]
        return {"type": "button", "body": body, "action": {"buttons": buttons}}
    rows = [{"id": c.payload, "title": c.title} for c in choices]
    section = {"title": "Your answer", "rows": rows}
    return {"type": "list", "body": body, "action": {"button": "Choose", "sections": [section]}}


def _meta_call(transport: Transport, url: str, payload: dict[str, Any], token: str) -> HttpResponse:
    return meta_answer(post_json(transport, url, payload, token))


def meta_answer(answer: HttpResponse, what: str = "reply") -> HttpResponse:
    """Graph's answer, or the domain error it means (rate limit, window, transient, refusal)."""
    if 200 <= answer.status < 300:
        return answer
    data = answer.json()
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    message = str(error.get("message") or f"HTTP {answer.status}")[:500]
    if answer.status == 429 or code in META_RATE_LIMIT_CODES:
        raise RateLimited(
            f"Meta rate limit (code {code}): {message}", retry_after_seconds=_meta_backoff(answer)
        )
    if code in META_WINDOW_CODES or subcode in META_WINDOW_SUBCODES:
        raise WindowClosed(f"Meta refused the reply as outside its messaging window: {message}")
    if answer.status >= 500 or code in META_TRANSIENT_CODES or error.get("is_transient") is True:
        raise PlatformUnavailable(f"Meta is temporarily unavailable: {message}", retry_after_seconds=30)
    raise PlatformError(f"Meta refused the {what} (HTTP {answer.status}, code {code}): {message}")


def _meta_backoff(answer: HttpResponse) -> int:
    # X-Business-Use-Case-Usage / X-App-Usage carry estimated_time_to_regain_access in minutes.
    for name in ("X-Business-Use-Case-Usage", "X-Ad-Account-Usage"):
        raw = answer.header(name)
        if not raw:
            continue
        try:
            usage = json.loads(raw)
        except ValueError:
            continue
        minutes = [
            entry.get("estimated_time_to_regain_access", 0)
            for entries in (usage.values() if isinstance(usage, dict) else [])
            for entry in (entries if isinstance(entries, list) else [])
            if isinstance(entry, dict) and isinstance(entry.get("estimated_time_to_regain_access"), int)
        ]
        if minutes and max(minutes) > 0:
            return max(minutes) * 60
    return 60


def _meta_id(answer: HttpResponse, key: str) -> str:
    data = answer.json()
    value = data.get(key) if isinstance(data, dict) else None
    if not value:
        raise PlatformError(f"Meta accepted the request but returned no {key}")
    return str(value)
