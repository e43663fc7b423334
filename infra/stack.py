"""The Heard stack: a thin composition of one construct per domain, all driven by `infra/wiring.py`."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Acknowledgment, CfnElement, CfnOutput, DefaultStackSynthesizer, Stack, Validations
from aws_cdk import aws_lambda as lambda_
from constructs import Construct

from infra import bundling
from infra.constructs.analytics import Analytics
from infra.constructs.api import Api
from infra.constructs.auth import Auth
from infra.constructs.config import Config
from infra.constructs.console import Console
from infra.constructs.functions import Functions, Resources, nag_partition
from infra.constructs.messaging import Messaging
from infra.constructs.monitoring import Monitoring
from infra.constructs.security import Security
from infra.constructs.storage import Storage
from infra.lambda_factory import construct_id as pascal_id
from infra.wiring import ROOT, Wiring, heard

# Files in the bundle directory that are not code: uv's lock and our dependency stamp.
_ASSET_EXCLUDES = [".lock", ".heard-deps.json"]


class HeardStack(Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        wiring: Wiring | None = None,
        bundle: bundling.BundleMode | str = bundling.BundleMode.FULL,
        console_dir: Path = ROOT / "console",
        **kwargs,
    ) -> None:
        super().__init__(scope, construct_id, description="Heard: social-media customer-care desk", **kwargs)
        wiring = wiring or heard()
        code = lambda_.Code.from_asset(str(bundling.prepare(bundle)), exclude=_ASSET_EXCLUDES)

        self.wiring = wiring
        self.security = security = Security(self, "Security")
        self.storage = storage = Storage(self, "Storage", wiring=wiring, key=security.key)
        self.messaging = messaging = Messaging(self, "Messaging", wiring=wiring, key=security.key)
        self.config = config = Config(self, "Config", wiring=wiring, key=security.key)
        self.auth = auth = Auth(self, "Auth")
        self.console = console = Console(
            self, "Console", source_dir=console_dir, access_logs=storage.access_logs
        )
        self.functions = functions = Functions(
            self,
            "Functions",
            wiring=wiring,
            code=code,
            resources=Resources(
                key=security.key,
                tables=storage.tables,
                queues=messaging.queues,
                buckets=storage.buckets,
                topics=messaging.topics,
                secrets=config.secrets,
                parameters=config.parameters,
                site_urls=storage.site_urls,
                user_pools={"user-pool": auth.user_pool},
                sites={"console": console.url},
                buses=messaging.buses,
            ),
        )
        self.analytics = Analytics(self, "Analytics", bucket=storage.buckets["analytics"], key=security.key)
        self.api = api = Api(
            self,
            "Api",
            wiring=wiring,
            functions=functions.functions,
            user_pool=auth.user_pool,
            console_origin=console.url,
        )
        console.deploy(
            api_url=api.url,
            user_pool_id=auth.user_pool.user_pool_id,
            client_id=auth.client.user_pool_client_id,
        )
        self.monitoring = Monitoring(
            self,
            "Monitoring",
            dead_letter_queues={**messaging.dead_letter_queues, **functions.failure_queues},
            topic=messaging.topics["alerts"],
            functions=functions.functions,
        )
        self._acknowledge_cdk_internals(console)

        CfnOutput(
            self, "ApiUrl", value=api.url, description="API base URL (webhooks at /webhooks/<platform>)"
        )
        CfnOutput(self, "ConsoleUrl", value=console.url, description="The agent console")
        CfnOutput(self, "UserPoolId", value=auth.user_pool.user_pool_id)
        CfnOutput(self, "UserPoolClientId", value=auth.client.user_pool_client_id)
        for bucket_id, url in storage.site_urls.items():
            CfnOutput(
                self, f"{pascal_id(bucket_id)}PagesUrl", value=url, description="Public crisis status pages"
            )
        CfnOutput(self, "ReportsBucket", value=storage.buckets["reports"].bucket_name)
        CfnOutput(self, "AnalyticsWorkGroup", value=self.analytics.workgroup.ref)
        CfnOutput(self, "AnalyticsDatabase", value=self.analytics.database.ref)
        for bus_id, bus in messaging.buses.items():  # where the company's tools subscribe (docs/events.md)
            CfnOutput(self, f"{pascal_id(bus_id)}BusName", value=bus.event_bus_name)
        for secret_id, secret in config.secrets.items():  # where operators put the platform credentials
            CfnOutput(self, f"{pascal_id(secret_id)}SecretArn", value=secret.secret_arn)

    def _acknowledge_cdk_internals(self, console: Console) -> None:
        """Findings on the function CDK itself adds to upload the console (BucketDeployment), scoped to it."""
        qualifier = DefaultStackSynthesizer.DEFAULT_QUALIFIER
        bucket_resource = console.bucket.node.default_child
        assert isinstance(bucket_resource, CfnElement)
        console_bucket = self.resolve(self.get_logical_id(bucket_resource))
        reason = (
            "CDK's BucketDeployment handler, managed by aws-cdk-lib: it copies the console from the CDK "
            "asset bucket into the console bucket and needs these object-level permissions."
        )
        findings = [
            "AwsSolutions-L1",
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
            "AwsSolutions-IAM5[Resource::*]",
            *(
                f"AwsSolutions-IAM5[Action::{a}]"
                for a in ("s3:GetObject*", "s3:GetBucket*", "s3:List*", "s3:DeleteObject*", "s3:Abort*")
            ),
            f"AwsSolutions-IAM5[Resource::arn:{nag_partition(self)}:s3:::cdk-{qualifier}-assets-{self.account}-{self.region}/*]",
            f"AwsSolutions-IAM5[Resource::<{console_bucket}.Arn>/*]",
        ]
        for child in self.node.children:
            if child.node.id.startswith("Custom::CDKBucketDeployment"):
                Validations.of(child).acknowledge(*(Acknowledgment(id=f, reason=reason) for f in findings))
