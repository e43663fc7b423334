"""Erasure on request (GDPR art. 17; docs/privacy.md): an admin erases a customer by one of their identities.

What goes: the customer's name, handle and id on every case (the case gets a stand-in identity), the text
of every timeline entry of their cases (their messages, our replies, notes, system texts that name them)
and every entry's data but a few non-personal fields, the case summaries and reply contexts, the message
and customer pointers, pending approvals and review items of those cases, the text of colleagues'
notifications about them, the knowledge base examples learned from their questions, the search index's
documents and postings of their cases (rewritten at once), the keys their messages gave and the links
to their other identities, and (through the erasure worker, which alone may delete from it) every version of their raw deliveries in the archive.

What stays: each case with its times, counts and classifications (reports stay consistent), marked
erased with an "erased" timeline entry; an erasure record of ids and counts. Erasing again is a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shared import clock
from shared.ids import new_id
from shared.models.case import Case, CaseStatus, TimelineEntry, TimelineKind
from shared.models.erasure import ArchiveState, Erased, Erasure, ErasureJob
from shared.models.interaction import Author
from shared.models.knowledge import AnswerState
from shared.observability import logger, metrics
from shared.usecases import knowledge_gaps
from shared.usecases.casework import Agent
from shared.usecases.deps import Deps
from shared.usecases.knowledge import forget_index_age, question_of
from shared.usecases.outcomes import message_key
from shared.usecases.search import document_of, keys_of
from shared.usecases.subjects import Subject, case_ids

NOTICE = "Personal data erased on request."
# Timeline data that says nothing about the person (delivery states, labels, flags); the rest goes.
SAFE_DATA = frozenset({"channel", "delivery", "label", "internal", "owner", "team", "reason", "resolution"})
CHUNK = 500  # raw deliveries per worker message (an SQS message holds 256 KB)
_CUSTOMER_KINDS = frozenset(
    {TimelineKind.MESSAGE_IN, TimelineKind.MESSAGE_EDITED, TimelineKind.MESSAGE_DELETED}
)


@dataclass
class _Found:
    """What erasing the customer's cases must also reach, gathered while rewriting them."""

    cases: list[Case] = field(default_factory=list)
    archive_keys: set[str] = field(default_factory=set)
    message_keys: set[str] = field(default_factory=set)
    people: set[str] = field(default_factory=set)  # colleagues who may hold notifications about them
    keys: set[str] = field(default_factory=set)  # contact and order keys their messages gave
    questions: set[str] = field(default_factory=set)  # what the knowledge base may have learned
    entries: int = 0
    messages: int = 0


def scrub_entry(entry: TimelineEntry) -> TimelineEntry:
    data = {k: v for k, v in entry.data.items() if k in SAFE_DATA}
    return entry.model_copy(update={"text": "", "data": data})


def scrub_case(case: Case, erasure_id: str, now: datetime) -> Case:
    stand_in = Author(id=f"erased:{erasure_id}")
    update: dict[str, object] = {
        "customer": stand_in,
        "summary": "",
        "brief": "",  # written from the customer's words
        "reply_context": {},
        "conversation_id": stand_in.id,
        "erased_at": now,
        "erasure_id": erasure_id,
        "updated_at": now,
        "version": case.version + 1,
    }
    if case.status.is_open:  # nobody can answer a person Heard no longer knows
        update.update(status=CaseStatus.RESOLVED, resolved_at=now, reply_due=None, snoozed_until=None)
    return case.model_copy(update=update)


def _learned(timeline: list[TimelineEntry]) -> set[str]:
    """Every question the knowledge base could have learned from this timeline (at any point of it), and
    each of the customer's messages (a learned question joins the messages written since the last reply)."""
    asked = {question_of(timeline[: i + 1])[:500] for i in range(len(timeline))}
    asked |= {e.text.strip()[:500] for e in timeline if e.kind is TimelineKind.MESSAGE_IN}
    return {q for q in asked if q}


def _learned_from(example: str, questions: set[str]) -> bool:
    # Over-erasing an example costs the knowledge base little; keeping one of the customer's words does not.
    return example in questions or any(len(q) >= 8 and q in example for q in questions)


def _gather(found: _Found, case: Case, timeline: list[TimelineEntry]) -> None:
    found.cases.append(case)
    found.questions |= _learned(timeline)
    found.keys |= set(keys_of(timeline))
    found.people |= {case.owner} if case.owner else set()
    for entry in timeline:
        found.entries += 1
        if "@" in entry.actor:
            found.people.add(entry.actor)
        found.people |= {m for m in entry.data.get("mentions", []) if isinstance(m, str)}
        if isinstance(entry.data.get("archive_key"), str):
            found.archive_keys.add(entry.data["archive_key"])
        if entry.kind in _CUSTOMER_KINDS:
            found.messages += 1
            if entry.kind is TimelineKind.MESSAGE_IN and entry.data.get("platform_id"):
                found.message_keys.add(message_key(case.platform.value, str(entry.data["platform_id"])))


def _notice(case: Case, erasure_id: str, agent: Agent, now: datetime) -> TimelineEntry:
    return TimelineEntry(
        case_id=case.case_id,
        entry_id=f"erased-{erasure_id}",
        kind=TimelineKind.ERASED,
        at=now,
        actor=agent.email,
        text=NOTICE,
        data={"erasure_id": erasure_id},
    )


