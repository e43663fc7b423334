"""The knowledge base (R16, R17): approved answers, their versions, and saved replies (macros)."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MAX_EXAMPLES = 50  # an answer keeps the most recent questions it was chosen for

Label = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z0-9][a-z0-9_-]*$")]
Language = Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]
Keyword = Annotated[str, Field(min_length=2, max_length=60)]
Example = Annotated[str, Field(min_length=1, max_length=500)]


class AnswerState(StrEnum):
    PROPOSED = "proposed"  # an agent's proposal, waiting for a supervisor
    APPROVED = "approved"  # usable in suggestions and (when `automatic`) in automatic answers
    REJECTED = "rejected"
    RETIRED = "retired"  # was approved, no longer used


class KnowledgeAnswer(BaseModel):
    """One answer. `version` grows with every change; each version is kept (AnswerVersion)."""

    model_config = ConfigDict(frozen=True)

    answer_id: str
    title: Annotated[str, Field(min_length=1, max_length=200)]
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    topics: list[Label] = []
    languages: list[Language] = ["en"]
    tags: list[Label] = []
    owner: str
    state: AnswerState = AnswerState.PROPOSED
    version: int = 1
    # Automatic answers (R17): only approved answers marked `automatic`, matched conservatively on keywords.
    automatic: bool = False
    keywords: list[Keyword] = []
    examples: list[Example] = []
    source_case_id: str | None = None
    used: int = 0
    created_at: datetime
    updated_at: datetime
    decided_by: str | None = None
    note: str = ""
    # The parts' sentence vectors (shared/retrieval.pack_vectors), stored by the index that embedded them
    # and checked against the texts on load. Never shown, never sent: excluded from every dump (so a save
    # that changes the texts also drops them).
    vectors: str | None = Field(default=None, exclude=True, repr=False)

    @classmethod
    def seed(cls, answer_id: str, title: str, body: str, examples: list[str]) -> KnowledgeAnswer:
        """An approved answer built in code (benchmarks and tests)."""
        at = datetime(2026, 1, 1, tzinfo=UTC)
        return cls(
            answer_id=answer_id,
            title=title,
            body=body,
            owner="seed@heard.local",
            state=AnswerState.APPROVED,
            examples=examples,
            created_at=at,
            updated_at=at,
        )

    @property
    def is_approved(self) -> bool:
        return self.state is AnswerState.APPROVED


class AnswerVersion(BaseModel):
    """What an answer said at one version, who made it and why."""

    model_config = ConfigDict(frozen=True)

    answer_id: str
    version: int
    at: datetime
    actor: str
    action: Annotated[str, Field(pattern=r"^(proposed|edited|approved|rejected|retired|reopened)$")]
    title: str
    body: str
    state: AnswerState
    note: str = ""


class MacroScope(StrEnum):
    TEAM = "team"
    PERSONAL = "personal"


class SavedReply(BaseModel):
    """A saved reply (macro): a team's or one agent's, inserted with variables filled."""

    model_config = ConfigDict(frozen=True)

    macro_id: str
    scope: MacroScope
    owner: str  # the team id (team scope) or the agent's email (personal scope)
    title: Annotated[str, Field(min_length=1, max_length=120)]
    body: Annotated[str, Field(min_length=1, max_length=4000)]
    keywords: list[Annotated[str, Field(min_length=1, max_length=40)]] = []
    created_by: str
    updated_at: datetime


class UnansweredQuestion(BaseModel):
    """A customer question the knowledge base had no good answer for: recorded when suggestions are
    asked for a case and the best approved answer scored below the threshold (or there was none)."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    question: Annotated[str, Field(min_length=1, max_length=500)]
    at: datetime
    best_answer_id: str | None = None
    best_score: float = 0.0


class PastReply(BaseModel):
    """The reply that resolved a case, kept so that similar cases are offered it (R16): the customer's
    question (personal data masked, as intake keeps it) and our final reply with personal data masked
    and the case's own values turned back into variables (`{first_name}`, `{case_number}`, …). A past
    reply is a suggestion for an agent to edit, never an automatic answer."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    question: Annotated[str, Field(min_length=1, max_length=500)]
    reply: Annotated[str, Field(min_length=1, max_length=4000)]
    agent: str
    resolved_at: datetime
    platform: str
    topic: str | None = None
