"""Search without a query language (pure): the terms a case is indexed under, the terms a search looks
for, and the filters and orders applied to documents in memory. The DynamoDB adapter uses these; the
embedded engine (SQLite FTS5) does the same in SQL, and tests/unit/test_search_match.py holds the two to
the same answers.

A case is indexed under each distinct word of its customer's name, handle and id, its summary and its
messages (lower case, accents removed, split at anything that is not a letter or digit, words of one
character and the commonest English words left out: they would find every case and crowd a few index
partitions) and under each contact or order key exactly. A searcher's word matches a word that
starts with it ("custom" finds "customer"); a key matches only itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from shared.models.search import AT_RISK_MINUTES, SearchDoc, SearchQuery, SlaState, SortOrder
from shared.rules.search_terms import query_terms

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
MIN_WORD = 2
MAX_TERM = 60  # longer "words" (hashes, URLs) are cut: DynamoDB keys stay small
_NEVER = datetime.max.replace(tzinfo=None)
_STOP = (
    "a an and are as at be but by for from has have i if in is it me my no not of on or our so that the"
    " this to was we were will with you your"
)
STOP_WORDS = frozenset(_STOP.split())


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """The words of `text` as the index keeps them (each once, in order)."""
    found = (t[:MAX_TERM] for t in _TOKEN.findall(_fold(text)))
    return list(dict.fromkeys(t for t in found if len(t) >= MIN_WORD and t not in STOP_WORDS))


def doc_terms(doc: SearchDoc) -> set[str]:
    """Every term a case is found by: `w:<word>` for words, `k:<key>` for contact and order keys."""
    who = " ".join(filter(None, (doc.customer_name, doc.customer_handle, doc.customer_id)))
    words = tokens(f"{who}\n{doc.summary}\n{doc.words}")
    return {f"w:{w}" for w in words} | {f"k:{k}" for k in doc.keys}


def search_terms(text: str) -> list[str]:
    """What a searcher's text looks for: `k:<key>` (exact) and `w:<prefix>` (a word starting so). A word
    written with hyphens or dots ("A-48213") looks for each of its parts; parts of one character are
    not indexed, so they are not looked for."""
    keys, words = query_terms(text)
    terms = [f"k:{k}" for k in keys]
    for word in words:
        parts = [t[:MAX_TERM] for t in _TOKEN.findall(_fold(word))]
        terms += [f"w:{p}" for p in parts if len(p) >= MIN_WORD and p not in STOP_WORDS]
    return list(dict.fromkeys(terms))


def _sla(doc: SearchDoc, state: SlaState, now: datetime) -> bool:
    soon = now + timedelta(minutes=AT_RISK_MINUTES)
    if state is SlaState.BREACHED:
        return doc.sla_breached and doc.status != "resolved"
    if state is SlaState.AT_RISK:
        return not doc.sla_breached and doc.reply_due is not None and doc.reply_due <= soon
    if state is SlaState.ON_TIME:
        return not doc.sla_breached and doc.reply_due is not None and doc.reply_due > soon
    return doc.reply_due is None


def _equal(doc: SearchDoc, query: SearchQuery) -> bool:
    for name in ("status", "team", "owner", "priority", "category", "sentiment", "platform"):
        wanted = getattr(query, name)
        if wanted is not None and getattr(doc, name) != (wanted if isinstance(wanted, int) else str(wanted)):
            return False
    return True


def matches(doc: SearchDoc, query: SearchQuery, now: datetime) -> bool:
    """Whether the document passes the query's filters (its words are matched by the index)."""
    if not _equal(doc, query):
        return False
    if query.tag and query.tag.lower() not in {t.lower() for t in doc.tags}:
        return False
    if query.sla is not None and not _sla(doc, query.sla, now):
        return False
    if query.opened_from and doc.opened_at < query.opened_from:
        return False
    return not (query.opened_to and doc.opened_at >= query.opened_to)


def _due(doc: SearchDoc) -> datetime:
    return doc.reply_due.replace(tzinfo=None) if doc.reply_due else _NEVER


def _newest(doc: SearchDoc) -> float:
    return -doc.updated_at.timestamp()


_ORDERS: dict[SortOrder, Callable[[SearchDoc], tuple[Any, ...]]] = {
    SortOrder.URGENT: lambda d: (d.status == "resolved", d.priority, _due(d), _newest(d)),
    SortOrder.SLA_DUE: lambda d: (_due(d), d.priority),
    SortOrder.PRIORITY: lambda d: (d.priority, _newest(d)),
    SortOrder.WAITING: lambda d: (d.reply_due is None, d.last_customer_at, d.priority),
    SortOrder.NEWEST: lambda d: (_newest(d),),
}


def ordered(docs: list[SearchDoc], sort: SortOrder) -> list[SearchDoc]:
    """The documents in the asked order (ties: the newest case first)."""
    by_id = sorted(docs, key=lambda d: d.case_id, reverse=True)
    return sorted(by_id, key=_ORDERS[sort])
