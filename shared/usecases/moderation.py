"""Moderation of a case's comments and customer (issue #16): hide and unhide a comment, delete one the brand
owns, block and unblock the customer, where the platform allows; and hiding spam automatically when a
routing rule says so (off by default).

An agent's action calls the platform at once (the API answers with what the platform said) and is recorded
on the case's timeline with its undo; an automatic hide goes through the outbox like a reply, so the
dispatcher's retries apply and the case records it once.
"""

from __future__ import annotations

from typing import Any

from shared import clock
from shared.errors import Conflict, InvalidInput, PlatformError, RateLimited, Unavailable
from shared.models.agent import Agent
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.interaction import Channel
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.platforms.moderation import ModerationAction, ModerationRequest, allowed, moderate
from shared.usecases.deps import Deps
from shared.usecases.dispatch import credentials_for
from shared.usecases.replies import editable

PUBLIC = (Channel.COMMENT, Channel.POST, Channel.MENTION)


def _target(
    case: Case, timeline: list[TimelineEntry], action: ModerationAction, message_id: str | None
) -> str:
    """The platform id the action applies to, checked against what this case holds."""
    if action in (ModerationAction.BLOCK, ModerationAction.UNBLOCK):
        return case.customer.id
    if action is ModerationAction.DELETE:
        ours = {str(e.data.get("platform_message_id")) for e in timeline if e.kind is TimelineKind.REPLY}
        if not message_id or message_id not in ours:
            raise InvalidInput("message_id: only a comment the brand sent on this case can be deleted")
        return message_id
    if case.channel not in PUBLIC:
        raise InvalidInput(
            f"only public comments can be hidden; this case is a {case.channel.value} conversation"
        )
    theirs = [str(e.data.get("platform_id")) for e in timeline if e.kind is TimelineKind.MESSAGE_IN]
    chosen = message_id or (theirs[-1] if theirs else None)
    if not chosen or chosen not in theirs:
        raise InvalidInput("message_id: not one of this case's customer comments")
    return chosen


def _moderated(case: Case, action: ModerationAction, target: str) -> dict[str, Any]:
    hidden = [h for h in case.hidden_ids if h != target]
    if action is ModerationAction.HIDE:
        hidden.append(target)
    blocked = {ModerationAction.BLOCK: True, ModerationAction.UNBLOCK: False}.get(action, case.author_blocked)
    return {"hidden_ids": hidden, "author_blocked": blocked}


def entry_for(
    case: Case, action: ModerationAction, target: str, actor: str, reason: str = ""
) -> TimelineEntry:
    undo = action.undo
    what = (
        "the customer"
        if action in (ModerationAction.BLOCK, ModerationAction.UNBLOCK)
        else f"comment {target}"
    )
    text = f"{action.value.capitalize()} {what} on {case.platform.value}" + (f": {reason}" if reason else ".")
    return new_entry(
        case_id=case.case_id,
        kind=TimelineKind.MODERATED,
        at=clock.now(),
        actor=actor,
        text=text,
        data={
            "action": action.value,
            "target_id": target,
            "undo": undo.value if undo else None,
            "automatic": bool(reason),
        },
    )


def act(
    deps: Deps, agent: Agent, case_id: str, action: ModerationAction, message_id: str | None = None
) -> Case:
    """Carry out `action` on the platform and record it on the case (owner, or anyone while unowned)."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    editable(case, agent)
    if action not in allowed(case.platform.value):
        raise InvalidInput(
            f"{case.platform.value} does not let Heard {action.value} (allowed: "
            f"{', '.join(a.value for a in allowed(case.platform.value)) or 'nothing'})"
        )
    target = _target(case, timeline, action, message_id)
    request = ModerationRequest(
        action=action, platform=case.platform.value, target_id=target, reply_context=case.reply_context
    )
    try:
        moderate(request, credentials_for(deps, case.reply_context), deps.settings)
    except RateLimited as error:
        raise Unavailable(
            f"{case.platform.value} asks us to slow down; try again shortly ({error})"
        ) from error
    except PlatformError as error:
        raise Conflict(f"{case.platform.value} refused: {error}") from error
    entry = entry_for(case, action, target, agent.email)
    updated = case.model_copy(
        update={**_moderated(case, action, target), "updated_at": entry.at, "version": case.version + 1}
    )
    deps.cases.save(updated, case.version, [entry])
    metrics.add_metric(name="Moderated", unit="Count", value=1)
    logger.info("moderated", extra={"case_id": case_id, "action": action.value, "by": agent.email})
    return updated
