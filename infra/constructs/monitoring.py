"""CloudWatch alarms to the alerts topic: anything in a dead-letter queue, SLA breaches, lapsed platform
subscriptions."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.lambda_factory import construct_id
from shared.observability import METRICS_NAMESPACE

# Business metrics the functions emit through Powertools (namespace METRICS_NAMESPACE). Powertools adds a `service`
# dimension per function, so the alarms sum over all dimensions with a Metrics Insights query instead of
# naming the emitting function.
BUSINESS_ALARMS = {
    "SLABreached": "A case waited longer than its first-response SLA",
    "SubscriptionLapsed": "A platform webhook subscription lapsed: deliveries from it have stopped",
    "WebhookInvalidEvents": "A webhook delivery held events Heard could not use: replay them from the raw archive",
    "ReplyNeedsAttention": "A reply's send was abandoned mid-way: it may not have reached the customer",
}


class Monitoring(Construct):
    def __init__(
        self, scope: Construct, cid: str, *, dead_letter_queues: Mapping[str, sqs.IQueue], topic: sns.ITopic
    ) -> None:
        super().__init__(scope, cid)
        action = actions.SnsAction(topic)
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        for queue_id, dlq in dead_letter_queues.items():
            alarm = dlq.metric_approximate_number_of_messages_visible(
                period=Duration.minutes(1),
                statistic="Maximum",
            ).create_alarm(
                self,
                f"{construct_id(queue_id)}DlqAlarm",
                alarm_description=f"Messages from the {queue_id} queue failed repeatedly and wait in its DLQ",
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(action)
            self.alarms[f"dlq:{queue_id}"] = alarm
        for metric_name, description in BUSINESS_ALARMS.items():
            alarm = cloudwatch.MathExpression(
                expression=f'SELECT SUM("{metric_name}") FROM "{METRICS_NAMESPACE}"',
                period=Duration.minutes(1),
                label=metric_name,
            ).create_alarm(
                self,
                f"{metric_name}Alarm",
                alarm_description=description,
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(action)
            self.alarms[metric_name] = alarm
