"""A local fake of Meta's Graph API: comments, replies, the Send API, WhatsApp, subscribed_apps."""

from __future__ import annotations

import re
from typing import Any

from shared.platforms.fakes import FakeContext, Refused, text_at

GRAPH_VERSION = "v21.0"


def graph_error(message: str, code: int = 100, status: int = 400, subcode: int | None = None) -> Refused:
    error: dict[str, Any] = {
        "message": message,
        "type": "OAuthException",
        "code": code,
        "fbtrace_id": "FAKEtrace",
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return Refused(status, {"error": error})


def _dict(value: Any, key: str) -> dict[str, Any]:
    found = value.get(key) if isinstance(value, dict) else None
    return found if isinstance(found, dict) else {}


def _list(value: Any, key: str) -> list[dict[str, Any]]:
    found = value.get(key) if isinstance(value, dict) else None
    return [item for item in found if isinstance(item, dict)] if isinstance(found, list) else []


def _check_quick_replies(body: dict[str, Any]) -> None:
    """The Send API's quick replies: at most 13, each a text button with a title (20) and payload (1000)."""
    message = _dict(body, "message")
    if "quick_replies" not in message:
        return
    quick = _list(message, "quick_replies")
    if not 1 <= len(quick) <= 13:
        raise graph_error("(#100) quick_replies must be a list of 1 to 13 items")
    for item in quick:
        title, payload = text_at(item, "title"), text_at(item, "payload")
        if item.get("content_type") != "text" or not title or len(title) > 20:
            raise graph_error("(#100) a text quick reply needs a title of at most 20 characters")
        if not payload or len(payload) > 1000:
            raise graph_error("(#100) a text quick reply needs a payload of at most 1000 characters")


def _check_interactive(interactive: Any) -> None:
    """WhatsApp's interactive message: reply buttons (1-3, titles of 20) or a list (1-10 rows, titles of 24,
    ids of 200, and the list's button label), with a body text of at most 1024 characters."""
    interactive = interactive if isinstance(interactive, dict) else {}
    body = text_at(interactive, "body", "text") or ""
    if not body or len(body) > 1024:
        raise graph_error("(#100) interactive['body']['text'] of 1 to 1024 characters is required.")
    action = _dict(interactive, "action")
    kind = interactive.get("type")
    if kind == "button":
        options, most, longest = [_dict(b, "reply") for b in _list(action, "buttons")], 3, 20
    elif kind == "list" and text_at(action, "button"):
        options, most, longest = [r for s in _list(action, "sections") for r in _list(s, "rows")], 10, 24
    else:
        raise graph_error("(#100) interactive type button, or list with action.button", code=131009)
    titles, ids = [text_at(o, "title") or "" for o in options], [text_at(o, "id") or "" for o in options]
    if not 1 <= len(titles) <= most or any(not t or len(t) > longest for t in titles):
        raise graph_error(f"(#100) 1 to {most} options, titles of at most {longest} characters", code=131009)
    if any(not i or len(i) > 200 for i in ids) or len(set(ids)) != len(ids):
        raise graph_error("(#100) option ids must be unique and at most 200 characters", code=131009)


class FakeMeta:
    prefix = f"/{GRAPH_VERSION}"
    created_status = 200

    def handle(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any], token: str | None
    ) -> dict[str, Any]:
        if not token:
            raise graph_error("An access token is required to request this resource.", code=104)
        moderated = self._moderation(ctx, method, path, body)
        if moderated is not None:
            return moderated
        match = re.fullmatch(
            rf"/{GRAPH_VERSION}/([^/]+)/(comments|replies|messages|mentions|subscribed_apps)", path
        )
        if not match:
            raise graph_error(f"Unknown path components: {path}", code=2500)
        object_id, edge = match.groups()
        if edge == "subscribed_apps" and method == "GET":
            ok = ctx.subscribed()
            return {
                "data": [{"id": "fake-app", "name": "Heard", "subscribed_fields": ["feed", "messages"]}]
                if ok
                else []
            }
        if method != "POST":
            raise graph_error("Unsupported method", code=100)
        if edge in ("comments", "replies"):
            if not text_at(body, "message"):
                raise graph_error("(#100) The parameter message is required")
            return {"id": f"{object_id}_{ctx.next_id()}"}
        if edge == "mentions":
            if not text_at(body, "media_id") or not text_at(body, "message"):
                raise graph_error("(#100) media_id and message are required")
            return {"id": f"{ctx.next_id()}"}
        if body.get("messaging_product") == "whatsapp":
            return self._whatsapp(ctx, body)
        return self._send_api(ctx, body)

    def _moderation(
        self, ctx: FakeContext, method: str, path: str, body: dict[str, Any]
    ) -> dict[str, Any] | None:
        """Hide/unhide (`POST /{comment}` with is_hidden or hide), delete (`DELETE /{comment}`), block and
        unblock (`POST`/`DELETE /{page}/blocked` with user); None for any other path."""
        blocked = re.fullmatch(rf"/{GRAPH_VERSION}/([^/]+)/blocked", path)
        if blocked:
            if not text_at(body, "user"):
                raise graph_error("(#100) The parameter user is required")
            return {"success": True}
        single = re.fullmatch(rf"/{GRAPH_VERSION}/([^/]+)", path)
        if not single:
            return None
        if method == "GET":  # an Instagram mention's comment or media: text, caption and author
            object_id = single.group(1)
            return {
                "id": object_id,
                "text": f"Loving the new store @heard {object_id}",
                "caption": f"Look who we found @heard {object_id}",
                "username": f"fan_{object_id}"[:30],
                "from": {"id": f"ig-user-{object_id}", "username": f"fan_{object_id}"[:30]},
                # WhatsApp media by id: where to fetch it (with the token)
                "url": f"{ctx.base_url}/_media/{object_id}.png",
                "mime_type": "image/png",
                "messaging_product": "whatsapp",
            }
        if method == "DELETE":
            return {"success": True}
        if method == "POST" and any(isinstance(body.get(k), bool) for k in ("is_hidden", "hide")):
            return {"success": True}
        raise graph_error("(#100) is_hidden (Facebook) or hide (Instagram) must be true or false")

    def _send_api(self, ctx: FakeContext, body: dict[str, Any]) -> dict[str, Any]:
        recipient: dict[str, Any] = body["recipient"] if isinstance(body.get("recipient"), dict) else {}
        text = text_at(body, "message", "text")
        image = text_at(body, "message", "attachment", "payload", "url")
        if image and text:
            raise graph_error("(#100) Only one of text or attachment can be specified")
        if not text and not (image and text_at(body, "message", "attachment", "type") == "image"):
            raise graph_error(
                "(#100) message.text or message.attachment (type image, payload.url) is required"
            )
        if text and len(text) > 2000:
            raise graph_error("(#100) Param message[text] must be UTF-8 encoded string of at most 2000 chars")
        _check_quick_replies(body)
        if text_at(recipient, "comment_id"):
            return {
                "recipient_id": f"psid-for-{recipient['comment_id']}",
                "message_id": f"m_fake_{ctx.next_id()}",
            }
        if not text_at(recipient, "id"):
            raise graph_error("(#100) The parameter recipient is required")
        kind = body.get("messaging_type")
        if kind not in ("RESPONSE", "UPDATE", "MESSAGE_TAG"):
            raise graph_error("(#100) messaging_type must be RESPONSE, UPDATE or MESSAGE_TAG")
        if kind == "MESSAGE_TAG" and body.get("tag") not in (
            "HUMAN_AGENT",
            "ACCOUNT_UPDATE",
            "CONFIRMED_EVENT_UPDATE",
            "POST_PURCHASE_UPDATE",
        ):
            raise graph_error("(#100) tag is required with messaging_type MESSAGE_TAG")
        return {"recipient_id": recipient["id"], "message_id": f"m_fake_{ctx.next_id()}"}

    def _whatsapp(self, ctx: FakeContext, body: dict[str, Any]) -> dict[str, Any]:
        to = text_at(body, "to")
        if not to:
            raise graph_error("(#100) The parameter to is required.")
        if body.get("type") == "text":
            if not text_at(body, "text", "body"):
                raise graph_error("(#100) The parameter text['body'] is required.")
        elif body.get("type") == "image":
            if not text_at(body, "image", "link") and not text_at(body, "image", "id"):
                raise graph_error("(#100) The parameter image['link'] or image['id'] is required.")
        elif body.get("type") == "interactive":
            _check_interactive(body.get("interactive"))
        elif body.get("type") == "template":
            if not text_at(body, "template", "name") or not text_at(body, "template", "language", "code"):
                raise graph_error("(#100) template name and language.code are required.")
        else:
            raise graph_error("(#100) Unsupported message type", code=131009)
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.FAKE{ctx.next_id():08d}"}],
        }

    def failure(self, kind: str) -> Refused:
        if kind == "rate_limit":
            return graph_error("(#4) Application request limit reached", code=4, status=400)
        return graph_error("(#100) Invalid parameter", code=100)
