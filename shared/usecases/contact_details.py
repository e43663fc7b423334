"""A customer's email and phone, captured with consent (issue #10, R19; docs/privacy.md).

An agent records the details a customer gave for the case's identity. With the customer's consent (when,
and how it was given) they are kept in clear for the team to use; without it only their keyed digests are
kept (the same ones intake keeps for details written in messages), so the customer's identities still link
and the customer is still found by them, but nobody reads the details back. Withdrawing consent removes
the clear text and keeps the digests. Erasing the customer erases the details with their pointer.
"""

from __future__ import annotations

import re
from datetime import datetime

from shared import clock
from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.customer import ConsentHow, ContactDetails
from shared.observability import logger
from shared.rules.search_terms import email_key, phone_key
from shared.usecases import customers
from shared.usecases.deps import Deps

_PHONE = re.compile(r"^\+?[0-9 ()./-]{7,25}$")


def _phone(phone: str | None) -> tuple[str | None, str | None]:
    """The phone as given (trimmed) and its key; 422 when it is no phone number."""
    if not phone:
        return None, None
    key = phone_key(phone) if _PHONE.fullmatch(phone.strip()) else None
    if key is None:
        raise InvalidInput("phone must be a phone number of 7 to 15 digits")
    return phone.strip(), key


def record(
    deps: Deps,
    agent: Agent,
    case_id: str,
    email: str | None,
    phone: str | None,
    consent: tuple[datetime, ConsentHow] | None,
) -> ContactDetails:
    """Store the case identity's details (in clear only with `consent`: when and how) and link the
    customer's identities that gave the same ones."""
    customers.check_writer(agent)
    if not email and not phone:
        raise InvalidInput("give an email or a phone number")
    case = deps.cases.get(case_id)
    number, phone_digest = _phone(phone)
    email_digest = email_key(email) if email else None
    now = clock.now()
    if consent and consent[0] > now:
        raise InvalidInput("consent_at cannot be in the future")
    details = ContactDetails(
        email=email.strip().lower() if email and consent else None,
        phone=number if consent else None,
        email_key=email_digest,
        phone_key=phone_digest,
        consent_at=consent[0] if consent else None,
        consent_how=consent[1] if consent else None,
        recorded_by=agent.email,
        recorded_at=now,
    )
    deps.cases.save_contact_details(case.customer_key, details)
    keys = [k for k in (email_digest, phone_digest) if k]
    customers.link_by_keys(deps, customers.identity_of(case), keys)
    logger.info("contact details recorded", extra={"case_id": case_id, "in_clear": details.in_clear})
    return details


def withdraw(deps: Deps, agent: Agent, case_id: str) -> ContactDetails | None:
    """The customer withdrew their consent: the clear text goes, the digests stay."""
    customers.check_writer(agent)
    case = deps.cases.get(case_id)
    details = deps.cases.contact_details(case.customer_key)
    if details is None:
        return None
    kept = details.model_copy(
        update={
            "email": None,
            "phone": None,
            "consent_at": None,
            "consent_how": None,
            "recorded_by": agent.email,
            "recorded_at": clock.now(),
        }
    )
    deps.cases.save_contact_details(case.customer_key, kept)
    logger.info("contact consent withdrawn", extra={"case_id": case_id})
    return kept
