"""The agent console: static files in a private S3 bucket behind CloudFront (Origin Access Control),
HTTPS only, security headers, plus a generated config.json telling the console where the API and Cognito
are."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Acknowledgment, Aws, Duration, RemovalPolicy, Stack, Validations
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src blob:; "
    "connect-src 'self' https://*.amazonaws.com; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class Console(Construct):
    def __init__(self, scope: Construct, cid: str, *, source_dir: Path, access_logs: s3.IBucket) -> None:
        super().__init__(scope, cid)
        self.source_dir = source_dir
        # S3-managed keys: CloudFront's OAC reads the files without a KMS key policy; they are public
        # static assets anyway.
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix="s3/console/",
            removal_policy=RemovalPolicy.RETAIN,
        )
        # CloudFront names are account-wide (global): derived from this stack's name and region, never a
        # name fixed at synth time, so two Heard stacks can live in one account.
        unique = f"{Aws.STACK_NAME}-{Aws.REGION}"
        headers = cloudfront.ResponseHeadersPolicy(
            self,
            "SecurityHeaders",
            response_headers_policy_name=f"{unique}-console-headers",
            comment="Heard console security headers",
            security_headers_behavior=cloudfront.ResponseSecurityHeadersBehavior(
                content_security_policy=cloudfront.ResponseHeadersContentSecurityPolicy(
                    content_security_policy=CSP, override=True
                ),
                strict_transport_security=cloudfront.ResponseHeadersStrictTransportSecurity(
                    access_control_max_age=Duration.days(365), include_subdomains=True, override=True
                ),
                content_type_options=cloudfront.ResponseHeadersContentTypeOptions(override=True),
                frame_options=cloudfront.ResponseHeadersFrameOptions(
                    frame_option=cloudfront.HeadersFrameOption.DENY, override=True
                ),
                referrer_policy=cloudfront.ResponseHeadersReferrerPolicy(
                    referrer_policy=cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
                    override=True,
                ),
                xss_protection=cloudfront.ResponseHeadersXSSProtection(
                    protection=True, mode_block=True, override=True
                ),
            ),
        )
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment="Heard agent console",
            default_root_object="index.html",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(
                    self.bucket,
                    origin_access_control=cloudfront.S3OriginAccessControl(
                        self, "OriginAccess", origin_access_control_name=f"{unique}-console"
                    ),
                ),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                cache_policy=cloudfront.CachePolicy.CACHING_OPTIMIZED,
            ),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix="cloudfront/console/",
        )
        Validations.of(self.distribution).acknowledge(
            Acknowledgment(
                id="AwsSolutions-CFR1",
                reason="Care agents may work from anywhere; access is controlled by Cognito sign-in.",
            ),
            Acknowledgment(
                id="AwsSolutions-CFR2",
                reason="Static console files only; no WAF web ACL by default (a fixed monthly cost).",
            ),
            Acknowledgment(
                id="AwsSolutions-CFR4",
                reason="Served on the default *.cloudfront.net certificate, whose TLS policy CloudFront "
                "fixes; set a custom domain and certificate to enforce TLSv1.2_2021.",
            ),
        )

    @property
    def url(self) -> str:
        return f"https://{self.distribution.distribution_domain_name}"

    def deploy(self, *, api_url: str, user_pool_id: str, client_id: str) -> s3deploy.BucketDeployment:
        """Upload the console with a config.json generated from the deployed resources."""
        region = Stack.of(self).region
        config = {
            "apiUrl": api_url,
            "region": region,
            "userPoolId": user_pool_id,
            "clientId": client_id,
            "cognitoEndpoint": f"https://cognito-idp.{region}.amazonaws.com/",
        }
        sources = [s3deploy.Source.json_data("config.json", config)]
        if self.source_dir.is_dir():
            sources.insert(0, s3deploy.Source.asset(str(self.source_dir)))
        return s3deploy.BucketDeployment(
            self,
            "Deployment",
            sources=sources,
            destination_bucket=self.bucket,
            distribution=self.distribution,  # invalidates the cache so a redeploy shows at once
            distribution_paths=["/*"],
            memory_limit=256,
        )
