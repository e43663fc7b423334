"""Invoked by a one-time EventBridge Scheduler schedule: a follow-up becomes due on its case."""

from aws_lambda_powertools.utilities.parser import ValidationError, parse
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, Field

from shared.errors import NotFound
from shared.observability import lambda_handler, logger
from shared.usecases import casework
from shared.usecases.deps import default_deps


class FollowUpEvent(BaseModel):
    case_id: str = Field(min_length=4, max_length=40)
    label: str = Field(min_length=1, max_length=20)


@lambda_handler("case_id")
def handler(event: dict, context: LambdaContext) -> dict:
    try:
        request = parse(event=event, model=FollowUpEvent)
    except ValidationError as error:
        # A malformed schedule payload will never succeed: log it and don't retry.
        logger.error("invalid follow-up event", extra={"error": str(error)})
        return {"status": "invalid"}
    try:
        casework.follow_up_due(default_deps(), request.case_id, request.label)
    except NotFound as error:
        logger.warning("follow-up for unknown case", extra={"case_id": request.case_id, "error": str(error)})
        return {"status": "unknown case"}
    return {"status": "due", "case_id": request.case_id, "label": request.label}
