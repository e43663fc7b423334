"""Looking up an order or the customer in the company's own systems from a case (issue #17).

The agent asks for an order number (by default the latest one the customer wrote), an email or a phone
number; the company system answers (shared/adapters/company_systems.py) and the answer goes back to the
agent only. The case's timeline records that the lookup happened, by whom, through which system, and for an
order its number and status: no email or phone number (a keyed digest says which one, as search keeps
them), no customer name, no address. A company system that is down is a 503 to the agent; nothing else
waits for it.
"""

from __future__ import annotations

import json
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
    entry: TimelineEntry | None  # None: an automatic lookup that found what the timeline already says


def order_numbers(timeline: list[TimelineEntry]) -> list[str]:
    """Order numbers in the customer's messages, newest first, each once."""
    messages = [e for e in timeline if e.kind is TimelineKind.MESSAGE_IN][-MESSAGES_SEARCHED:]
    found = [n for e in reversed(messages) for n in written_order_numbers(e.text)]
    return list(dict.fromkeys(found))


def look_up(
    deps: Deps,
    agent: Agent,
    case_id: str,
    kind: LookupKind,
    value: str | None,
    automatic: bool = False,
    record: bool = True,
) -> Lookup | None:
    """Ask the company system. An agent's own lookup is always recorded on the timeline. An `automatic`
    one (the console's Order panel on opening a case, the order suggestion) is recorded only when its
    answer differs from the last recorded lookup of the same order (or email, phone) on this case, and is
    None when the customer wrote no order number (an explicit lookup without a value is a 422). With
    `record` False (suggestions, asked at the same moment as the Order panel, which records) nothing is
    recorded."""
    case, timeline = deps.cases.get_with_timeline(case_id)
    if value is None:
        value = _written(kind, timeline, automatic)
        if value is None:
            return None
    result = deps.company.lookup(kind, value)
    source = deps.company.source
    data = _record(kind, value, result, source)
    entry = None
    if record and (not automatic or _changed(timeline, data)):
        entry = new_entry(
            case_id=case.case_id,
            kind=TimelineKind.LOOKED_UP,
            at=clock.now(),
            actor=agent.email,
            text=_line(kind, value, result, source),
            data=data,
        )
        deps.cases.append(entry)
    metrics.add_metric(name="CompanyLookup", unit="Count", value=1)
    logger.info(
        "company lookup",
        extra={"case_id": case.case_id, "kind": kind, "found": result.found, "recorded": entry is not None},
    )
    return Lookup(kind, value, result, entry)


def _written(kind: LookupKind, timeline: list[TimelineEntry], automatic: bool) -> str | None:
    """The latest order number the customer wrote; None (automatic) or a 422 (asked) when there is none."""
    if kind != "order":
        raise InvalidInput(f"value: give the {kind} to look up")
    found = order_numbers(timeline)
    if found:
        return found[0]
    if automatic:
        return None
    raise InvalidInput("value: the customer gave no order number; type the one to look up")


def _same_target(entry: TimelineEntry, data: dict[str, object]) -> bool:
    return all(entry.data.get(k) == data.get(k) for k in ("lookup", "order_number", "key"))


def _changed(timeline: list[TimelineEntry], data: dict[str, object]) -> bool:
    """Whether `data` says something the last recorded lookup of the same target did not."""
    recorded = [e for e in timeline if e.kind is TimelineKind.LOOKED_UP and _same_target(e, data)]
    return not recorded or _comparable(recorded[-1].data) != _comparable(data)


def _comparable(data: dict[str, object]) -> str:
    return json.dumps(data, sort_keys=True, default=str)


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
