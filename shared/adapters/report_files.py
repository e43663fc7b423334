"""Report files in S3 (summary JSON and cases CSV), downloaded through short-lived presigned links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error


class S3ReportFiles(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str, client: Any = None, link_base: str | None = None):
        self._bucket = bucket
        self._client = client
        self._link_base = link_base  # locally: the front door's /files proxy to the embedded S3

    def put(self, key: str, body: bytes, content_type: str) -> None:
        """Store one file; Unavailable when S3 cannot take it now."""
        with unavailable_on_aws_error("storing the report"):
            self.client.put_object(Bucket=self._bucket, Key=key, ContentType=content_type, Body=body)

    def download_url(self, key: str, filename: str, expires_seconds: int) -> str:
        """A link that downloads the file under `filename` for `expires_seconds`."""
        url = str(
            self.client.generate_presigned_url(
                "get_object",
                Params={
                    "Bucket": self._bucket,
                    "Key": key,
                    "ResponseContentDisposition": f'attachment; filename="{filename}"',
                },
                ExpiresIn=expires_seconds,
            )
        )
        if not self._link_base:
            return url
        parts = urlsplit(url)
        return self._link_base.rstrip("/") + parts.path + ("?" + parts.query if parts.query else "")
