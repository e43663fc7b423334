"""The analytics records in S3: `analytics/<dataset>/dt=<YYYY-MM-DD>/<name>.parquet` (Glue/Athena's layout).

Reports fetch a period's objects into local files for DuckDB, several at a time.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error
from shared.analytics.records import STORE_PREFIX

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
            self.client.put_object(
                Bucket=self._bucket,
                Key=f"{day_prefix(dataset, day)}{name}.parquet",
                Body=body,
                ContentType="application/vnd.apache.parquet",
            )

    def _keys(self, dataset: str, day: str) -> list[str]:
        keys: list[str] = []
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self._bucket, Prefix=day_prefix(dataset, day)
        )
        for page in pages:
            keys.extend(o["Key"] for o in page.get("Contents", ()) if o["Key"].endswith(".parquet"))
        return keys

    def fetch(self, dataset: str, days: list[str], into: Path) -> list[Path]:
        """Download the days' files under `into`; their local paths."""
        with unavailable_on_aws_error("reading analytics records"):
            keys = [k for day in days for k in self._keys(dataset, day)]
            into.mkdir(parents=True, exist_ok=True)
            targets = [into / k.replace("/", "_") for k in keys]
            with ThreadPoolExecutor(DOWNLOAD_THREADS) as pool:
                list(pool.map(self._download, keys, targets))
        return targets

    def _download(self, key: str, target: Path) -> None:
        body = self.client.get_object(Bucket=self._bucket, Key=key)["Body"]
        with target.open("wb") as out:
            for chunk in iter(lambda: body.read(1 << 20), b""):
                out.write(chunk)
