"""What AWS expires by itself, done by the local runner (moto applies neither DynamoDB TTL nor S3
lifecycle rules): items whose TTL attribute has passed, and bucket objects past their lifecycle rule
(infra/wiring.py `Bucket.expire_days`; replaced or deleted versions after `noncurrent_days`).

Scans are fine here: this is the local stack's housekeeping, never a path in AWS. Object ages are S3's
`LastModified` (wall-clock time), compared with Heard's clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from infra.wiring import Bucket, Wiring

log = logging.getLogger("heard.local")
EVERY = timedelta(hours=1)  # in Heard time; AWS's own TTL deletes within a day or two


def expire_items(ddb: Any, table: str, attribute: str, now: datetime) -> int:
    deleted = 0
    kwargs: dict[str, Any] = {
        "TableName": table,
        "FilterExpression": "#ttl < :now",
        "ExpressionAttributeNames": {"#ttl": attribute},
        "ExpressionAttributeValues": {":now": {"N": str(int(now.timestamp()))}},
        "ProjectionExpression": "pk, sk, id",
    }
    while True:
        page = ddb.scan(**kwargs)
        for item in page.get("Items", []):
            ddb.delete_item(TableName=table, Key={k: v for k, v in item.items() if k in ("pk", "sk", "id")})
            deleted += 1
        if "LastEvaluatedKey" not in page:
            return deleted
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _doomed(version: dict[str, Any], spec: Bucket, now: datetime) -> bool:
    age = now - version["LastModified"]
    if version.get("IsLatest", True):
        return spec.expire_days is not None and age > timedelta(days=spec.expire_days)
    return age > timedelta(days=spec.noncurrent_days or 0)


def expire_objects(s3: Any, bucket: str, spec: Bucket, now: datetime) -> int:
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
            if _doomed(version, spec, now) and _deleted(s3, bucket, version):
                deleted += 1
    return deleted


def _deleted(s3: Any, bucket: str, version: dict[str, Any]) -> bool:
    """Delete one version; a version still under Object Lock stays, as S3's lifecycle leaves it (the
    lock's end is wall-clock time in moto, while the local clock may run faster)."""
    from botocore.exceptions import ClientError

    try:
        s3.delete_object(Bucket=bucket, Key=version["Key"], VersionId=version["VersionId"])
    except ClientError as error:
        if error.response["Error"]["Code"] != "AccessDenied":
            raise
        return False
    return True


def expire(
    wiring: Wiring, resolve: dict[str, str], clients: Callable[[str], Any], now: datetime
) -> dict[str, int]:
    """Everything past its time, by resource id: how many items or object versions were deleted."""
    done: dict[str, int] = {}
    for table in wiring.tables:
        if table.ttl_attribute:
            done[table.id] = expire_items(clients("dynamodb"), resolve[table.id], table.ttl_attribute, now)
    for bucket in wiring.buckets:
        if bucket.expire_days:
            done[bucket.id] = expire_objects(clients("s3"), resolve[bucket.id], bucket, now)
    log.info("local expiry", extra={"deleted": done})
    return done
