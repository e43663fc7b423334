"""POST/GET /webhooks/{platform}: verify, archive and enqueue a delivery, or answer a handshake.

Glue only: decode the API Gateway REST (v1 proxy) event, call `shared.usecases.ingest.receive`, map the
answer. Imports stay minimal (no boto3 until the first AWS call) because platforms time us out.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from aws_lambda_powertools.logging import correlation_paths

from shared import clock
from shared.errors import ConfigurationError
from shared.observability import lambda_handler, logger  # no tracer here: see shared/observability.py
from shared.platforms.credentials import PlatformCredentials, load_credentials
from shared.settings import Settings, get_settings, per_settings
from shared.usecases import ingest


@per_settings
def _dependencies(settings: Settings) -> tuple[Any, Any]:
    """(archive, queue), reused while warm."""
    from shared.adapters.archive import S3Archive
    from shared.adapters.ingest_queue import IngestQueue

    return S3Archive(settings.archive_bucket), IngestQueue(settings.ingest_queue_url)


def _credentials(settings: Any) -> PlatformCredentials:
    try:
        return load_credentials(settings)
    except ConfigurationError as error:
        # Every platform then answers 401/403 and says why in the log; never a 500.
        logger.error("platform credentials unavailable", extra={"reason": str(error)})
        return PlatformCredentials()


def _answer(status: int, body: str, content_type: str = "application/json") -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": content_type}, "body": body}


def _bad_request(message: str) -> dict[str, Any]:
    return _answer(400, json.dumps({"message": message}))


@lambda_handler(correlation_paths.API_GATEWAY_REST, traced=False)
def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if not isinstance(event, dict):
        return _bad_request("not an API Gateway proxy event")
    platform = (event.get("pathParameters") or {}).get("platform")
    if not isinstance(platform, str):
        return _bad_request("missing platform in the path")
    raw = event.get("body") or ""
    if not isinstance(raw, str):
        return _bad_request("body must be a string")
    try:
        body = base64.b64decode(raw, validate=True) if event.get("isBase64Encoded") else raw.encode("utf-8")
    except (binascii.Error, ValueError):
        return _bad_request("body is not valid base64")
    headers = {str(k): str(v) for k, v in (event.get("headers") or {}).items()}
    query = {str(k): str(v) for k, v in (event.get("queryStringParameters") or {}).items()}
    method = str(event.get("httpMethod", ""))
    settings = get_settings()
    try:
        archive, queue = _dependencies()
    except ConfigurationError as error:
        if method.upper() == "POST":  # handshakes need no bucket or queue
            logger.error("webhook resources not configured", extra={"reason": str(error)})
            return _answer(503, json.dumps({"message": "webhook temporarily unavailable"}))
        archive = queue = None
    answer = ingest.receive(
        platform,
        method,
        headers,
        body,
        query,
        archive=archive,
        queue=queue,
        creds=_credentials(settings),
        now=clock.now(),
        settings=settings,
    )
    return _answer(answer.status, answer.body, answer.content_type)
