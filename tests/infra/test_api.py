"""The REST API, Cognito and the console hosting."""

from __future__ import annotations

import pytest

from infra.constructs.auth import GROUPS
from infra.wiring import Auth, heard
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra
WIRING = heard()


def _resource_paths(synth: Synthesised) -> dict[str, str]:
    """logical id of each AWS::ApiGateway::Resource -> its full path, e.g. /webhooks/{platform}."""
    resources = synth.of_type("AWS::ApiGateway::Resource")
    paths: dict[str, str] = {}

    def path_of(logical_id: str) -> str:
        if logical_id not in paths:
            props = resources[logical_id]["Properties"]
            parent = refs(props["ParentId"]) & set(resources)
            paths[logical_id] = (path_of(parent.pop()) if parent else "") + "/" + props["PathPart"]
        return paths[logical_id]

    for logical_id in resources:
        path_of(logical_id)
    return paths


def methods(synth: Synthesised) -> list[tuple[str, str, dict]]:
    """(HTTP method, path, properties) of every API method."""
    paths = _resource_paths(synth)
    out = []
    for method in synth.of_type("AWS::ApiGateway::Method").values():
        props = method["Properties"]
        (resource,) = refs(props["ResourceId"])
        out.append((props["HttpMethod"], paths.get(resource, "/"), props))
    return out


def test_api_routes_use_the_cognito_authorizer_and_webhooks_do_not(synth: Synthesised) -> None:
    # Given the API's methods and its one authorizer
    ((authorizer_id, authorizer),) = synth.of_type("AWS::ApiGateway::Authorizer").items()
    assert authorizer["Properties"]["Type"] == "COGNITO_USER_POOLS"
    assert refs(authorizer["Properties"]["ProviderARNs"]) == {synth.logical_id(synth.stack.auth.user_pool)}
    routes = {(r.method, r.path): r.auth for f in WIRING.functions for r in f.routes}
    for http_method, path, props in methods(synth):
        if http_method == "OPTIONS":  # CORS preflight: a mock integration that carries no credentials
            assert props["AuthorizationType"] == "NONE" and props["Integration"]["Type"] == "MOCK"
            continue
        # Then /api routes require a Cognito token, /webhooks routes rely on platform signatures and
        # /public routes on the signed link they carry (escalation answers)
        if routes[(http_method, path)] is Auth.COGNITO:
            assert path.startswith("/api/")
            assert props["AuthorizationType"] == "COGNITO_USER_POOLS"
            assert refs(props["AuthorizerId"]) == {authorizer_id}
        else:
            assert path.startswith(("/webhooks/", "/public/escalations/"))
            assert props["AuthorizationType"] == "NONE" and "AuthorizerId" not in props


def test_path_parameters_are_required_and_validated(synth: Synthesised) -> None:
    # Given the webhook routes / Then their {platform} (and {account}) parameters are required and a
    # validator checks them
    for http_method, path, props in methods(synth):
        if http_method != "OPTIONS" and "{platform}" in path:
            expected = {"method.request.path.platform": True}
            if "{account}" in path:
                expected["method.request.path.account"] = True
            assert props["RequestParameters"] == expected
            assert props["RequestValidatorId"]


def test_the_stage_logs_access_traces_and_throttles(synth: Synthesised) -> None:
    (stage,) = synth.of_type("AWS::ApiGateway::Stage").values()
    props = stage["Properties"]
    assert props["TracingEnabled"] is True
    assert refs(props["AccessLogSetting"]["DestinationArn"])
    (settings,) = props["MethodSettings"]
    assert settings["LoggingLevel"] == "ERROR" and settings["DataTraceEnabled"] is False
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0


def test_cors_preflight_allows_only_the_console_origin(synth: Synthesised) -> None:
    # Given the preflight on /api/{proxy+}
    (preflight,) = [p for m, path, p in methods(synth) if m == "OPTIONS"]
    headers = preflight["Integration"]["IntegrationResponses"][0]["ResponseParameters"]
    # Then the allowed origin is the console's CloudFront domain, not "*"
    origin = headers["method.response.header.Access-Control-Allow-Origin"]
    assert refs(origin) == {synth.logical_id(synth.stack.console.distribution)}


