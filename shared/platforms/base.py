"""What every platform adapter shares: the answer and result types, and tolerant readers for JSON.

Parsers read untrusted JSON. The helpers here never raise on odd shapes (a number where a string was
expected, a list where an object was): they return None or an empty value, so each parser can decide what
is required. Building the `Interaction` itself validates (pydantic), and `collect` turns one malformed
event into a counted skip instead of failing the whole batch.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple, Protocol

from pydantic import ValidationError

from shared.errors import ConfigurationError, PayloadInvalid, SignatureInvalid
from shared.models.interaction import Attachment, Author, Interaction


class HttpAnswer(NamedTuple):
    status: int
    body: str
    content_type: str


@dataclass
class Parsed:
    interactions: list[Interaction] = field(default_factory=list)
    unknown_events: int = 0  # recognised envelope, event type we do not use: archived and counted
    invalid_events: int = 0  # an event too malformed to normalise: skipped, counted, still archived
    # A Bot API method to call in the webhook's own answer (Telegram runs a method given as the answer's
    # JSON body): answering a button press at once, with no call of our own.
    answer: dict[str, Any] | None = None


class Adapter(Protocol):
    name: str

    def handshake(self, query: Mapping[str, str], creds: Any) -> HttpAnswer | None: ...

    def verify(self, headers: Mapping[str, str], body: bytes, creds: Any, now: datetime) -> None: ...

    def parse(self, body: bytes, *, received_at: datetime, archive_key: str | None) -> Parsed: ...


# ---- signatures -------------------------------------------------------------------------------------


def require_secret(value: str | None, setting: str) -> str:
    if not value:
        raise ConfigurationError(f"platform secret {setting} is not configured")
    return value


def hmac_sha256(secret: str, message: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()


def same(expected: str, received: str | None) -> bool:
    """Constant-time comparison of two ASCII tokens (a missing one never matches)."""
    if received is None:
        return False
    return hmac.compare_digest(expected.encode("utf-8"), received.encode("utf-8", "replace"))


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup, whatever mapping the caller passed."""
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if isinstance(key, str) and key.lower() == wanted:
            return candidate
    return None


def signature_value(headers: Mapping[str, str], name: str, prefix: str) -> str:
    """The value of a `<prefix><digest>` signature header, or SignatureInvalid when absent/malformed."""
    value = header(headers, name)
    if not value:
        raise SignatureInvalid(f"missing {name} header")
    value = value.strip()
    if not value.startswith(prefix):
        raise SignatureInvalid(f"{name} header does not start with {prefix!r}")
    return value[len(prefix) :]


# ---- handshakes ---------------------------------------------------------------------------------------


def challenge(query: Mapping[str, str], parameter: str, shape: re.Pattern[str]) -> str | HttpAnswer | None:
    """The challenge in `query[parameter]` if it has the platform's own shape; a 403 answer if not.

    X and LinkedIn answer a challenge with an HMAC made with the same secret that signs deliveries, so a
    handshake that answered any string would sign any body for whoever asks. The shapes the adapters
    pass are short ASCII alphabets without `{`, `[`, quotes, spaces or `=`-prefixes, so no accepted
    challenge is a JSON body or a LinkedIn "hmacsha256=" message (tests/unit/platforms/
    test_handshake_oracle.py proves it for every accepted token)."""
    token = query.get(parameter)
    if token is None:
        return None
    if not shape.fullmatch(token):
        return HttpAnswer(
            403,
            json.dumps({"message": f"{parameter} is not shaped like this platform's"}),
            "application/json",
        )
    return token


# ---- tolerant JSON readers --------------------------------------------------------------------------


# A \uD800-\uDFFF escape: the only way a JSON document can carry a lone surrogate.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def load_json(body: bytes) -> Any:
    """The parsed body, normalised so every string is valid Unicode (issue #7.4): a lone surrogate (half an
    emoji, which platforms do send) becomes U+FFFD and bytes that are not UTF-8 are replaced, instead of
    the event failing later and vanishing. The archive keeps the original bytes."""
    try:
        try:
            data = json.loads(body)
        except UnicodeDecodeError:
            data = json.loads(body.decode("utf-8", "replace"))
    except (ValueError, RecursionError) as error:  # JSONDecodeError is a ValueError
        raise PayloadInvalid(f"body is not valid JSON: {error.__class__.__name__}") from error
    if _SURROGATE_ESCAPE.search(body):
        from shared.models.bounds import clean_any

        data = clean_any(data)
    return data


def obj(value: Any, key: str) -> dict[str, Any]:
    """`value[key]` when both are objects, else {}."""
    if isinstance(value, dict):
        found = value.get(key)
        if isinstance(found, dict):
            return found
    return {}


def items(value: Any, key: str) -> list[Any]:
    """`value[key]` when it is a list, else []."""
    if isinstance(value, dict):
        found = value.get(key)
        if isinstance(found, list):
            return found
    return []


def ident(value: Any) -> str | None:
    """An id as a string: platforms send ids as numbers or strings (never booleans)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def from_epoch(value: Any, *, millis: bool = False) -> datetime | None:
    """Seconds (or milliseconds) since the epoch, as number or numeric string; None when unusable."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
        if millis:
            number /= 1000
        return datetime.fromtimestamp(number, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def from_iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        # Graph sends "2016-01-01T00:00:00+0000" (no colon in the offset): Python 3.11 needs strptime.
        try:
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def short_hash(*parts: Any) -> str:
    """A stable short digest: tells apart two edits of the same message in a dedupe key."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8", "replace")).hexdigest()[:16]


def author(identifier: Any, name: Any = None, handle: Any = None, **extra: Any) -> Author | None:
    author_id = ident(identifier)
    if author_id is None:
        return None
    return Author(id=author_id, name=text(name), handle=text(handle), **extra)


def attachment(kind: Any, url: Any = None, attachment_id: Any = None) -> Attachment:
    return Attachment(type=text(kind) or "file", url=text(url), id=ident(attachment_id))


@dataclass
class Collector:
    """Accumulates one delivery's interactions; a malformed event is counted, never fatal."""

    parsed: Parsed = field(default_factory=Parsed)

    def add(self, build: Callable[..., Interaction | Iterable[Interaction] | None], *args: Any) -> None:
        """Run `build(*args)` and keep what it made; None or a malformed event counts as invalid."""
        try:
            result = build(*args)
        except (ValidationError, ValueError, TypeError, KeyError, AttributeError, OverflowError):
            # One broken event must not cost the batch: the raw delivery stays archived for replay.
            self.parsed.invalid_events += 1
            return
        if result is None:
            self.parsed.invalid_events += 1
        elif isinstance(result, Interaction):
            self.parsed.interactions.append(result)
        else:
            self.parsed.interactions.extend(result)

    def unknown(self, count: int = 1) -> None:
        self.parsed.unknown_events += count
