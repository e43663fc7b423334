"""The local stack's "sent mail/SMS" view: what Heard sent through SES and SNS, as moto kept it.

Nothing is delivered locally (moto's SES and SNS keep what they were given), so this is where a person
trying Heard, or a test, reads the escalation emails and texts and follows their links: `/fake/mail`
(a page) and `/fake/mail.json`, next to the fake platforms' `/fake/sent`.
"""

from __future__ import annotations

import html
import re
from typing import Any

from infra.local.resources import REGION

_URL = re.compile(r"https?://[^\s<>\"']+")
PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def sent() -> dict[str, list[dict[str, Any]]]:
    """Every email and SMS sent so far in this process's moto, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends
    from moto.sns.models import sns_backends

    ses = ses_backends[DEFAULT_ACCOUNT_ID][REGION]
    sns = sns_backends[DEFAULT_ACCOUNT_ID][REGION]
    emails = [
        {
            "id": m.id,
            "from": m.source,
            "to": list(m.destinations.get("ToAddresses", [])),
            "subject": getattr(m, "subject", ""),
            "body": getattr(m, "body", ""),
        }
        for m in list(ses.sent_messages)
        if hasattr(m, "destinations") and isinstance(m.destinations, dict)
    ]
    texts = [{"id": key, "to": value[0], "text": value[1]} for key, value in list(sns.sms_messages.items())]
    return {"emails": emails, "sms": texts}


def _linked(text: str) -> str:
    """Escaped text with its web addresses as links (the answer links of escalation emails)."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        url = html.escape(match.group(0))
        out.append(f'<a href="{url}">{url}</a>')
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def page(data: dict[str, list[dict[str, Any]]]) -> bytes:
    emails = "".join(
        f'<article class="mail"><h3>{html.escape(m["subject"])}</h3>'
        f'<p class="meta">From {html.escape(m["from"])} to {html.escape(", ".join(m["to"]))}</p>'
        f"<pre>{_linked(m['body'])}</pre></article>"
        for m in reversed(data["emails"])
    )
    texts = "".join(
        f'<article class="sms"><p class="meta">To {html.escape(s["to"])}</p><pre>{_linked(s["text"])}</pre></article>'
        for s in reversed(data["sms"])
    )
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Sent mail and SMS · Heard local</title>"
        "<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}article{border:1px solid #ccc;"
        "border-radius:6px;padding:.5rem 1rem;margin:.5rem 0}pre{white-space:pre-wrap}.meta{color:#555}</style>"
        "</head><body><h1>Sent mail and SMS</h1><p>What Heard sent through Amazon SES and SNS in this local "
        "stack (moto keeps it; nothing is delivered). Newest first. <a href='/fake/mail.json'>JSON</a></p>"
        f"<h2 id='emails'>Email ({len(data['emails'])})</h2>{emails or '<p>None yet.</p>'}"
        f"<h2 id='sms'>SMS ({len(data['sms'])})</h2>{texts or '<p>None yet.</p>'}</body></html>"
    ).encode()
