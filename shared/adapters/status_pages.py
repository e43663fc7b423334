"""Public crisis status pages in S3 (served by CloudFront under /status/, and by the local front door)."""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error

# Short: a page must show a change within a minute of it, through CloudFront's cache too.
CACHE_CONTROL = "public, max-age=30"


def page_key(crisis_id: str) -> str:
    return f"status/{crisis_id}.html"


class S3StatusPages(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str, base_url: str, client: Any = None):
        self._bucket = bucket
        self._base_url = base_url.rstrip("/") + "/"
        self._client = client

    def url(self, crisis_id: str) -> str:
        return f"{self._base_url}{crisis_id}.html"

    def publish(self, crisis_id: str, html: str) -> None:
        """Replace the crisis's page; Unavailable when S3 cannot take it now."""
        with unavailable_on_aws_error("publishing the status page"):
            self.client.put_object(
                Bucket=self._bucket,
                Key=page_key(crisis_id),
                Body=html.encode("utf-8"),
                ContentType="text/html; charset=utf-8",
                CacheControl=CACHE_CONTROL,
            )
