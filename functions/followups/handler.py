"""Invoked by one-time EventBridge Scheduler schedules: a follow-up becomes due on its case, or the case's
satisfaction survey is sent (R20, R21)."""

from typing import Literal

from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field, model_validator

from shared.errors import NotFound
from shared.observability import lambda_handler, logger
from shared.usecases import casework, surveys
from shared.usecases.deps import default_deps


class ScheduledEvent(BaseModel):
    case_id: str = Field(min_length=4, max_length=40)
    kind: Literal["followup", "survey"] = "followup"
    label: str | None = Field(default=None, min_length=1, max_length=20)

    @model_validator(mode="after")
    def _label_for_follow_ups(self) -> "ScheduledEvent":
        if self.kind == "followup" and self.label is None:
            raise ValueError("a follow-up needs its label")
        return self


@lambda_handler("case_id")
def handler(event: dict, context: LambdaContext) -> dict:
    try:
        request = parse(event=event, model=ScheduledEvent)
    except ValidationError as error:
        # A malformed schedule payload will never succeed: log it and don't retry.
        logger.error("invalid scheduled event", extra={"error": str(error)})
        return {"status": "invalid"}
    try:
        if request.kind == "survey":
            case = surveys.send_due(default_deps(), request.case_id)
            state = case.survey.state.value if case.survey else "none"
            return {"status": f"survey {state}", "case_id": request.case_id}
        assert request.label is not None
        casework.follow_up_due(default_deps(), request.case_id, request.label)
    except NotFound as error:
        logger.warning(
            "scheduled event for unknown case", extra={"case_id": request.case_id, "error": str(error)}
        )
        return {"status": "unknown case"}
    return {"status": "due", "case_id": request.case_id, "label": request.label}
