"""CloudWatch alarms to the alerts topic: anything in a dead-letter queue (queues' and failed asynchronous
invocations'), any function error, SLA breaches, lapsed platform subscriptions (and a subscription check
that stopped reporting: missing data is breaching)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aws_cdk import Duration
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.lambda_factory import construct_id
from shared.observability import METRICS_NAMESPACE


# Business metrics the functions emit through Powertools (namespace METRICS_NAMESPACE). Powertools adds a `service`
# dimension per function, so the alarms sum over all dimensions with a Metrics Insights query instead of
# naming the emitting function.
@dataclass(frozen=True)
class BusinessAlarm:
    description: str
    period: Duration
    evaluation_periods: int
    missing: cloudwatch.TreatMissingData


BUSINESS_ALARMS = {
    # Emitted only when a case breaches: no data is the normal, quiet state.
    "SLABreached": BusinessAlarm(
        "A case waited longer than its first-response SLA",
        Duration.minutes(1),
        1,
        cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
    # Emitted by every hourly check (0 when all is well): two hours without a value means the check
    # itself stopped, which must not look like "all subscriptions fine".
    "SubscriptionLapsed": BusinessAlarm(
        "A platform webhook subscription lapsed (deliveries from it have stopped), or the hourly check "
        "stopped reporting",
        Duration.hours(1),
        2,
        cloudwatch.TreatMissingData.BREACHING,
    ),
    # Emitted only when a delivery held unusable events: no data is the normal, quiet state.
    "WebhookInvalidEvents": BusinessAlarm(
        "A webhook delivery held events Heard could not use: replay them from the raw archive",
        Duration.minutes(1),
        1,
        cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
    "ReplyNeedsAttention": BusinessAlarm(
        "A reply's send was abandoned mid-way: it may not have reached the customer",
        Duration.minutes(1),
        1,
        cloudwatch.TreatMissingData.NOT_BREACHING,
    ),
}


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        cid: str,
        *,
        dead_letter_queues: Mapping[str, sqs.IQueue],
        topic: sns.ITopic,
        functions: Mapping[str, lambda_.IFunction],
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
        for function_id, function in functions.items():
            alarm = function.metric_errors(period=Duration.minutes(1), statistic="Sum").create_alarm(
                self,
                f"{construct_id(function_id)}ErrorsAlarm",
                alarm_description=f"The {function_id} function failed (see its log group)",
                threshold=1,
                evaluation_periods=1,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            )
            alarm.add_alarm_action(action)
            self.alarms[f"errors:{function_id}"] = alarm
        for metric_name, spec in BUSINESS_ALARMS.items():
            alarm = cloudwatch.MathExpression(
                expression=f'SELECT SUM("{metric_name}") FROM "{METRICS_NAMESPACE}"',
                period=spec.period,
                label=metric_name,
            ).create_alarm(
                self,
                f"{metric_name}Alarm",
                alarm_description=spec.description,
                threshold=1,
                evaluation_periods=spec.evaluation_periods,
                comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
                treat_missing_data=spec.missing,
            )
            alarm.add_alarm_action(action)
            self.alarms[metric_name] = alarm