def _rewrite(deps: Deps, case: Case, timeline: list[TimelineEntry], erasure_id: str, agent: Agent) -> None:
    now = clock.now()
    entries = [scrub_entry(e) for e in timeline] + [_notice(case, erasure_id, agent, now)]
    scrubbed = scrub_case(case, erasure_id, now)
    deps.cases.erase_case(scrubbed, case.version, entries)
    # Now, not at the stream's next batch: the newer version also stops a late indexer putting her back.
    deps.search.put(document_of(scrubbed, entries))


def _forget_knowledge(deps: Deps, questions: set[str]) -> int:
    removed = 0
    for state in AnswerState:
        for answer in deps.knowledge.by_state(state, None):
            kept = [e for e in answer.examples if not _learned_from(e, questions)]
            if len(kept) != len(answer.examples):
                deps.knowledge.save(answer.model_copy(update={"examples": kept}), answer, None)
                removed += len(answer.examples) - len(kept)
    if removed:
        forget_index_age(deps)
    return removed


def _jobs(erasure_id: str, keys: set[str]) -> list[ErasureJob]:
    ordered = sorted(keys)
    return [
        ErasureJob(erasure_id=erasure_id, chunk=n, archive_keys=ordered[start : start + CHUNK])
        for n, start in enumerate(range(0, len(ordered), CHUNK))
    ]


def _find(deps: Deps, subject: Subject, case_id: str | None) -> _Found:
    found = _Found()
    for cid in case_ids(deps, subject, case_id):
        case, timeline = deps.cases.get_with_timeline(cid)
        if case.erasure_id is None and case.customer_key == subject.key:
            _gather(found, case, timeline)
    return found


def _record(deps: Deps, agent: Agent, subject: Subject, found: _Found, erasure_id: str) -> Erasure:
    jobs = _jobs(erasure_id, found.archive_keys)
    erasure = Erasure(
        erasure_id=erasure_id,
        requested_by=agent.email,
        requested_at=clock.now(),
        platform=subject.platform.value,
        case_ids=[c.case_id for c in found.cases],
        erased=Erased(
            cases=len(found.cases),
            timeline_entries=found.entries,
            messages=found.messages,
            archive_objects=len(found.archive_keys),
        ),
        archive=ArchiveState.PENDING if jobs else ArchiveState.NOTHING,
    )
    # Recorded, and the archive's erasure started, before anything is rewritten: the archive keys live in
    # the timelines about to be scrubbed, and a retry after a crash finds only the cases not yet erased.
    deps.erasures.put(erasure, archive_chunks=len(jobs))
    for job in jobs:
        deps.erasure_jobs.put(job.model_dump_json())
    return erasure


def erase(deps: Deps, agent: Agent, subject: Subject, case_id: str | None = None) -> Erasure | None:
    """Erase everything Heard holds on the subject; None when it holds nothing (already erased, or never
    known)."""
    found = _find(deps, subject, case_id)
    if not found.cases:
        return None
    erasure_id = new_id("er", clock.now())
    erasure = _record(deps, agent, subject, found, erasure_id)
    for case in found.cases:
        _, timeline = deps.cases.get_with_timeline(case.case_id)
        _rewrite(deps, case, timeline, erasure_id, agent)
    links = deps.links.forget(subject.key, sorted(found.keys))  # before her partition (and links) goes
    erased = erasure.erased.model_copy(
        update={
            "pointers": deps.cases.forget_messages(sorted(found.message_keys))
            + deps.cases.forget_customer(subject.key)
            + links,
            "approvals_and_reviews": deps.quality.forget_cases(erasure.case_ids),
            "notifications": sum(
                deps.notifications.rewrite_for_cases(p, erasure.case_ids, NOTICE)
                for p in sorted(found.people)
            ),
            "knowledge_examples": _forget_knowledge(deps, found.questions),
            "attachments": sum(deps.attachment_files.erase_case(c.case_id) for c in found.cases),
        }
    )
    # their questions kept as unanswered and the replies kept from their cases (R16) go too
    knowledge_gaps.forget_cases(deps, found.cases)
    erasure = erasure.model_copy(update={"erased": erased})
    deps.erasures.set_counts(erasure_id, erased)
    metrics.add_metric(name="CustomerErased", unit="Count", value=1)
    logger.info("customer erased", extra={"erasure_id": erasure_id, "cases": len(found.cases)})
    return erasure


def erase_for_case(deps: Deps, agent: Agent, case_id: str) -> Erasure | None:
    """Erase the customer of this case (and of all their cases); the earlier erasure when it was erased."""
    case = deps.cases.get(case_id)
    if case.erasure_id:
        return deps.erasures.get(case.erasure_id)
    return erase(deps, agent, Subject(case.platform, case.customer.id), case_id)


def erase_archive(deps: Deps, job: ErasureJob) -> int:
    """The erasure worker: every version of each raw delivery deleted; the erasure record counts it."""
    versions = sum(deps.archive_eraser.erase(key) for key in job.archive_keys)
    deps.erasures.archive_chunk_done(job.erasure_id, job.chunk, versions, clock.now())
    metrics.add_metric(name="ArchiveObjectsErased", unit="Count", value=len(job.archive_keys))
    return versions
