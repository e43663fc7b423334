"""Heard's Lambda defaults in one place, so no function is configured by copy-paste.

Every function: the same Python runtime as the bundle, ARM_64, JSON logs into its own log group kept for a
month, X-Ray tracing, its own role (logs for its log group only; grants are added per `Use` by
`infra/constructs/functions.py`), Powertools environment, memory and timeout from the wiring. Reserved
concurrency is deliberately not set: it would carve capacity out of the account's shared pool.
"""

from __future__ import annotations

from aws_cdk import Duration, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra import bundling
from infra.wiring import Function
from shared.observability import METRICS_NAMESPACE

RUNTIME = lambda_.Runtime.PYTHON_3_12
ARCHITECTURE = lambda_.Architecture.ARM_64
LOG_RETENTION = logs.RetentionDays.ONE_MONTH

if RUNTIME.name != f"python{bundling.PYTHON_VERSION}":  # the wheels are built for exactly this version
    raise RuntimeError(
        f"Lambda runtime {RUNTIME.name} does not match bundle Python {bundling.PYTHON_VERSION}"
    )


def base_environment(function: Function) -> dict[str, str]:
    """The variables every function gets, besides those of the resources it uses."""
    return {
        "HEARD_ENV": "aws",
        "POWERTOOLS_SERVICE_NAME": f"heard-{function.id}",
        "POWERTOOLS_METRICS_NAMESPACE": METRICS_NAMESPACE,
        # Traces never capture responses or errors: they can hold customers' personal data (#14).
        "POWERTOOLS_TRACER_CAPTURE_RESPONSE": "false",
        "POWERTOOLS_TRACER_CAPTURE_ERROR": "false",
    }


def construct_id(resource_id: str) -> str:
    """`platform-credentials` -> `PlatformCredentials`: stable, readable logical ids from wiring ids."""
    return "".join(part[:1].upper() + part[1:] for part in resource_id.replace("_", "-").split("-"))


def make_function(scope: Construct, function: Function, code: lambda_.Code) -> lambda_.Function:
    """A Lambda for a wiring `Function` with Heard's defaults (environment completed by the caller)."""
    name = construct_id(function.id)
    log_group = logs.LogGroup(
        scope, f"{name}Logs", retention=LOG_RETENTION, removal_policy=RemovalPolicy.DESTROY
    )
    # An own role instead of AWSLambdaBasicExecutionRole: logs only into this function's log group.
    role = iam.Role(
        scope,
        f"{name}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"Heard {function.id} function",
    )
    role.add_to_policy(
        iam.PolicyStatement(
            actions=["logs:CreateLogStream", "logs:PutLogEvents"], resources=[log_group.log_group_arn]
        )
    )
    return lambda_.Function(
        scope,
        name,
        description=function.description,
        runtime=RUNTIME,
        architecture=ARCHITECTURE,
        handler=function.handler,  # Lambda accepts the dotted module path: functions.webhook.handler.handler
        code=code,
        memory_size=function.memory_mb,
        timeout=Duration.seconds(function.timeout_seconds),
        role=role,
        log_group=log_group,
        logging_format=lambda_.LoggingFormat.JSON,
        tracing=lambda_.Tracing.ACTIVE,
        environment=base_environment(function),
    )
