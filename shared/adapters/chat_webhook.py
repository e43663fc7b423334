"""The chat webhook behind the ChatWebhook and ChatWebhookSecret ports (issue #17; docs/events.md).

`HttpsChatWebhook` POSTs the message as JSON with a short timeout behind the company systems' circuit
breaker (shared/adapters/company_systems.py): after three failures in a row it fails at once for 30 s, so
a chat tool that is down costs each retry nothing. Anything but a 2xx is Unavailable: the notifier's
invocation fails and EventBridge retries it, then keeps it in the dead-letter queue.

`SecretsManagerChatWebhookSecret` keeps the URL as `{"url": ...}` in the stack's `chat-webhook` secret,
cached for a minute; what this container writes is read back at once. The URL is never logged.
"""

from __future__ import annotations

import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.adapters.company_systems import CircuitBreaker
from shared.errors import ConfigurationError, Unavailable

URL_KEY = "url"
DEFAULT_TIMEOUT_SECONDS = 5.0
MAX_ANSWER_BYTES = 4096  # Slack answers "ok", Teams "1": nothing more is needed
CACHE_SECONDS = 60.0


class HttpsChatWebhook:
    def __init__(
        self, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS, breaker: CircuitBreaker | None = None
    ):
        self.timeout_seconds = timeout_seconds
        self._breaker = breaker or CircuitBreaker(name="the chat webhook")

    def post(self, url: str, payload: dict[str, Any]) -> int:
        return self._breaker.call(lambda: self._post(url, payload))

    def _post(self, url: str, payload: dict[str, Any]) -> int:
        body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
        request = urllib.request.Request(
            url, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        try:
            # https only (checked when it is set; plain http only to this machine on the local stack).
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as answer:  # noqa: S310
                answer.read(MAX_ANSWER_BYTES)
                return int(answer.status)
        except urllib.error.HTTPError as error:
            raise Unavailable(f"the chat webhook answered {error.code}") from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise Unavailable("the chat webhook did not answer in time") from error
        except (http.client.InvalidURL, ValueError) as error:  # control characters, an unencodable host
            raise Unavailable("the chat webhook's URL cannot be used") from error


class SecretsManagerChatWebhookSecret(AwsAdapter):
    service = "secretsmanager"

    def __init__(
        self,
        secret_id: str,
        client: Any = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.secret_id, self._client, self._monotonic = secret_id, client, monotonic
        self._cached: tuple[float, str | None] | None = None

    def url(self) -> str | None:
        if self._cached and self._cached[0] > self._monotonic():
            return self._cached[1]
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_secret_value(SecretId=self.secret_id)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            raise ConfigurationError(f"cannot read the chat webhook's secret: {code}") from error
        try:
            data = json.loads(answer.get("SecretString") or "{}")
        except ValueError as error:
            raise ConfigurationError("the chat webhook's secret is not JSON") from error
        value = data.get(URL_KEY) if isinstance(data, dict) else None
        url = value if isinstance(value, str) and value else None
        self._cached = (self._monotonic() + CACHE_SECONDS, url)
        return url

    def set_url(self, url: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.put_secret_value(SecretId=self.secret_id, SecretString=json.dumps({URL_KEY: url}))
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            raise Unavailable(f"the chat webhook's secret could not be written: {code}") from error
        self._cached = (self._monotonic() + CACHE_SECONDS, url)
