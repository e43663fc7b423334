"""The audit trail (R25, R27): record who did what, search it, export it, and check it was not altered.

Records form one hash chain in write order (shared/models/audit.py). Appending is optimistic: read the
chain's head, seal the record after it, and write both only if the head has not moved meanwhile; another
writer's record in between means sealing again after it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, timedelta

from shared import clock
from shared.errors import Conflict, InvalidInput, Unavailable
from shared.models.audit import GENESIS, AuditEntry, AuditRecord, Verification
from shared.observability import logger, metrics
from shared.ports import AuditLog

MAX_DAYS = 31  # one search or export covers at most a month of days
_APPEND_ATTEMPTS = 8


def record(log: AuditLog, entry: AuditEntry, keep_days: int) -> AuditRecord:
    """Append `entry` to the chain; Unavailable if it cannot be written (the caller decides what then)."""
    for _ in range(_APPEND_ATTEMPTS):
        seq, prev = log.head()
        sealed = AuditRecord.seal(entry, seq=seq + 1, at=clock.now(), prev_hash=prev)
        try:
            log.append(sealed, expected_seq=seq, keep_days=keep_days)
        except Conflict:
            continue  # another record took this place: seal again after it
        metrics.add_metric(name="AuditRecorded", unit="Count", value=1)
        return sealed
    logger.error("audit record not written: the chain head kept moving", extra={"action": entry.action})
    raise Unavailable("the audit trail is busy; try again")


def days_between(start: date, end: date) -> list[date]:
    if end < start:
        raise InvalidInput("the period ends before it starts")
    count = (end - start).days + 1
    if count > MAX_DAYS:
        raise InvalidInput(f"a period covers at most {MAX_DAYS} days")
    return [start + timedelta(days=n) for n in range(count)]


def _matches(rec: AuditRecord, actor: str | None, action: str | None, target: str | None) -> bool:
    return (
        (not actor or rec.actor == actor.lower())
        and (not action or rec.action == action or rec.action.startswith(action + "."))
        and (not target or rec.target == target)
    )


def records(log: AuditLog, start: date, end: date) -> list[AuditRecord]:
    """Every record written in the period, in chain order."""
    found = [rec for day in days_between(start, end) for rec in log.day(day)]
    return sorted(found, key=lambda r: r.seq)


def search(
    log: AuditLog,
    start: date,
    end: date,
    *,
    actor: str | None = None,
    action: str | None = None,
    target: str | None = None,
    limit: int = 200,
) -> list[AuditRecord]:
    """Records in the period that match every filter given (action also matches its prefix: `case`),
    newest first."""
    hits = [r for r in records(log, start, end) if _matches(r, actor, action, target)]
    return list(reversed(hits))[:limit]


def verify(chain: Iterable[AuditRecord]) -> Verification:
    """Check a run of records in seq order: each one's own hash, its link to the one before, no gaps.

    The first record's link is taken as given unless it is the first ever (then it must be GENESIS):
    older days may have been removed by the retention limit."""
    checked, first, previous = 0, None, None
    for rec in chain:
        problem = _problem(rec, previous)
        if problem:
            return Verification(
                ok=False,
                checked=checked,
                first_seq=first,
                last_seq=previous.seq if previous else None,
                broken_at=rec.seq,
                problem=problem,
            )
        checked += 1
        first = rec.seq if first is None else first
        previous = rec
    return Verification(
        ok=True, checked=checked, first_seq=first, last_seq=previous.seq if previous else None
    )


def _problem(rec: AuditRecord, previous: AuditRecord | None) -> str | None:
    if rec.digest() != rec.hash:
        return "the record's content does not match its hash (it was altered)"
    if previous is None:
        return (
            "the first record does not start the chain" if rec.seq == 1 and rec.prev_hash != GENESIS else None
        )
    if rec.seq != previous.seq + 1:
        return f"records {previous.seq + 1} to {rec.seq - 1} are missing"
    if rec.prev_hash != previous.hash:
        return "the record does not link to the one before it"
    return None


CSV_COLUMNS = (
    "seq",
    "at",
    "actor",
    "roles",
    "action",
    "target",
    "outcome",
    "source_ip",
    "user_agent",
    "detail",
    "prev_hash",
    "hash",
)


def to_csv(chain: Iterable[AuditRecord]) -> str:
    """The records as CSV, hashes included, so an export can be checked on its own."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for rec in chain:
        writer.writerow(
            [
                rec.seq,
                clock.iso(rec.at),
                rec.actor,
                " ".join(rec.roles),
                rec.action,
                rec.target,
                rec.outcome,
                rec.source_ip,
                rec.user_agent,
                ";".join(f"{k}={v}" for k, v in sorted(rec.detail.items())),
                rec.prev_hash,
                rec.hash,
            ]
        )
    return out.getvalue()
