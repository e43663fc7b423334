"""Pure rules of probation (R12) and blind empathy review (R11)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.models.roles import ROLES, needs_approval
from shared.rules.empathy import EMPATHY_SCALE, average, label


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ({"trainee"}, True),
        ({"trainee", "agent"}, True),  # still on probation while in the trainee group
        ({"trainee", "supervisor"}, False),  # a supervisor is never on probation
        ({"trainee", "admin"}, False),
        ({"agent"}, False),
        (set(), False),
    ],
)
def test_only_trainees_outside_supervision_need_approval(groups, expected):
    assert needs_approval(frozenset(groups)) is expected


@given(st.sets(st.sampled_from(ROLES)))
def test_approval_is_needed_exactly_for_trainees_without_a_supervising_role(groups):
    assert needs_approval(frozenset(groups)) == ("trainee" in groups and not groups & {"supervisor", "admin"})


def test_the_scale_runs_one_to_five_and_every_grade_has_a_meaning():
    assert sorted(EMPATHY_SCALE) == [1, 2, 3, 4, 5]
    assert [label(g) for g in range(1, 6)] == ["Cold", "Distant", "Polite", "Warm", "Deeply empathetic"]
    with pytest.raises(ValueError):
        label(0)


def test_average_of_nothing_is_none_and_of_grades_is_rounded():
    assert average([]) == (0, None)
    assert average([5, 2]) == (2, 3.5)
    assert average([4, 4, 5]) == (3, 4.33)


@given(st.lists(st.integers(min_value=1, max_value=5), min_size=1))
def test_average_stays_within_the_scale(grades):
    count, mean = average(grades)
    assert count == len(grades) and mean is not None and 1 <= mean <= 5
