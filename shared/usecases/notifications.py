"""Per-agent notifications: what happened that one agent should know about (a case handed to them, an
@mention, their reply approved, sent back or refused, a follow-up due on their case)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from shared import clock
from shared.errors import Unavailable
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.notification import Notification, NotificationKind
from shared.observability import logger
from shared.usecases.deps import Deps

LATEST = 50  # the console shows the latest 50; the unread count is counted among them ("50+" beyond)
NOT_PEOPLE = frozenset({"system", "platform", "customer", "automation"})


@dataclass(frozen=True)
class Inbox:
    items: list[Notification]
    unread: int


def notify(
    deps: Deps,
    recipient: str | None,
    kind: NotificationKind,
    text: str,
    *,
    actor: str,
    case_id: str | None = None,
) -> Notification | None:
    """Tell `recipient` (nobody when None, not a person, or the one who acted). A notification is a
    courtesy added after the change it reports was stored: if it cannot be stored, the change stands and
    the failure is logged, never turned into an error for the caller."""
    if not recipient or recipient in NOT_PEOPLE or "@" not in recipient or recipient == actor:
        return None
    now = clock.now()
    notification = Notification(
        recipient=recipient,
        notification_id=new_id("n", now),
        kind=kind,
        at=now,
        actor=actor,
        text=text,
        case_id=case_id,
    )
    try:
        deps.notifications.add(notification)
    except Unavailable as error:
        logger.warning("notification not stored", extra={"kind": kind.value, "error": str(error)})
        return None
    return notification


def inbox(deps: Deps, agent: Agent) -> Inbox:
    items = deps.notifications.recent(agent.email, LATEST)
    return Inbox(items=items, unread=sum(1 for n in items if n.read_at is None))


def mark_read(deps: Deps, agent: Agent, notification_ids: Sequence[str] | None) -> Inbox:
    """Mark the given notifications (all the latest when None) read; others' are never touched."""
    if notification_ids is None:
        notification_ids = [
            n.notification_id for n in deps.notifications.recent(agent.email, LATEST) if n.read_at is None
        ]
    deps.notifications.mark_read(agent.email, list(dict.fromkeys(notification_ids)), clock.now())
    return inbox(deps, agent)
