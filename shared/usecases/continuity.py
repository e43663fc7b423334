"""The conversation continues with its owner (R8, R14, issue #10).

When an agent moves a public conversation to private (a private reply to the comment, or a public reply
inviting the customer to write privately), Heard records a hand-over for every identity the customer may
write from privately: on Facebook the comment's author writes on Messenger with the same page-scoped id,
on Instagram and X the comment's or mention's author writes a DM with the same id, and the customer's
linked identities (same email, phone, order number, or merged by hand) on the private platforms too. The
next direct message from any of them reaches the same case and its owner (`shared/usecases/intake.py`),
until the platform's private-reply window closes. A short public note says the conversation moved, so
everyone reading the thread sees it was taken up (R14; the text is configurable, per brand).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from shared.ids import stable_id
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.config import HeardConfig
from shared.models.customer import IdentityLink
from shared.models.interaction import Interaction, Platform
from shared.models.records import PrivateHandover
from shared.models.timeline import new_entry
from shared.observability import logger
from shared.rules.windows import PRIVATE_REPLY
from shared.usecases.deps import Deps

# Where the author of a public message writes privately with the same id: (platform, how it is called).
PRIVATE_SIDE = {
    Platform.FACEBOOK: (Platform.MESSENGER, "Messenger"),
    Platform.MESSENGER: (Platform.MESSENGER, "Messenger"),
    Platform.INSTAGRAM: (Platform.INSTAGRAM, "an Instagram direct message"),
    Platform.X: (Platform.X, "an X direct message"),
    Platform.LINKEDIN: (Platform.LINKEDIN, "a LinkedIn message"),
    Platform.TELEGRAM: (Platform.TELEGRAM, "a Telegram private chat"),
    Platform.GENERIC: (Platform.GENERIC, "a private message"),
}
# Linked identities on these platforms are private conversations the customer may continue in.
PRIVATE_PLATFORMS = {Platform.MESSENGER, Platform.INSTAGRAM, Platform.WHATSAPP, Platform.X, Platform.TELEGRAM}


def _key(platform: Platform, author_id: str, brand: str | None) -> str:
    key = f"{platform.value}#{author_id}"
    return f"{key}#{brand}" if brand else key


def targets(case: Case, linked: Iterable[IdentityLink]) -> dict[str, str]:
    """customer key -> where: every identity whose next DM should reach `case`."""
    platform, where = PRIVATE_SIDE.get(case.platform, (case.platform, "a private message"))
    found = {_key(platform, case.customer.id, case.brand): where}
    for link in linked:
        other = link.other
        if other.platform in PRIVATE_PLATFORMS:
            found.setdefault(_key(other.platform, other.id, case.brand), f"{other.platform.value} (linked)")
    return found


def expect_private(deps: Deps, case: Case, agent: str, now: datetime) -> TimelineEntry:
    """Record the hand-over for the customer's private identities; the timeline entry that says so."""
    from shared.usecases.customers import linked_identities  # customers imports the case use cases

    until = now + PRIVATE_REPLY
    found = targets(case, linked_identities(deps, case.customer_key))
    for key, where in found.items():
        deps.cases.expect_private(PrivateHandover(key, case.case_id, case.owner or agent, until, where))
    first = next(iter(found.values()))
    logger.info("private hand-over recorded", extra={"case_id": case.case_id, "identities": len(found)})
    return new_entry(
        case_id=case.case_id,
        kind=TimelineKind.MOVED_PRIVATE,
        at=now,
        actor=agent,
        text=f"Moved to private: the customer's next message on {first} reaches this case and "
        f"{case.owner or agent} until {until:%Y-%m-%d %H:%M} UTC.",
        data={"identities": len(found), "until": until.isoformat(), "owner": case.owner or agent},
    )


def arrived(case: Case, handover: PrivateHandover, interaction: Interaction, now: datetime) -> TimelineEntry:
    """The timeline's account of a customer's DM reaching the case moved to private."""
    owner = case.owner or f"the {case.team} queue"
    return TimelineEntry(  # its id derives from the message, so a retried intake writes it once
        case_id=case.case_id,
        entry_id=stable_id("e", now, interaction.dedupe_key + "#private"),
        kind=TimelineKind.MOVED_PRIVATE,
        at=now,
        actor="system",
        text=f"The customer wrote privately on {interaction.platform.value}, as asked when this case moved "
        f"to private; it continues here with {owner}.",
        data={"platform": interaction.platform.value, "owner": case.owner},
    )


def public_note(config: HeardConfig, case: Case) -> str:
    """The short public note under the comment (R14): the brand's own, else the company's."""
    return config.private_note_of(case.brand)
