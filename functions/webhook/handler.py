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
from shared.errors import ConfigurationError, NotFound, Unavailable
from shared.observability import lambda_handler, logger  # no tracer here: see shared/observability.py
from shared.platforms import REGISTERED
from shared.platforms.credentials import PlatformCredentials, load_credentials
from shared.settings import Settings, get_settings, per_settings
from shared.usecases import ingest


@per_settings
def _dependencies(settings: Settings) -> tuple[Any, Any]:
    """(archive, queue), reused while warm."""
    from shared.adapters.archive import S3Archive
    from shared.adapters.ingest_queue import IngestQueue

    return S3Archive(settings.archive_bucket), IngestQueue(settings.ingest_queue_url)


@per_settings
def _accounts(settings: Settings) -> tuple[Any, Any]:
    """(account records, account secrets) for `/webhooks/<platform>/<account>`, reused while warm."""
    from shared.adapters.accounts_repo import DynamoAccounts, SecretsManagerAccountSecrets

    return (
        DynamoAccounts(settings.require("accounts_table")),
        SecretsManagerAccountSecrets(settings.require("account_secret_prefix")),
    )


def _account(platform: str, account_id: str) -> tuple[tuple[str, str], PlatformCredentials] | None:
    """((account id, brand), its credentials), or None when Heard has no such account of `platform`."""
    from shared.usecases.accounts import webhook_account

    try:
        account, creds = webhook_account(platform, account_id, *_accounts())
    except NotFound:
        return None
    except ConfigurationError as error:  # the accounts' table or secrets are not wired: refuse, never 500
        logger.error("webhook accounts not configured", extra={"reason": str(error)})
        return None
    return (account.account_id, account.brand), creds


def _shared_resolver(platform: str) -> Any:
    """On `/webhooks/<platform>`: which connected account each interaction belongs to (several Pages of
    one Meta app share its callback; entry[].id names the Page). None in the single-account setup."""
    from shared.usecases.accounts import shared_callback_resolver

    try:
        return shared_callback_resolver(platform, _accounts()[0])
    except ConfigurationError:  # no accounts table wired: the single-account setup
        return None


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
    account_id = (event.get("pathParameters") or {}).get("account")
    account, creds = None, None
    if isinstance(account_id, str) and platform in REGISTERED:
        found = _account(platform, account_id)
        if found is None:
            kept = body if len(body) <= settings.max_webhook_bytes else b""
            refused = ingest.unknown_account(
                platform, account_id, method, headers, kept, archive=archive, now=clock.now()
            )
            return _answer(refused.status, refused.body, refused.content_type)
        account, creds = found
    resolve = None
    if account is None and platform in REGISTERED and method.upper() == "POST":
        try:
            resolve = _shared_resolver(platform)
        except Unavailable:  # telling Pages apart needs the accounts: let the platform deliver again
            logger.error("webhook accounts unavailable", extra={"platform": platform})
            return _answer(503, json.dumps({"message": "temporarily unavailable; retry later"}))
    answer = ingest.receive(
        platform,
        method,
        headers,
        body,
        query,
        archive=archive,
        queue=queue,
        creds=creds or _credentials(settings),
        now=clock.now(),
        settings=settings,
        account=account,
        resolve=resolve,
    )
    return _answer(answer.status, answer.body, answer.content_type)
