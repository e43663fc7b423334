"""/api/contacts: who is on call and how each person is reached by email and SMS (issue #12: R9, R22)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from functions.api.auth import SUPERVISORS, allow, caller
from functions.api.errors import answers
from functions.api.schemas import ContactSettings, ContactSettingsRequest
from shared.usecases import notify
from shared.usecases.deps import default_deps

router = Router()
ONLY_SUPERVISORS = "Supervisors and admins only"


@router.get(
    "/contacts",
    summary="Who is on call, everyone's email/SMS preferences, and the escalation directory",
    tags=["contacts"],
    responses=answers(errors=(403,), meanings={403: ONLY_SUPERVISORS}),
)
@allow(SUPERVISORS)
def get_contacts() -> ContactSettings:
    return ContactSettings.model_validate(notify.settings(default_deps()))


@router.put(
    "/contacts",
    summary="Set who is on call and how each person is reached (replaces the preferences)",
    description="SLA breaches reach the crisis owner of a crisis case, else the on-call person; urgent "
    "escalations also reach the escalation contact. Without preferences a person gets email only.",
    tags=["contacts"],
    responses=answers(
        errors=(403,),
        body=True,
        meanings={
            403: ONLY_SUPERVISORS,
            422: "Invalid input: an email, a phone not in +E.164, a repeated person",
        },
    ),
)
@allow(SUPERVISORS)
def put_contacts(body: ContactSettingsRequest) -> ContactSettings:
    agent = caller(router)
    answer = notify.set_settings(default_deps(), agent, body.on_call, body.preferences)
    return ContactSettings.model_validate(answer)
