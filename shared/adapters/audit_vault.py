"""The audit trail's write-once copies in S3 (docs/privacy.md, "The audit trail").

Keys: `seals/<yyyy-mm-dd>/<first seq:012d>-<last seq:012d>.json`, one object per sealed run (a run never
spans two days, so a day's seals are one prefix). The bucket has S3 Object Lock in compliance mode with a
default retention as long as the audit trail's: no one, the account's root included, can delete or
overwrite a sealed version before it ends. A put never replaces an existing key (`IfNoneMatch`), and a
put to an Object Lock bucket carries a checksum (S3 requires one).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.errors import Conflict, Unavailable
from shared.models.audit import AuditSeal


def seal_key(seal: AuditSeal) -> str:
    return f"seals/{seal.day.isoformat()}/{seal.first_seq:012d}-{seal.last_seq:012d}.json"


class S3AuditVault(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str, client: Any = None):
        self._bucket = bucket
        self._client = client

    def put(self, seal: AuditSeal) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(
                Bucket=self._bucket,
                Key=seal_key(seal),
                Body=seal.model_dump_json().encode("utf-8"),
                ContentType="application/json",
                ChecksumAlgorithm="SHA256",
                IfNoneMatch="*",
            )
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("PreconditionFailed", "ConditionalRequestConflict"):
                raise Conflict(f"the run {seal.first_seq}-{seal.last_seq} is already sealed") from error
            raise Unavailable(f"the audit seal could not be written ({code})") from error

    def seals(self, day: date) -> list[AuditSeal]:
        found: list[AuditSeal] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=f"seals/{day.isoformat()}/"
        )
        for page in pages:
            for entry in page.get("Contents", []):
                body = self.client.get_object(Bucket=self._bucket, Key=entry["Key"])["Body"].read()
                found.append(AuditSeal.model_validate_json(body))
        return sorted(found, key=lambda seal: seal.first_seq)
