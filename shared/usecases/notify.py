"""Reaching a person by email (SES) and SMS (SNS) when a case needs them now (issue #12: R9, R22).

An SLA breach reaches the crisis owner of a crisis case (its crisis type's point person), else the
on-call supervisor; an urgent escalation to a directory contact reaches the contact (and their backup
when they are outside their hours, as the escalation decides) and the same crisis owner or on-call person.
Each person's preferences say by which means, for which event (shared/models/notify.py).

A failed send never blocks what triggered it: it is counted, logged without the address, and recorded
with the rest of the outcomes on the case's timeline entry when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from pydantic import ValidationError

from shared.errors import InvalidInput, Unavailable
from shared.models.agent import Agent
from shared.models.case import Case
from shared.models.config import EscalationContact, HeardConfig
from shared.models.notify import ContactPreference, NotifyEvent, Recipient
from shared.observability import logger, metrics
from shared.usecases.deps import Deps

URGENT_CONTACTS = frozenset({"high", "critical"})
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def international(phone: str | None) -> str | None:
    """A directory phone number as SNS needs it (E.164), or None when it is not international."""
    if not phone:
        return None
    compact = re.sub(r"[\s()-]", "", phone)
    return compact if _E164.match(compact) else None


def preference(config: HeardConfig, email: str) -> ContactPreference | None:
    email = email.lower()
    return next((p for p in config.contact_preferences if p.email.lower() == email), None)


def recipient(
    config: HeardConfig, email: str, role: str, event: NotifyEvent, phone: str | None = None
) -> Recipient:
    """How to reach `email` for `event`: their preferences, else email (and SMS to a directory phone for an
    urgent escalation)."""
    chosen = preference(config, email)
    if chosen is None:
        sms = international(phone) if event is NotifyEvent.URGENT_ESCALATION else None
        return Recipient(who=email, role=role, email=email, phone=sms)
    return Recipient(
        who=email,
        role=role,
        email=chosen.email if event in chosen.email_for else None,
        phone=chosen.phone if event in chosen.sms_for else None,
    )


def responsible(config: HeardConfig, case: Case, event: NotifyEvent) -> list[Recipient]:
    """The crisis owner of a crisis case, else the on-call person (nobody when neither is set)."""
    crisis = next((c for c in config.crisis_types if c.id == case.crisis), None) if case.crisis else None
    if crisis is not None:
        return [recipient(config, crisis.point_person, "crisis owner", event)]
    if config.on_call:
        return [recipient(config, config.on_call, "on call", event)]
    return []


def contacts(
    config: HeardConfig, case: Case, reached: list[EscalationContact], escalated_to: str
) -> list[Recipient]:
    """An urgent escalation's people: the contact(s) the escalation chose, then the responsible person."""
    event = NotifyEvent.URGENT_ESCALATION
    people = [
        recipient(config, c.email, "escalation contact" if c.id == escalated_to else "backup", event, c.phone)
        for c in reached
    ]
    known = {p.who.lower() for p in people}
    return people + [r for r in responsible(config, case, event) if r.who.lower() not in known]


def reach(deps: Deps, people: list[Recipient], subject: str, text: str) -> list[dict[str, Any]]:
    """Send to each person by their means; the outcome of each send (never raises on a failed one)."""
    outcomes: list[dict[str, Any]] = []
    short = f"{subject}. {text}"
    for person in people:
        if person.email:
            outcomes.append(
                _attempt(partial(deps.notifier.email, person.email, subject, text), person, "email")
            )
        if person.phone:
            outcomes.append(_attempt(partial(deps.notifier.sms, person.phone, short), person, "sms"))
    return outcomes


def _attempt(send: Callable[[], None], person: Recipient, by: str) -> dict[str, Any]:
    outcome: dict[str, Any] = {"who": person.who, "role": person.role, "by": by, "sent": True}
    try:
        send()
    except Unavailable as error:
        # The address stays out of the log (personal data); the case's record names who it was.
        logger.warning("notification not sent", extra={"by": by, "role": person.role, "error": str(error)})
        metrics.add_metric(name="NotificationFailed", unit="Count", value=1)
        return {**outcome, "sent": False, "error": str(error)}
    metrics.add_metric(name="NotificationSent", unit="Count", value=1)
    return outcome


def case_text(case: Case, headline: str) -> str:
    return (
        f"{headline}\n\nCase {case.case_id} (P{case.priority}, {case.team}, {case.platform.value} "
        f"{case.channel.value}), topic {case.topic}.\nCustomer wrote: {case.summary}\n\n"
        f"Open it in Heard: #/cases/{case.case_id}"
    )


# ---- settings (admins and supervisors) ----------------------------------------------------------------


def settings(deps: Deps) -> dict[str, Any]:
    config = deps.config.get()
    return {
        "on_call": config.on_call,
        "preferences": [p.model_dump(mode="json") for p in config.contact_preferences],
        "directory": [
            {"id": c.id, "name": c.name, "email": c.email, "phone": c.phone, "urgency": c.urgency}
            for c in config.escalation_contacts
        ],
    }


def set_settings(
    deps: Deps, actor: Agent, on_call: str | None, preferences: list[ContactPreference]
) -> dict[str, Any]:
    """Replace who is on call and everyone's contact preferences, validated as a whole configuration."""
    document = deps.config.refresh().model_dump(mode="json")
    document["on_call"] = on_call
    document["contact_preferences"] = [p.model_dump(mode="json") for p in preferences]
    try:
        updated = HeardConfig.model_validate(document)
    except ValidationError as error:
        raise InvalidInput(
            f"the change would make the configuration invalid: {error.errors()[0]['msg']}"
        ) from error
    deps.config.put(updated)
    metrics.add_metric(name="ContactSettingsChanged", unit="Count", value=1)
    logger.warning(
        "contact settings changed",
        extra={"by": actor.email, "preferences": len(preferences), "on_call_set": bool(on_call)},
    )
    return settings(deps)
