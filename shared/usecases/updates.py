"""Updates to what Heard holds, from the platforms: our own account writing (echoes), a customer editing or
deleting a message, and delivery statuses of our replies. They update a case and never open one."""

from __future__ import annotations

from typing import Any

from shared import clock
from shared.errors import Conflict
from shared.ids import stable_id
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.interaction import EventKind, Interaction
from shared.models.records import entry_key
from shared.observability import metrics
from shared.usecases import knowledge_gaps
from shared.usecases.deps import Deps
from shared.usecases.outcomes import IntakeResult, Outcome, message_key


def _masked(text: str) -> str:
    """Personal data masked before it is stored (docs/privacy.md); the raw archive keeps the original."""
    from shared.triage.pii import mask

    return mask(text)


# A reply's delivery state only moves forward: platforms do not deliver webhooks in order, so a "delivered"
# that arrives after "read" must not move the reply back (the timeline still records both).
DELIVERY_BEFORE = {
    "sent": ("queued", "sending", "retrying"),
    "delivered": ("queued", "sending", "retrying", "sent"),
    "read": ("queued", "sending", "retrying", "sent", "delivered"),
    "failed": ("queued", "sending", "retrying", "sent", "delivered"),
}


def _find_case_for_echo(interaction: Interaction, deps: Deps) -> str | None:
    if interaction.parent_id:
        parent = deps.cases.message(message_key(interaction.platform.value, interaction.parent_id))
        if parent:
            return parent.case_id
    pointer = deps.cases.customer(f"{interaction.platform.value}#{interaction.conversation_id}")
    return pointer.case_id if pointer else None


def echo(interaction: Interaction, deps: Deps) -> IntakeResult:
    """Our own account wrote (an agent answering from the platform's own app): an agent message."""
    now = clock.now()
    sent = deps.cases.message(message_key(interaction.platform.value, interaction.platform_id))
    if sent:  # the echo of a reply Heard itself sent
        return IntakeResult(Outcome.DUPLICATE, sent.case_id)
    if not deps.cases.first_time(interaction.dedupe_key, now):
        return IntakeResult(Outcome.DUPLICATE)
    case_id = _find_case_for_echo(interaction, deps)
    if not case_id:
        return IntakeResult(Outcome.UNMATCHED)
    case = deps.cases.get(case_id)
    entry = TimelineEntry(
        case_id=case_id,
        entry_id=stable_id("e", interaction.occurred_at, interaction.dedupe_key),
        kind=TimelineKind.AGENT_ECHO,
        at=interaction.occurred_at,
        actor="platform",
        text=_masked(interaction.text),
        data={"platform_id": interaction.platform_id},
    )
    answered = case.model_copy(
        update={
            "first_response_at": case.first_response_at or interaction.occurred_at,
            "reply_due": None,
            "reply_count": case.reply_count + 1,
            "updated_at": now,
            "version": case.version + 1,
        }
    )
    deps.cases.save(answered, case.version, [entry])
    return IntakeResult(Outcome.UPDATED, case_id)


def edit(interaction: Interaction, deps: Deps) -> IntakeResult:
    now = clock.now()
    if not deps.cases.first_time(interaction.dedupe_key, now):
        return IntakeResult(Outcome.DUPLICATE)
    pointer = deps.cases.message(message_key(interaction.platform.value, interaction.platform_id))
    if not pointer:
        return IntakeResult(Outcome.UNMATCHED)
    deleted = interaction.kind is EventKind.DELETE
    deps.cases.append(
        TimelineEntry(
            case_id=pointer.case_id,
            entry_id=stable_id("e", interaction.occurred_at, interaction.dedupe_key),
            kind=TimelineKind.MESSAGE_DELETED if deleted else TimelineKind.MESSAGE_EDITED,
            at=interaction.occurred_at,
            actor="customer",
            text="" if deleted else _masked(interaction.text),
            data={"platform_id": interaction.platform_id, "entry": pointer.entry_sk},
        )
    )
    if pointer.entry_sk:
        change: dict[str, Any] = {"deleted": True} if deleted else {"edited_text": _masked(interaction.text)}
        deps.cases.update_entry(
            pointer.case_id, pointer.entry_sk, {**change, "changed_at": clock.iso(interaction.occurred_at)}
        )
        if deleted:
            _forget_words(deps, pointer.case_id, pointer.entry_sk)
    return IntakeResult(Outcome.UPDATED, pointer.case_id)


def _forget_words(deps: Deps, case_id: str, entry_sk: str) -> None:
    """A message the customer deleted on the platform loses its words here too: the message itself and
    every edit of it (docs/privacy.md); that it was there, and when, stays on the timeline."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    edits = [
        entry_key(e)
        for e in timeline
        if e.kind is TimelineKind.MESSAGE_EDITED and e.data.get("entry") == entry_sk
    ]
    for sk in (entry_sk, *edits):
        deps.cases.erase_entry_text(case_id, sk)
    first = next(
        (entry_key(e) for e in sorted(timeline, key=entry_key) if e.kind is TimelineKind.MESSAGE_IN), None
    )
    if first == entry_sk:  # the case's summary was made from it
        _replace_summary(deps, case, DELETED_SUMMARY)
    knowledge_gaps.forget_cases(deps, [case])  # its question may be kept for the knowledge base


DELETED_SUMMARY = "(message deleted by the customer)"


def _replace_summary(deps: Deps, case: Case, summary: str) -> None:
    for _ in range(3):
        try:
            deps.cases.save(
                case.model_copy(update={"summary": summary, "version": case.version + 1}), case.version
            )
            return
        except Conflict:  # an agent changed the case meanwhile: take theirs and try again
            case = deps.cases.get(case.case_id)
    raise Conflict("the case kept changing; the summary is replaced on the next try")


def status(interaction: Interaction, deps: Deps) -> IntakeResult:
    """Delivery / read / failed for a reply we sent: update the reply in place and note failures."""
    now = clock.now()
    if not deps.cases.first_time(interaction.dedupe_key, now):
        return IntakeResult(Outcome.DUPLICATE)
    pointer = deps.cases.message(message_key(interaction.platform.value, interaction.platform_id))
    if not pointer:
        return IntakeResult(Outcome.UNMATCHED)
    state = interaction.status.value if interaction.status else "unknown"
    if (
        pointer.entry_sk
        and state in DELIVERY_BEFORE
        and deps.cases.transition_entry(
            pointer.case_id, pointer.entry_sk, "delivery", DELIVERY_BEFORE[state], state
        )
    ):
        data = {"delivery_at": clock.iso(interaction.occurred_at)}
        if interaction.error:
            data["delivery_error"] = interaction.error
        deps.cases.update_entry(pointer.case_id, pointer.entry_sk, data)
    deps.cases.append(
        TimelineEntry(
            case_id=pointer.case_id,
            entry_id=stable_id("e", interaction.occurred_at, interaction.dedupe_key),
            kind=TimelineKind.DELIVERY,
            at=interaction.occurred_at,
            actor="platform",
            text=f"Reply {state}" + (f": {interaction.error}" if interaction.error else ""),
            data={"platform_id": interaction.platform_id, "state": state},
        )
    )
    if state == "failed":
        metrics.add_metric(name="ReplyDeliveryFailed", unit="Count", value=1)
    return IntakeResult(Outcome.UPDATED, pointer.case_id)
