"""Print the OpenAPI document generated from the API's routes (`make openapi` writes docs/openapi.json)."""

from __future__ import annotations

import json
import os
import sys


def document() -> dict:
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "1")
    from aws_lambda_powertools.event_handler.openapi.models import APIKey, APIKeyIn

    from functions.api.app import app

    schema = app.get_openapi_schema(
        security_schemes={
            "cognito": APIKey(
                name="Authorization",
                in_=APIKeyIn.header,
                description="A Cognito id token (raw or 'Bearer <token>')",
            )
        },
        security=[{"cognito": []}],
        title="Heard API",
        version="1.0.0",
        summary="Social-media customer care: cases, queues, replies and supervisor reports",
        description="All routes need a Cognito id token in the Authorization header. Roles are Cognito groups: "
        "agent, trainee, reviewer, supervisor, admin.",
    )
    return json.loads(schema.model_dump_json(by_alias=True, exclude_none=True))


if __name__ == "__main__":
    json.dump(document(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
