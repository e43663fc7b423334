"""What the chat notifier posts (issue #17): one message per event, as Slack or Teams expect it.

Pure functions. A message carries only what the event carries (docs/events.md: ids, states, times; the
escalating agent's address is the only person named, and it is staff's), never what a customer wrote, and
a link to the case or the crisis in the console. Slack's incoming webhooks take `{"text", "blocks"}` (Block
Kit); Teams' take a `MessageCard` (Office 365 connector card: `summary`, `title`, `sections[].facts`,
`potentialAction` OpenUri).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from shared.models.chat import ChatKind, ChatMessage
from shared.models.events import EventType

TEAMS_URGENT_COLOUR = "D13438"
TEAMS_COLOUR = "0078D7"
# Slack's limits: section text 3000 characters, a header 150; facts are short ids and states.
MAX_TITLE = 150
MAX_FACT = 200

_TITLES = {
    EventType.CASE_ESCALATED: "Urgent escalation",
    EventType.SLA_BREACHED: "First response overdue",
    EventType.CRISIS_DECLARED: "Crisis declared",
    EventType.CRISIS_UPDATED: "Crisis statement updated",
    EventType.CRISIS_ENDED: "Crisis ended",
}
# Which fields of the event's detail are shown, with their labels, in this order.
_CASE_FACTS = (
    ("case_id", "Case"),
    ("priority", "Priority"),
    ("topic", "Topic"),
    ("platform", "Platform"),
    ("team", "Team"),
    ("actor", "By"),
    ("at", "When"),
)
_CRISIS_FACTS = (
    ("crisis_id", "Crisis"),
    ("crisis_type", "Type"),
    ("status", "Status"),
    ("statement_version", "Statement version"),
    ("status_url", "Status page"),
    ("actor", "By"),
    ("at", "When"),
)


def _facts(detail: Mapping[str, Any], fields: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return [
        (label, str(detail[name])[:MAX_FACT]) for name, label in fields if detail.get(name) not in (None, "")
    ]


def console_link(console_url: str | None, detail: Mapping[str, Any]) -> str | None:
    """The case's page, or the crises page, in the console (None where no console address is known)."""
    if not console_url:
        return None
    base = console_url.rstrip("/")
    if detail.get("case_id"):
        return f"{base}/#/cases/{quote(str(detail['case_id']), safe='')}"
    return f"{base}/#/crises"


def message_for(kind: EventType, detail: Mapping[str, Any], console_url: str | None) -> ChatMessage:
    """The message for one event of a kind the notifier sends (`NOTIFIABLE`)."""
    title = _TITLES[kind]
    if "crisis_id" in detail and kind is not EventType.CASE_ESCALATED:
        facts = _facts(detail, _CRISIS_FACTS)
        if detail.get("crisis_type"):
            title = f"{title}: {detail['crisis_type']}"
    else:
        facts = _facts(detail, _CASE_FACTS)
    urgent = kind is not EventType.CRISIS_ENDED
    return ChatMessage(
        title=title[:MAX_TITLE], facts=facts, link=console_link(console_url, detail), urgent=urgent
    )


def trial_message(console_url: str | None, admin: str) -> ChatMessage:
    return ChatMessage(
        title="Heard test message",
        facts=[("Sent by", admin), ("Means", "Heard's urgent escalations and crises will arrive here")],
        link=console_url.rstrip("/") + "/#/admin" if console_url else None,
        urgent=False,
    )


def _plain(message: ChatMessage) -> str:
    lines = [message.title, *(f"{label}: {value}" for label, value in message.facts)]
    if message.link:
        lines.append(f"{message.link_label}: {message.link}")
    return "\n".join(lines)


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn treats &, < and > as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: ChatMessage) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title, "emoji": False}},
    ]
    if message.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_slack_escape(label)}*\n{_slack_escape(value)}"}
                    for label, value in message.facts[:10]  # Slack allows ten fields a section
                ],
            }
        )
    if message.link:
        button = {"type": "plain_text", "text": message.link_label}
        blocks.append(
            {"type": "actions", "elements": [{"type": "button", "text": button, "url": message.link}]}
        )
    return {"text": _plain(message), "blocks": blocks}


def teams_payload(message: ChatMessage) -> dict[str, Any]:
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": message.title,
        "themeColor": TEAMS_URGENT_COLOUR if message.urgent else TEAMS_COLOUR,
        "title": message.title,
        "sections": [{"facts": [{"name": label, "value": value} for label, value in message.facts]}],
    }
    if message.link:
        card["potentialAction"] = [
            {
                "@type": "OpenUri",
                "name": message.link_label,
                "targets": [{"os": "default", "uri": message.link}],
            }
        ]
    return card


def payload(kind: ChatKind, message: ChatMessage) -> dict[str, Any]:
    return slack_payload(message) if kind == "slack" else teams_payload(message)
