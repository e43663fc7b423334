"""SQS queues from the wiring (each with its dead-letter queue unless the wiring says otherwise) and the
SNS topics."""

from __future__ import annotations

from aws_cdk import Acknowledgment, Duration, Validations
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.lambda_factory import construct_id
from infra.wiring import Wiring


class Messaging(Construct):
    def __init__(self, scope: Construct, cid: str, *, wiring: Wiring, key: kms.IKey) -> None:
        super().__init__(scope, cid)
        self.queues: dict[str, sqs.Queue] = {}
        self.dead_letter_queues: dict[str, sqs.Queue] = {}
        for spec in wiring.queues:
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
                    retention_period=Duration.days(14),
                )
                self.dead_letter_queues[spec.id] = dlq
                dead_letter = sqs.DeadLetterQueue(queue=dlq, max_receive_count=spec.max_receive_count)
            queue = sqs.Queue(
                self,
                f"{name}Queue",
                encryption=sqs.QueueEncryption.KMS,
                encryption_master_key=key,
                data_key_reuse=Duration.hours(1),  # fewer KMS calls at peak
                enforce_ssl=True,
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
            self.queues[spec.id] = queue

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
