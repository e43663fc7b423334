"""Lambda entry point for the Heard API (API Gateway REST, Cognito authorizer)."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.api.app import app
from functions.api.audited import audited
from shared.observability import lambda_handler


@lambda_handler(correlation_paths.API_GATEWAY_REST)
def handler(event: dict, context: LambdaContext) -> dict:
    return audited(event, app.resolve(event, context))
