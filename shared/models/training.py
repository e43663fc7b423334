"""Training on procedure changes (R26): a change to the checklist, the approved answers or the procedures,
with the short check (questions the supervisor writes) every agent passes before replying under it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class CheckQuestion(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: Annotated[str, Field(min_length=3, max_length=300)]
    choices: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=200)]], Field(min_length=2, max_length=6)
    ]
    correct: Annotated[int, Field(ge=0, le=5, description="The index of the right choice")]

    @model_validator(mode="after")
    def _in_range(self) -> CheckQuestion:
        if self.correct >= len(self.choices):
            raise ValueError(f"the right answer must be one of the {len(self.choices)} choices")
        return self


class ProcedureChange(BaseModel):
    model_config = ConfigDict(frozen=True)

    version: int  # 1, 2, ...: agents are trained up to a version
    kind: Literal["checklist", "answers", "procedures"]
    title: str
    summary: str  # what changed, for agents to read
    questions: list[CheckQuestion]
    published_by: str
    published_at: datetime
