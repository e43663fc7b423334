"""The company's own configuration, as validated data (R6, R7, R9, R10).

Lives in `config/heard.json` in the repository; the CDK stack deploys it to SSM Parameter Store, admins
can replace it through the API. A config that fails validation is refused with a clear error and the
last good one keeps working.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import date, time
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from shared.errors import Conflict, InvalidInput
from shared.models.chat import ChatNotifier
from shared.models.company import CompanySystem
from shared.models.interaction import Platform
from shared.models.notify import ContactPreference
from shared.models.retention import Retention
from shared.models.survey import SurveySetting
from shared.models.triage import Category

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")]
# Deliberately permissive (internal directories use addresses like agent@heard.local).
EmailStr = Annotated[str, Field(pattern=r"^[^@\s]{1,64}@[^@\s]{1,255}$", max_length=320)]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class OpeningHours(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    start: time
    end: time

    @model_validator(mode="after")
    def _ordered(self) -> OpeningHours:
        if self.end <= self.start:
            raise ValueError("opening hours must end after they start (split overnight shifts in two days)")
        return self


class BusinessCalendar(BaseModel):
    """When a team works: weekly hours in its time zone, minus holidays. Empty week = always open."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    timezone: str = "UTC"
    week: dict[str, list[OpeningHours]] = {}
    holidays: list[date] = []

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("week")
    @classmethod
    def _days(cls, value: dict[str, list[OpeningHours]]) -> dict[str, list[OpeningHours]]:
        unknown = set(value) - set(WEEKDAYS)
        if unknown:
            raise ValueError(f"unknown weekday(s) {sorted(unknown)}; use {WEEKDAYS}")
        return value

    @property
    def always_open(self) -> bool:
        return not self.week


