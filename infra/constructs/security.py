"""The customer-managed KMS key that encrypts Heard's data at rest (tables, queues, buckets, topic, secret)."""

from __future__ import annotations

from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct


class Security(Construct):
    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self.key = kms.Key(
            self,
            "DataKey",
            description="Heard: encrypts cases, queues, archives, reports, alerts and platform secrets",
            enable_key_rotation=True,
            removal_policy=RemovalPolicy.RETAIN,  # losing the key loses every archived delivery
        )
        # CloudWatch alarms publish to the encrypted alerts topic (SNS asks KMS on the alarm's behalf), and
        # EventBridge puts events it cannot deliver into an encrypted failure queue. Only on behalf of
        # this account's alarms and rules (confused deputy).
        this_account = {"StringEquals": {"aws:SourceAccount": Stack.of(self).account}}
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowCloudWatchAlarmsToUseTheKey",
                principals=[iam.ServicePrincipal("cloudwatch.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],  # in a key policy "*" means this key
                conditions=this_account,
            )
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="AllowEventBridgeDeadLettersToUseTheKey",
                principals=[iam.ServicePrincipal("events.amazonaws.com")],
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=["*"],
                conditions=this_account,
            )
        )
