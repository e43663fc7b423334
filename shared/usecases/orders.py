"""Looking up an order or the customer in the company's own systems from a case (issue #17).

The agent asks for an order number (by default the latest one the customer wrote), an email or a phone
number; the company system answers (shared/adapters/company_systems.py) and the answer goes back to the
agent only. The case's timeline records that the lookup happened, by whom, through which system, and for an
order its number and status: no email or phone number (a keyed digest says which one, as search keeps
them), no customer name, no address. A company system that is down is a 503 to the agent; nothing else
waits for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared import clock
from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.case import TimelineEntry, TimelineKind
from shared.models.company import LookupKind, LookupResult
from shared.models.timeline import new_entry
from shared.observability import logger, metrics
from shared.rules.search_terms import email_key, phone_key, written_order_numbers
from shared.usecases.deps import Deps

MESSAGES_SEARCHED = 20  # the customer's latest messages an order number is looked for in


@dataclass(frozen=True)
class Lookup:
    kind: LookupKind
    value: str
    result: LookupResult
    entry: TimelineEntry


def order_numbers(timeline: list[TimelineEntry]) -> list[str]:
    """Order numbers in the customer's messages, newest first, each once."""
    messages = [e for e in timeline if e.kind is TimelineKind.MESSAGE_IN][-MESSAGES_SEARCHED:]
    found = [n for e in reversed(messages) for n in written_order_numbers(e.text)]
    return list(dict.fromkeys(found))


def look_up(deps: Deps, agent: Agent, case_id: str, kind: LookupKind, value: str | None) -> Lookup:
    case, timeline = deps.cases.get_with_timeline(case_id)
    if value is None:
        if kind != "order":
            raise InvalidInput(f"value: give the {kind} to look up")
        found = order_numbers(timeline)
        if not found:
            raise InvalidInput("value: the customer gave no order number; type the one to look up")
        value = found[0]
    result = deps.company.lookup(kind, value)
    entry = new_entry(
        case_id=case.case_id,
        kind=TimelineKind.LOOKED_UP,
        at=clock.now(),
        actor=agent.email,
        text=_line(kind, value, result, deps.company.source),
        data=_record(kind, value, result, deps.company.source),
    )
    deps.cases.append(entry)
    metrics.add_metric(name="CompanyLookup", unit="Count", value=1)
    logger.info("company lookup", extra={"case_id": case.case_id, "kind": kind, "found": result.found})
    return Lookup(kind, value, result, entry)


def _shown(kind: LookupKind, value: str) -> str:
    return value if kind == "order" else f"the customer's {kind}"


def _line(kind: LookupKind, value: str, result: LookupResult, source: str) -> str:
    where = f"in the company's systems ({source})"
    if not result.found:
        return f"Looked up {_shown(kind, value)} {where}: not found."
    if kind == "order":
        status = next((o.status for o in result.orders if o.order_number.upper() == value.upper()), None)
        if status:
            return f"Looked up order {value} {where}: {status}."
    return f"Looked up {_shown(kind, value)} {where}: {len(result.orders)} order(s)."


def _record(kind: LookupKind, value: str, result: LookupResult, source: str) -> dict[str, object]:
    """What the timeline keeps: order numbers and statuses; an email or phone only as its keyed digest."""
    data: dict[str, object] = {"lookup": kind, "source": source, "found": result.found}
    if kind == "order":
        data["order_number"] = value
    else:
        data["key"] = email_key(value) if kind == "email" else phone_key(value)
    data["orders"] = [{"order_number": o.order_number, "status": o.status} for o in result.orders]
    return data
