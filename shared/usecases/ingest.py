"""Ingest a webhook delivery: verify, archive the raw bytes, split into interactions, enqueue for triage.

Order matters and is the contract with the platforms:
  size check (413) -> signature (401, nothing stored) -> archive raw bytes -> parse (400, archive kept)
  -> enqueue in batches of ten (failure raises, so the platform redelivers) -> 200.
Triage deduplicates by `dedupe_key`, so a redelivery or a replay never makes a second interaction.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from shared.errors import ConfigurationError, NotFound, PayloadInvalid, SignatureInvalid, Unavailable
from shared.models.interaction import Interaction
from shared.models.records import EnqueueFailed, QueueMessage
from shared.observability import logger, metrics
from shared.platforms import get_adapter
from shared.platforms.base import header

JSON = "application/json"


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    body: str
    content_type: str = JSON


class Archive(Protocol):
    def put_raw(
        self,
        platform: str,
        body: bytes,
        *,
        received_at: datetime,
        verified: bool,
        content_type: str | None = None,
        account: tuple[str, str] | None = None,
    ) -> str: ...


class Queue(Protocol):
    def send_batch(self, messages: Sequence[Any]) -> int: ...


def _message(status: int, text: str) -> WebhookAnswer:
    return WebhookAnswer(status, json.dumps({"message": text}))


def _count(name: str, value: float = 1) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def receive(
    platform: str,
    method: str,
    headers: Mapping[str, str],
    body: bytes,
    query: Mapping[str, str],
    *,
    archive: Archive,
    queue: Queue,
    creds: Any,
    now: datetime,
    settings: Any = None,
    account: tuple[str, str] | None = None,
    resolve: AccountResolver | None = None,
) -> WebhookAnswer:
    """`account`: (connected account id, brand) for a delivery to `/webhooks/<platform>/<account>`; its
    `creds` are then that account's own. `resolve`: on the platform's shared URL, which account each
    interaction belongs to (by the platform's own account id, e.g. a Page id)."""
    try:
        adapter = get_adapter(platform)
    except NotFound as error:
        return _message(404, str(error))
    method = method.upper()
    if method == "GET":
        return _handshake(adapter, platform, query, creds)
    if method != "POST":
        return _message(405, f"method {method} is not allowed on webhooks")

    if settings is None:
        from shared.settings import get_settings

        settings = get_settings()
    if len(body) > settings.max_webhook_bytes:
        _count("WebhookTooLarge")
        return _message(413, f"delivery larger than {settings.max_webhook_bytes} bytes")

    try:
        adapter.verify(headers, body, creds, now)
    except SignatureInvalid as error:
        _count("WebhookSignatureInvalid")
        logger.warning("webhook signature rejected", extra={"platform": platform, "reason": str(error)})
        return _message(401, "signature missing or invalid")
    except ConfigurationError as error:
        logger.error("webhook secret not configured", extra={"platform": platform, "reason": str(error)})
        return _message(401, "webhook not configured for this platform")

    # Archive before parsing: the raw bytes are the only copy (no platform offers a history API).
    key = archive.put_raw(
        platform,
        body,
        received_at=now,
        verified=True,
        content_type=header(headers, "Content-Type"),
        **({"account": account} if account else {}),  # archives that predate accounts take no such argument
    )
    try:
        parsed = adapter.parse(body, received_at=now, archive_key=key)
    except PayloadInvalid as error:
        _count("WebhookPayloadInvalid")
        logger.warning(
            "webhook payload unparseable",
            extra={"platform": platform, "archive_key": key, "reason": str(error)},
        )
        return _message(400, f"payload could not be parsed: {error}")

    interactions = order_and_dedupe(stamp(parsed.interactions, account, resolve))
    try:
        calls = enqueue(queue, interactions)
    except EnqueueFailed as error:
        # Not acknowledging makes the platform redeliver; triage drops whatever did get through.
        _count("WebhookEnqueueFailed")
        logger.error(
            "webhook enqueue failed",
            extra={"platform": platform, "archive_key": key, "failed": len(error.failed)},
        )
        return _message(503, "temporarily unable to accept the delivery; retry later")
    if parsed.unknown_events:
        _count("WebhookUnknownEvents", parsed.unknown_events)
    if parsed.invalid_events:
        # What could not be normalised (no id, no author, ...): the raw bytes are archived under `key`
        # for a replay once the parser learns the shape; the metric has an alarm.
        _count("WebhookInvalidEvents", parsed.invalid_events)
        logger.warning(
            "webhook events unusable",
            extra={"platform": platform, "archive_key": key, "invalid_events": parsed.invalid_events},
        )
    _count("WebhookDeliveries")
    _count("InteractionsEnqueued", len(interactions))
    logger.info(
        "webhook delivery accepted",
        extra={
            "platform": platform,
            "archive_key": key,
            "interactions": len(interactions),
            "unknown_events": parsed.unknown_events,
            "invalid_events": parsed.invalid_events,
            "sqs_calls": calls,
        },
    )
    return _accepted(parsed.answer)


def _accepted(answer: dict[str, Any] | None) -> WebhookAnswer:
    """200 "accepted", or the Bot API method the platform should carry out (Telegram's answerCallbackQuery)."""
    return _message(200, "accepted") if answer is None else WebhookAnswer(200, json.dumps(answer))


@dataclass
class TokenBucket:
    """A token bucket: `capacity` calls at once, then one per `1 / per_second` seconds.

    In-process on purpose: a Lambda execution environment keeps it while warm, so it caps what one
    environment answers (a caller spreading over many cold environments gets more; API Gateway's stage
    throttling is the account-wide cap). Platforms check a handshake rarely (X about hourly, LinkedIn on
    registration), so the limit never touches them; it exists to make probing slow and visible."""

    capacity: float
    per_second: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = -1.0
    updated: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self) -> bool:
        with self.lock:
            now = self.clock()
            if self.tokens < 0:
                self.tokens, self.updated = self.capacity, now
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.per_second)
            self.updated = now
            if self.tokens < 1:
                return False
            self.tokens -= 1
            return True


