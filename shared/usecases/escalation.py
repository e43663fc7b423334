"""Escalation (R9, R22): hand a case to someone who can decide, with a reason, on the record.

To a contact of the escalation directory: they are notified through SNS with the case summary and their
own details (and their backup too when they are outside their hours), and by email with their own signed
link to answer (shared/usecases/escalation_links.py); an urgent one also by SMS per their preferences,
and it is chased until answered. To a team: the case leaves its
owner and waits in that team's queue at its priority.
"""

from __future__ import annotations

from typing import Any

from shared import clock
from shared.errors import Forbidden, InvalidInput
from shared.models.agent import Agent
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.config import EscalationContact, HeardConfig
from shared.models.escalation import EscalationRecord
from shared.models.notify import Recipient
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.rules.contact_hours import is_available, parse_hours
from shared.usecases import escalation_links, notify
from shared.usecases.deps import Deps


def directory(deps: Deps) -> list[EscalationContact]:
    return list(deps.config.get().escalation_contacts)


def _case_summary(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.case_id,
        "team": case.team,
        "owner": case.owner,
        "status": case.status.value,
        "priority": case.priority,
        "priority_reasons": case.priority_reasons,
        "category": case.category.value,
        "topic": case.topic,
        "sentiment": case.sentiment.value,
        "platform": case.platform.value,
        "customer": case.customer.name or case.customer.handle or case.customer.id,
        "followers": case.customer.followers,
        "summary": case.summary,
        "opened_at": clock.iso(case.opened_at),
    }


def _contact_card(contact: EscalationContact) -> dict[str, Any]:
    return {
        "id": contact.id,
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "phone": contact.phone,
        "urgency": contact.urgency,
        "hours": contact.hours,
    }


def escalate(
    deps: Deps,
    agent: Agent,
    case_id: str,
    *,
    contact: str | None,
    team: str | None,
    reason: str,
    urgent: bool = False,
) -> tuple[Case, TimelineEntry]:
    if bool(contact) == bool(team):
        raise InvalidInput("escalate to exactly one of: a contact (escalation contact id) or a team")
    case = deps.cases.get(case_id)
    if case.owner and case.owner != agent.email and not agent.is_supervisor:
        raise Forbidden(f"case {case.case_id} is owned by {case.owner}")
    if contact:
        return _to_contact(deps, agent, case, contact, reason, urgent)
    assert team is not None
    return _to_team(deps, agent, case, team, reason)


def _to_contact(
    deps: Deps, agent: Agent, case: Case, contact_id: str, reason: str, urgent: bool
) -> tuple[Case, TimelineEntry]:
    config = deps.config.get()
    contacts = {c.id: c for c in config.escalation_contacts}
    contact = contacts.get(contact_id)
    if contact is None:
        raise InvalidInput(f"unknown escalation contact {contact_id!r}; known: {sorted(contacts)}")
    now = clock.now()
    recipients = [contact]
    available = is_available(parse_hours(contact.hours), now)
    if not available and contact.backup and contact.backup in contacts:
        recipients.append(contacts[contact.backup])
    _alert(deps, agent, case, contact, recipients, reason)
    urgent = urgent or contact.urgency in notify.URGENT_CONTACTS or case.priority == 1
    record = escalation_links.start(deps, case, contact, reason, agent.email, urgent)
    reached = _reach(deps, config, case, contact, recipients, reason, record)
    names = ", ".join(f"{p.name} ({p.title})" for p in recipients)
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.ESCALATED,
        at=now,
        actor=agent.email,
        text=f"Escalated to {contact.name} ({contact.title}){' urgently' if urgent else ''}: {reason}"
        + ("" if available else f". Outside their hours ({contact.hours}); notified: {names}")
        + escalation_links.notify_text(reached),
        data={
            "contact": contact.id,
            "notified": [p.id for p in recipients],
            "reason": reason,
            "contact_available": available,
            "urgent": urgent,
            "reached": reached,
            "escalation_id": record.escalation_id,
        },
    )
    updated = case.model_copy(update={"updated_at": now, "version": case.version + 1})
    deps.cases.save(updated, case.version, [entry])
    metrics.add_metric(name="CaseEscalated", unit="Count", value=1)
    logger.info(
        "case escalated to contact",
        extra={"case_id": case.case_id, "contact": contact.id, "notified": [p.id for p in recipients]},
    )
    return updated, entry


