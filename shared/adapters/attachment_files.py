"""Attachments in S3 (issue #16): customers' media copied from the platforms, and images agents attach to
replies (uploaded by the browser through a presigned POST). Never public: every link is presigned and
short-lived.

Keys: `in/<case id>/<entry id>/<index>` (a customer's attachment, copied on first view) and
`out/<case id>/<upload id>` (an agent's image). The bucket's lifecycle expires both with the raw archive.
"""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import AwsAdapter, unavailable_on_aws_error
from shared.errors import NotFound


class S3AttachmentFiles(AwsAdapter):
    service = "s3"

    def __init__(self, bucket: str, client: Any = None):
        self._bucket = bucket
        self._client = client

    def upload_form(
        self, key: str, content_type: str, max_bytes: int, expires_seconds: int
    ) -> tuple[str, dict[str, str]]:
        """(url, form fields) of a presigned POST: the browser posts the fields and then the file; S3
        refuses another key, another Content-Type or a size outside 1..max_bytes (its policy)."""
        form = self.client.generate_presigned_post(
            self._bucket,
            key,
            Fields={"Content-Type": content_type},
            Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
            ExpiresIn=expires_seconds,
        )
        return str(form["url"]), {str(k): str(v) for k, v in form["fields"].items()}

    def download_url(self, key: str, expires_seconds: int) -> str:
        """A link that shows the file (inline) for `expires_seconds`."""
        return str(
            self.client.generate_presigned_url(
                "get_object",
                Params={"Bucket": self._bucket, "Key": key, "ResponseContentDisposition": "inline"},
                ExpiresIn=expires_seconds,
            )
        )

    def describe(self, key: str) -> tuple[int, str]:
        """(size, content type) of a stored file; NotFound when nothing is there."""
        from botocore.exceptions import ClientError

        with unavailable_on_aws_error("reading an attachment"):
            try:
                head = self.client.head_object(Bucket=self._bucket, Key=key)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound", "403"):
                    raise NotFound(f"no attachment uploaded at {key}") from error
                raise
        return int(head.get("ContentLength", 0)), str(head.get("ContentType") or "")

    def read(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        with unavailable_on_aws_error("reading an attachment"):
            try:
                return bytes(self.client.get_object(Bucket=self._bucket, Key=key)["Body"].read())
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    raise NotFound(f"no attachment at {key}") from error
                raise

    def put(self, key: str, body: bytes, content_type: str) -> None:
        with unavailable_on_aws_error("storing an attachment"):
            self.client.put_object(Bucket=self._bucket, Key=key, Body=body, ContentType=content_type)

    def erase_case(self, case_id: str) -> int:
        """Every object of the case (customers' media and agents' images), each version of it: erasure."""
        erased = 0
        with unavailable_on_aws_error("erasing a case's attachments"):
            pages = self.client.get_paginator("list_object_versions")
            for prefix in (f"in/{case_id}/", f"out/{case_id}/"):
                for page in pages.paginate(Bucket=self._bucket, Prefix=prefix):
                    for version in page.get("Versions", []) + page.get("DeleteMarkers", []):
                        self.client.delete_object(
                            Bucket=self._bucket, Key=version["Key"], VersionId=version["VersionId"]
                        )
                        erased += 1
        return erased
