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
        description="All routes but /public/* need a Cognito id token in the Authorization header. Roles are "
        "Cognito groups: agent, trainee, reviewer, supervisor, admin. /public/escalations/{token} routes take "
        "the signed link an escalation email or SMS carries instead.",
    )
    document = json.loads(schema.model_dump_json(by_alias=True, exclude_none=True))
    return _without_unreachable_422(_with_public_routes(document))


def _with_public_routes(document: dict) -> dict:
    """The escalation answer page's routes (functions/answers): no token, the signed link is the credential."""
    from functions.answers.app import app as public

    extra = json.loads(public.get_openapi_schema().model_dump_json(by_alias=True, exclude_none=True))
    for path, item in extra["paths"].items():
        for operation in item.values():
            operation["security"] = []
        document["paths"][path] = item
    document["components"]["schemas"].update(extra.get("components", {}).get("schemas", {}))
    return document


def _without_unreachable_422(document: dict) -> dict:
    """Powertools documents a 422 (its HTTPValidationError) on every route, even those that take no input and
    so can never answer it; the routes that can declare theirs from functions/api/errors.py."""
    for item in document["paths"].values():
        for operation in item.values():
            answer = operation["responses"].get("422", {})
            if "HTTPValidationError" in json.dumps(answer) and not (
                operation.get("parameters") or operation.get("requestBody")
            ):
                del operation["responses"]["422"]
    schemas = document["components"]["schemas"]
    if "HTTPValidationError" not in json.dumps(document["paths"]):
        schemas.pop("HTTPValidationError", None)
        if '"#/components/schemas/ValidationError"' not in json.dumps(schemas):
            schemas.pop("ValidationError", None)
    return document


if __name__ == "__main__":
    json.dump(document(), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