def _alert(
    deps: Deps,
    agent: Agent,
    case: Case,
    contact: EscalationContact,
    recipients: list[EscalationContact],
    reason: str,
) -> None:
    """The alerts topic's message per person (its subscribers are the deployer's choice)."""
    summary = _case_summary(case)
    for person in recipients:
        deps.alerts.notify(
            subject=f"Escalation to {person.name}: case {case.case_id} (P{case.priority})",
            detail={
                "to": _contact_card(person),
                "escalated_to": contact.id,
                "as_backup_for": contact.id if person is not contact else None,
                "reason": reason,
                "escalated_by": agent.email,
                "case": summary,
            },
            kind="escalation",
        )


def _reach(
    deps: Deps,
    config: HeardConfig,
    case: Case,
    contact: EscalationContact,
    recipients: list[EscalationContact],
    reason: str,
    record: EscalationRecord,
) -> list[dict[str, Any]]:
    """The contact(s) by email with their own answer link (and SMS per their preferences when urgent); an
    urgent one also reaches the crisis owner or on-call person. A failed send never stops it."""
    text = notify.case_text(case, f"Reason: {reason}")
    if not record.urgent:
        people = [
            (
                c,
                Recipient(
                    who=c.email,
                    role="escalation contact" if c is contact else "backup",
                    email=c.email,
                    phone=None,
                ),
            )
            for c in recipients
        ]
        subject = f"Escalation to {contact.name}: case {case.case_id} (P{case.priority})"
        return escalation_links.reach_contacts(deps, record, people, subject, text)
    everyone = notify.contacts(config, case, recipients, contact.id)
    directory = {c.email.lower(): c for c in recipients}
    subject = f"Urgent escalation to {contact.name}: case {case.case_id} (P{case.priority})"
    ours = [(directory[p.who.lower()], p) for p in everyone if p.who.lower() in directory]
    others = [p for p in everyone if p.who.lower() not in directory]
    return escalation_links.reach_contacts(deps, record, ours, subject, text) + notify.reach(
        deps, others, subject, text
    )


def _to_team(deps: Deps, agent: Agent, case: Case, team_id: str, reason: str) -> tuple[Case, TimelineEntry]:
    config = deps.config.get()
    if team_id not in {t.id for t in config.teams}:
        raise InvalidInput(f"unknown team {team_id!r}; known: {sorted(t.id for t in config.teams)}")
    if team_id not in deps.work.teams:
        raise InvalidInput(f"team {team_id!r} has no work queue yet; redeploy to create its queues")
    now = clock.now()
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.ESCALATED,
        at=now,
        actor=agent.email,
        text=f"Escalated to the {config.team(team_id).name} team: {reason}",
        data={"team": team_id, "from_team": case.team, "from_owner": case.owner, "reason": reason},
    )
    # A resolved case stays resolved (the escalation is on its record); an open one waits in the new queue.
    updates: dict[str, Any] = {"team": team_id, "updated_at": now, "version": case.version + 1}
    if case.status.is_open:
        updates.update(status=CaseStatus.QUEUED, owner=None, assigned_at=None)
    updated = case.model_copy(update=updates)
    if case.status.is_open:
        # Lane first, like intake: a lane message whose case was not moved is discarded at claim time.
        deps.work.enqueue(team_id, case.priority, case.case_id)
    deps.cases.save(updated, case.version, [entry])
    metrics.add_metric(name="CaseEscalated", unit="Count", value=1)
    logger.info("case escalated to team", extra={"case_id": case.case_id, "team": team_id})
    return updated, entry