class Team(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=100)]
    languages: list[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")]] = []  # empty = any
    skills: list[Slug] = []
    calendar: BusinessCalendar = BusinessCalendar()
    agent_capacity: Annotated[int, Field(ge=1, le=500)] = 8
    members: list[EmailStr] = []


class RoutingRule(BaseModel):
    """First matching rule wins. Every condition given must match; an empty rule matches everything."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=100)]
    team: Slug
    categories: list[Category] = []
    topics: list[Slug] = []
    languages: list[str] = []
    platforms: list[Platform] = []
    crisis_types: list[Slug] = []
    vip_only: bool = False
    # The brand (config `brands` id; "default" for the company's own) and the connected account (Heard's
    # account id, issue #16) the message came in through.
    brands: list[Slug] = []
    accounts: list[Slug] = []
    # Skills an agent must have (config `people`) to claim a case this rule routes, e.g. "spanish",
    # "billing", "whatsapp": the claim skips cases whose skills the agent lacks (R7).
    required_skills: list[Slug] = []
    # Hide the comment on the platform at once (Facebook, Instagram, X replies) when this rule matches,
    # e.g. a rule for category "spam" (issue #16). Off unless a rule says so.
    auto_hide: bool = False


DEFAULT_BRAND = "default"


# What is posted publicly under a comment answered privately, so everyone sees it was taken up (R14).
PrivateNote = Annotated[str, Field(min_length=5, max_length=200)]


class Brand(BaseModel):
    """A brand the company answers for (issue #16): its own contact line, crisis holding statements,
    approved answers and team. Connected accounts (Pages, numbers, bots...) belong to one brand."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=100)]
    contact_line: Annotated[str, Field(min_length=10, max_length=200)]
    default_team: Slug
    # Crisis type id -> the brand's own holding statement for it (else the crisis's statement is used).
    holding_statements: dict[Slug, Annotated[str, Field(min_length=1, max_length=1000)]] = {}
    # Approved answers it may send automatically: knowledge answers tagged with one of these (empty: all).
    answer_tags: list[Annotated[str, Field(min_length=1, max_length=40)]] = []
    # The short public note posted when a conversation moves to private (R14); None: the company's.
    private_note: PrivateNote | None = None


class Person(BaseModel):
    """Someone who works cases, and what they are good at (R7). Team membership is each team's `members`."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    email: EmailStr
    skills: list[Slug] = []
    # The last day of probation (R12): until then their replies wait for a supervisor's approval.
    probation_until: date | None = None


class CrisisType(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=100)]
    point_person: EmailStr
    backup: EmailStr
    team: Slug
    keywords: list[Annotated[str, Field(min_length=2, max_length=60)]] = []


class EscalationContact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    name: Annotated[str, Field(min_length=1, max_length=100)]
    title: Annotated[str, Field(min_length=1, max_length=100)]
    question_types: list[Annotated[str, Field(min_length=1, max_length=60)]] = []
    email: EmailStr
    phone: Annotated[str, Field(pattern=r"^\+?[0-9 ()-]{6,20}$")]
    urgency: Annotated[str, Field(pattern=r"^(low|normal|high|critical)$")] = "normal"
    hours: Annotated[str, Field(max_length=100)] = "business hours"
    backup: Slug | None = None

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        from shared.rules.contact_hours import parse_hours

        parse_hours(value)  # ValueError says what is accepted; escalation needs to know when they answer
        return value


class Topic(BaseModel):
    """A topic of the company's taxonomy, mapped to the company operation it concerns (R5, R24)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    operation: Slug
    keywords: list[Annotated[str, Field(min_length=2, max_length=60)]] = []
    # Example messages that belong to this topic: the "model" triage backend assigns topics by
    # resemblance to them (shared/triage/topics.py), keywords are used when no topic has examples.
    examples: Annotated[list[Annotated[str, Field(min_length=2, max_length=500)]], Field(max_length=500)] = []


class FaqAnswer(BaseModel):
    """An approved answer to a simple question, sent automatically when `auto_answer_faq` is on (R17)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    question: Annotated[str, Field(min_length=1, max_length=300)]
    # Whole words or phrases; a question must contain most of them (shared/rules/faq.py).
    keywords: Annotated[
        list[Annotated[str, Field(min_length=2, max_length=60)]], Field(min_length=2, max_length=20)
    ]
    answer: Annotated[str, Field(min_length=1, max_length=1000)]


class Accounts(BaseModel):
    """The company's own accounts, for the links that open a private conversation (shared/rules/dm_links.py)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facebook_page: Annotated[str | None, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")] = (
        None
    )
    instagram_username: Annotated[
        str | None, Field(min_length=1, max_length=30, pattern=r"^[A-Za-z0-9._]+$")
    ] = None
    whatsapp_number: Annotated[
        str | None, Field(min_length=8, max_length=20, pattern=r"^\+?[0-9 ]+$", description="E.164")
    ] = None
    x_user_id: Annotated[str | None, Field(min_length=1, max_length=20, pattern=r"^[0-9]+$")] = None


class ReportSchedule(BaseModel):
    """A scheduled supervisor report (issue #13): the day, week (Monday to Monday) or calendar month
    before it runs, optionally for one team or brand, emailed with the HTML report attached."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    cadence: Literal["daily", "weekly", "monthly"]
    recipients: Annotated[list[EmailStr], Field(min_length=1, max_length=50)]
    team: Slug | None = None
    brand: Slug | None = None

    def filters(self) -> dict[str, str | None]:
        return {"team": self.team, "brand": self.brand}


class ReportSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schedules: Annotated[list[ReportSchedule], Field(max_length=20)] = []


class HeardConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    # Which save of the document this is: each save stores revision + 1, and a document whose revision is
    # not the stored one is refused (409) instead of silently undoing changes made since it was read.
    revision: Annotated[int, Field(ge=0)] = 0
    company: Annotated[str, Field(min_length=1, max_length=100)] = "Example Co"
    teams: Annotated[list[Team], Field(min_length=1)]
    default_team: Slug
    off_hours_team: Slug | None = None
    rules: list[RoutingRule] = []
    topics: list[Topic] = []
    crisis_types: list[CrisisType] = []
    escalation_contacts: list[EscalationContact] = []
    vip_authors: list[Annotated[str, Field(max_length=300)]] = []  # "platform#author_id" or "@handle"
    auto_answer_faq: bool = False
    # Topics whose questions are never answered automatically, even with auto_answer_faq on (R17).
    auto_answer_topics_off: list[Slug] = []
    # Every official reply ends with a way to reach a real person (R4), unless it already contains it.
    contact_line: Annotated[str, Field(min_length=10, max_length=200)] = (
        "Prefer a person? Call us on +1 555 0100 or write to care@example.com."
    )
    # The public note left under a comment whose conversation moves to private (R14), per brand too.
    private_note: PrivateNote = "We have sent you a private message so we can help with your details."
    # A customer writing again within this many days of their case's resolution reaches it (reopened for
    # its owner, R8); after that a new case opens. 0: never reopened by the customer.
    reopen_within_days: Annotated[int, Field(ge=0, le=90)] = 14
    # "comprehend" uses Amazon Comprehend for sentiment, language and personal data (AWS only; the deploy
    # grants the permission when config/heard.json asks for it); the built-in classifier does the rest.
    # "model" is the learned model (shared/triage/learned.py), with a confidence on every field.
    triage_backend: Literal["builtin", "comprehend", "model"] = "builtin"
    # Triage with a field (sentiment, category, topic, language) less confident than this goes to
    # `human_triage_team` for a person to sort, instead of being routed on a guess (shared/rules/routing.py).
    human_triage_team: Slug | None = None
    human_triage_below: Annotated[float, Field(ge=0.0, le=1.0)] = 0.5
    faq: list[FaqAnswer] = []
    retention: Retention = Retention()  # how long each kind of personal data is kept
    people: list[Person] = []
    # Further brands; messages from accounts of no brand (and the single-account setup) belong to the
    # "default" brand made of `company`, `contact_line` and `default_team` (see `brand()`).
    brands: list[Brand] = []
    # Satisfaction surveys after resolution, per platform and channel (R21); none configured: none sent.
    surveys: list[SurveySetting] = []
    # Who an SLA breach reaches when the case is not a crisis's (a crisis case reaches its point person),
    # and how each person wants to be reached by email and SMS (issue #12; shared/usecases/notify.py).
    on_call: EmailStr | None = None
    contact_preferences: list[ContactPreference] = []
    # An urgent escalation nobody answered through its link is reminded after this many minutes, and
    # handed to the contact's backup after as many again (shared/usecases/escalation_links.py).
    escalation_reminder_minutes: Annotated[int, Field(ge=5, le=1440)] = 30
    accounts: Accounts = Accounts()  # the company's own accounts (links to a private conversation)
    reports: ReportSettings = ReportSettings()  # scheduled reports by email (docs/analytics.md)
    # Where agents look up a customer or an order in the company's own systems (issue #17).
    company_system: CompanySystem | None = None
    # Urgent escalations and crises posted to a Slack or Teams channel (issue #17); off by default.
    chat_notifier: ChatNotifier = ChatNotifier()

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> HeardConfig:
        # Every broken reference is reported at once, so an admin fixes the document in one go.
        if info.context and info.context.get("unchecked_references"):
            return self  # parse_config asks where each problem is (reference_problems)
        problems = [message for _, message in reference_problems(self)]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def team(self, team_id: str) -> Team:
        for team in self.teams:
            if team.id == team_id:
                return team
        raise KeyError(team_id)

    def brand(self, brand_id: str | None) -> Brand:
        """The brand `brand_id`; the default brand (the company's own settings) for None or unknown."""
        found = next((b for b in self.brands if b.id == brand_id), None)
        if found is not None:
            return found
        return Brand(
            id=DEFAULT_BRAND,
            name=self.company,
            contact_line=self.contact_line,
            default_team=self.default_team,
            private_note=self.private_note,
        )

    def private_note_of(self, brand_id: str | None) -> str:
        """The public note for a conversation moved to private on `brand_id`'s accounts (R14)."""
        return self.brand(brand_id).private_note or self.private_note

    def teams_of(self, email: str) -> list[str]:
        """The ids of the teams `email` is a member of (R7)."""
        email = email.lower()
        return [t.id for t in self.teams if email in {m.lower() for m in t.members}]

    def skills_of(self, email: str) -> frozenset[str]:
        email = email.lower()
        return frozenset(s for p in self.people if p.email.lower() == email for s in p.skills)

    def survey_for(self, platform: str, channel: str) -> SurveySetting | None:
        """The survey configured for a platform's channel, if any (switched off ones included)."""
        for setting in self.surveys:
            if setting.platform.value == platform and setting.channel.value == channel:
                return setting
        return None

    def is_vip(self, platform: str, author_id: str, handle: str | None) -> bool:
        keys = {f"{platform}#{author_id}"}
        if handle:
            keys.add("@" + handle.lstrip("@").lower())
        return any(v.lower() in keys or v in keys for v in self.vip_authors)


Located = tuple[tuple[str | int, ...], str]  # (where in the document, what is wrong there)


def reference_problems(config: HeardConfig) -> list[Located]:
    """Every broken reference between the document's parts, with where it is."""
    problems: list[Located] = []
    team_ids = [t.id for t in config.teams]
    if len(set(team_ids)) != len(team_ids):
        problems.append((("teams",), "team ids must be unique"))
    problems += _unknown_teams(config, set(team_ids))
    contacts = {c.id for c in config.escalation_contacts}
    for n, contact in enumerate(config.escalation_contacts):
        if contact.backup and contact.backup not in contacts:
            problems.append(
                (
                    ("escalation_contacts", n, "backup"),
                    f"escalation contact {contact.id!r} has unknown backup {contact.backup!r}",
                )
            )
    topic_ids = {t.id for t in config.topics}
    for n, rule in enumerate(config.rules):
        missing = [t for t in rule.topics if t not in topic_ids]
        if missing:
            problems.append((("rules", n, "topics"), f"rule {rule.name!r} names unknown topic(s) {missing}"))
    off = [t for t in config.auto_answer_topics_off if t not in topic_ids]
    if off:
        problems.append((("auto_answer_topics_off",), f"automatic answers name unknown topic(s) {off}"))
    problems += _repeated_members(config.teams)
    return problems + _duplicated_ids(config)


def _unknown_teams(config: HeardConfig, known: set[str]) -> list[Located]:
    refs: list[tuple[tuple[str | int, ...], str, str]] = [
        (("default_team",), "default_team", config.default_team)
    ]
    optional = (("off_hours_team", config.off_hours_team), ("human_triage_team", config.human_triage_team))
    refs += [((name,), name, team) for name, team in optional if team]
    refs += [(("rules", n, "team"), f"rule {r.name!r}", r.team) for n, r in enumerate(config.rules)]
    refs += [
        (("crisis_types", n, "team"), f"crisis type {c.id!r}", c.team)
        for n, c in enumerate(config.crisis_types)
    ]
    refs += [
        (("brands", n, "default_team"), f"brand {b.id!r}", b.default_team)
        for n, b in enumerate(config.brands)
    ]
    refs += [
        (("reports", "schedules", n, "team"), f"{r.cadence} report", r.team)
        for n, r in enumerate(config.reports.schedules)
        if r.team
    ]
    return [
        (loc, f"{where} names unknown team {team!r}; known teams: {sorted(known)}")
        for loc, where, team in refs
        if team not in known
    ]


def _duplicated_ids(config: HeardConfig) -> list[Located]:
    problems: list[Located] = []
    for what, field, ids in (
        ("person", "people", [p.email.lower() for p in config.people]),
        ("crisis type", "crisis_types", [c.id for c in config.crisis_types]),
        ("escalation contact", "escalation_contacts", [c.id for c in config.escalation_contacts]),
        ("faq answer", "faq", [f.id for f in config.faq]),
        ("brand", "brands", [DEFAULT_BRAND, *(b.id for b in config.brands)]),
        ("survey channel", "surveys", [f"{s.platform.value}/{s.channel.value}" for s in config.surveys]),
        ("contact preference", "contact_preferences", [p.email.lower() for p in config.contact_preferences]),
    ):
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            problems.append(((field,), f"{what} ids must be unique; repeated: {duplicated}"))
    return problems


def _repeated_members(teams: list[Team]) -> list[Located]:
    problems: list[Located] = []
    for n, team in enumerate(teams):
        members = [m.lower() for m in team.members]
        repeated = sorted({m for m in members if members.count(m) > 1})
        if repeated:
            problems.append(
                (("teams", n, "members"), f"team {team.id!r} lists member(s) more than once: {repeated}")
            )
    return problems


class InvalidConfig(InvalidInput):
    """A configuration document with problems; `problems` says where each one is (for forms)."""

    def __init__(self, message: str, problems: list[Located]) -> None:
        super().__init__(message)
        self.problems = problems


def parse_config(text: str | bytes | dict[str, Any]) -> HeardConfig:
    """Validate a configuration document; raise InvalidConfig with every problem listed and located."""
    try:
        data = json.loads(text) if isinstance(text, str | bytes) else text
        return HeardConfig.model_validate(data)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"configuration is not valid JSON: {error}") from error
    except ValidationError as error:
        message = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}" for e in error.errors()
        )
        raise InvalidConfig(f"configuration is invalid: {message}", _located(error, data)) from error