HANDSHAKE_BURST = 20
HANDSHAKE_PER_SECOND = 1 / 3
_handshake_buckets: dict[str, TokenBucket] = {}


def handshake_bucket(platform: str) -> TokenBucket:
    bucket = _handshake_buckets.get(platform)
    if bucket is None:
        bucket = _handshake_buckets.setdefault(platform, TokenBucket(HANDSHAKE_BURST, HANDSHAKE_PER_SECOND))
    return bucket


def reset_handshake_limits() -> None:
    _handshake_buckets.clear()


def _handshake(adapter: Any, platform: str, query: Mapping[str, str], creds: Any) -> WebhookAnswer:
    # Logged without the token or the answer: the token is the caller's, the answer derives from a secret.
    fields: dict[str, Any] = {"platform": platform, "parameters": sorted(query)[:10]}
    if not handshake_bucket(platform).take():
        _count("WebhookHandshakeThrottled")
        logger.warning("webhook handshake throttled", extra=fields)
        return _message(429, "too many verification requests; retry later")
    try:
        answer = adapter.handshake(query, creds)
    except ConfigurationError as error:
        logger.error("webhook secret not configured", extra={**fields, "reason": str(error)})
        return _message(403, "webhook not configured for this platform")
    if answer is None:
        logger.info("webhook handshake without a challenge", extra=fields)
        return _message(400, f"no verification request for {platform} in the query string")
    if answer.status != 200:
        _count("WebhookHandshakeRejected")
    logger.info("webhook handshake answered", extra={**fields, "status": answer.status})
    return WebhookAnswer(answer.status, answer.body, answer.content_type)


# Finds the connected account of one interaction delivered to a callback several accounts share (e.g.
# several Pages of one Meta app: entry[].id names the Page): (account id, brand), or None for the default.
AccountResolver = Callable[[Interaction], "tuple[str, str] | None"]


def stamp(
    interactions: Sequence[Interaction],
    account: tuple[str, str] | None,
    resolve: AccountResolver | None = None,
) -> list[Interaction]:
    """Give each interaction its connected account and brand: the one whose URL was called, else the one
    `resolve` finds for it. The connectors find the account's credentials through
    `reply_context["heard_account"]`."""
    if account is None and resolve is None:
        return list(interactions)
    out = []
    for interaction in interactions:
        found = account or (resolve(interaction) if resolve else None)
        out.append(_stamped(interaction, found) if found else interaction)
    return out


