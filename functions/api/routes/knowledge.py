"""/api/knowledge: approved answers (propose, decide, edit, history), suggestions for a case, saved
replies, and the pre-send check (R13, R16, R17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, ConfigDict, Field

from functions.api.auth import SIGNED_IN, SUPERVISORS, WRITERS, allow, caller
from functions.api.errors import answers
from functions.api.routes.lookups import OrderView
from functions.api.schemas import CaseId
from shared.models.knowledge import (
    AnswerState,
    AnswerVersion,
    Example,
    Keyword,
    KnowledgeAnswer,
    Label,
    Language,
    MacroScope,
    SavedReply,
)
from shared.rules.variables import VARIABLES
from shared.usecases import knowledge, knowledge_gaps, knowledge_macros, knowledge_presend
from shared.usecases.deps import default_deps

router = Router()
MEANINGS = {
    403: "The role may not do this",
    404: "No such answer, case or saved reply",
    409: "The answer changed meanwhile, or is not in a state that allows this",
    422: "Invalid input (every problem listed; unknown variables are named)",
}
AnswerId = Annotated[str, Path(pattern=r"^a[0-9a-z]{10,40}$", description="Answer id")]
MacroId = Annotated[str, Path(pattern=r"^m[0-9a-z]{10,40}$", description="Saved reply id")]
Title = Annotated[str, Field(min_length=1, max_length=200)]
Body = Annotated[str, Field(min_length=1, max_length=4000, description="May use the variables")]


class AnswerFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topics: Annotated[list[Label], Field(max_length=20)] = []
    languages: Annotated[list[Language], Field(min_length=1, max_length=10)] = ["en"]
    tags: Annotated[list[Label], Field(max_length=20)] = []
    automatic: Annotated[bool, Field(description="May answer plain questions automatically (R17)")] = False
    keywords: Annotated[list[Keyword], Field(max_length=20, description="What an automatic match needs")] = []


class ProposeRequest(AnswerFields):
    title: Title
    body: Body
    case_id: Annotated[str | None, Field(pattern=r"^[a-z0-9]{4,40}$", description="Proposed from")] = None


class EditRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Annotated[int, Field(ge=1, description="The version being edited (409 if it changed)")]
    title: Title | None = None
    body: Body | None = None
    topics: Annotated[list[Label], Field(max_length=20)] | None = None
    languages: Annotated[list[Language], Field(min_length=1, max_length=10)] | None = None
    tags: Annotated[list[Label], Field(max_length=20)] | None = None
    automatic: bool | None = None
    keywords: Annotated[list[Keyword], Field(max_length=20)] | None = None
    examples: Annotated[list[Example], Field(max_length=50)] | None = None
    note: Annotated[str, Field(max_length=500)] = ""


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: Annotated[int, Field(ge=1)]
    action: Literal["approve", "reject", "retire"]
    note: Annotated[str, Field(max_length=500)] = ""


class UseRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: Annotated[str, Field(pattern=r"^[a-z0-9]{4,40}$")]


class AnswerView(BaseModel):
    answer_id: str
    title: str
    body: str
    topics: list[str]
    languages: list[str]
    tags: list[str]
    owner: str
    state: AnswerState
    version: int
    automatic: bool
    keywords: list[str]
    examples: list[str]
    source_case_id: str | None
    used: int
    created_at: datetime
    updated_at: datetime
    decided_by: str | None
    note: str

    @classmethod
    def of(cls, answer: KnowledgeAnswer) -> AnswerView:
        return cls.model_validate(answer.model_dump())


class AnswerList(BaseModel):
    items: list[AnswerView]


class AnswerDetail(BaseModel):
    answer: AnswerView
    history: list[AnswerVersion]


class PastReplyView(BaseModel):
    case_id: Annotated[str, Field(description="The resolved case whose final reply this was")]
    question: Annotated[str, Field(description="What that customer asked (personal data masked)")]
    resolved_at: datetime
    agent: str
    topic: str | None


class SuggestionView(BaseModel):
    kind: Annotated[
        Literal["answer", "past_reply", "order"],
        Field(
            description="An approved answer, the reply that resolved a similar case (not approved), or "
            "the customer's order from the company's own system (issue #17; text already filled)"
        ),
    ]
    answer: Annotated[AnswerView | None, Field(description="The approved answer (kind answer)")] = None
    past: Annotated[PastReplyView | None, Field(description="The past case (kind past_reply)")] = None
    order: Annotated[OrderView | None, Field(description="The order, live (kind order)")] = None
    text: Annotated[str, Field(description="The body with this case's variables filled")]
    score: float
    why: str


class SuggestionList(BaseModel):
    question: Annotated[str, Field(description="What the customer asked (what was matched)")]
    items: list[SuggestionView]


class QuestionGroupView(BaseModel):
    label: Annotated[str, Field(description="The group's most frequent words")]
    count: Annotated[int, Field(description="Questions in the group (one per case and day)")]
    questions: Annotated[list[str], Field(description="Up to 5 of them, newest first")]
    case_ids: Annotated[list[str], Field(description="Their cases (start an answer from one)")]
    latest: datetime
    best_answer_id: Annotated[str | None, Field(description="The closest approved answer, not close enough")]


class QuestionGroupList(BaseModel):
    days: int
    items: list[QuestionGroupView]


class FilledText(BaseModel):
    text: str


class MacroRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: MacroScope
    team: Annotated[str | None, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")] = None
    title: Annotated[str, Field(min_length=1, max_length=120)]
    body: Body
    keywords: Annotated[list[Annotated[str, Field(min_length=1, max_length=40)]], Field(max_length=20)] = []


class MacroList(BaseModel):
    items: list[SavedReply]


class InsertRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: Annotated[str, Field(pattern=r"^[a-z0-9]{4,40}$")]
    text: Body


class DraftRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1, max_length=8000)]
    private: bool = False


class FindingView(BaseModel):
    code: str
    message: str


class CheckAnswer(BaseModel):
    findings: list[FindingView]


class VariableList(BaseModel):
    variables: dict[str, str]


# ---- answers -------------------------------------------------------------------------------------------


@router.get(
    "/knowledge/variables",
    summary="The variables answers and saved replies may use",
    tags=["knowledge"],
    responses=answers(),
)
@allow(SIGNED_IN)
def variables() -> VariableList:
    return VariableList(variables=VARIABLES)


@router.get(
    "/knowledge/answers",
    summary="Answers in one state (approved by default), newest first",
    tags=["knowledge"],
    responses=answers(params=True, meanings=MEANINGS),
)
@allow(SIGNED_IN)
def list_answers(
    state: AnswerState = AnswerState.APPROVED, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> AnswerList:
    found = default_deps().knowledge.by_state(state, limit)
    return AnswerList(items=[AnswerView.of(a) for a in found])


@router.post(
    "/knowledge/answers",
    summary="Propose an answer (optionally from a case: its question becomes the first example)",
    tags=["knowledge"],
    responses=answers(201, "Proposed", errors=(403, 404), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def propose(body: ProposeRequest) -> Response[AnswerDetail]:
    agent = caller(router)
    fields = body.model_dump(exclude={"case_id"})
    answer = knowledge.propose(default_deps(), agent, fields, body.case_id)
    return Response(
        status_code=201,
        content_type=content_types.APPLICATION_JSON,
        body=AnswerDetail(
            answer=AnswerView.of(answer), history=default_deps().knowledge.history(answer.answer_id)
        ),
    )


@router.get(
    "/knowledge/answers/<answer_id>",
    summary="An answer with its version history",
    tags=["knowledge"],
    responses=answers(errors=(404,), params=True, meanings=MEANINGS),
)
@allow(SIGNED_IN)
def get_answer(answer_id: AnswerId) -> AnswerDetail:
    deps = default_deps()
    return AnswerDetail(
        answer=AnswerView.of(deps.knowledge.get(answer_id)), history=deps.knowledge.history(answer_id)
    )


@router.patch(
    "/knowledge/answers/<answer_id>",
    summary="Edit an answer (supervisors; the owner while it is only proposed)",
    tags=["knowledge"],
    responses=answers(errors=(403, 404, 409), body=True, params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def edit(answer_id: AnswerId, body: EditRequest) -> AnswerDetail:
    agent = caller(router)
    deps = default_deps()
    fields = body.model_dump(exclude={"version"}, exclude_none=True)
    answer = knowledge.edit(deps, agent, answer_id, body.version, fields)
    knowledge.forget_index_age(deps)
    return AnswerDetail(answer=AnswerView.of(answer), history=deps.knowledge.history(answer_id))


@router.post(
    "/knowledge/answers/<answer_id>/decision",
    summary="Approve, reject or retire an answer (supervisors)",
    tags=["knowledge"],
    responses=answers(errors=(403, 404, 409), body=True, params=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def decide(answer_id: AnswerId, body: DecisionRequest) -> AnswerDetail:
    agent = caller(router)
    deps = default_deps()
    answer = knowledge.decide(deps, agent, answer_id, body.version, body.action, body.note)
    knowledge.forget_index_age(deps)
    knowledge.forget_automatic(deps)
    return AnswerDetail(answer=AnswerView.of(answer), history=deps.knowledge.history(answer_id))


@router.post(
    "/knowledge/answers/<answer_id>/use",
    summary="Use an approved answer on a case: its text with variables filled; it learns the question",
    tags=["knowledge"],
    responses=answers(errors=(403, 404, 409), body=True, params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def use(answer_id: AnswerId, body: UseRequest) -> FilledText:
    agent = caller(router)
    _, text = knowledge.use(default_deps(), agent, answer_id, body.case_id)
    return FilledText(text=text)


@router.get(
    "/knowledge/unanswered",
    summary="Questions without an approved answer: recent questions with no good match, grouped (supervisors)",
    tags=["knowledge"],
    responses=answers(errors=(403,), params=True, meanings=MEANINGS),
)
@allow(SUPERVISORS)
def unanswered(
    days: Annotated[int, Query(ge=1, le=30, description="How many days back")] = 7,
) -> QuestionGroupList:
    groups = knowledge_gaps.unanswered(default_deps(), days)
    return QuestionGroupList(days=days, items=[QuestionGroupView.model_validate(vars(g)) for g in groups])


# ---- the case at hand ------------------------------------------------------------------------------------


@router.get(
    "/cases/<case_id>/suggestions",
    summary="The best approved answers and past replies for the case's latest question, with why",
    tags=["knowledge"],
    responses=answers(errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def suggestions(case_id: CaseId, limit: Annotated[int, Query(ge=1, le=10)] = 3) -> SuggestionList:
    agent = caller(router)
    question, found = knowledge.suggest(default_deps(), agent, case_id, limit)
    return SuggestionList(
        question=question,
        items=[
            SuggestionView(
                kind=s.kind,
                answer=AnswerView.of(s.answer) if s.answer else None,
                past=PastReplyView.model_validate(s.past.model_dump()) if s.past else None,
                order=OrderView.model_validate(s.order.model_dump()) if s.order else None,
                text=s.text,
                score=s.score,
                why=s.why,
            )
            for s in found
        ],
    )


@router.post(
    "/cases/<case_id>/presend-check",
    summary="Check a draft reply against the checklist (R13): empathy, the question, next step, privacy, length",
    tags=["knowledge"],
    responses=answers(errors=(403, 404), body=True, params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def presend_check(case_id: CaseId, body: DraftRequest) -> CheckAnswer:
    found = knowledge_presend.check_draft(default_deps(), case_id, body.text, body.private)
    return CheckAnswer(findings=[FindingView(code=f.code, message=f.message) for f in found])


# ---- saved replies ----------------------------------------------------------------------------------------


@router.get(
    "/knowledge/macros",
    summary="My saved replies and my team's, filtered by keywords",
    tags=["knowledge"],
    responses=answers(errors=(403,), params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def search_macros(
    q: Annotated[str, Query(max_length=200)] = "",
    team: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9-]{0,39}$")] = None,
) -> MacroList:
    agent = caller(router)
    return MacroList(items=knowledge_macros.search(default_deps(), agent, team, q))


@router.post(
    "/knowledge/macros",
    summary="Save a reply (personal; a team's needs a supervisor)",
    tags=["knowledge"],
    responses=answers(201, "Saved", errors=(403,), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def create_macro(body: MacroRequest) -> Response[SavedReply]:
    agent = caller(router)
    macro = knowledge_macros.create(
        default_deps(), agent, body.scope, body.team, body.title, body.body, body.keywords
    )
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=macro)


@router.delete(
    "/knowledge/macros/<macro_id>",
    summary="Delete a saved reply",
    tags=["knowledge"],
    responses=answers(204, "Deleted", errors=(403, 404), params=True, meanings=MEANINGS),
)
@allow(WRITERS)
def delete_macro(
    macro_id: MacroId,
    scope: MacroScope = MacroScope.PERSONAL,
    team: Annotated[str | None, Query(pattern=r"^[a-z][a-z0-9-]{0,39}$")] = None,
) -> Response[None]:
    agent = caller(router)
    knowledge_macros.delete(default_deps(), agent, scope, team, macro_id)
    return Response(status_code=204)


@router.post(
    "/knowledge/fill",
    summary="A text (a saved reply's) with a case's variables filled; unknown variables are a 422",
    tags=["knowledge"],
    responses=answers(errors=(403, 404), body=True, meanings=MEANINGS),
)
@allow(WRITERS)
def fill_text(body: InsertRequest) -> FilledText:
    agent = caller(router)
    return FilledText(text=knowledge_macros.insert(default_deps(), agent, body.text, body.case_id))
