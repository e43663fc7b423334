"""Sealing the audit trail (R27, issue #14): copy each new run of the hash chain to write-once storage,
and check the table's records against those copies.

The hash chain alone shows a changed record, unless whoever changed it also recomputed every hash after
it: anyone who can write the table can do that. Every hour the sealer copies the records written since
the last seal to an S3 bucket with Object Lock in compliance mode, which no one can alter or delete
before the audit trail's retention ends. A record changed, removed or re-chained after it was sealed no
longer matches its copy, so the window in which a change goes unnoticed is at most an hour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shared import clock
from shared.errors import Conflict
from shared.models.audit import AuditRecord, AuditSeal, SealCheck, SealPointer, Verification
from shared.observability import logger, metrics
from shared.ports import AuditLog, AuditVault
from shared.usecases.audit import days_between, verify

FIRST_LOOK_BACK = timedelta(days=31)  # the first seal ever starts with the records of the last month
MAX_LOOK_BACK_DAYS = 400  # a sealer stopped longer than this leaves the older days unsealed (and says so)


@dataclass(frozen=True)
class Sealed:
    records: int  # records sealed by this run
    seals: int  # objects written
    through: int  # the last sealed seq
    problem: str | None = None  # why nothing was sealed (the chain does not hold)


def seal(log: AuditLog, vault: AuditVault, now: datetime) -> Sealed:
    """Copy the records written since the last seal to the vault, one object per day, then move the
    pointer. Idempotent: a run already sealed (by an earlier, interrupted attempt) is left as it is."""
    pointer = log.sealed()
    head_seq, _ = log.head()
    if head_seq <= pointer.seq:
        return Sealed(records=0, seals=0, through=pointer.seq)
    run = _unsealed(log, pointer, head_seq, now.date())
    problem = _run_problem(run, pointer)
    if problem:
        logger.error("audit chain not sealed: it does not hold", extra={"problem": problem})
        metrics.add_metric(name="AuditChainBroken", unit="Count", value=1)
        return Sealed(records=0, seals=0, through=pointer.seq, problem=problem)
    written = sum(_put(vault, day_seal) for day_seal in _by_day(run, now))
    last = run[-1]
    try:
        log.advance_seal(SealPointer(seq=last.seq, hash=last.hash, day=last.at.date()), pointer.seq)
    except Conflict:
        logger.info("another sealer moved the audit seal meanwhile")
    metrics.add_metric(name="AuditRecordsSealed", unit="Count", value=len(run))
    return Sealed(records=len(run), seals=written, through=last.seq)


def _unsealed(log: AuditLog, pointer: SealPointer, head_seq: int, today: date) -> list[AuditRecord]:
    start = pointer.day or (today - FIRST_LOOK_BACK)
    start = max(start, today - timedelta(days=MAX_LOOK_BACK_DAYS))
    days = [start + timedelta(days=n) for n in range((today - start).days + 1)]
    found = [r for day in days for r in log.day(day) if pointer.seq < r.seq <= head_seq]
    return sorted(found, key=lambda r: r.seq)


def _run_problem(run: list[AuditRecord], pointer: SealPointer) -> str | None:
    if not run:
        return "the chain's head is ahead of every record found"
    first = run[0]
    if pointer.seq and (first.seq != pointer.seq + 1 or first.prev_hash != pointer.hash):
        return f"record {first.seq} does not follow the last sealed record {pointer.seq}"
    checked = verify(run)
    return None if checked.ok else f"record {checked.broken_at}: {checked.problem}"


def _by_day(run: list[AuditRecord], now: datetime) -> list[AuditSeal]:
    days: dict[date, list[AuditRecord]] = defaultdict(list)
    for record in run:
        days[record.at.date()].append(record)
    return [
        AuditSeal(day=day, sealed_at=now, first_seq=recs[0].seq, last_seq=recs[-1].seq, records=recs)
        for day, recs in sorted(days.items())
    ]


def _put(vault: AuditVault, day_seal: AuditSeal) -> int:
    try:
        vault.put(day_seal)
    except Conflict:
        return 0  # sealed by an earlier attempt that stopped before moving the pointer
    return 1


def check(
    vault: AuditVault, days: Iterable[date], records: list[AuditRecord], oldest_kept: datetime
) -> SealCheck:
    """Compare the period's records with their sealed copies. A sealed record missing from the table is
    a problem unless the retention limit has removed it (it is older than `oldest_kept`)."""
    table = {r.seq: r for r in records}
    copies = {r.seq: r for day in days for s in vault.seals(day) for r in s.records}
    problems = sorted(
        (seq, problem)
        for seq, sealed in copies.items()
        if (problem := _difference(table.get(seq), sealed, oldest_kept))
    )
    unsealed = sum(1 for seq in table if seq not in copies)
    if problems:
        seq, problem = problems[0]
        return SealCheck(
            ok=False, sealed_records=len(copies), unsealed_records=unsealed, problem=problem, broken_at=seq
        )
    return SealCheck(ok=True, sealed_records=len(copies), unsealed_records=unsealed)


def _difference(current: AuditRecord | None, sealed: AuditRecord, oldest_kept: datetime) -> str | None:
    if current is None:
        return (
            None if sealed.at < oldest_kept else f"record {sealed.seq} was sealed but is gone from the trail"
        )
    if current != sealed:
        return f"record {sealed.seq} differs from its sealed copy (it was changed after it was sealed)"
    return None


def verify_sealed(
    vault: AuditVault, start: date, end: date, chain: list[AuditRecord], keep_days: int
) -> Verification:
    """The chain's own check (hashes and links), then the records against their sealed copies: a chain
    rewritten with every hash recomputed passes the first and fails the second."""
    verdict = verify(chain)
    oldest_kept = clock.now() - timedelta(days=keep_days)
    sealed = check(vault, days_between(start, end), chain, oldest_kept)
    if verdict.ok and not sealed.ok:
        return verdict.model_copy(
            update={"ok": False, "broken_at": sealed.broken_at, "problem": sealed.problem, "sealed": sealed}
        )
    return verdict.model_copy(update={"sealed": sealed})
