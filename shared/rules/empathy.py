"""The blind empathy review's scale and how grades add up per agent (R11)."""

from __future__ import annotations

from collections.abc import Iterable

# What each grade means, shown to reviewers next to the scale so grades mean the same thing to everyone.
EMPATHY_SCALE: dict[int, str] = {
    1: "Cold: no acknowledgement of the customer's situation",
    2: "Distant: acknowledges the problem, not the person",
    3: "Polite: courteous, but generic",
    4: "Warm: recognises how the customer feels and owns the problem",
    5: "Deeply empathetic: personal, warm and clearly on the customer's side",
}


def label(grade: int) -> str:
    if grade not in EMPATHY_SCALE:
        raise ValueError(f"empathy is graded 1 to 5, not {grade}")
    return EMPATHY_SCALE[grade].split(":")[0]


def average(grades: Iterable[int]) -> tuple[int, float | None]:
    """(number graded, mean rounded to 2 places or None when nothing was graded)."""
    values = list(grades)
    if not values:
        return 0, None
    return len(values), round(sum(values) / len(values), 2)
