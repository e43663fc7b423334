"""How long each kind of personal data is kept (R27; docs/privacy.md), part of the configuration.

Enforced: report files by the reports bucket's S3 lifecycle rule and the raw archive by the archive
bucket's (read from config/heard.json at synth time, infra/wiring.py), the audit trail by DynamoDB TTL on
each record (`expires_at`, set when written), cases and their timelines by the daily retention sweep
(shared/usecases/retention.py), which runs the same in AWS and in the local runner.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Days = Annotated[int, Field(ge=1, le=3660)]


class Retention(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    reports_days: Days = 400  # report files (summary JSON, one-row-per-case CSV)
    analytics_days: Days = 800  # analytics records (no names, no words): two years of trends
    audit_days: Days = 2557  # the audit trail: seven years
    cases_days: Days = 1095  # a case and its timeline, counted from when it was resolved (and opened)
    archive_days: Days = 400  # raw webhook deliveries (replay reaches back this far), every version
