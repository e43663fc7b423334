"""The embedded search engine: SQLite's FTS5 (Python's standard library), behind the SearchIndex port.

One row per case in `docs` (the filters' and sorts' columns, indexed) and its words in the `fts` FTS5
table (same rowid): customer name and handle, the messages, and the contact and order keys. A search is
one SQL statement: the FTS match narrows to rowids, the filters and the order apply to `docs`. Locally
every function of the stack shares one process, so they share one database (a file, or a named in-memory
database); docs/decisions.md (2026-12-03) says what stands in for it in AWS.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timedelta
from typing import Any

from shared.clock import iso
from shared.models.search import AT_RISK_MINUTES, SearchDoc, SearchPage, SearchQuery, SlaState, SortOrder
from shared.rules.search_terms import query_terms

SHARED_MEMORY = "file:heard-search?mode=memory&cache=shared"
_NEVER = "9999-12-31T23:59:59.999Z"
MATCH_CAP = 5000  # words that match more cases than this: the most recently changed ones are ordered

_SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    rowid INTEGER PRIMARY KEY, case_id TEXT UNIQUE NOT NULL, version INTEGER NOT NULL, status TEXT, is_open INTEGER, team TEXT,
    owner TEXT, priority INTEGER, category TEXT, sentiment TEXT, platform TEXT, tags TEXT,
    opened_at TEXT, updated_at TEXT, last_customer_at TEXT, reply_due TEXT, sla_breached INTEGER,
    customer_key TEXT, body TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS docs_urgent ON docs (is_open DESC, priority, reply_due);
CREATE INDEX IF NOT EXISTS docs_due ON docs (reply_due);
CREATE INDEX IF NOT EXISTS docs_waiting ON docs (last_customer_at);
CREATE INDEX IF NOT EXISTS docs_updated ON docs (updated_at);
CREATE INDEX IF NOT EXISTS docs_status ON docs (status, team);
CREATE INDEX IF NOT EXISTS docs_owner ON docs (owner);
CREATE INDEX IF NOT EXISTS docs_customer ON docs (customer_key);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    who, words, keys, tokenize = 'unicode61 remove_diacritics 2');
"""

_ORDER_BY = {
    SortOrder.URGENT: f"d.is_open DESC, d.priority, COALESCE(d.reply_due, '{_NEVER}'), d.updated_at DESC",
    SortOrder.SLA_DUE: f"COALESCE(d.reply_due, '{_NEVER}'), d.priority",
    SortOrder.PRIORITY: "d.priority, d.updated_at DESC",
    SortOrder.WAITING: "d.reply_due IS NULL, d.last_customer_at, d.priority",
    SortOrder.NEWEST: "d.updated_at DESC",
}
_EQUALS = ("status", "team", "owner", "priority", "category", "sentiment", "platform")


def _phrase(term: str) -> str:
    return '"' + term.replace('"', " ") + '"'


def match_expression(text: str) -> str | None:
    """The FTS5 expression for a searcher's text: every key and every word must match (a word may be the
    start of a longer one); None when the text holds nothing to match."""
    keys, words = query_terms(text)
    parts = [f"keys : {_phrase(k.replace(':', ' '))}" for k in keys]
    parts += [f"{_phrase(w)}*" for w in words]
    return " AND ".join(parts) if parts else None


def _sla_clause(state: SlaState, now: datetime) -> tuple[str, list[Any]]:
    soon = iso(now + timedelta(minutes=AT_RISK_MINUTES))
    if state is SlaState.BREACHED:
        return "d.sla_breached = 1 AND d.is_open = 1", []
    if state is SlaState.AT_RISK:
        return "d.sla_breached = 0 AND d.reply_due IS NOT NULL AND d.reply_due <= ?", [soon]
    if state is SlaState.ON_TIME:
        return "d.sla_breached = 0 AND d.reply_due > ?", [soon]
    return "d.reply_due IS NULL", []


