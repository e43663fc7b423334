"""Which API requests the audit trail records, and recording them (docs/privacy.md).

Recorded: every read of a case or of case lists, every export (reports, the audit trail, a customer's
data), every change (any POST/PUT/DELETE: configuration, approvals, claims, replies, crises, erasures),
and every refusal (401: no valid sign-in reached the API; 403: a role may not do this). Not recorded:
reads that hold no customer data (the caller's own profile, the console's settings, queue depths).

A read whose record cannot be written is not answered (503): data does not leave unaudited. A change
that already happened is answered as it went, and the failure is logged and counted.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from shared.errors import ConfigurationError, Unavailable
from shared.models.audit import AuditEntry
from shared.models.roles import ROLES
from shared.observability import logger, metrics
from shared.usecases import audit
from shared.usecases.deps import Deps, default_deps

_ID = r"(?P<target>[^/]+)"
# (method, path under /api, action). The first match wins; any other change is recorded generically.
RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (method, re.compile(f"^{pattern}$"), action)
    for method, pattern, action in (
        ("GET", rf"/cases/{_ID}", "case.read"),
        ("GET", r"/cases", "case.list"),
        ("GET", r"/approvals", "case.list"),
        ("GET", r"/knowledge/unanswered", "case.list"),
        ("GET", rf"/reports/{_ID}/download", "report.export"),
        ("GET", r"/reports", "report.list"),
        ("GET", r"/analytics/overview", "report.view"),
        ("GET", r"/analytics/cases", "case.list"),
        ("GET", r"/analytics/at-risk", "case.list"),
        ("GET", r"/config", "config.read"),
        ("PUT", r"/config", "config.change"),
        ("GET", r"/audit/export", "audit.export"),
        ("GET", r"/audit/verify", "audit.verify"),
        ("GET", r"/audit", "audit.search"),
        ("GET", r"/privacy/customers/export", "customer.export"),
        ("GET", r"/privacy/customers", "customer.read"),
        ("GET", rf"/privacy/erasures/{_ID}", "erasure.read"),
        ("GET", r"/privacy/erasures", "erasure.list"),
        ("POST", r"/privacy/erasures", "customer.erase"),
        ("GET", r"/exports/conversations", "conversation.export"),
        ("POST", rf"/cases/[^/]+/replies/{_ID}/approve", "reply.approve"),
        ("POST", rf"/cases/[^/]+/replies/{_ID}/reject", "reply.reject"),
        ("POST", rf"/cases/{_ID}/replies", "case.reply"),
        ("POST", rf"/cases/{_ID}/resolve", "case.resolve"),
        ("POST", rf"/cases/{_ID}/escalate", "case.escalate"),
        ("POST", rf"/cases/{_ID}/followups/[^/]+/done", "case.followup_done"),
        ("POST", rf"/queues/{_ID}/next", "case.claim"),
        ("POST", r"/reviews/next", "review.claim"),
        ("POST", rf"/reviews/{_ID}", "review.grade"),
        ("POST", r"/reports", "report.create"),
        ("POST", r"/crises", "crisis.declare"),
        ("POST", rf"/crises/{_ID}/end", "crisis.end"),
        ("POST", rf"/crises/{_ID}", "crisis.update"),
        ("PUT", r"/me/availability", "availability.change"),
        ("GET", r"/users", "user.list"),
        ("POST", rf"/users/{_ID}", "user.invite"),
        ("PATCH", rf"/users/{_ID}", "user.change"),
        ("PUT", rf"/people/{_ID}", "user.teams"),
        ("PUT", r"/auto-answers", "config.auto_answers"),
        ("PUT", r"/integrations/chat-webhook", "config.chat_webhook"),
        ("POST", r"/integrations/chat-webhook/test", "config.chat_webhook_test"),
        ("POST", r"/training/changes", "training.publish"),
        ("POST", rf"/training/{_ID}/attempts", "training.attempt"),
    )
)
_CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def classify(method: str, path: str, status: int) -> tuple[str, str] | None:
    """(action, target) to record for this request and answer, or None when it is not recorded."""
    if method == "OPTIONS" or not path.startswith("/api/"):
        return None
    route = path.removeprefix("/api")
    if status == 401:
        return "signin.failed", route
    if status == 403:
        return "access.denied", route
    for rule_method, pattern, action in RULES:
        match = pattern.match(route)
        if rule_method == method and match:
            return action, unquote(match.groupdict().get("target") or "")  # an email arrives as %40
    if method in _CHANGES:
        return "request", f"{method} {route}"
    return None


def _claims(event: dict[str, Any]) -> dict[str, Any]:
    authorizer = (event.get("requestContext") or {}).get("authorizer") or {}
    return authorizer.get("claims") or {}


# A route may name its target itself (an erasure's id, an export's cases) when the path holds none.
TARGET_HEADER = "X-Heard-Audit-Target"


def _named_target(answer: dict[str, Any]) -> str | None:
    single = answer.get("headers") or {}
    multi = answer.get("multiValueHeaders") or {}
    value = single.get(TARGET_HEADER) or (multi.get(TARGET_HEADER) or [None])[0]
    return str(value) if value else None


def entry_for(event: dict[str, Any], status: int, answer: dict[str, Any] | None = None) -> AuditEntry | None:
    found = classify(str(event.get("httpMethod") or ""), str(event.get("path") or ""), status)
    if found is None:
        return None
    action, target = found
    target = _named_target(answer or {}) or target
    claims = _claims(event)
    identity = (event.get("requestContext") or {}).get("identity") or {}
    groups = re.split(r"[\s,\[\]]+", str(claims.get("cognito:groups") or ""))
    return AuditEntry(
        actor=str(claims.get("email") or claims.get("cognito:username") or "anonymous").lower(),
        roles=sorted(set(groups) & set(ROLES)),
        action=action,
        target=target[:300],
        outcome=status,
        source_ip=str(identity.get("sourceIp") or "")[:64],
        user_agent=str(identity.get("userAgent") or "")[:300],
        detail={"method": str(event.get("httpMethod")), "path": str(event.get("path"))[:300]},
    )


def audited(event: dict[str, Any], answer: dict[str, Any], deps: Deps | None = None) -> dict[str, Any]:
    """Record the request in the audit trail; the answer to give (a 503 if a read could not be recorded)."""
    status = int(answer.get("statusCode") or 0)
    entry = entry_for(event, status, answer)
    if entry is None:
        return answer
    deps = deps or default_deps()
    try:
        audit.record(deps.audit, entry, deps.config.get().retention.audit_days)
    except (Unavailable, ConfigurationError):  # the trail is down, or not set up where this runs
        metrics.add_metric(name="AuditWriteFailed", unit="Count", value=1)
        logger.error("audit record not written", extra={"action": entry.action, "status": status})
        if event.get("httpMethod") == "GET" and status < 400:
            headers = {**(answer.get("headers") or {}), "Content-Type": "application/json"}
            return {
                **answer,
                "statusCode": 503,
                "headers": headers,
                "multiValueHeaders": {},
                "body": '{"message":"The audit trail could not record this access; try again"}',
                "isBase64Encoded": False,
            }
    return answer
