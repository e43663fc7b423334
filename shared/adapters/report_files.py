"""Report files in S3 (summary JSON and cases CSV), downloaded through short-lived presigned links."""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error


class S3ReportFiles(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str, client: Any = None):
        self._bucket = bucket
        self._client = client

    def put(self, key: str, body: bytes, content_type: str) -> None:
        """Store one file; Unavailable when S3 cannot take it now."""
        with unavailable_on_aws_error("storing the report"):
            self.client.put_object(Bucket=self._bucket, Key=key, ContentType=content_type, Body=body)

    def download_url(self, key: str, filename: str, expires_seconds: int) -> str:
        """A link that downloads the file under `filename` for `expires_seconds`."""
        return str(
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
