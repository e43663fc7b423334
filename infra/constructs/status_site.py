"""A public website from a wiring bucket (the crisis status pages, R15): CloudFront with Origin Access
Control in front of the private bucket, HTTPS only, security headers, logs; pages are cached 30 s
(the objects' Cache-Control) so a change shows within a minute."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Aws, Duration, Validations
from aws_cdk import aws_cloudfront as cloudfront
from aws_cdk import aws_cloudfront_origins as origins
from aws_cdk import aws_s3 as s3
from constructs import Construct

# The pages are self-contained (inline styles, no scripts): nothing else may load.
CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


class StatusSite(Construct):
    def __init__(
        self, scope: Construct, cid: str, *, bucket: s3.IBucket, access_logs: s3.IBucket, name: str
    ) -> None:
        super().__init__(scope, cid)
        unique = f"{Aws.STACK_NAME}-{Aws.REGION}-{name}"
        headers = _headers(self, unique, name)
        self.distribution = cloudfront.Distribution(
            self,
            "Distribution",
            comment=f"Heard public {name} pages",
            default_behavior=cloudfront.BehaviorOptions(
                origin=origins.S3BucketOrigin.with_origin_access_control(
                    bucket,
                    origin_access_control=cloudfront.S3OriginAccessControl(
                        self, "OriginAccess", origin_access_control_name=unique
                    ),
                ),
                viewer_protocol_policy=cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
                response_headers_policy=headers,
                # Honours the objects' Cache-Control (30 s), so an update shows within a minute.
                cache_policy=cloudfront.CachePolicy.USE_ORIGIN_CACHE_CONTROL_HEADERS,
                allowed_methods=cloudfront.AllowedMethods.ALLOW_GET_HEAD,
            ),
            http_version=cloudfront.HttpVersion.HTTP2_AND_3,
            price_class=cloudfront.PriceClass.PRICE_CLASS_100,
            enable_logging=True,
            log_bucket=access_logs,
            log_file_prefix=f"cloudfront/{name}/",
        )
        Validations.of(self.distribution).acknowledge(
            Acknowledgment(id="AwsSolutions-CFR1", reason="Public status pages are for customers anywhere."),
            Acknowledgment(
                id="AwsSolutions-CFR2",
                reason="Static, read-only pages (GET/HEAD only); no WAF web ACL by default (a fixed monthly cost).",
            ),
            Acknowledgment(
                id="AwsSolutions-CFR4",
                reason="Served on the default *.cloudfront.net certificate, whose TLS policy CloudFront fixes; "
                "set a custom domain and certificate to enforce TLSv1.2_2021.",
            ),
        )

    @property
    def base_url(self) -> str:
        """Where a page `status/<id>.html` is: the distribution serves the bucket's keys as paths."""
        return f"https://{self.distribution.distribution_domain_name}/status/"


def _headers(scope: Construct, unique: str, name: str) -> cloudfront.ResponseHeadersPolicy:
    return cloudfront.ResponseHeadersPolicy(
        scope,
        "Headers",
        response_headers_policy_name=f"{unique}-headers",
        comment=f"Heard {name} pages security headers",
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
                referrer_policy=cloudfront.HeadersReferrerPolicy.NO_REFERRER, override=True
            ),
        ),
    )