def _where(query: SearchQuery, now: datetime) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    args: list[Any] = []
    for name in _EQUALS:
        value = getattr(query, name)
        if value is not None:
            clauses.append(f"d.{name} = ?")
            args.append(value if isinstance(value, int) else str(value))
    if query.tag:
        clauses.append("instr(d.tags, ?) > 0")
        args.append(f" {query.tag.lower()} ")
    if query.sla is not None:
        clause, more = _sla_clause(query.sla, now)
        clauses.append(clause)
        args += more
    if query.opened_from:
        clauses.append("d.opened_at >= ?")
        args.append(iso(query.opened_from))
    if query.opened_to:
        clauses.append("d.opened_at < ?")
        args.append(iso(query.opened_to))
    return clauses, args


class SqliteSearchIndex:
    def __init__(self, path: str = SHARED_MEMORY) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            db = sqlite3.connect(self.path, uri=self.path.startswith("file:"), check_same_thread=False)
            db.execute("PRAGMA busy_timeout = 5000")
            if not self.path.startswith("file:") and self.path != ":memory:":
                db.execute("PRAGMA journal_mode = WAL")
            db.executescript(_SCHEMA)
            self._db = db
        return self._db

    def put(self, doc: SearchDoc) -> None:
        self.put_many([doc])

    def put_many(self, docs: list[SearchDoc]) -> None:
        """Store several documents in one transaction (a rebuild, the benchmark)."""
        with self._lock, self.db as db:
            for doc in docs:
                _store(db, doc)

    def remove(self, case_id: str) -> None:
        with self._lock, self.db as db:
            found = db.execute("SELECT rowid FROM docs WHERE case_id = ?", (case_id,)).fetchone()
            if found:
                db.execute("DELETE FROM fts WHERE rowid = ?", found)
                db.execute("DELETE FROM docs WHERE rowid = ?", found)

    def search(self, query: SearchQuery, now: datetime) -> SearchPage:
        clauses, args = _where(query, now)
        expression = match_expression(query.text)
        if expression is not None:
            # The most recently changed matches only (a document's rowid grows with each change): a word
            # in half of a million cases costs MATCH_CAP rows to order, not half a million.
            clauses.insert(
                0,
                f"d.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rowid DESC LIMIT {MATCH_CAP})",
            )
            args.insert(0, expression)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"SELECT d.body FROM docs d {where} ORDER BY {_ORDER_BY[query.sort]} LIMIT ? OFFSET ?"
        with self._lock:
            rows = self.db.execute(sql, [*args, query.limit + 1, query.offset]).fetchall()
        items = [SearchDoc.model_validate_json(body) for (body,) in rows[: query.limit]]
        more = len(rows) > query.limit
        return SearchPage(items=items, next_offset=query.offset + query.limit if more else None)


def _store(db: sqlite3.Connection, doc: SearchDoc) -> None:
    """Replace the case's document and its words (the caller holds the transaction)."""
    row = _row(doc)
    found = db.execute("SELECT rowid, version FROM docs WHERE case_id = ?", (doc.case_id,)).fetchone()
    if found and found[1] > doc.version:
        return  # a newer state of the case is indexed already
    if found:
        found = found[:1]
        db.execute("DELETE FROM fts WHERE rowid = ?", found)
        db.execute("DELETE FROM docs WHERE rowid = ?", found)
    cursor = db.execute(
        f"INSERT INTO docs ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values())
    )
    who = " ".join(filter(None, (doc.customer_name, doc.customer_handle, doc.customer_id)))
    db.execute(
        "INSERT INTO fts (rowid, who, words, keys) VALUES (?, ?, ?, ?)",
        (cursor.lastrowid, who, doc.summary + "\n" + doc.words, " ".join(doc.keys).replace(":", " ")),
    )


def _row(doc: SearchDoc) -> dict[str, Any]:
    return {
        "case_id": doc.case_id,
        "version": doc.version,
        "status": doc.status,
        "is_open": int(doc.status != "resolved"),
        "team": doc.team,
        "owner": doc.owner,
        "priority": doc.priority,
        "category": doc.category,
        "sentiment": doc.sentiment,
        "platform": doc.platform,
        "tags": " " + " ".join(doc.tags) + " ",
        "opened_at": iso(doc.opened_at),
        "updated_at": iso(doc.updated_at),
        "last_customer_at": iso(doc.last_customer_at),
        "reply_due": iso(doc.reply_due) if doc.reply_due else None,
        "sla_breached": int(doc.sla_breached),
        "customer_key": doc.customer_key,
        "body": json.dumps(doc.model_dump(mode="json", exclude={"words"})),
    }
