"""The customer behind a case: who they are on every platform and their other cases (R19).

A customer is one or more identities (platform, author id) linked automatically when they give the same
email, phone or order number (the indexer links them, off the request's path), or by hand (a merge), and
separated again by hand (the link is kept as undone, so the same key does not link them again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from shared import clock
from shared.errors import Conflict, Forbidden
from shared.models.agent import Agent
from shared.models.case import Case
from shared.models.customer import ContactDetails, Identity, IdentityLink, LinkHow
from shared.models.interaction import Author, Platform
from shared.models.roles import WRITERS
from shared.observability import logger
from shared.usecases.deps import Deps

HISTORY = 20
MAX_IDENTITIES = 10  # a customer's identities followed through their links (a bound, not a rule)
MAX_KEY_HOLDERS = 20  # a key given by more identities than this is not personal (a shared order, a typo)


@dataclass(frozen=True)
class CustomerProfile:
    platform: Platform
    author: Author
    other_cases: list[Case]  # newest first, on every linked identity, without the case being viewed
    linked: list[IdentityLink]  # the other identities of the same customer, how each was linked
    direct: frozenset[str]  # those linked to this identity itself (the ones it can be separated from)
    contact: ContactDetails | None = None  # email and phone, in clear only with consent


def identity_of(case: Case) -> Identity:
    author = case.customer
    return Identity(platform=case.platform, id=author.id, handle=author.handle, name=author.name)


def linked_identities(deps: Deps, start: str) -> list[IdentityLink]:
    """Every identity reached from `start` through links not undone (breadth first, bounded)."""
    seen = {start}
    found: list[IdentityLink] = []
    frontier = [start]
    while frontier and len(seen) < MAX_IDENTITIES:
        next_frontier = []
        for key in frontier:
            for link in deps.links.links(key):
                other = link.other.customer_key
                if link.undone_at is None and other not in seen and len(seen) < MAX_IDENTITIES:
                    seen.add(other)
                    found.append(link)
                    next_frontier.append(other)
        frontier = next_frontier
    return found


def _cases_of(deps: Deps, customer_keys: Iterable[str], exclude: str) -> list[Case]:
    cases = {c.case_id: c for key in customer_keys for c in deps.cases.customer_cases(key, HISTORY + 1)}
    cases.pop(exclude, None)
    return sorted(cases.values(), key=lambda c: c.opened_at, reverse=True)[:HISTORY]


def customer_of(deps: Deps, case_id: str) -> CustomerProfile:
    case = deps.cases.get(case_id)
    linked = linked_identities(deps, case.customer_key)
    keys = [case.customer_key, *(link.other.customer_key for link in linked)]
    own_links = deps.links.links(case.customer_key)
    direct = frozenset(link.other.customer_key for link in own_links if link.undone_at is None)
    return CustomerProfile(
        platform=case.platform,
        author=case.customer,
        other_cases=_cases_of(deps, keys, case_id),
        linked=linked,
        direct=direct,
        contact=deps.cases.contact_details(case.customer_key),
    )


def link_by_keys(deps: Deps, identity: Identity, keys: Iterable[str]) -> int:
    """Link the identity with every other that gave one of the same keys (the indexer calls this); a key
    given by many is skipped. Returns the number of new links."""
    made = 0
    now = clock.now()
    for key in keys:
        holders = [
            h for h in deps.links.holders(key, MAX_KEY_HOLDERS + 1) if h.customer_key != identity.customer_key
        ]
        if len(holders) < MAX_KEY_HOLDERS:
            for holder in holders:
                made += deps.links.link(identity, holder, LinkHow.of_key(key), key, "system", now)
        deps.links.remember_key(key, identity)
    if made:
        logger.info("identities linked", extra={"links": made})
    return made


def check_writer(agent: Agent) -> None:
    if not agent.groups & WRITERS:
        raise Forbidden("only agents, trainees, supervisors and admins link customers")


def merge(deps: Deps, agent: Agent, case_id: str, other_case_id: str) -> CustomerProfile:
    """The customers of two cases are the same person (by hand)."""
    check_writer(agent)
    mine, other = identity_of(deps.cases.get(case_id)), identity_of(deps.cases.get(other_case_id))
    if mine.customer_key == other.customer_key:
        raise Conflict("both cases are the same identity's already")
    current = {link.other.customer_key for link in linked_identities(deps, mine.customer_key)}
    if other.customer_key in current:
        raise Conflict("these customers are linked already")
    deps.links.link(mine, other, LinkHow.MANUAL, None, agent.email, clock.now())
    logger.info("customers merged", extra={"case_id": case_id, "other_case_id": other_case_id})
    return customer_of(deps, case_id)


def unlink(deps: Deps, agent: Agent, case_id: str, other: Identity) -> CustomerProfile:
    """Undo a merge or an automatic link: the case's identity and `other` are separate people again."""
    check_writer(agent)
    case = deps.cases.get(case_id)
    deps.links.undo(case.customer_key, other.customer_key, agent.email, clock.now())
    logger.info("customers separated", extra={"case_id": case_id})
    return customer_of(deps, case_id)
