"""/api/cases/{id}/presence: "I have this case open (and am typing)"; answers who else has it open."""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, ConfigDict

from functions.api.auth import SIGNED_IN, allow, caller
from functions.api.errors import answers
from functions.api.schemas import CaseId
from shared.usecases import collision
from shared.usecases.deps import default_deps

router = Router()


class PresenceRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    typing: bool = False


class Colleague(BaseModel):
    email: str
    typing: bool
    at: datetime


class PresenceAnswer(BaseModel):
    others: list[Colleague]


@router.post(
    "/cases/<case_id>/presence",
    summary="Say you have the case open (every 10 s, and when you start or stop typing); who else has",
    tags=["cases"],
    responses=answers(errors=(404,), body=True, meanings={404: "No such case"}),
)
@allow(SIGNED_IN)
def presence(case_id: CaseId, body: PresenceRequest) -> PresenceAnswer:
    others = collision.heartbeat(default_deps(), caller(router), case_id, body.typing)
    return PresenceAnswer(others=[Colleague(email=p.email, typing=p.typing, at=p.at) for p in others])
