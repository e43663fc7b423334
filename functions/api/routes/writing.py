"""Help writing the reply (issue #11): a draft grounded in the approved answers, a case's summary,
translation. Built in and offline by default; Amazon Bedrock and Translate when deployed with them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict, Field, model_validator

from functions.api.auth import WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import CaseId, CaseView, TimelineEntryView
from shared.models.writing import LANGUAGE, MAX_TRANSLATED
from shared.usecases import writing
from shared.usecases.deps import default_deps

router = Router()

DRAFT_NOTE = "draft — edit before sending"
MEANINGS = {
    403: "Only agents, trainees, supervisors and admins get writing help",
    404: "No such case (or, for a translation, no such entry in it)",
    409: "Nothing to write from: no approved answer fits (built-in drafts), the customer was erased, the "
    "model declined, or translation is not available offline",
    503: "The writing help's service is busy, failing or not granted; nothing was recorded, try again",
}
Language = Annotated[str, Field(pattern=LANGUAGE, description="A language code: en, fr, pt-PT, zh-TW")]


class WritingHelpStatus(BaseModel):
    backend: Annotated[str, Field(description='"builtin" (offline, the default) or "bedrock"')]
    model: Annotated[str | None, Field(description="The Amazon Bedrock model, when deployed with one")]
    translates: Annotated[bool, Field(description="False: translation is not available offline")]
    draft_note: str = DRAFT_NOTE


class UsedAnswer(BaseModel):
    answer_id: str
    title: str


class DraftAnswer(BaseModel):
    text: Annotated[str, Field(description="The draft with the case's variables filled: never sent")]
    draft: Annotated[bool, Field(description="Always true: the agent edits and sends it")] = True
    note: str = DRAFT_NOTE
    answers: Annotated[list[UsedAnswer], Field(description="The approved answers it was written from")]
    backend: str
    model: str | None
    entry: Annotated[TimelineEntryView, Field(description='The "draft_generated" timeline entry')]


class TranslateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry_id: Annotated[
        str | None,
        Field(
            pattern=r"^[A-Za-z0-9#:_.-]{1,100}$",
            description="A message, reply or note of the case (its language: the case's, unless `source`)",
        ),
    ] = None
    text: Annotated[
        str | None,
        Field(min_length=1, max_length=MAX_TRANSLATED, description="Or your own text (give `source`)"),
    ] = None
    source: Language | None = None
    target: Language

    @model_validator(mode="after")
    def _one_of(self) -> TranslateRequest:
        if (self.entry_id is None) == (self.text is None):
            raise ValueError("give exactly one of entry_id or text")
        if self.text is not None and self.source is None:
            raise ValueError("source: give the language your text is in")
        return self


class TranslateAnswer(BaseModel):
    text: str
    source: str
    target: str
    backend: str


@router.get(
    "/writing-help",
    summary="Which writing help this deployment has: built in (offline) or Amazon Bedrock, and translation",
    tags=["writing help"],
    responses=answers(errors=(403,), meanings=MEANINGS),
)
@allow(WRITERS)
def status() -> WritingHelpStatus:
    help_ = default_deps().writing
    return WritingHelpStatus(backend=help_.backend, model=help_.model, translates=help_.translates)


@router.post(
    "/cases/<case_id>/draft",
    summary="Draft a reply from the approved answers that fit the case, for the agent to edit and send; "
    "recorded on the timeline as a draft, never sent",
    tags=["writing help"],
    responses=answers(errors=(403, 404, 409), params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def draft(case_id: CaseId) -> DraftAnswer:
    deps = default_deps()
    written = writing.draft(deps, caller(router), case_id)
    return DraftAnswer(
        text=written.text,
        answers=[UsedAnswer(answer_id=a.answer_id, title=a.title) for a in written.answers],
        backend=deps.writing.backend,
        model=deps.writing.model,
        entry=TimelineEntryView.of(written.entry),
    )


class SummaryAnswer(BaseModel):
    brief: str
    brief_by: str | None
    brief_at: datetime | None
    case: CaseView


@router.post(
    "/cases/<case_id>/summary",
    summary="Summarise the case in a few sentences, stored on it (`brief`) for lists and reports",
    tags=["writing help"],
    responses=answers(errors=(403, 404, 409), params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def summary(case_id: CaseId) -> SummaryAnswer:
    case = writing.summarise(default_deps(), caller(router), case_id)
    return SummaryAnswer(
        brief=case.brief, brief_by=case.brief_by, brief_at=case.brief_at, case=CaseView.of(case)
    )


@router.post(
    "/cases/<case_id>/translate",
    summary="Translate a message of the case, or your own text, for you (nothing is recorded or sent)",
    tags=["writing help"],
    responses=answers(errors=(403, 404, 409), body=True, params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def translate(case_id: CaseId, body: TranslateRequest) -> TranslateAnswer:
    deps = default_deps()
    done = writing.translate(
        deps, case_id, body.target, entry_id=body.entry_id, text=body.text, source=body.source
    )
    return TranslateAnswer(
        text=done.text, source=done.source, target=done.target, backend=deps.writing.backend
    )
