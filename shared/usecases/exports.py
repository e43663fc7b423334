"""Exports of conversations (R25) and of everything held on one customer (GDPR art. 15), as JSON lines and
as a readable HTML document. Who asked is recorded by the API's audit trail (functions/api/audited.py).

JSON lines: one object a line, each with a `type`: `export` (what, when, for whom), `subject` (a customer
export's identity), `case`, `entry` (a timeline entry, after its case), `raw_delivery` (a raw archive
object that holds the customer's original message: the archive is read only by the replay tool).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shared import clock
from shared.errors import InvalidInput
from shared.models.case import Case, TimelineEntry
from shared.usecases import subjects
from shared.usecases.casework import Agent
from shared.usecases.deps import Deps

MAX_DAYS = 31
MAX_CASES = 500


@dataclass(frozen=True)
class Export:
    title: str
    scope: dict[str, Any]  # what was asked for: a case, a customer, a period
    exported_by: str
    exported_at: datetime
    cases: list[Case]
    timelines: dict[str, list[TimelineEntry]]
    subject: dict[str, Any] | None = None  # a customer export: who they are on the platform

    @property
    def case_ids(self) -> list[str]:
        return [c.case_id for c in self.cases]

    @property
    def raw_deliveries(self) -> list[str]:
        keys = {
            e.data["archive_key"]
            for entries in self.timelines.values()
            for e in entries
            if isinstance(e.data.get("archive_key"), str)
        }
        return sorted(keys)


def _with_timelines(deps: Deps, case_ids: Iterable[str]) -> tuple[list[Case], dict[str, list[TimelineEntry]]]:
    cases: list[Case] = []
    timelines: dict[str, list[TimelineEntry]] = {}
    for case_id in case_ids:
        case, timelines[case_id] = deps.cases.get_with_timeline(case_id)
        cases.append(case)
    return cases, timelines


def of_case(deps: Deps, agent: Agent, case_id: str) -> Export:
    cases, timelines = _with_timelines(deps, [case_id])
    return Export(f"Case {case_id}", {"case_id": case_id}, agent.email, clock.now(), cases, timelines)


def of_customer(deps: Deps, agent: Agent, subject: subjects.Subject, case_id: str | None = None) -> Export:
    """Everything held on the customer (GDPR art. 15) or their conversations (R25): the same content."""
    held = subjects.held(deps, subject, case_id, timelines=True)
    who = {
        "platform": subject.platform.value,
        "customer_id": subject.customer_id,
        "name": held.author.name,
        "handle": held.author.handle,
    }
    title = f"Everything Heard holds on {held.author.name or held.author.handle or subject.customer_id}"
    scope = {"platform": subject.platform.value, "customer_id": subject.customer_id}
    return Export(title, scope, agent.email, clock.now(), held.cases, held.timelines, who)


def of_period(deps: Deps, agent: Agent, start: date, end: date) -> Export:
    if end < start:
        raise InvalidInput("the period ends before it starts")
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(f"a period covers at most {MAX_DAYS} days")
    first = datetime.combine(start, time.min, tzinfo=UTC)
    last = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC) - timedelta(milliseconds=1)
    opened = deps.cases.opened_between(first, last)
    if len(opened) > MAX_CASES:
        raise InvalidInput(
            f"{len(opened)} cases were opened in the period; export at most {MAX_CASES} (shorter period)"
        )
    cases, timelines = _with_timelines(deps, [c.case_id for c in opened])
    scope = {"start": start.isoformat(), "end": end.isoformat()}
    return Export(f"Cases opened {start} to {end}", scope, agent.email, clock.now(), cases, timelines)


# ---- JSON lines --------------------------------------------------------------------------------------


def _lines(export: Export) -> Iterator[dict[str, Any]]:
    yield {
        "type": "export",
        "title": export.title,
        "scope": export.scope,
        "exported_by": export.exported_by,
        "exported_at": clock.iso(export.exported_at),
        "cases": len(export.cases),
    }
    if export.subject is not None:
        yield {"type": "subject", **export.subject}
    for case in export.cases:
        yield {"type": "case", **case.model_dump(mode="json", exclude={"version"})}
        for entry in export.timelines.get(case.case_id, []):
            yield {"type": "entry", **entry.model_dump(mode="json")}
    if export.subject is not None:
        for key in export.raw_deliveries:
            yield {"type": "raw_delivery", "archive_key": key}


def to_jsonl(export: Export) -> str:
    return "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n" for line in _lines(export))


# ---- HTML ------------------------------------------------------------------------------------------------

_STYLE = (
    "body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c}"
    "table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;"
    "text-align:left;vertical-align:top}.who{white-space:nowrap;color:#555}.kind{color:#555}"
    "section{margin-top:2rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
)


def _facts(pairs: Iterable[tuple[str, Any]]) -> str:
    rows = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>" for k, v in pairs if v is not None
    )
    return f"<dl>{rows}</dl>"


def _entry_row(entry: TimelineEntry) -> str:
    return (
        f"<tr><td class='who'>{html.escape(clock.iso(entry.at))}</td><td class='kind'>{html.escape(entry.kind.value)}"
        f"</td><td class='who'>{html.escape(entry.actor)}</td><td>{html.escape(entry.text)}</td></tr>"
    )


def _case_section(case: Case, entries: list[TimelineEntry]) -> str:
    facts = _facts(
        [
            ("Customer", case.customer.name or case.customer.handle or case.customer.id),
            ("Platform", f"{case.platform.value} · {case.channel.value}"),
            ("Status", case.status.value),
            ("Team", case.team),
            ("Owner", case.owner),
            ("Opened", clock.iso(case.opened_at)),
            ("Resolved", clock.iso(case.resolved_at) if case.resolved_at else None),
            ("Category", case.category.value),
            ("Personal data erased", clock.iso(case.erased_at) if case.erased_at else None),
        ]
    )
    rows = "".join(_entry_row(e) for e in entries)
    head = "<tr><th>When</th><th>What</th><th>Who</th><th>Text</th></tr>"
    return f"<section><h2>Case {html.escape(case.case_id)}</h2>{facts}<table>{head}{rows}</table></section>"


def to_html(export: Export) -> str:
    about = _facts(
        [
            ("Exported by", export.exported_by),
            ("Exported at", clock.iso(export.exported_at)),
            *[(k.replace("_", " ").capitalize(), v) for k, v in (export.subject or export.scope).items()],
            ("Cases", len(export.cases)),
        ]
    )
    raw = ""
    if export.subject is not None and export.raw_deliveries:
        keys = "".join(f"<li>{html.escape(k)}</li>" for k in export.raw_deliveries)
        raw = f"<section><h2>Original deliveries in the raw archive</h2><ul>{keys}</ul></section>"
    cases = "".join(_case_section(c, export.timelines.get(c.case_id, [])) for c in export.cases)
    title = html.escape(export.title)
    return (
        f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>"
        f"<style>{_STYLE}</style></head><body><h1>{title}</h1>{about}{cases}{raw}</body></html>\n"
    )
