"""Finding things (issue #10): search cases by customer, contact details, order number and words, with
filters and an order; saved views; and the indexer that keeps the search index up to date.

The index is written off the request's path: the cases table's stream tells the indexer function which
cases changed; it reads each case and its timeline and stores its document (docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from shared import clock
from shared.errors import InvalidInput, NotFound
from shared.ids import new_id
from shared.models.agent import Agent
from shared.models.case import Case, TimelineEntry, TimelineKind
from shared.models.search import SavedView, SearchDoc, SearchPage, SearchQuery
from shared.observability import metrics
from shared.usecases import customers
from shared.usecases.deps import Deps

MAX_WORDS = 20_000  # characters of a case's messages kept in its document (the first and latest win)
MAX_VIEWS = 30
_FOUND_BY = (TimelineKind.MESSAGE_IN, TimelineKind.MESSAGE_EDITED, TimelineKind.REPLY, TimelineKind.NOTE)


def _words(timeline: Iterable[TimelineEntry]) -> str:
    text = "\n".join(e.text for e in timeline if e.kind in _FOUND_BY and e.text)
    if len(text) <= MAX_WORDS:
        return text
    half = MAX_WORDS // 2
    return text[:half] + "\n" + text[-half:]


def keys_of(timeline: Iterable[TimelineEntry]) -> list[str]:
    """The contact keys and order numbers the customer's messages gave."""
    keys: list[str] = []
    for entry in timeline:
        if entry.kind is TimelineKind.MESSAGE_IN:
            keys += [k for k in entry.data.get("contacts", []) if isinstance(k, str)]
            keys += [k for k in entry.data.get("orders", []) if isinstance(k, str)]
    return list(dict.fromkeys(keys))


def document_of(case: Case, timeline: list[TimelineEntry]) -> SearchDoc:
    """What the index holds for a case (pure)."""
    return SearchDoc(
        case_id=case.case_id,
        version=case.version,
        status=case.status.value,
        team=case.team,
        owner=case.owner,
        priority=case.priority,
        category=case.category.value,
        sentiment=case.sentiment.value,
        platform=case.platform.value,
        channel=case.channel.value,
        tags=case.tags,
        opened_at=case.opened_at,
        updated_at=case.updated_at,
        last_customer_at=case.last_customer_at,
        reply_due=case.reply_due,
        sla_breached=case.sla_breached,
        resolved_at=case.resolved_at,
        customer_name=case.customer.name,
        customer_handle=case.customer.handle,
        customer_id=case.customer.id,
        customer_key=case.customer_key,
        summary=case.summary,
        words=_words(timeline),
        keys=keys_of(timeline),
    )


def changed_case(pk: str, sk: str) -> str | None:
    """The case whose search document a changed item of the cases table may change: the case itself or
    one of its timeline entries (not presence heartbeats, reads or other items of its partition)."""
    prefix = "CASE#"
    if pk.startswith(prefix) and (sk == "CASE" or sk.startswith("T#")):
        return pk[len(prefix) :]
    return None


def index_case(deps: Deps, case_id: str) -> bool:
    """Index the case as it is now (idempotent: a repeated or late change stores the same or a newer
    state); a case that no longer exists (retention) leaves the index. True when it was indexed."""
    try:
        case, timeline = deps.cases.get_with_timeline(case_id)
    except NotFound:
        deps.search.remove(case_id)
        metrics.add_metric(name="CasesUnindexed", unit="Count", value=1)
        return False
    doc = document_of(case, timeline)
    deps.search.put(doc)
    if doc.keys and case.erasure_id is None:  # the same key given on another identity: one customer
        customers.link_by_keys(deps, customers.identity_of(case), doc.keys)
    metrics.add_metric(name="CasesIndexed", unit="Count", value=1)
    return True


def search_cases(deps: Deps, agent: Agent, query: SearchQuery) -> SearchPage:
    """Cases matching the words and filters, in the asked order (most urgent first by default). `owner`
    may be "me"."""
    if query.owner == "me":
        query = query.model_copy(update={"owner": agent.email})
    if query.opened_from and query.opened_to and query.opened_from >= query.opened_to:
        raise InvalidInput("opened_from must be before opened_to")
    return deps.search.search(query, clock.now())


def saved_views(deps: Deps, agent: Agent) -> list[SavedView]:
    return deps.views.views(agent.email, MAX_VIEWS)


def save_view(deps: Deps, agent: Agent, name: str, query: SearchQuery) -> SavedView:
    mine = deps.views.views(agent.email, MAX_VIEWS)
    if len(mine) >= MAX_VIEWS:
        raise InvalidInput(f"you have {MAX_VIEWS} saved views already; delete one first")
    if any(v.name == name for v in mine):
        raise InvalidInput(f"you already have a view called {name!r}")
    now = clock.now()
    view = SavedView(owner=agent.email, view_id=new_id("v", now), name=name, query=query, created_at=now)
    deps.views.put_view(view)
    return view


def delete_view(deps: Deps, agent: Agent, view_id: str) -> None:
    deps.views.delete_view(agent.email, view_id)
