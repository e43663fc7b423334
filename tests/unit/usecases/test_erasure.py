"""Erasure on request on the fakes: what is rewritten, what stays, the archive's chunks, idempotency."""

from __future__ import annotations

from shared.models.case import CaseStatus, TimelineKind
from shared.models.erasure import ArchiveState, ErasureJob
from shared.models.interaction import Author, Platform
from shared.models.timeline import new_entry
from shared.usecases import erasure
from shared.usecases.casework import Agent
from shared.usecases.subjects import Subject
from tests.unit.usecases.conftest import a_case

ADMIN = Agent(email="ada@heard.local", groups=frozenset({"admin"}))


def test_erasing_rewrites_the_case_and_starts_the_archives_erasure(world, now):
    # Given Ana's case, whose message came from the raw archive
    case = a_case(
        world, "c1", customer=Author(id="ana-1", name="Ana", handle="ana"), owner="alex@heard.local"
    )
    world.cases.append(
        new_entry(
            case_id="c1",
            kind=TimelineKind.MESSAGE_IN,
            at=now["now"],
            actor="customer",
            text="Ana here, order 42",
            data={"archive_key": "raw/facebook/k1.json", "author": {"id": "ana-1"}, "platform_id": "m1"},
        )
    )
    world.archive_eraser.versions["raw/facebook/k1.json"] = 2
    # When an admin erases her
    done = erasure.erase(world.deps, ADMIN, Subject(Platform.FACEBOOK, "ana-1"))
    # Then the case keeps its counts without her, and says so on its timeline
    assert done is not None and done.case_ids == ["c1"] and done.archive is ArchiveState.PENDING
    after, timeline = world.cases.get_with_timeline("c1")
    assert after.customer.name is None and after.customer.id == f"erased:{done.erasure_id}"
    assert after.status is CaseStatus.RESOLVED and after.message_count == case.message_count
    assert after.summary == "" and after.erasure_id == done.erasure_id
    assert all(e.text == "" for e in timeline if e.kind is not TimelineKind.ERASED)
    assert all("archive_key" not in e.data and "author" not in e.data for e in timeline)
    assert [e.actor for e in timeline if e.kind is TimelineKind.ERASED] == [ADMIN.email]
    # and the erasure worker deletes the raw delivery for good, which completes the record
    (job,) = [ErasureJob.model_validate_json(m) for m in world.erasure_jobs.sent]
    assert erasure.erase_archive(world.deps, job) == 2
    assert world.erasures.get(done.erasure_id).archive is ArchiveState.DONE
    # and erasing again finds nothing to erase, or the same erasure through her case
    assert erasure.erase(world.deps, ADMIN, Subject(Platform.FACEBOOK, "ana-1")) is None
    assert erasure.erase_for_case(world.deps, ADMIN, "c1") == world.erasures.get(done.erasure_id)


def test_an_erasure_without_raw_deliveries_has_nothing_to_wait_for(world, now):
    a_case(world, "c2")
    done = erasure.erase_for_case(world.deps, ADMIN, "c2")
    assert done is not None and done.archive is ArchiveState.NOTHING and world.erasure_jobs.sent == []
