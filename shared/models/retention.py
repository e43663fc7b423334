"""How long each kind of personal data is kept (R27; docs/privacy.md), part of the configuration."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Days = Annotated[int, Field(ge=1, le=3660)]


class Retention(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    cases_days: Days = 730  # a case and its timeline, counted from when it was last updated
    archive_days: Days = 90  # raw webhook deliveries (replay needs them only for a while)
    reports_days: Days = 400  # report files and their records
    audit_days: Days = 2557  # the audit trail: seven years