def test_the_user_pool_has_one_group_per_role_and_a_public_client(synth: Synthesised) -> None:
    # Given the user pool
    groups = {g["Properties"]["GroupName"] for g in synth.of_type("AWS::Cognito::UserPoolGroup").values()}
    assert groups == set(GROUPS) == {"agent", "trainee", "reviewer", "supervisor", "admin", "auditor"}
    (pool,) = synth.of_type("AWS::Cognito::UserPool").values()
    policy = pool["Properties"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] >= 12 and policy["RequireSymbols"] and policy["RequireNumbers"]
    assert pool["Properties"]["AdminCreateUserConfig"]["AllowAdminCreateUserOnly"] is True
    (client,) = synth.of_type("AWS::Cognito::UserPoolClient").values()
    # Then the console signs in with USER_PASSWORD_AUTH or SRP, without a client secret
    assert {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH"} <= set(
        client["Properties"]["ExplicitAuthFlows"]
    )
    assert client["Properties"].get("GenerateSecret", False) is False


def _distribution(synth: Synthesised, comment: str) -> dict:
    (found,) = [
        d
        for d in synth.of_type("AWS::CloudFront::Distribution").values()
        if d["Properties"]["DistributionConfig"]["Comment"] == comment
    ]
    return dict(found["Properties"]["DistributionConfig"])


def _served_privately_over_https(synth: Synthesised, comment: str) -> dict:
    """The distribution's default behaviour redirects to HTTPS, adds security headers, and reaches S3 through
    Origin Access Control only; returns its headers' config."""
    config = _distribution(synth, comment)
    behaviour = config["DefaultCacheBehavior"]
    assert behaviour["ViewerProtocolPolicy"] == "redirect-to-https"
    (policy_id,) = refs(behaviour["ResponseHeadersPolicyId"])
    headers = synth.of_type("AWS::CloudFront::ResponseHeadersPolicy")[policy_id]
    security = headers["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    assert {"ContentSecurityPolicy", "StrictTransportSecurity", "FrameOptions", "ContentTypeOptions"} <= set(
        security
    )
    (origin,) = config["Origins"]
    assert refs(origin["OriginAccessControlId"]) <= set(synth.of_type("AWS::CloudFront::OriginAccessControl"))
    assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""
    return dict(security)


def test_the_console_is_served_privately_over_https_with_security_headers(synth: Synthesised) -> None:
    _served_privately_over_https(synth, "Heard agent console")


def test_the_public_status_pages_are_read_only_https_pages_that_load_nothing_else(synth: Synthesised) -> None:
    # Given the crisis status pages' distribution (issue 17) / Then GET and HEAD only, over HTTPS via OAC,
    # with a policy that lets the self-contained page load nothing from elsewhere
    security = _served_privately_over_https(synth, "Heard public status pages")
    assert security["ContentSecurityPolicy"]["ContentSecurityPolicy"].startswith("default-src 'none'")
    behaviour = _distribution(synth, "Heard public status pages")["DefaultCacheBehavior"]
    assert sorted(behaviour["AllowedMethods"]) == ["GET", "HEAD"]


def test_the_console_deployment_writes_the_runtime_config(synth: Synthesised) -> None:
    # Given the console upload / Then it uploads the console files and a generated config.json
    (deployment,) = synth.of_type("Custom::CDKBucketDeployment").values()
    props = deployment["Properties"]
    assert refs(props["DestinationBucketName"]) == {synth.logical_id(synth.stack.console.bucket)}
    assert len(props["SourceObjectKeys"]) == 2  # console/ and config.json
    # The config's values are deploy-time tokens carried as markers; they point at the pool, client and API
    markers = refs(props.get("SourceMarkers", []))
    assert synth.logical_id(synth.stack.auth.user_pool) in markers
    assert synth.logical_id(synth.stack.auth.client) in markers
    assert synth.logical_id(synth.stack.api.rest_api) in markers


def test_the_stack_outputs_what_an_operator_needs(synth: Synthesised) -> None:
    outputs = synth.template.to_json()["Outputs"]
    assert {
        "ApiUrl",
        "ConsoleUrl",
        "UserPoolId",
        "UserPoolClientId",
        "ReportsBucket",
        "PlatformCredentialsSecretArn",
    } <= set(outputs)
