"""Webhook subscription health: is Meta still sending us the Page's (and WhatsApp's) events, and does X
still consider our webhook valid? Platforms silently unsubscribe an app after repeated delivery failures
or a revoked token; this check turns that silence into an alarm metric (SubscriptionLapsed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shared.errors import RateLimited
from shared.platforms.outbound import Transport, UrllibTransport


@dataclass(frozen=True)
class SubscriptionCheck:
    platform: str  # meta-page, whatsapp, x
    target: str
    state: str  # active | lapsed | unknown (could not ask) | skipped (not configured)
    detail: str = ""

    @property
    def lapsed(self) -> bool:
        return self.state == "lapsed"


def _get(transport: Transport, url: str, token: str) -> tuple[int, Any]:
    answer = transport("GET", url, headers={"Authorization": f"Bearer {token}"}, body=None)
    return answer.status, answer.json()


def _meta_subscribed(
    transport: Transport, graph: str, object_id: str, token: str, app_id: str | None, platform: str
) -> SubscriptionCheck:
    try:
        status, data = _get(transport, f"{graph}/{object_id}/subscribed_apps", token)
    except RateLimited as error:  # unreachable: we do not know, so we do not alarm on it
        return SubscriptionCheck(platform, object_id, "unknown", str(error))
    if status != 200 or not isinstance(data, dict) or not isinstance(data.get("data"), list):
        problem = data.get("error", {}) if isinstance(data, dict) else {}
        message = problem.get("message", "") if isinstance(problem, dict) else ""
        # 4xx means the token or the subscription is gone: that is a lapse, not an outage.
        state = "lapsed" if 400 <= status < 500 else "unknown"
        return SubscriptionCheck(platform, object_id, state, f"HTTP {status} {message}".strip())
    apps = [a for a in data["data"] if isinstance(a, dict)]
    if app_id:
        apps = [a for a in apps if str(a.get("id")) == app_id]
    if not apps:
        return SubscriptionCheck(platform, object_id, "lapsed", "our app is not subscribed")
    return SubscriptionCheck(platform, object_id, "active")


def _x_webhooks(transport: Transport, api: str, token: str) -> SubscriptionCheck:
    try:
        status, data = _get(transport, f"{api}/2/webhooks", token)
    except RateLimited as error:
        return SubscriptionCheck("x", "webhooks", "unknown", str(error))
    if status != 200 or not isinstance(data, dict):
        state = "lapsed" if status in (401, 403) else "unknown"
        return SubscriptionCheck("x", "webhooks", state, f"HTTP {status}")
    hooks = [h for h in data.get("data") or [] if isinstance(h, dict)]
    if not hooks:
        return SubscriptionCheck("x", "webhooks", "lapsed", "no webhook registered")
    invalid = [str(h.get("id")) for h in hooks if h.get("valid") is not True]
    if invalid:
        return SubscriptionCheck(
            "x", "webhooks", "lapsed", f"webhook(s) {', '.join(invalid)} failed their CRC check"
        )
    return SubscriptionCheck("x", "webhooks", "active")


def check_subscriptions(
    creds: Any, settings: Any, transport: Transport | None = None
) -> list[SubscriptionCheck]:
    transport = transport or UrllibTransport()
    graph = settings.meta_graph_url.rstrip("/")
    checks: list[SubscriptionCheck] = []
    meta_targets = [("meta-page", creds.meta_page_id), ("whatsapp", creds.whatsapp_business_account_id)]
    for platform, object_id in meta_targets:
        if object_id and creds.meta_page_token:
            checks.append(
                _meta_subscribed(
                    transport, graph, object_id, creds.meta_page_token, creds.meta_app_id, platform
                )
            )
        else:
            checks.append(
                SubscriptionCheck(platform, object_id or "-", "skipped", "id or META_PAGE_TOKEN not set")
            )
    if creds.x_bearer_token:
        checks.append(_x_webhooks(transport, settings.x_api_url.rstrip("/"), creds.x_bearer_token))
    else:
        checks.append(SubscriptionCheck("x", "webhooks", "skipped", "X_BEARER_TOKEN not set"))
    return checks
