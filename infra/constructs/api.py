"""The REST API: every route in the wiring, webhooks open (platform signatures), /api behind Cognito."""

from __future__ import annotations

import re
from collections.abc import Mapping

from aws_cdk import Acknowledgment, Aws, RemovalPolicy, Validations
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

from infra.wiring import Auth, Wiring

STAGE = "prod"
THROTTLE_RATE = 100  # requests/s across the API; platforms burst when a post goes viral
THROTTLE_BURST = 200
CORS_HEADERS = ["Authorization", "Content-Type"]


def path_parameters(path: str) -> dict[str, bool]:
    """`/webhooks/{platform}` -> {"method.request.path.platform": True} (required)."""
    return {f"method.request.path.{name.rstrip('+')}": True for name in re.findall(r"{([^}]+)}", path)}


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        wiring: Wiring,
        functions: Mapping[str, lambda_.IFunction],
        user_pool: cognito.IUserPool,
        console_origin: str,
    ) -> None:
        super().__init__(scope, cid)
        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=logs.RetentionDays.THREE_MONTHS,
            removal_policy=RemovalPolicy.DESTROY,
        )
        self.rest_api = apigw.RestApi(
            self,
            "RestApi",
            description="Heard: platform webhooks and the agent API",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=True,  # stage logging needs the account-level API Gateway logging role
            # The role is an account-wide (per region) setting other APIs rely on too: deleting this stack
            # must not take it (and their logging) away.
            cloud_watch_role_removal_policy=RemovalPolicy.RETAIN,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=True,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,  # full request logging would write customer messages to logs
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=THROTTLE_RATE,
                throttling_burst_limit=THROTTLE_BURST,
            ),
        )
        Validations.of(self.rest_api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-APIG3",
                reason="No WAF web ACL by default (a fixed monthly cost); webhooks are signature-checked, the API "
                "requires Cognito tokens and the stage is throttled. Attach a web ACL if needed.",
            )
        )
        Validations.of(self.rest_api).acknowledge(
            Acknowledgment(
                id="AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                "AmazonAPIGatewayPushToCloudWatchLogs]",
                reason="The AWS-managed policy is the documented way to let API Gateway write stage logs.",
            )
        )
        # Body validation applies where a model is attached; bodies are checked by the handlers (webhook
        # signatures need the raw bytes, the API validates with pydantic). Path parameters are checked here.
        validator = self.rest_api.add_request_validator(
            "Validator", validate_request_body=True, validate_request_parameters=True
        )
        self.authorizer = apigw.CognitoUserPoolsAuthorizer(
            self,
            "Authorizer",
            cognito_user_pools=[user_pool],
            identity_source=apigw.IdentitySource.header("Authorization"),
        )
        # Errors produced by API Gateway itself (401 from the authorizer, throttling) must be readable by
        # the console too.
        for response_type in (apigw.ResponseType.DEFAULT_4_XX, apigw.ResponseType.DEFAULT_5_XX):
            self.rest_api.add_gateway_response(
                f"Cors{response_type.response_type}",
                type=response_type,
                response_headers={"Access-Control-Allow-Origin": f"'{console_origin}'"},
            )

        self.methods: list[apigw.Method] = []
        for function in wiring.functions:
            for route in function.routes:
                resource = self.rest_api.root.resource_for_path(route.path)
                cognito_route = route.auth is Auth.COGNITO
                method = resource.add_method(
                    route.method,
                    apigw.LambdaIntegration(functions[function.id]),
                    authorization_type=apigw.AuthorizationType.COGNITO
                    if cognito_route
                    else apigw.AuthorizationType.NONE,
                    authorizer=self.authorizer if cognito_route else None,
                    request_parameters=path_parameters(route.path) or None,
                    request_validator=validator,
                )
                self.methods.append(method)
                if cognito_route:
                    if not any(
                        m.http_method == "OPTIONS"
                        for m in resource.node.children
                        if isinstance(m, apigw.Method)
                    ):
                        preflight = resource.add_cors_preflight(
                            allow_origins=[console_origin],
                            allow_headers=CORS_HEADERS,
                            allow_methods=apigw.Cors.ALL_METHODS,
                        )
                        _acknowledge_open(
                            preflight,
                            "CORS preflight (OPTIONS) carries no credentials by design; "
                            "it answers with the allowed origin and headers only.",
                        )
                else:
                    _acknowledge_open(
                        method,
                        f"{route.path} is called by social platforms that cannot "
                        "present Cognito tokens; each delivery is verified by the "
                        "platform's signature (e.g. X-Hub-Signature-256) in the handler.",
                    )

    @property
    def url(self) -> str:
        """The stage's base URL without a trailing slash, e.g. https://abc.execute-api.eu-west-1.amazonaws.com/prod."""
        return (
            f"https://{self.rest_api.rest_api_id}.execute-api.{Aws.REGION}.{Aws.URL_SUFFIX}/"
            f"{self.rest_api.deployment_stage.stage_name}"
        )


def _acknowledge_open(method: apigw.Method, reason: str) -> None:
    Validations.of(method).acknowledge(
        Acknowledgment(id="AwsSolutions-APIG4", reason=reason),
        Acknowledgment(id="AwsSolutions-COG4", reason=reason),
    )
