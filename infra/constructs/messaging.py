"""SQS queues from the wiring (each with its dead-letter queue unless the wiring says otherwise), the
SNS topics and the EventBridge event buses."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Aws, Duration, Validations
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.lambda_factory import construct_id
from infra.wiring import WORK_LANE_PREFIX, Wiring
from infra.wiring import Queue as QueueSpec

DLQ_RETENTION_DAYS = 14  # SQS's maximum


class Messaging(Construct):
    def __init__(self, scope: Construct, cid: str, *, wiring: Wiring, key: kms.IKey) -> None:
        super().__init__(scope, cid)
        self.queues: dict[str, sqs.Queue] = {}
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        for spec in wiring.queues:
            self._queue(spec, key)

        self._lanes_policy([self.queues[q.id] for q in wiring.work_queues])

        self.topics: dict[str, sns.Topic] = {
            spec.id: sns.Topic(
                self,
                f"{construct_id(spec.id)}Topic",
                master_key=key,
                enforce_ssl=True,
                display_name=f"Heard {spec.id}",
            )
            for spec in wiring.topics
        }
        # Heard's event bus (issue #17): case and crisis events the company's tools subscribe to with rules.
        self.buses: dict[str, events.EventBus] = {
            spec.id: events.EventBus(self, f"{construct_id(spec.id)}Bus") for spec in wiring.buses
        }

    def _queue(self, spec: QueueSpec, key: kms.IKey) -> None:
        """One queue of the wiring, with its dead-letter queue unless the wiring says otherwise."""
        name = construct_id(spec.id)
        retention = Duration.days(spec.retention_days)
        dead_letter = None
        if spec.dlq:
            dlq = sqs.Queue(
                self,
                f"{name}Dlq",
                encryption=sqs.QueueEncryption.KMS,
                encryption_master_key=key,
                enforce_ssl=True,
                retention_period=Duration.days(DLQ_RETENTION_DAYS),
            )
            if spec.retention_days >= DLQ_RETENTION_DAYS:
                raise ValueError(
                    f"queue {spec.id}: keeps messages as long as its DLQ; they would expire there"
                )
            self.dead_letter_queues[spec.id] = dlq
            dead_letter = sqs.DeadLetterQueue(queue=dlq, max_receive_count=spec.max_receive_count)
        queue = sqs.Queue(
            self,
            f"{name}Queue",
            # Work lanes are found by name (<stack>-work-<team>-p<n>), the others by the URL passed in.
            queue_name=f"{Aws.STACK_NAME}-{spec.id}" if spec.work_lane else None,
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=key,
            data_key_reuse=Duration.hours(1),  # fewer KMS calls at peak
            # Lanes share one queue policy (below): one per lane would put a 50-team stack over
            # CloudFormation's 500 resources.
            enforce_ssl=not spec.work_lane,
            visibility_timeout=Duration.seconds(spec.visibility_timeout_seconds),
            retention_period=retention,
            dead_letter_queue=dead_letter,
        )
        if not spec.dlq:
            Validations.of(queue).acknowledge(
                Acknowledgment(
                    id="AwsSolutions-SQS3",
                    reason="Team work lane: messages are claimed by agents through the API, never processed "
                    "by a consumer that can fail repeatedly; a stale message is deleted by the claimer.",
                )
            )
        if spec.work_lane:
            Validations.of(queue).acknowledge(
                Acknowledgment(
                    id="AwsSolutions-SQS4",
                    reason="TLS is enforced for every work lane by their one shared queue policy "
                    "(WorkLanesPolicy), which denies requests without aws:SecureTransport.",
                )
            )
        self.queues[spec.id] = queue

    def _lanes_policy(self, lanes: list[sqs.Queue]) -> None:
        """One TLS-only queue policy for every work lane (one per lane would not fit 500 resources)."""
        if lanes:
            sqs.CfnQueuePolicy(
                self,
                "WorkLanesPolicy",
                queues=[q.queue_url for q in lanes],
                policy_document={
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "EnforceTls",
                            "Effect": "Deny",
                            "Principal": {"AWS": "*"},
                            "Action": "sqs:*",
                            "Resource": f"arn:{Aws.PARTITION}:sqs:{Aws.REGION}:{Aws.ACCOUNT_ID}:"
                            f"{Aws.STACK_NAME}-{WORK_LANE_PREFIX}*",
                            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                        }
                    ],
                },
            )
