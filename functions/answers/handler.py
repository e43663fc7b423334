"""Lambda entry point for the escalation answer page's API (public: the signed link is the credential)."""

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from functions.answers.app import app
from shared.observability import lambda_handler


@lambda_handler(correlation_paths.API_GATEWAY_REST)
def handler(event: dict, context: LambdaContext) -> dict:
    return app.resolve(event, context)