def _stamped(interaction: Interaction, account: tuple[str, str]) -> Interaction:
    account_id, brand = account
    return interaction.model_copy(
        update={
            "connected_account": account_id,
            "brand": brand,
            "reply_context": {**interaction.reply_context, "heard_account": account_id},
        }
    )


def unknown_account(
    platform: str,
    account_id: str,
    method: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    archive: Any,
    now: datetime,
) -> WebhookAnswer:
    """A delivery to an account Heard does not have (never added, or removed): archived unverified (the
    bytes may be all there is), counted, and refused with a clear 404 so the sender's dashboard says why."""
    _count("WebhookUnknownAccount")
    fields = {"platform": platform, "account": account_id[:40]}
    if method.upper() == "POST" and archive is not None and body:
        fields["archive_key"] = archive.put_raw(
            platform, body, received_at=now, verified=False, content_type=header(headers, "Content-Type")
        )
    logger.warning("webhook for an unknown account", extra=fields)
    return _message(
        404, f"unknown account {account_id[:40]!r} for {platform}: add it in Heard's console first"
    )


def order_and_dedupe(interactions: Sequence[Interaction]) -> list[Interaction]:
    """Events in their own time order, each dedupe key once (a batch can repeat an update)."""
    seen: set[str] = set()
    unique = []
    for interaction in sorted(interactions, key=lambda i: i.occurred_at):
        if interaction.dedupe_key not in seen:
            seen.add(interaction.dedupe_key)
            unique.append(interaction)
    return unique


def enqueue(queue: Queue, interactions: Sequence[Interaction]) -> int:
    return queue.send_batch(
        [
            QueueMessage(
                body=i.model_dump_json(), attributes={"platform": i.platform.value, "kind": i.kind.value}
            )
            for i in interactions
        ]
    )


# ---- replay -------------------------------------------------------------------------------------------


@dataclass
class ReplayReport:
    deliveries: int = 0
    interactions: int = 0
    skipped: int = 0  # not verified when archived, unknown platform, unparseable, or unreadable
    unreadable: int = 0  # of which: the archive could not give the object back (gone, denied, corrupt)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (key, reason), the first MAX_PROBLEMS

    MAX_PROBLEMS = 100

    def skip(self, key: str, reason: str) -> None:
        self.skipped += 1
        if len(self.problems) < self.MAX_PROBLEMS:
            self.problems.append((key, reason))
        logger.warning("replay skipped a delivery", extra={"archive_key": key, "reason": reason})


def replay(
    archive: Any,
    queue: Queue,
    *,
    start: datetime,
    end: datetime,
    platforms: list[str] | None = None,
    progress: Callable[[int, int, ReplayReport], None] | None = None,
) -> ReplayReport:
    """Re-ingest archived deliveries received in [start, end) onto the ingest queue.

    Idempotent: interactions keep their dedupe keys, and triage drops what it has already seen. An object
    the archive cannot give back is skipped and reported, never the end of the replay."""
    keys = list(archive.list_keys(start=start, end=end, platforms=platforms))
    report = ReplayReport()
    for done, key in enumerate(keys, start=1):
        try:
            raw = archive.get_raw(key)
        except (NotFound, Unavailable) as error:
            report.unreadable += 1
            report.skip(key, f"unreadable: {error}")
            if progress:
                progress(done, len(keys), report)
            continue
        try:
            if not raw.verified:
                raise PayloadInvalid("delivery was not signature-verified when archived")
            parsed = get_adapter(raw.platform).parse(raw.body, received_at=raw.received_at, archive_key=key)
        except (PayloadInvalid, NotFound) as error:
            report.skip(key, str(error))
        else:
            interactions = order_and_dedupe(stamp(parsed.interactions, getattr(raw, "account", None)))
            enqueue(queue, interactions)
            report.deliveries += 1
            report.interactions += len(interactions)
        if progress:
            progress(done, len(keys), report)
    return report
