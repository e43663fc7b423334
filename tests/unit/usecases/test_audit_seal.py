"""Sealing the audit trail (#14): new runs of the chain are copied to write-once storage once, and a
chain rewritten with every hash recomputed (which the chain's own check cannot see) fails against them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from shared import clock
from shared.models.audit import AuditEntry, AuditRecord
from shared.usecases import audit, audit_seal
from tests.unit.fakes import MemoryAudit, MemoryVault

START = datetime(2026, 11, 17, 23, 30, tzinfo=UTC)


@pytest.fixture
def now() -> Iterator[dict[str, datetime]]:
    moment = {"now": START}
    clock.set_source(lambda: moment["now"])
    yield moment
    clock.reset()


def write(log: MemoryAudit, count: int, now: dict[str, datetime], action: str = "case.read") -> None:
    for n in range(count):
        audit.record(log, AuditEntry(actor="sup@heard.local", action=action, target=f"c-{n}"), keep_days=30)
        now["now"] += timedelta(minutes=20)


def rechain(log: MemoryAudit, seq: int, **changes: str) -> None:
    """A tamperer who can write the table: change one record and recompute every hash after it."""
    previous = log.records[seq - 1].hash if seq > 1 else log.records[seq].prev_hash
    for n in sorted(s for s in log.records if s >= seq):
        edited = log.records[n].model_copy(update={**(changes if n == seq else {}), "prev_hash": previous})
        log.records[n] = edited.model_copy(update={"hash": edited.digest()})
        previous = log.records[n].hash


def test_new_records_are_sealed_once_per_day_and_the_pointer_follows(now):
    log, vault = MemoryAudit(), MemoryVault()
    write(log, 4, now)  # 23:30, 23:50 on the 17th; 00:10, 00:30 on the 18th
    sealed = audit_seal.seal(log, vault, now["now"])
    assert (sealed.records, sealed.seals, sealed.through) == (4, 2, 4)
    assert [(s.day.day, s.first_seq, s.last_seq) for s in vault.objects.values()] == [(17, 1, 2), (18, 3, 4)]
    # Nothing new: nothing is written again
    assert audit_seal.seal(log, vault, now["now"]).records == 0
    write(log, 1, now)
    again = audit_seal.seal(log, vault, now["now"])
    assert (again.records, again.through) == (1, 5) and len(vault.objects) == 3


def test_an_interrupted_seal_is_finished_without_a_second_copy(now):
    log, vault = MemoryAudit(), MemoryVault()
    write(log, 2, now)
    first = audit_seal._by_day(sorted(log.records.values(), key=lambda r: r.seq), now["now"])
    vault.put(first[0])  # written before a crash, the pointer not moved
    sealed = audit_seal.seal(log, vault, now["now"])
    assert sealed.through == 2 and sealed.seals == 0 and len(vault.objects) == 1


def test_a_broken_chain_is_not_sealed(now):
    log, vault = MemoryAudit(), MemoryVault()
    write(log, 3, now)
    log.records[2] = log.records[2].model_copy(update={"actor": "someone-else"})  # hash no longer matches
    sealed = audit_seal.seal(log, vault, now["now"])
    assert sealed.records == 0 and sealed.problem and "record 2" in sealed.problem
    assert vault.objects == {}


def test_a_rechained_record_passes_the_chain_check_but_not_its_sealed_copy(now):
    log, vault = MemoryAudit(), MemoryVault()
    write(log, 3, now)
    audit_seal.seal(log, vault, now["now"])
    rechain(log, 2, actor="innocent@heard.local")
    chain = audit.records(log, START.date(), now["now"].date())
    assert audit.verify(chain).ok  # the chain alone cannot tell
    verdict = audit_seal.verify_sealed(vault, START.date(), now["now"].date(), chain, keep_days=30)
    assert not verdict.ok and verdict.broken_at == 2 and "sealed copy" in (verdict.problem or "")


def test_a_removed_record_is_found_unless_retention_removed_it(now):
    log, vault = MemoryAudit(), MemoryVault()
    write(log, 3, now)
    audit_seal.seal(log, vault, now["now"])
    del log.records[3]
    chain = audit.records(log, START.date(), now["now"].date())
    verdict = audit_seal.verify_sealed(vault, START.date(), now["now"].date(), chain, keep_days=30)
    assert not verdict.ok and verdict.broken_at == 3 and "gone" in (verdict.problem or "")
    now["now"] += timedelta(days=31)  # past the retention limit: gone by TTL, as expected
    kept = audit_seal.verify_sealed(
        vault, START.date(), START.date() + timedelta(days=1), chain, keep_days=30
    )
    assert kept.ok and kept.sealed and kept.sealed.sealed_records == 3


def test_records_written_after_the_last_seal_are_counted_as_pending(now):
    log, vault = MemoryAudit(), MemoryVault()
    write(log, 2, now)
    audit_seal.seal(log, vault, now["now"])
    write(log, 1, now)
    chain: list[AuditRecord] = audit.records(log, START.date(), now["now"].date())
    verdict = audit_seal.verify_sealed(vault, START.date(), now["now"].date(), chain, keep_days=30)
    assert (
        verdict.ok
        and verdict.sealed
        and (verdict.sealed.sealed_records, verdict.sealed.unsealed_records) == (2, 1)
    )
