"""The raw webhook archive in S3: every accepted delivery's exact bytes, replayable by time range.

Keys sort by time within a platform: `raw/<platform>/<YYYY>/<MM>/<DD>/<HH>/<iso>-<uuid>.json`, so a
time range is read with one ordered listing (StartAfter) instead of a scan of the bucket.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.clock import iso, parse_iso
from shared.errors import ConfigurationError, NotFound, Unavailable

PREFIX = "raw/"


@dataclass(frozen=True)
class RawDelivery:
    key: str
    platform: str
    body: bytes
    received_at: datetime
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def verified(self) -> bool:
        return self.metadata.get("signature-verified") == "true"

    @property
    def account(self) -> tuple[str, str] | None:
        """(connected account id, brand) for a delivery to an account's own URL (issue #16)."""
        account, brand = self.metadata.get("heard-account"), self.metadata.get("heard-brand")
        return (account, brand) if account and brand else None


def raw_key(platform: str, received_at: datetime, unique: str | None = None) -> str:
    moment = received_at.astimezone(UTC)
    return f"{PREFIX}{platform}/{moment:%Y/%m/%d/%H}/{iso(moment)}-{unique or uuid.uuid4().hex}.json"


def key_time(key: str) -> datetime | None:
    """The receive time encoded in a key (None for keys not written by `put_raw`)."""
    name = key.rsplit("/", 1)[-1]
    try:
        return parse_iso(name[:24])  # 2026-03-01T10:00:00.000Z
    except ValueError:
        return None


def _received_at(value: str | None) -> datetime | None:
    # Metadata someone edited by hand must not make the delivery unreadable: fall back to the key's time.
    try:
        return parse_iso(value) if value else None
    except ValueError:
        return None


def _ascii(value: str, limit: int = 256) -> str:
    # S3 user metadata travels as HTTP headers: keep it printable ASCII.
    return "".join(c for c in value if 32 <= ord(c) < 127)[:limit]


class S3Archive(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str | None, client: Any = None):
        if not bucket:
            raise ConfigurationError("setting HEARD_ARCHIVE_BUCKET is required here but not set")
        self.bucket = bucket
        self._client = client

    def put_raw(
        self,
        platform: str,
        body: bytes,
        *,
        received_at: datetime,
        verified: bool,
        content_type: str | None = None,
        account: tuple[str, str] | None = None,
    ) -> str:
        """`account`: (connected account id, its brand) when the delivery came to an account's own URL, so
        a replay gives its interactions to the same brand."""
        key = raw_key(platform, received_at)
        content_type = _ascii(content_type or "application/octet-stream") or "application/octet-stream"
        self.client.put_object(
            Bucket=self.bucket,
            Key=key,
            Body=body,
            # The object is the raw bytes whatever the sender said they were: a form or multipart type
            # here made the local emulator parse the body as a form and store nothing (issue #7.9).
            # The sender's type is kept in the metadata.
            ContentType="application/octet-stream",
            Metadata={
                "received_at": iso(received_at),
                "signature-verified": "true" if verified else "false",
                "content-type": content_type,
                **(
                    {"heard-account": _ascii(account[0]), "heard-brand": _ascii(account[1])}
                    if account
                    else {}
                ),
            },
        )
        return key

    def get_raw(self, key: str) -> RawDelivery:
        """The archived delivery; NotFound when it is gone, Unavailable when S3 will not give it back."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=key)
            body = answer["Body"].read()
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code")
            if code in ("NoSuchKey", "404"):
                raise NotFound(f"no archived delivery {key}") from error
            raise Unavailable(f"archived delivery {key} could not be read ({code})") from error
        except BotoCoreError as error:
            raise Unavailable(
                f"archived delivery {key} could not be read ({type(error).__name__})"
            ) from error
        metadata = {k.lower(): v for k, v in (answer.get("Metadata") or {}).items()}
        received_at = _received_at(metadata.get("received_at")) or key_time(key) or answer["LastModified"]
        platform = key[len(PREFIX) :].split("/", 1)[0] if key.startswith(PREFIX) else ""
        return RawDelivery(key, platform, body, received_at, metadata)

    def platforms(self) -> list[str]:
        answer = self.client.list_objects_v2(Bucket=self.bucket, Prefix=PREFIX, Delimiter="/")
        return [p["Prefix"][len(PREFIX) :].rstrip("/") for p in answer.get("CommonPrefixes", [])]

    def list_keys(
        self, *, start: datetime, end: datetime, platforms: list[str] | None = None
    ) -> Iterator[str]:
        """Keys of deliveries received in [start, end), platform by platform, oldest first."""
        for platform in platforms or self.platforms():
            yield from self._platform_keys(platform, start, end)

    def _platform_keys(self, platform: str, start: datetime, end: datetime) -> Iterator[str]:
        prefix = f"{PREFIX}{platform}/"
        # Everything before the start hour's folder sorts before this key: S3 skips it for us.
        start_after = f"{prefix}{start.astimezone(UTC):%Y/%m/%d/%H}/"
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix, StartAfter=start_after):
            for item in page.get("Contents", []):
                moment = key_time(item["Key"])
                if moment is None:
                    continue
                if moment >= end:
                    return  # keys are in time order: nothing later can be in range
                if moment >= start:
                    yield item["Key"]


class S3ArchiveEraser(AwsAdapter):
    """Deletes raw deliveries for good: every version of the key and its delete markers (the bucket is
    versioned, so a plain DeleteObject would only hide the bytes behind a marker)."""

    service = "s3"

    def __init__(self, bucket: str | None, client: Any = None):
        if not bucket:
            raise ConfigurationError("setting HEARD_ARCHIVE_BUCKET is required here but not set")
        self.bucket = bucket
        self._client = client

    def erase(self, key: str) -> int:
        """Delete every version of `key`; how many versions and markers were deleted (0 when none)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            answer = self.client.list_object_versions(Bucket=self.bucket, Prefix=key)
            found = [
                v
                for group in ("Versions", "DeleteMarkers")
                for v in answer.get(group, [])
                if v["Key"] == key  # the prefix also matches longer keys
            ]
            for version in found:
                self.client.delete_object(Bucket=self.bucket, Key=key, VersionId=version["VersionId"])
        except (ClientError, BotoCoreError) as error:
            raise Unavailable(f"archived delivery could not be erased ({type(error).__name__})") from error
        return len(found)
