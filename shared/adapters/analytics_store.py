"""The analytics records in S3: `analytics/<dataset>/dt=<YYYY-MM-DD>/<name>.parquet` (Glue/Athena's layout).

Reports fetch a period's objects into local files for DuckDB, several at a time. Compaction replaces a
day's `compacted` file with a conditional write (S3 `If-Match` / `If-None-Match`), so two compactions of
the same day cannot overwrite each other's work, then deletes the stream batches it merged.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error
from shared.analytics.records import STORE_PREFIX, is_compacted
from shared.errors import Conflict

DOWNLOAD_THREADS = 8


def day_prefix(dataset: str, day: str) -> str:
    return f"{STORE_PREFIX}/{dataset}/dt={day}/"


class S3AnalyticsStore(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str, client: Any = None):
        self._bucket = bucket
        self._client = client

    def put(self, dataset: str, day: str, name: str, body: bytes) -> None:
        with unavailable_on_aws_error("storing analytics records"):
            self._put_parquet(dataset, day, name, body)

    def _put_parquet(self, dataset: str, day: str, name: str, body: bytes, **condition: str) -> None:
        self.client.put_object(
            Bucket=self._bucket,
            Key=f"{day_prefix(dataset, day)}{name}.parquet",
            Body=body,
            ContentType="application/vnd.apache.parquet",
            **condition,
        )

    def _listing(self, dataset: str, days: Collection[str]) -> dict[str, dict[str, str]]:
        """The days' Parquet files (day -> name -> ETag) in one paginated listing from the first day to the
        last, not one listing per day (a report opens two months of days; compaction looks at 187)."""
        found: dict[str, dict[str, str]] = {}
        if not days:
            return found
        wanted, base = set(days), f"{STORE_PREFIX}/{dataset}/dt="
        last = max(wanted)
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=base, StartAfter=f"{base}{min(wanted)}"
        )
        for page in pages:
            for item in page.get("Contents", ()):
                day, _, file = item["Key"][len(base) :].partition("/")
                if day > last:
                    return found
                if day in wanted and file.endswith(".parquet"):
                    found.setdefault(day, {})[file.removesuffix(".parquet")] = item["ETag"]
        return found

    def fetch(self, dataset: str, days: list[str], into: Path) -> list[Path]:
        """Download the days' files under `into`; their local paths. A batch deleted between the listing
        and its download was merged by a compaction into the day's compacted file, written before the
        delete: it is skipped."""
        with unavailable_on_aws_error("reading analytics records"):
            listed = self._listing(dataset, days)
            keys = [
                f"{day_prefix(dataset, day)}{name}.parquet" for day in days for name in listed.get(day, {})
            ]
            return self._download_all(keys, into)

    def _download_all(self, keys: Sequence[str], into: Path) -> list[Path]:
        into.mkdir(parents=True, exist_ok=True)
        targets = [into / k.replace("/", "_") for k in keys]
        with ThreadPoolExecutor(DOWNLOAD_THREADS) as pool:
            found = list(pool.map(self._download, keys, targets))
        return [target for target, there in zip(targets, found, strict=True) if there]

    def _download(self, key: str, target: Path) -> bool:
        from botocore.exceptions import ClientError

        try:
            body = self.client.get_object(Bucket=self._bucket, Key=key)["Body"]
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "NoSuchKey" and not is_compacted(key):
                return False
            raise
        with target.open("wb") as out:
            for chunk in iter(lambda: body.read(1 << 20), b""):
                out.write(chunk)
        return True

    def files(self, dataset: str, day: str) -> dict[str, str]:
        return self.files_by_day(dataset, [day]).get(day, {})

    def files_by_day(self, dataset: str, days: Sequence[str]) -> dict[str, dict[str, str]]:
        with unavailable_on_aws_error("listing analytics records"):
            return self._listing(dataset, days)

    def download(self, dataset: str, day: str, names: Sequence[str], into: Path) -> list[Path]:
        with unavailable_on_aws_error("reading analytics records"):
            return self._download_all([f"{day_prefix(dataset, day)}{name}.parquet" for name in names], into)

    def replace(self, dataset: str, day: str, name: str, body: bytes, *, expected: str | None) -> None:
        from botocore.exceptions import ClientError

        condition = {"IfMatch": expected} if expected else {"IfNoneMatch": "*"}
        try:
            self._put_parquet(dataset, day, name, body, **condition)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in (
                "PreconditionFailed",
                "ConditionalRequestConflict",
            ):
                raise Conflict(f"{dataset} {day}: {name} changed meanwhile") from error
            with unavailable_on_aws_error("replacing analytics records"):
                raise

    def delete(self, dataset: str, day: str, names: Sequence[str]) -> None:
        with unavailable_on_aws_error("deleting analytics records"):
            for name in names:
                self.client.delete_object(
                    Bucket=self._bucket, Key=f"{day_prefix(dataset, day)}{name}.parquet"
                )
