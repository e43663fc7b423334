"""A department answers an escalation through a signed link, and unanswered urgent ones are chased
(issue #12: R9, R22).

Each person an escalation reaches gets their own link (`shared/rules/signed_links.py`): it names the
escalation, its case and that person, and expires after `LINK_DAYS`. It opens a read-only page of what
the department needs (the question, the customer's message as masked at intake, the case's topic and
priority; never the customer's name, handle or other cases) where they write their answer. The answer
becomes an internal note on the case naming who gave it, and the case's owner (or whoever escalated) is
notified. A link that was changed or has expired is refused (403) saying so.

An urgent escalation nobody answered is reminded after the configuration's
`escalation_reminder_minutes`, and after as long again it goes to the contact's backup; both on the
case's timeline. The SLA monitor's sweep does it each minute; every step is a conditional move of the
escalation's stage, so a sweep run twice acts once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared import clock
from shared.errors import Conflict, InvalidInput
from shared.ids import new_id
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.config import EscalationContact, HeardConfig
from shared.models.escalation import EscalationRecord, EscalationStage
from shared.models.notification import NotificationKind
from shared.models.notify import Recipient
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.rules.signed_links import LinkClaims, sign, verify
from shared.usecases import notify
from shared.usecases.deps import Deps
from shared.usecases.notifications import notify as tell

LINK_DAYS = 7
ANSWER_CHARS = 4000
BATCH = 50


def start(
    deps: Deps, case: Case, contact: EscalationContact, reason: str, asked_by: str, urgent: bool
) -> EscalationRecord:
    """Record an escalation to `contact` (an urgent one with its reminder due)."""
    now = clock.now()
    minutes = deps.config.get().escalation_reminder_minutes
    record = EscalationRecord(
        escalation_id=new_id("esc", now),
        case_id=case.case_id,
        contact=contact.id,
        backup=contact.backup,
        reason=reason,
        asked_by=asked_by,
        asked_at=now,
        urgent=urgent,
        next_at=now + timedelta(minutes=minutes) if urgent else None,
    )
    deps.escalations.add(record)
    return record


def link(deps: Deps, record: EscalationRecord, contact_id: str) -> str | None:
    """The answer page's address for one person of the escalation (None where no console is set up)."""
    base = deps.settings.console_url
    if not base:
        return None
    claims = LinkClaims(
        record.escalation_id, record.case_id, contact_id, clock.now() + timedelta(days=LINK_DAYS)
    )
    return f"{base.rstrip('/')}/answer.html#{sign(deps.link_keys.key(), claims)}"


def with_link(text: str, url: str | None) -> str:
    if not url:
        return text
    return f"{text}\n\nAnswer here (no sign-in; the link is yours, valid {LINK_DAYS} days): {url}"


def reach_contacts(
    deps: Deps,
    record: EscalationRecord,
    people: list[tuple[EscalationContact, Recipient]],
    subject: str,
    text: str,
) -> list[dict[str, Any]]:
    """Each directory person by their means, each with their own link."""
    outcomes: list[dict[str, Any]] = []
    for contact, person in people:
        outcomes += notify.reach(deps, [person], subject, with_link(text, link(deps, record, contact.id)))
    return outcomes


# ---- the answer page ---------------------------------------------------------------------------------


def _open(deps: Deps, token: str) -> tuple[LinkClaims, EscalationRecord, Case]:
    claims = verify(deps.link_keys.key(), token, clock.now())
    record = deps.escalations.get(claims.escalation_id)
    if record.case_id != claims.case_id:  # signed by us, so never; but the link names one case only
        raise Conflict("this link does not match its escalation")
    return claims, record, deps.cases.get(record.case_id)


def _who(config: HeardConfig, contact_id: str) -> EscalationContact | None:
    return next((c for c in config.escalation_contacts if c.id == contact_id), None)


def view(deps: Deps, token: str) -> dict[str, Any]:
    """What the department sees: the question and the case in brief, no personal data beyond the message."""
    claims, record, case = _open(deps, token)
    config = deps.config.get()
    person = _who(config, claims.contact)
    return {
        "case_id": case.case_id,
        "question": record.reason,
        "asked_at": record.asked_at,
        "urgent": record.urgent,
        "asked_of": {"name": person.name, "title": person.title}
        if person
        else {"name": claims.contact, "title": ""},
        "company": config.company,
        "case": {
            "platform": case.platform.value,
            "channel": case.channel.value,
            "topic": case.topic,
            "category": case.category.value,
            "priority": case.priority,
            "opened_at": case.opened_at,
            "message": case.summary,  # personal data was masked at intake
        },
        "answered": record.stage is EscalationStage.ANSWERED,
        "answered_at": record.answered_at,
        "answer": record.answer,
        "expires_at": claims.expires,
    }


