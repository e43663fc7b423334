"""DynamoDB tables and S3 buckets from the wiring, plus the bucket that receives access logs."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, RemovalPolicy, Validations
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.constructs.status_site import StatusSite
from infra.lambda_factory import construct_id
from infra.wiring import Bucket, Wiring


def _attribute(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class Storage(Construct):
    def __init__(self, scope: Construct, cid: str, *, wiring: Wiring, key: kms.IKey) -> None:
        super().__init__(scope, cid)
        self.tables: dict[str, dynamodb.Table] = {}
        for spec in wiring.tables:
            table = dynamodb.Table(
                self,
                f"{construct_id(spec.id)}Table",
                partition_key=_attribute(spec.partition_key),
                sort_key=_attribute(spec.sort_key) if spec.sort_key else None,
                billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
                encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
                encryption_key=key,
                point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                    point_in_time_recovery_enabled=True
                ),
                time_to_live_attribute=spec.ttl_attribute,
                stream=dynamodb.StreamViewType.NEW_IMAGE if spec.stream else None,
                deletion_protection=True,
                removal_policy=RemovalPolicy.RETAIN,
            )
            for index in spec.indexes:
                table.add_global_secondary_index(
                    index_name=index.name,
                    partition_key=_attribute(index.partition_key),
                    sort_key=_attribute(index.sort_key),
                    projection_type=dynamodb.ProjectionType.ALL,
                )
            self.tables[spec.id] = table

        # S3 server access logs cannot be delivered to a KMS-encrypted bucket, hence S3-managed keys here.
        # CloudFront's standard logs are written with ACLs, hence object-writer ownership.
        self.access_logs = s3.Bucket(
            self,
            "AccessLogsBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            object_ownership=s3.ObjectOwnership.OBJECT_WRITER,
            lifecycle_rules=[s3.LifecycleRule(id="expire-access-logs", expiration=Duration.days(365))],
            removal_policy=RemovalPolicy.RETAIN,
        )
        Validations.of(self.access_logs).acknowledge(
            Acknowledgment(
                id="AwsSolutions-S1",
                reason="This is the access-log destination; logging it into itself would loop.",
            )
        )

        self.buckets: dict[str, s3.Bucket] = {}
        self.site_urls: dict[str, str] = {}  # public buckets' base URLs (their CloudFront distribution)
        for bucket in wiring.buckets:
            name = construct_id(bucket.id)
            if bucket.public_url_env:
                self._public_bucket(bucket.id)
                continue
            self.buckets[bucket.id] = s3.Bucket(
                self,
                f"{name}Bucket",
                encryption=s3.BucketEncryption.KMS,
                encryption_key=key,
                bucket_key_enabled=True,  # one KMS call per bucket key, not per object
                block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
                enforce_ssl=True,
                # The raw archive is versioned so an overwrite can be undone; its lifecycle expires the
                # replaced, deleted and expired versions too (retention and erasure reach them).
                versioned=bucket.versioned or bool(bucket.lock_days),
                object_lock_enabled=True if bucket.lock_days else None,
                object_lock_default_retention=(
                    s3.ObjectLockRetention.compliance(Duration.days(bucket.lock_days))
                    if bucket.lock_days
                    else None
                ),
                lifecycle_rules=_lifecycle(bucket),
                server_access_logs_bucket=self.access_logs,
                server_access_logs_prefix=f"s3/{bucket.id}/",
                cors=_browser_uploads() if bucket.browser_uploads else None,
                removal_policy=RemovalPolicy.RETAIN,
            )

    def _public_bucket(self, bucket_id: str) -> None:
        """A bucket of public pages behind CloudFront: S3-managed keys (OAC reads them without a KMS key
        policy; the pages are public anyway), private to everyone but the distribution."""
        name = construct_id(bucket_id)
        bucket = s3.Bucket(
            self,
            f"{name}Bucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            server_access_logs_bucket=self.access_logs,
            server_access_logs_prefix=f"s3/{bucket_id}/",
            removal_policy=RemovalPolicy.RETAIN,
        )
        site = StatusSite(self, f"{name}Site", bucket=bucket, access_logs=self.access_logs, name=bucket_id)
        self.buckets[bucket_id] = bucket
        self.site_urls[bucket_id] = site.base_url


def _browser_uploads() -> list[s3.CorsRule]:
    """The console posts an agent's image through a presigned form and reads media through presigned GETs."""
    return [
        s3.CorsRule(
            allowed_methods=[s3.HttpMethods.POST, s3.HttpMethods.GET],
            allowed_origins=["*"],
            allowed_headers=["Content-Type"],
            max_age=300,
        )
    ]


def _lifecycle(bucket: Bucket) -> list[s3.LifecycleRule] | None:
    """The bucket's retention (config/heard.json `retention`, read at synth time by infra/wiring.py)."""
    if not bucket.expire_days:
        return None
    noncurrent = (
        Duration.days(bucket.noncurrent_days) if bucket.versioned and bucket.noncurrent_days else None
    )
    return [
        s3.LifecycleRule(
            id=f"expire-{bucket.id}",
            expiration=Duration.days(bucket.expire_days),
            noncurrent_version_expiration=noncurrent,
        )
    ]
