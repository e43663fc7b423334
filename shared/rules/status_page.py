"""The public status page of a declared crisis (issue 17, R15): the current statement, when the next
update comes, the history of updates and the end. Pure: a crisis in, one self-contained HTML page out.

It is public HTML built from what supervisors typed: every value is escaped, the page loads nothing from
elsewhere (inline styles only) and refreshes itself every minute.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from shared.clock import iso
from shared.models.crisis import Crisis

REFRESH_SECONDS = 60

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;"
    "line-height:1.5}h1{font-size:1.5rem}.state{display:inline-block;padding:.1rem .5rem;border-radius:.3rem;"
    "font-weight:600}.active{background:#fde2e1;color:#8a1c14}.ended{background:#dff3e4;color:#14532d}"
    "blockquote{margin:1rem 0;padding:.75rem 1rem;border-left:4px solid #8a1c14;background:#fafafa}"
    "ol{padding-left:1.25rem}li{margin:.5rem 0}time{color:#555}footer{margin-top:2rem;color:#555;font-size:.9rem}"
)


def _time(at: datetime) -> str:
    return f'<time datetime="{escape(iso(at))}">{escape(at.strftime("%d %b %Y, %H:%M UTC"))}</time>'


def _history(crisis: Crisis) -> str:
    rows = [
        f"<li>{_time(e.at)} — {escape(_label(e.action))}: {escape(e.statement)}</li>"
        for e in reversed(crisis.history)
        if e.statement
    ]
    return "<ol>" + "".join(rows) + "</ol>" if rows else "<p>No updates yet.</p>"


def _label(action: str) -> str:
    return {"declared": "First statement", "updated": "Update", "ended": "Final update"}.get(action, action)


def render(crisis: Crisis, company: str, now: datetime) -> str:
    """The page for `crisis` as of `now`."""
    active = crisis.is_active
    state = "Ongoing" if active else "Resolved"
    current = (
        crisis.statement.text if active else (crisis.closing_statement or "This issue has been resolved.")
    )
    next_line = (
        f"<p><strong>Next update:</strong> {escape(crisis.statement.next_update)}</p>"
        if active
        else f"<p><strong>Ended:</strong> {_time(crisis.ended_at or now)}</p>"
    )
    title = f"{company}: {crisis.name}"
    return (
        "<!doctype html>"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body><main>"
        f"<h1>{escape(title)}</h1>"
        f'<p><span class="state {"active" if active else "ended"}">{state}</span> '
        f"since {_time(crisis.declared_at)}</p>"
        f'<blockquote id="current">{escape(current)}</blockquote>'
        f"{next_line}"
        f"<p><strong>More:</strong> {escape(crisis.statement.more_info)}</p>"
        f'<h2>Updates</h2><section id="history">{_history(crisis)}</section>'
        f"<footer>Last changed {_time(crisis.updated_at)}. This page refreshes every minute.</footer>"
        "</main></body></html>"
    )
