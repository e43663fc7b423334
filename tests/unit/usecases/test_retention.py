"""The retention sweep on the fakes: what expires, what is kept, where the cursor stops."""

from __future__ import annotations

from datetime import timedelta

from shared.models.case import CaseStatus
from shared.usecases import retention
from tests.unit.usecases.conftest import a_case


def test_only_cases_opened_and_resolved_before_the_cutoff_go(world, now):
    opened = now["now"] - timedelta(minutes=5)
    old = a_case(world, "c1", status=CaseStatus.RESOLVED, resolved_at=now["now"])
    late = a_case(world, "c2", status=CaseStatus.RESOLVED, resolved_at=now["now"] + timedelta(days=400))
    world.cases.set_retention_cursor(opened.date())
    # When the sweep runs just past the first case's retention
    days = world.config.get().retention.cases_days
    swept = retention.sweep(world.deps, now["now"] + timedelta(days=days, minutes=1))
    # Then the case resolved then is gone, the one resolved later is kept, and the cursor waits on its day
    assert swept.deleted == 1 and swept.kept == 1 and swept.cursor == opened.date()
    assert old.case_id not in world.cases.cases and late.case_id in world.cases.cases
    # When it runs after the second case's retention too, Then the day is clean and the cursor moves on
    swept = retention.sweep(world.deps, now["now"] + timedelta(days=days + 401))
    assert swept.deleted == 1 and swept.cursor > opened.date() and world.cases.cases == {}
