"""The escalation answer page's API (issue #12): public, no sign-in; the signed link is the credential.

`GET /public/escalations/{token}` shows the department what it needs; `POST .../answer` records its answer
as an internal note on the case. A changed, made-up or expired link gets 403 saying which.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, cast

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import ResponseBuilder, Route
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.openapi.types import OpenAPIResponse
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from pydantic import BaseModel, ConfigDict, Field

from functions.api import body
from functions.api.errors import STATUS_OF, answers, invalid_request
from shared.errors import ConfigurationError
from shared.usecases import escalation_links
from shared.usecases.deps import default_deps

Token = Annotated[str, Path(min_length=10, max_length=460, pattern=r"^[A-Za-z0-9_.-]+$")]
MEANINGS = {
    403: "The link was changed, made up or has expired (the message says which)",
    404: "The escalation no longer exists",
    409: "The escalation was already answered",
    422: "Invalid input: an empty or too long answer",
}


class Asker(BaseModel):
    name: str
    title: str


class CaseBrief(BaseModel):
    platform: str
    channel: str
    topic: str
    category: str
    priority: int
    opened_at: datetime
    message: Annotated[str, Field(description="The customer's message as masked at intake")]


class EscalationPage(BaseModel):
    case_id: str
    question: str
    asked_at: datetime
    urgent: bool
    asked_of: Asker
    company: str
    case: CaseBrief
    answered: bool
    answered_at: datetime | None = None
    answer: str | None = None
    expires_at: datetime


class AnswerRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answer: Annotated[str, Field(min_length=1, max_length=escalation_links.ANSWER_CHARS)]


class AnswerRecorded(BaseModel):
    case_id: str
    at: datetime
    text: str


def public_answers(**kwargs: Any) -> dict[int, OpenAPIResponse]:
    """The catalogue's answers without 401: these routes take no token."""
    return {k: v for k, v in answers(**kwargs).items() if k != 401}


class _CheckBody(APIGatewayRestResolver):
    def _call_route(self, route: Route, route_arguments: dict[str, str]) -> ResponseBuilder:
        try:
            body.check(cast(APIGatewayProxyEvent, self.current_event))
        except tuple(STATUS_OF) as error:
            answer = self._call_exception_handler(error, route)
            if answer is not None:
                return answer
            raise
        return super()._call_route(route, route_arguments)


# The answer page is served with the console, from another origin in AWS; no cookies are used.
app = _CheckBody(
    enable_validation=True, cors=CORSConfig(allow_origin="*", allow_headers=["Content-Type"], max_age=600)
)


@app.get(
    "/public/escalations/<token>",
    summary="An escalation as its signed link shows it (no sign-in)",
    tags=["escalation answers"],
    responses=public_answers(errors=(403, 404), params=True, meanings=MEANINGS),
)
def show(token: Token) -> EscalationPage:
    return EscalationPage.model_validate(escalation_links.view(default_deps(), token))


@app.post(
    "/public/escalations/<token>/answer",
    summary="Answer an escalation through its signed link: an internal note on the case (no sign-in)",
    tags=["escalation answers"],
    responses=public_answers(errors=(403, 404, 409), body=True, params=True, meanings=MEANINGS),
)
def answer(token: Token, request: AnswerRequest) -> AnswerRecorded:
    entry = escalation_links.answer(default_deps(), token, request.answer)
    return AnswerRecorded(case_id=entry.case_id, at=entry.at, text=entry.text)


def _answer(error: Exception) -> Response[Any]:
    status = next(code for kind, code in STATUS_OF.items() if isinstance(error, kind))
    message = "Heard is not configured correctly" if isinstance(error, ConfigurationError) else str(error)
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body={"message": message}
    )


app.exception_handler(list(STATUS_OF))(_answer)


app.exception_handler(RequestValidationError)(invalid_request)


@app.not_found
def _no_route(_: Exception) -> Response[Any]:
    return Response(
        status_code=404, content_type=content_types.APPLICATION_JSON, body={"message": "No such page"}
    )
