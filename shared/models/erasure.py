"""Erasure on request (GDPR art. 17): what was erased, by whom, when; never whom as a person.

The record (a tombstone) keeps ids and counts only: the erased cases stay in reports with their times and
classifications, and the audit trail names the erasure id, which this record ties to those cases.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class ArchiveState(StrEnum):
    PENDING = "pending"  # the erasure worker has not yet deleted the raw deliveries
    DONE = "done"
    NOTHING = "nothing"  # no raw delivery to delete


class Erased(BaseModel):
    """How much was removed or rewritten, per store."""

    model_config = ConfigDict(frozen=True)

    cases: int = 0
    timeline_entries: int = 0
    messages: int = 0  # the customer's own messages among the entries
    pointers: int = 0  # message and customer pointers deleted
    notifications: int = 0
    knowledge_examples: int = 0
    approvals_and_reviews: int = 0
    archive_objects: int = 0  # raw deliveries to delete (the worker deletes every version of each)
    attachments: int = 0  # media copied from the platforms and images agents sent, on the erased cases


class Erasure(BaseModel):
    model_config = ConfigDict(frozen=True)

    erasure_id: str
    requested_by: str  # the admin's email
    requested_at: datetime
    platform: str
    case_ids: list[str]
    erased: Erased
    archive: ArchiveState
    archive_versions_deleted: int = 0
    archive_done_at: datetime | None = None


class ErasureJob(BaseModel):
    """What the erasure worker deletes from the raw archive (sent on the erasure queue)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    erasure_id: Annotated[str, Field(min_length=1, max_length=64)]
    chunk: Annotated[int, Field(ge=0, le=100000)]
    archive_keys: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=1024)]], Field(max_length=1000)
    ]
