"""Make untrusted text fit the model instead of losing the message (issue #7.4).

Platforms send what they send: half an emoji (a lone UTF-16 surrogate), a 100,000-character post, a
display name longer than any column. Refusing the event would drop a customer's message after the
platform was told 200, so the models normalise at their edge instead:

- lone surrogates become U+FFFD (a surrogate pair split into two escapes is joined back into its emoji);
- text longer than its field keeps its beginning and ends with a visible truncation marker;
- an over-long identifier keeps its beginning plus a digest of the whole, so it stays unique and stable
  (a redelivery maps to the same id, and so to the same dedupe key).

The raw archive keeps the original bytes either way.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
ELLIPSIS = "…"


def clean(value: str) -> str:
    """`value` with surrogate pairs joined and lone surrogates replaced by U+FFFD (valid UTF-8 after)."""
    if not _SURROGATE.search(value):
        return value
    return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean_any(value: Any) -> Any:
    """`clean` applied to every string (keys included) in a JSON-like value, without recursion."""
    if isinstance(value, str):
        return clean(value)
    if not isinstance(value, dict | list):
        return value
    root: list[Any] = [value]
    stack: list[tuple[Any, Any, Any]] = [(root, 0, value)]
    while stack:
        parent, slot, node = stack.pop()
        if isinstance(node, dict):
            copy_d: dict[Any, Any] = {}
            parent[slot] = copy_d
            for key, child in node.items():
                key = clean(key) if isinstance(key, str) else key
                copy_d[key] = child
                if isinstance(child, str):
                    copy_d[key] = clean(child)
                elif isinstance(child, dict | list):
                    stack.append((copy_d, key, child))
        elif isinstance(node, list):
            copy_l: list[Any] = list(node)
            parent[slot] = copy_l
            for index, child in enumerate(node):
                if isinstance(child, str):
                    copy_l[index] = clean(child)
                elif isinstance(child, dict | list):
                    stack.append((copy_l, index, child))
    return root[0]


def truncated(value: str, limit: int) -> str:
    """`value` cut to at most `limit` characters, ending with a marker that says how much was cut."""
    value = clean(value)
    if len(value) <= limit:
        return value
    # The marker's length depends on the count it states; the whole length bounds that count's digits.
    longest = len(f"\n[{ELLIPSIS} truncated {len(value)} characters]")
    if longest >= limit:
        return value[: max(limit - 1, 0)] + ELLIPSIS  # a field too small for the marker
    keep = limit - longest
    return value[:keep] + f"\n[{ELLIPSIS} truncated {len(value) - keep} characters]"


def shortened(value: str, limit: int) -> str:
    """A name cut to `limit` characters, ending with an ellipsis when it was cut."""
    value = clean(value)
    return value if len(value) <= limit else value[: limit - 1] + ELLIPSIS


def bounded_id(value: str, limit: int) -> str:
    """An identifier that fits `limit`: unchanged when it does, else its start plus a digest of the whole
    (stable across redeliveries, distinct for distinct long ids)."""
    value = clean(value)
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:24]
    return value[: limit - len(digest) - 1] + "#" + digest


def fit(kind: str, limit: int = 0) -> Any:
    """A pydantic BeforeValidator that makes a string field fit: kind is "text", "name", "id", "url" (an
    over-long URL is dropped: a cut one points nowhere) or "json" (every nested string cleaned)."""
    from pydantic import BeforeValidator

    def apply(value: Any) -> Any:
        if kind == "json":
            return clean_any(value)
        if not isinstance(value, str):
            return value
        if kind == "text":
            return truncated(value, limit)
        if kind == "name":
            return shortened(value, limit)
        if kind == "id":
            return bounded_id(value, limit)
        value = clean(value)
        return None if len(value) > limit else value  # url

    return BeforeValidator(apply)
