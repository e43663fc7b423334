"""Who is acting: an agent as the API identified them (email and Cognito groups)."""

from __future__ import annotations

from dataclasses import dataclass

from shared.models.roles import SUPERVISORS


@dataclass(frozen=True)
class Agent:
    email: str
    groups: frozenset[str]

    @property
    def is_supervisor(self) -> bool:
        return bool(self.groups & SUPERVISORS)
