"""What the stores hand back besides entities: pointers, queue items, care-quality records, and the
"side writes" a use case asks to be stored in the same transaction as a case.

These are plain domain types: the ports (shared/ports.py) speak them and the adapters map them to items.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from shared.clock import iso
from shared.models.case import CaseStatus, TimelineEntry


class Duplicate(Exception):
    """The interaction was already recorded (platforms deliver at least once)."""


def entry_key(entry: TimelineEntry) -> str:
    """A timeline entry's stable key within its case (time-ordered): how replies and pointers refer to it."""
    return f"T#{iso(entry.at)}#{entry.entry_id}"


@dataclass(frozen=True)
class CustomerPointer:
    case_id: str
    owner: str | None
    status: CaseStatus
    resolved_at: datetime | None


@dataclass(frozen=True)
class PrivateHandover:
    """An agent moved a public conversation to private: the customer's next direct message on
    `customer_key` (a platform identity) reaches `case_id` and its owner until `until` (R8, R14)."""

    customer_key: str
    case_id: str
    owner: str | None
    until: datetime
    channel: str  # where the customer was asked to write: "messenger", "instagram DM", ...


@dataclass(frozen=True)
class MessagePointer:
    case_id: str
    entry_sk: str | None


@dataclass(frozen=True)
class WorkItem:
    """One case waiting in a team's lane, as received by a claiming agent."""

    case_id: str
    priority: int
    queue_url: str
    receipt_handle: str


@dataclass(frozen=True)
class QueueMessage:
    body: str
    attributes: dict[str, str] = field(default_factory=dict)


class EnqueueFailed(Exception):
    """Some messages could not be enqueued even after a retry: the platform must redeliver."""

    def __init__(self, failed: list[str]):
        super().__init__(f"{len(failed)} message(s) could not be enqueued")
        self.failed = failed


# ---- care quality (R11, R12) ------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingApproval:
    case_id: str
    reply_id: str
    entry_sk: str
    author: str
    text: str
    at: datetime
    case: dict[str, Any]  # a snapshot of the case's summary fields, so the list needs no further reads


@dataclass(frozen=True)
class PoolItem:
    review_id: str
    case_id: str
    reply_id: str
    entry_sk: str
    author: str
    text: str
    platform: str
    channel: str
    claimed_by: str | None
    claimed_at: datetime | None


# ---- side writes: stored atomically with a case (CasesRepository.save(..., also=[...])) -------------


@dataclass(frozen=True)
class ApprovalRequested:
    """A trainee's reply joins the approvals list."""

    pending: PendingApproval


@dataclass(frozen=True)
class ApprovalDecided:
    """The pending item is removed; it must still exist (a second decision loses: Conflict)."""

    at: datetime
    case_id: str
    reply_id: str


@dataclass(frozen=True)
class DeliveryMoved:
    """A reply entry's delivery state moves from `expected` to `to` (Conflict when it is elsewhere)."""

    case_id: str
    entry_sk: str
    expected: str
    to: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReviewPooled:
    """A case's first reply enters the blind empathy review pool."""

    item: PoolItem


@dataclass(frozen=True)
class ReviewTaken:
    """A graded review leaves the pool; only the reviewer holding the claim may remove it."""

    review_id: str
    claimed_by: str


SideWrite = ApprovalRequested | ApprovalDecided | DeliveryMoved | ReviewPooled | ReviewTaken


@dataclass(frozen=True)
class SendLease:
    """The answer to "may I send this reply now?" (the dispatcher's lease on a reply, R-#7.2).

    `taken`: the reply moved to "sending" under this caller's lease. Otherwise `state` is where the reply
    stands (None: not recorded yet) and `lease_until` when a "sending" lease runs out (None: no lease was
    ever recorded, as for a send interrupted before leases existed — treat it as expired)."""

    taken: bool
    state: str | None = None
    lease_until: datetime | None = None