def answer(deps: Deps, token: str, text: str) -> TimelineEntry:
    """The department's answer as an internal note on the case; once per escalation."""
    text = text.strip()
    if not text:
        raise InvalidInput("answer: write an answer")
    if len(text) > ANSWER_CHARS:
        raise InvalidInput(f"answer: at most {ANSWER_CHARS} characters")
    claims, record, case = _open(deps, token)
    if record.stage is EscalationStage.ANSWERED:
        raise Conflict(f"this escalation was already answered on {record.answered_at:%Y-%m-%d %H:%M} UTC")
    person = _who(deps.config.get(), claims.contact)
    name = f"{person.name} ({person.title})" if person else claims.contact
    now = clock.now()
    done = record.model_copy(
        update={
            "stage": EscalationStage.ANSWERED,
            "next_at": None,
            "answered_at": now,
            "answered_by": claims.contact,
            "answer": text,
        }
    )
    deps.escalations.advance(record, done)  # Conflict: answered (or moved) at the same moment
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.NOTE,
        at=now,
        actor=person.email if person else claims.contact,
        text=f"Answer from {name} to the escalation \u201c{record.reason}\u201d: {text}",
        data={
            "internal": True,
            "escalation_id": record.escalation_id,
            "contact": claims.contact,
            "mentions": [],
        },
    )
    deps.cases.append(entry)
    tell(
        deps,
        case.owner or record.asked_by,
        NotificationKind.ESCALATION_ANSWERED,
        f"{name} answered your escalation on case {case.case_id}",
        actor=claims.contact,
        case_id=case.case_id,
    )
    metrics.add_metric(name="EscalationAnswered", unit="Count", value=1)
    logger.info("escalation answered", extra={"case_id": case.case_id, "escalation_id": record.escalation_id})
    return entry


# ---- chasing unanswered urgent escalations (the SLA monitor's sweep) ---------------------------------


def chase(deps: Deps) -> list[str]:
    """Remind or hand to the backup every urgent escalation whose time came; the ids acted on."""
    now = clock.now()
    config = deps.config.get()
    acted: list[str] = []
    for record in deps.escalations.due(now, BATCH):
        if record.next_at is None or record.next_at > now or record.stage is EscalationStage.ANSWERED:
            continue
        step = _remind if record.stage is EscalationStage.SENT else _to_backup
        try:
            step(deps, config, record, now)
        except Conflict:
            continue  # answered or moved by another sweep meanwhile
        acted.append(record.escalation_id)
    if acted:
        logger.info("unanswered escalations chased", extra={"count": len(acted)})
    return acted


def _remind(deps: Deps, config: HeardConfig, record: EscalationRecord, now: datetime) -> None:
    contact = _who(config, record.contact)
    has_backup = bool(record.backup and _who(config, record.backup))
    after = record.model_copy(
        update={
            "stage": EscalationStage.REMINDED,
            "next_at": now + timedelta(minutes=config.escalation_reminder_minutes) if has_backup else None,
        }
    )
    deps.escalations.advance(record, after)  # first: a sweep run twice reminds once
    reached = _send(deps, config, record, contact, "Reminder", "escalation contact")
    name = f"{contact.name} ({contact.title})" if contact else record.contact
    _note(
        deps,
        record,
        now,
        f"No answer yet from {name}: reminded{notify_text(reached)}",
        {"escalation_id": record.escalation_id, "step": "reminded", "reached": reached},
    )


def _to_backup(deps: Deps, config: HeardConfig, record: EscalationRecord, now: datetime) -> None:
    contact, backup = _who(config, record.contact), _who(config, record.backup or "")
    deps.escalations.advance(
        record, record.model_copy(update={"stage": EscalationStage.BACKUP, "next_at": None})
    )
    if backup is None:
        return
    reached = _send(deps, config, record, backup, "Escalation handed to you as backup", "backup")
    name = f"{contact.name} ({contact.title})" if contact else record.contact
    _note(
        deps,
        record,
        now,
        f"No answer from {name}: handed to the backup {backup.name} ({backup.title}){notify_text(reached)}",
        {"escalation_id": record.escalation_id, "step": "backup", "backup": backup.id, "reached": reached},
    )


def _send(
    deps: Deps,
    config: HeardConfig,
    record: EscalationRecord,
    person: EscalationContact | None,
    headline: str,
    role: str,
) -> list[dict[str, Any]]:
    if person is None:
        return []
    case = deps.cases.get(record.case_id)
    recipient = notify.recipient(
        config, person.email, role, notify.NotifyEvent.URGENT_ESCALATION, person.phone
    )
    subject = f"{headline}: urgent escalation, case {case.case_id} (P{case.priority})"
    text = notify.case_text(case, f"{headline}. Question: {record.reason}")
    return reach_contacts(deps, record, [(person, recipient)], subject, text)


def _note(deps: Deps, record: EscalationRecord, now: datetime, text: str, data: dict[str, Any]) -> None:
    entry = new_entry(
        case_id=record.case_id, kind=TimelineKind.ESCALATED, at=now, actor="system", text=text, data=data
    )
    deps.cases.append(entry)
    metrics.add_metric(name="EscalationChased", unit="Count", value=1)


def notify_text(reached: list[dict[str, Any]]) -> str:
    if not reached:
        return ""
    return ". Reached: " + ", ".join(
        f"{r['who']} by {r['by']}{'' if r['sent'] else ' (failed)'}" for r in reached
    )
