"""/api/meta: what the console shows but Python decides — roles and what each may do, reply limits per
platform, the empathy scale, the crisis form's limits. Read-only and the same for everyone signed in; derived from the source of
truth in `shared/` so the console never keeps a copy that can drift."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, Field

from functions.api.auth import SIGNED_IN, allow
from functions.api.errors import answers
from functions.api.schemas import DeclareCrisisRequest
from shared.models.config import HeardConfig
from shared.models.roles import ADMINS, AUDITORS, ON_PROBATION, REVIEWERS, ROLES, SUPERVISORS, WRITERS
from shared.rules.empathy import EMPATHY_SCALE
from shared.usecases.casework import PLATFORM_TEXT_LIMITS
from shared.usecases.deps import default_deps

router = Router()

Ability = Literal["work", "supervise", "review", "audit", "administer", "privacy"]
# What each ability covers, in the console's words (the API enforces each with the same role sets).
ABILITIES: dict[Ability, frozenset[str]] = {
    "work": WRITERS,  # take, answer and resolve cases; escalate; the Away switch
    "supervise": SUPERVISORS,  # reports, crises, configuration, approving trainees' replies
    "review": REVIEWERS,  # blind empathy review of first replies (R11)
    "audit": AUDITORS,  # the audit trail: search, check, export (auditors may do nothing else)
    "administer": ADMINS,  # brands and accounts (#16), users and the configuration's forms (#12)
    "privacy": ADMINS,  # find, export and erase a customer's data (GDPR art. 15, 17)
}


class RoleView(BaseModel):
    name: str
    may: list[Ability] = Field(
        description="What this role may do: work, supervise, review, audit, administer, privacy"
    )


class ProbationView(BaseModel):
    role: str = Field(description="The role whose replies wait for a supervisor's approval (R12)")
    waived_by: list[str] = Field(description="Roles that lift probation when held as well")


class EmpathyGradeView(BaseModel):
    grade: Annotated[int, Field(ge=1, le=5)]
    label: str
    meaning: str


class KeywordLimitsView(BaseModel):
    min: int
    max: int


class CrisisLimitsView(BaseModel):
    """Most characters (or items) the declare/edit crisis requests accept, so the form says so first."""

    name: int
    keyword: KeywordLimitsView
    keywords: int = Field(description="Most keywords")
    topics: int = Field(description="Most topics")
    text: int
    next_update: int
    more_info: int


class MetaView(BaseModel):
    roles: list[RoleView]
    probation: ProbationView
    reply_limits: dict[str, int] = Field(
        description="Most characters a reply may have, per platform (platforms without one are absent)"
    )
    empathy_scale: list[EmpathyGradeView]
    crisis_limits: CrisisLimitsView
    contact_line: str = Field(
        description="The line Heard appends to every reply (R4); it counts towards the platform's limit"
    )


def crisis_limits() -> CrisisLimitsView:
    """Read from the request model's JSON schema: exactly what the API's validation enforces."""
    schema = DeclareCrisisRequest.model_json_schema()
    fields = schema["properties"]
    statement = schema["$defs"]["HoldingStatementBody"]["properties"]
    keyword = fields["keywords"]["items"]
    return CrisisLimitsView(
        name=fields["name"]["maxLength"],
        keyword=KeywordLimitsView(min=keyword["minLength"], max=keyword["maxLength"]),
        keywords=fields["keywords"]["maxItems"],
        topics=fields["topics"]["maxItems"],
        text=statement["text"]["maxLength"],
        next_update=statement["next_update"]["maxLength"],
        more_info=statement["more_info"]["maxLength"],
    )


def meta_view(contact_line: str | None = None) -> MetaView:
    """The meta; the contact line is the company's (configuration), the bundled default when not given."""
    default = HeardConfig.model_fields["contact_line"].default
    return MetaView(
        contact_line=contact_line if contact_line is not None else default,
        roles=[
            RoleView(name=role, may=[name for name, roles in ABILITIES.items() if role in roles])
            for role in ROLES
        ],
        probation=ProbationView(role=ON_PROBATION, waived_by=sorted(SUPERVISORS)),
        reply_limits={str(platform): limit for platform, limit in PLATFORM_TEXT_LIMITS.items()},
        empathy_scale=[
            EmpathyGradeView(grade=grade, label=label, meaning=meaning)
            for grade, (label, meaning) in (
                (grade, text.split(": ", 1)) for grade, text in sorted(EMPATHY_SCALE.items())
            )
        ],
        crisis_limits=crisis_limits(),
    )


@router.get(
    "/meta",
    summary="Roles and what each may do, reply limits, the empathy scale, crisis limits (for the console)",
    tags=["meta"],
    responses=answers(),
)
@allow(SIGNED_IN)
def meta() -> MetaView:
    return meta_view(default_deps().config.get().contact_line)