def _located(error: ValidationError, data: Any) -> list[Located]:
    """Each problem with where it is; the references' (one message at the root) split by place."""
    found: list[Located] = []
    for e in error.errors():
        msg = str(e["msg"]).removeprefix("Value error, ")
        if e["loc"] or e["type"] != "value_error":
            found.append((tuple(e["loc"]), msg))
            continue
        unchecked = HeardConfig.model_validate(data, context={"unchecked_references": True})
        found += reference_problems(unchecked) or [((), msg)]
    return found


def next_revision(stored: HeardConfig, document: HeardConfig) -> HeardConfig:
    """The document to store over `stored`: its next revision, or Conflict naming what changed meanwhile
    when the document was read before the stored one was saved (optimistic concurrency)."""
    if document.revision != stored.revision:
        base = document.model_dump(mode="json")
        now = stored.model_dump(mode="json")
        parts = sorted(k for k in now if k != "revision" and now[k] != base.get(k))
        raise Conflict(
            f"revision: the configuration was saved by someone else since you read it (yours is revision "
            f"{document.revision}, the stored one is {stored.revision}; it differs in: "
            f"{', '.join(parts) or 'nothing else'}). Load it again, redo your change and save"
        )
    return document.model_copy(update={"revision": stored.revision + 1})


STANDARD_PARAMETER_BYTES = 4096  # SSM: standard tier; advanced holds 8 KB
ADVANCED_PARAMETER_BYTES = 8192
_COMPRESSED = "gzip+base64:"


def encode_config(text: str) -> str:
    """The parameter value for a configuration document: compact JSON while it fits the standard tier,
    else gzip + base64 behind a prefix (a company with 50 teams has ~30 KB of JSON, ~5 KB compressed)."""
    compact = json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False)
    if len(compact.encode()) <= STANDARD_PARAMETER_BYTES:
        return compact
    packed = gzip.compress(compact.encode(), compresslevel=9, mtime=0)
    return _COMPRESSED + base64.b64encode(packed).decode("ascii")


def decode_config(value: str) -> str:
    if value.startswith(_COMPRESSED):
        return gzip.decompress(base64.b64decode(value[len(_COMPRESSED) :])).decode()
    return value
