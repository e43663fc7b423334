"""The audit trail's records (R25, R27): who did what, to what, when and from where, chained by hashes.

Each record carries the hash of the record before it (`prev_hash`) and its own hash over every other
field, so changing, removing or reordering any record breaks the chain at that point (`verify`).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

GENESIS = "0" * 64  # the prev_hash of the first record ever written


class AuditEntry(BaseModel):
    """What is recorded, before it is given its place in the chain."""

    model_config = ConfigDict(frozen=True)

    actor: Annotated[str, Field(description="The signed-in user's email, or 'anonymous' / 'system'")]
    roles: list[str] = []
    action: Annotated[str, Field(description="case.read, config.change, audit.export, access.denied, ...")]
    target: str = ""  # the case, report, customer or route the action was about
    outcome: int = 0  # the HTTP status the caller was given (0 outside the API)
    source_ip: str = ""
    user_agent: str = ""
    detail: dict[str, str] = {}


class AuditRecord(AuditEntry):
    seq: Annotated[int, Field(ge=1, description="Position in the chain: 1, 2, 3, ... without gaps")]
    at: datetime
    prev_hash: str
    hash: str = ""

    def digest(self) -> str:
        """SHA-256 over every field but `hash`, in a canonical JSON form."""
        body = self.model_dump(mode="json", exclude={"hash"})
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @classmethod
    def seal(cls, entry: AuditEntry, seq: int, at: datetime, prev_hash: str) -> AuditRecord:
        # Stored with millisecond precision (clock.iso), so the hash is taken over the same moment.
        at = at.astimezone(UTC).replace(microsecond=at.microsecond // 1000 * 1000)
        unsealed = cls(**entry.model_dump(), seq=seq, at=at, prev_hash=prev_hash)
        return unsealed.model_copy(update={"hash": unsealed.digest()})


class SealCheck(BaseModel):
    """The table's records compared with their sealed copies over a period."""

    ok: bool
    sealed_records: int  # records in the period that have a sealed copy
    unsealed_records: int  # records written after the last seal (sealed within the hour)
    problem: str | None = None
    broken_at: int | None = None


class Verification(BaseModel):
    """The result of checking a run of the chain."""

    ok: bool
    checked: int
    first_seq: int | None = None
    last_seq: int | None = None
    broken_at: int | None = None  # the first record whose hash or link does not hold
    problem: str | None = None
    sealed: SealCheck | None = None  # the records compared with their write-once copies (when there are any)


def expiry(at: datetime, keep_days: int) -> int:
    """Epoch seconds after which DynamoDB's TTL may remove a record kept `keep_days`."""
    return int((at + timedelta(days=keep_days)).timestamp())


class AuditSeal(BaseModel):
    """A run of the chain copied to write-once storage (S3 Object Lock, compliance mode): whoever can
    rewrite the table, and even recompute every hash after a change, cannot change this copy, so the
    table's records are checked against it (docs/privacy.md, "The audit trail")."""

    day: date  # the UTC day of every record in the run (a run never spans two days)
    sealed_at: datetime
    first_seq: int
    last_seq: int
    records: list[AuditRecord]


class SealPointer(BaseModel):
    """How far the chain is sealed: the last sealed record's seq, its hash and its day."""

    seq: int = 0
    hash: str = GENESIS
    day: date | None = None
