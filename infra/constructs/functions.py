"""Every function of the wiring, its triggers (queues, schedules), its scheduler groups and exactly the
permissions its `uses` declare. Routes are wired by `infra/constructs/api.py`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from aws_cdk import (
    Acknowledgment,
    Arn,
    ArnComponents,
    ArnFormat,
    Aws,
    CfnElement,
    CfnResource,
    Duration,
    Stack,
    Token,
    Validations,
)
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_lambda_destinations as destinations
from aws_cdk import aws_lambda_event_sources as sources
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_scheduler as scheduler
from aws_cdk import aws_secretsmanager as secretsmanager
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import aws_ssm as ssm
from constructs import Construct

from infra.lambda_factory import construct_id, make_function
from infra.wiring import (
    USER_POOL_ACTIONS,
    WORK_LANE_PREFIX,
    WORK_QUEUES,
    Access,
    Function,
    SecretFamily,
    Sender,
    Use,
    Wiring,
    environment_for,
)
from infra.wiring import ScheduleGroup as ScheduleGroupSpec

T = TypeVar("T")
SCHEDULE_ACTIONS = ["scheduler:CreateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule"]
MIN_VISIBILITY_FACTOR = 6  # AWS guidance: queue visibility >= 6x the consumer's timeout


def nag_partition(stack: Stack) -> str:
    """The partition as cdk-nag prints it in finding ids: a literal when CDK knows it, else the token name."""
    return "<AWS::Partition>" if Token.is_unresolved(stack.partition) else stack.partition


@dataclass(frozen=True)
class Resources:
    """The deployed resources by wiring id (built by the storage, messaging and config constructs)."""

    key: kms.IKey
    tables: dict[str, dynamodb.Table]
    queues: dict[str, sqs.Queue]
    buckets: dict[str, s3.Bucket]
    topics: dict[str, sns.Topic]
    secrets: dict[str, secretsmanager.Secret]
    parameters: dict[str, ssm.StringParameter]
    site_urls: dict[str, str] = field(default_factory=dict)  # public buckets' base URLs
    user_pools: Mapping[str, cognito.IUserPool] = field(default_factory=dict)
    sites: dict[str, str] = field(default_factory=dict)  # public addresses by wiring id (the console)
    buses: Mapping[str, events.IEventBus] = field(default_factory=dict)


class Functions(Construct):
    def __init__(
        self, scope: Construct, cid: str, *, wiring: Wiring, code: lambda_.Code, resources: Resources
    ) -> None:
        super().__init__(scope, cid)
        self.wiring = wiring
        self.resources = resources
        self.functions: dict[str, lambda_.Function] = {
            f.id: make_function(self, f, code) for f in wiring.functions
        }
        for function in self.functions.values():
            Validations.of(function).acknowledge(
                Acknowledgment(
                    id="AwsSolutions-L1",
                    reason="Pinned to Python 3.12, the version the bundled wheels are built for and the test suite "
                    "runs on; bumped together in infra/lambda_factory.py.",
                )
            )
            self._acknowledge(
                function,
                "Resource::*",
                "X-Ray PutTraceSegments/PutTelemetryRecords support no resource scoping.",
            )

        self.schedule_groups: dict[str, scheduler.ScheduleGroup] = {}
        self.schedule_group_names: dict[str, str] = {}  # the names CloudFormation gives them (Ref)
        self.scheduler_roles: dict[str, iam.Role] = {}
        for group_spec in wiring.schedule_groups:
            self._schedule_group(group_spec)

        self.failure_queues = self._failure_destinations(wiring)

        resolve = self._resolve()
        for spec in wiring.functions:
            function = self.functions[spec.id]
            for name, value in environment_for(wiring, spec, resolve).items():
                function.add_environment(name, value)
            for use in spec.uses:
                self._grant(function, spec, use)
            self._triggers(function, spec)
            self._acknowledge_kms_wildcards(function)

    def _schedule_group(self, group_spec: ScheduleGroupSpec) -> None:
        """A group for one-time schedules and the role EventBridge Scheduler assumes to invoke its target."""
        target = self.functions[group_spec.target_function]
        group = scheduler.ScheduleGroup(self, f"{construct_id(group_spec.id)}ScheduleGroup")
        # No fixed physical name (CDK would generate one from the construct path): CloudFormation
        # names the group, so two Heard stacks can live in one account and region.
        group_resource = group.node.default_child
        assert isinstance(group_resource, CfnResource)
        group_resource.add_property_deletion_override("Name")
        self.schedule_group_names[group_spec.id] = group_resource.ref
        role = iam.Role(
            self,
            f"{construct_id(group_spec.id)}SchedulerRole",
            description=f"Assumed by EventBridge Scheduler to invoke {group_spec.target_function} for {group_spec.id}",
            assumed_by=iam.ServicePrincipal(
                "scheduler.amazonaws.com",
                conditions={"StringEquals": {"aws:SourceAccount": Stack.of(self).account}},
            ),
        )
        role.add_to_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=[target.function_arn])
        )
        self.schedule_groups[group_spec.id] = group
        self.scheduler_roles[group_spec.id] = role

    # ---- names, URLs and ARNs the functions receive ----------------------------------------------------

    def _resolve(self) -> dict[str, str]:
        r = self.resources
        resolve: dict[str, str] = {}
        resolve.update({k: t.table_name for k, t in r.tables.items()})
        resolve.update({k: q.queue_url for k, q in r.queues.items()})
        stack = Stack.of(self)
        # Every lane's URL: https://sqs.<region>.<suffix>/<account>/<stack>-work-<team>-p<priority>
        resolve[WORK_QUEUES] = (
            f"https://sqs.{stack.region}.{stack.url_suffix}/{stack.account}/{Aws.STACK_NAME}-{WORK_LANE_PREFIX}"
        )
        resolve.update({k: b.bucket_name for k, b in r.buckets.items()})
        resolve.update({f"{k}:url": url for k, url in r.site_urls.items()})
        resolve.update({k: t.topic_arn for k, t in r.topics.items()})
        resolve.update({k: s.secret_arn for k, s in r.secrets.items()})
        resolve.update({k: p.parameter_name for k, p in r.parameters.items()})
        for family in self.wiring.secret_families:
            resolve[family.id] = f"{Aws.STACK_NAME}/{family.prefix}"
            resolve[f"{family.id}:key"] = r.key.key_arn
        resolve.update(
            {sd.id: self.notify_email_address(sd) for sd in self.wiring.senders if sd.kind == "email"}
        )
        resolve.update({k: pool.user_pool_id for k, pool in r.user_pools.items()})
        resolve.update(r.sites)
        resolve.update({k: bus.event_bus_name for k, bus in r.buses.items()})
        for spec in self.wiring.schedule_groups:
            resolve[spec.id] = self.schedule_group_names[spec.id]
            resolve[f"{spec.id}:target"] = self.functions[spec.target_function].function_arn
            resolve[f"{spec.id}:role"] = self.scheduler_roles[spec.id].role_arn
        return resolve

    # ---- least privilege, one `Use` at a time ----------------------------------------------------------

    def _grant_parameter(
        self, function: lambda_.Function, spec: Function, use: Use, parameter: ssm.StringParameter
    ) -> None:
        self._require(
            spec, use, {Access.READ: parameter.grant_read, Access.READ_WRITE: parameter.grant_read}
        )(function)
        if use.access is Access.READ_WRITE:
            parameter.grant_write(function)  # ssm:PutParameter: the api edits the configuration

    def _grant(self, function: lambda_.Function, spec: Function, use: Use) -> None:
        r = self.resources
        if use.resource in r.tables:
            table = r.tables[use.resource]
            table_grants: dict[Access, Callable[[iam.IGrantable], iam.Grant]] = {
                Access.READ: table.grant_read_data,
                Access.WRITE: table.grant_write_data,
                Access.READ_WRITE: table.grant_read_write_data,
            }
            self._require(spec, use, table_grants)(function)
            if any(t.indexes for t in self.wiring.tables if t.id == use.resource):
                self._acknowledge(
                    function,
                    f"Resource::<{self._logical_id(table)}.Arn>/index/*",
                    "Queries use this table's GSIs; the grant covers its indexes only.",
                )
        elif use.resource == WORK_QUEUES:
            self._grant_work_lanes(function, spec, use)
        elif use.resource in r.queues:
            queue = r.queues[use.resource]
            queue_grants: dict[Access, Callable[[iam.IGrantable], iam.Grant]] = {
                Access.SEND: queue.grant_send_messages,
                Access.CONSUME: queue.grant_consume_messages,
            }
            self._require(spec, use, queue_grants)(function)
        elif use.resource in r.buckets:
            self._grant_bucket(function, spec, use, r.buckets[use.resource])
        elif use.resource in r.topics:
            self._require(spec, use, {Access.PUBLISH: r.topics[use.resource].grant_publish})(function)
        elif use.resource in r.buses:
            self._require(spec, use, {Access.PUBLISH: r.buses[use.resource].grant_put_events_to})(function)
        elif use.resource in r.secrets:
            self._grant_secret(function, spec, use, r.secrets[use.resource])
        elif use.resource in r.parameters:
            self._grant_parameter(function, spec, use, r.parameters[use.resource])
        elif use.resource in r.sites:
            self._require(spec, use, {Access.READ: use.resource})  # an address only: nothing to grant
        elif use.resource in r.user_pools:
            self._require(spec, use, {Access.MANAGE_USERS: r.user_pools[use.resource]})
            r.user_pools[use.resource].grant(function, *USER_POOL_ACTIONS)  # this pool only
        else:
            self._grant_other(function, spec, use)

    def _grant_secret(
        self, function: lambda_.Function, spec: Function, use: Use, secret: secretsmanager.Secret
    ) -> None:
        """Read it; READ_WRITE also puts a new value (the chat webhook's URL an admin sets, #17), nothing
        else: no rotation, policy or deletion rights (CDK's `grant_write` would add UpdateSecret too)."""
        self._require(spec, use, {Access.READ: None, Access.READ_WRITE: None})
        secret.grant_read(function)
        if use.access is Access.READ_WRITE:
            function.add_to_role_policy(
                iam.PolicyStatement(actions=["secretsmanager:PutSecretValue"], resources=[secret.secret_arn])
            )
            self.resources.key.grant(function, "kms:GenerateDataKey")

    def _grant_other(self, function: lambda_.Function, spec: Function, use: Use) -> None:
        """Senders, services without resource-level permissions, and schedule groups."""
        if sender := next((sd for sd in self.wiring.senders if sd.id == use.resource), None):
            self._require(spec, use, {Access.SEND: sender.id})
            self._grant_sender(function, sender)
        elif service := next((sv for sv in self.wiring.services if sv.id == use.resource), None):
            self._require(spec, use, {Access.READ: service.id})
            resources = list(service.resources)
            function.add_to_role_policy(
                iam.PolicyStatement(actions=list(service.actions), resources=resources)
            )
            for resource in (r for r in resources if "*" in r):  # "*", or a wildcard within an ARN
                self._acknowledge(function, f"Resource::{resource}", service.reason)
        elif use.resource in self.schedule_groups:
            self._grant_schedules(function, self._require(spec, use, {Access.SCHEDULE: use.resource}))
        elif family := next((f for f in self.wiring.secret_families if f.id == use.resource), None):
            self._grant_secret_family(function, spec, use, family)
        else:
            raise ValueError(f"function {spec.id} uses unknown resource {use.resource!r}")

    def notify_email_address(self, sender: Sender) -> str:
        """The SES identity notifications come from: the deployer's `notifyFromEmail`, else the default."""
        given = self.node.try_get_context("notifyFromEmail")
        return str(given) if given else sender.address

    def _grant_sender(self, function: lambda_.Function, sender: Sender) -> None:
        if sender.kind == "email":
            # ses:SendEmail from one identity only: the address, or its verified domain.
            address = self.notify_email_address(sender)
            identities = [
                Stack.of(self).format_arn(service="ses", resource="identity", resource_name=name)
                for name in (address, address.split("@", 1)[1])
            ]
            function.add_to_role_policy(iam.PolicyStatement(actions=["ses:SendEmail"], resources=identities))
            return
        # SMS goes to phone numbers, which have no ARN: allow publishing to anything that is not an SNS
        # resource (topics, endpoints), so this grant cannot publish to any topic.
        function.add_to_role_policy(
            iam.PolicyStatement(actions=["sns:Publish"], not_resources=["arn:*:sns:*:*:*"])
        )

    def _grant_bucket(self, function: lambda_.Function, spec: Function, use: Use, bucket: s3.Bucket) -> None:
        # Explicit object actions: CDK's bucket grants add wildcards (s3:PutObject*, s3:DeleteObject*) that
        # a function writing reports or archives does not need.
        actions = {
            Access.READ: ["s3:GetObject"],
            Access.WRITE: ["s3:PutObject"],
            Access.READ_WRITE: ["s3:GetObject", "s3:PutObject"],
            Access.ERASE: ["s3:DeleteObject", "s3:DeleteObjectVersion"],
            Access.REWRITE: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        }
        self._require(spec, use, actions)
        function.add_to_role_policy(
            iam.PolicyStatement(actions=actions[use.access], resources=[bucket.arn_for_objects("*")])
        )
        if use.access is Access.ERASE:  # finding an object's versions lists the bucket's versions
            function.add_to_role_policy(
                iam.PolicyStatement(actions=["s3:ListBucketVersions"], resources=[bucket.bucket_arn])
            )
            self._acknowledge(
                function,
                f"Resource::<{self._logical_id(bucket)}.Arn>/*",
                "Deletes raw deliveries named at run time (erasure on request); no read access.",
            )
            return
        listed = any(b.listed for b in self.wiring.buckets if b.id == use.resource)
        if listed and use.access is not Access.WRITE:  # readers find a day's files by listing its prefix
            function.add_to_role_policy(
                iam.PolicyStatement(actions=["s3:ListBucket"], resources=[bucket.bucket_arn])
            )
        key_actions = {
            Access.READ: ["kms:Decrypt"],
            Access.WRITE: ["kms:GenerateDataKey"],
            Access.READ_WRITE: ["kms:Decrypt", "kms:GenerateDataKey"],
            Access.REWRITE: ["kms:Decrypt", "kms:GenerateDataKey"],
        }
        self.resources.key.grant(function, *key_actions[use.access])
        self._acknowledge(
            function,
            f"Resource::<{self._logical_id(bucket)}.Arn>/*",
            "Object-level actions on this one bucket; object keys are generated at run time.",
        )

    def _grant_work_lanes(self, function: lambda_.Function, spec: Function, use: Use) -> None:
        """One statement for every team's lanes, by name prefix: the policy does not grow with the teams."""
        actions = {
            Access.SEND: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
            Access.CONSUME: [
                "sqs:ReceiveMessage",
                "sqs:ChangeMessageVisibility",
                "sqs:GetQueueUrl",
                "sqs:DeleteMessage",
                "sqs:GetQueueAttributes",
            ],
        }
        stack = Stack.of(self)
        lanes = Arn.format(
            ArnComponents(
                service="sqs",
                resource=f"{Aws.STACK_NAME}-{WORK_LANE_PREFIX}*",
                arn_format=ArnFormat.NO_RESOURCE_NAME,
            ),
            stack,
        )
        function.add_to_role_policy(
            iam.PolicyStatement(actions=self._require(spec, use, actions), resources=[lanes])
        )
        key_actions = {
            Access.SEND: ["kms:GenerateDataKey", "kms:Decrypt"],  # SQS with a KMS key: both to send
            Access.CONSUME: ["kms:Decrypt"],
        }
        self.resources.key.grant(function, *key_actions[use.access])
        self._acknowledge(
            function,
            f"Resource::arn:{nag_partition(stack)}:sqs:{stack.region}:{stack.account}:<AWS::StackName>-{WORK_LANE_PREFIX}*",
            "Every team's work lanes, by their name prefix: teams are configuration, one statement covers them all.",
        )

    def _grant_secret_family(
        self, function: lambda_.Function, spec: Function, use: Use, family: SecretFamily
    ) -> None:
        """Secrets made at run time (one per connected account), by name prefix: adding one needs no deploy."""
        read = ["secretsmanager:GetSecretValue"]
        write = [
            "secretsmanager:CreateSecret",
            "secretsmanager:PutSecretValue",
            "secretsmanager:DeleteSecret",
        ]
        actions = self._require(spec, use, {Access.READ: read, Access.READ_WRITE: read + write})
        stack = Stack.of(self)
        secrets = Arn.format(
            ArnComponents(
                service="secretsmanager",
                resource="secret",
                resource_name=f"{Aws.STACK_NAME}/{family.prefix}*",
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            ),
            stack,
        )
        function.add_to_role_policy(iam.PolicyStatement(actions=actions, resources=[secrets]))
        key_actions = ["kms:Decrypt"] if use.access is Access.READ else ["kms:Decrypt", "kms:GenerateDataKey"]
        self.resources.key.grant(function, *key_actions)
        self._acknowledge(
            function,
            f"Resource::arn:{nag_partition(stack)}:secretsmanager:{stack.region}:{stack.account}:secret:<AWS::StackName>/{family.prefix}*",
            "Each connected account's secret, by name prefix: admins add accounts at run time.",
        )

    def _grant_schedules(self, function: lambda_.Function, group_id: str) -> None:
        group = self.schedule_groups[group_id]
        schedules = Arn.format(
            ArnComponents(
                service="scheduler",
                resource="schedule",
                resource_name=f"{self.schedule_group_names[group_id]}/*",
            ),
            Stack.of(self),
        )
        function.add_to_role_policy(iam.PolicyStatement(actions=SCHEDULE_ACTIONS, resources=[schedules]))
        function.add_to_role_policy(
            iam.PolicyStatement(
                actions=["iam:PassRole"],
                resources=[self.scheduler_roles[group_id].role_arn],
                conditions={"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
            )
        )
        stack = Stack.of(self)
        name = self.schedule_group_names[group_id]
        shown = name if not Token.is_unresolved(name) else f"<{self._logical_id(group)}>"
        self._acknowledge(
            function,
            f"Resource::arn:{nag_partition(stack)}:scheduler:{stack.region}:{stack.account}:"
            f"schedule/{shown}/*",
            "One-time follow-up schedules are named per case at run time; scoped to this group.",
        )

    def _failure_destinations(self, wiring: Wiring) -> dict[str, sqs.Queue]:
        """Functions invoked asynchronously (rules, one-time schedules): a failed invocation, after Lambda's
        retries, lands in the function's failure queue (alarmed), never nowhere."""
        targets_of_groups = {g.target_function for g in wiring.schedule_groups}
        return {
            f"{spec.id}-invocations": self._failure_destination(spec)
            for spec in wiring.functions
            if spec.schedules or spec.stream or spec.rules or spec.id in targets_of_groups
        }

    def _failure_destination(self, spec: Function) -> sqs.Queue:
        function = self.functions[spec.id]
        queue = sqs.Queue(
            self,
            f"{construct_id(spec.id)}FailedInvocations",
            encryption=sqs.QueueEncryption.KMS,
            encryption_master_key=self.resources.key,
            enforce_ssl=True,
            retention_period=Duration.days(14),
        )
        Validations.of(queue).acknowledge(
            Acknowledgment(
                id="AwsSolutions-SQS3",
                reason="This queue is itself the failure destination (dead letters) of the function's "
                "asynchronous invocations.",
            )
        )
        function.configure_async_invoke(
            on_failure=destinations.SqsDestination(queue),
            retry_attempts=2,
            max_event_age=Duration.hours(6),
        )
        return queue

    # ---- triggers --------------------------------------------------------------------------------------

    def _triggers(self, function: lambda_.Function, spec: Function) -> None:
        if spec.queue:
            queue_spec = self.wiring.queue(spec.queue.queue)
            if queue_spec.visibility_timeout_seconds < MIN_VISIBILITY_FACTOR * spec.timeout_seconds:
                raise ValueError(
                    f"queue {queue_spec.id}: visibility {queue_spec.visibility_timeout_seconds}s is "
                    f"under {MIN_VISIBILITY_FACTOR}x the {spec.id} timeout ({spec.timeout_seconds}s)"
                )
            window = spec.queue.max_batching_window_seconds
            function.add_event_source(
                sources.SqsEventSource(
                    self.resources.queues[queue_spec.id],
                    batch_size=spec.queue.batch_size,
                    max_batching_window=Duration.seconds(window) if window else None,
                    report_batch_item_failures=True,  # handlers use Powertools' BatchProcessor partial responses
                )
            )
        if spec.stream:
            self._stream(function, spec)
        self._rules(function, spec)
        for schedule in spec.schedules:
            events.Rule(
                self,
                f"{construct_id(schedule.id)}Rule",
                description=f"Heard: {schedule.description}",
                schedule=events.Schedule.expression(schedule.expression),
                targets=[
                    targets.LambdaFunction(
                        function,
                        event=(
                            events.RuleTargetInput.from_object(
                                {"schedule": schedule.id, "input": schedule.input}
                            )
                            if schedule.input
                            else None
                        ),
                        retry_attempts=2,
                        max_event_age=Duration.hours(1),
                        # When EventBridge itself cannot invoke the function (throttled, deleted, denied).
                        dead_letter_queue=self.failure_queues[f"{spec.id}-invocations"],
                    )
                ],
            )

    def _rules(self, function: lambda_.Function, spec: Function) -> None:
        """Rules on Heard's buses (#17): each matching event invokes the function; EventBridge retries a
        failed invocation and keeps what still fails in the function's failure queue."""
        for rule_spec in spec.rules:
            rule = events.Rule(
                self,
                f"{construct_id(rule_spec.id)}Rule",
                description=f"Heard: {rule_spec.description}",
                event_bus=self.resources.buses[rule_spec.bus],
                # Replaced below: CDK's EventPattern cannot say `$or`, EventBridge can.
                event_pattern=events.EventPattern(source=rule_spec.event_pattern["source"]),
                targets=[
                    targets.LambdaFunction(
                        function,
                        retry_attempts=rule_spec.retry_attempts,
                        max_event_age=Duration.hours(rule_spec.max_event_age_hours),
                        dead_letter_queue=self.failure_queues[f"{spec.id}-invocations"],
                    )
                ],
            )
            cfn_rule = rule.node.default_child
            assert isinstance(cfn_rule, events.CfnRule)
            cfn_rule.add_property_override("EventPattern", rule_spec.event_pattern)

    def _stream(self, function: lambda_.Function, spec: Function) -> None:
        """The table's stream, in order per shard; a failing batch is halved until the bad record is alone,
        and what still fails after the retries is recorded in the function's failure queue."""
        assert spec.stream
        trigger = spec.stream
        table = self.resources.tables[trigger.table]
        window = trigger.max_batching_window_seconds
        function.add_event_source(
            sources.DynamoEventSource(
                table,
                starting_position=lambda_.StartingPosition.TRIM_HORIZON,
                batch_size=trigger.batch_size,
                max_batching_window=Duration.seconds(window) if window else None,
                bisect_batch_on_error=True,
                retry_attempts=trigger.retry_attempts,
                report_batch_item_failures=trigger.report_failures,
                on_failure=sources.SqsDlq(self.failure_queues[f"{spec.id}-invocations"]),
            )
        )
        self._acknowledge(
            function,
            "Resource::*",
            "dynamodb:ListStreams has no resource-level permissions (added by CDK's DynamoEventSource).",
        )

    # ---- helpers ---------------------------------------------------------------------------------------

    @staticmethod
    def _require(spec: Function, use: Use, supported: Mapping[Access, T]) -> T:
        """What to do for this access; a clear synth error for an access the resource does not support."""
        if use.access not in supported:
            raise ValueError(f"function {spec.id}: {use.access} is not a valid access to {use.resource!r}")
        return supported[use.access]

    def _logical_id(self, construct: Construct) -> str:
        cfn = construct.node.default_child
        assert isinstance(cfn, CfnElement)
        return Stack.of(self).resolve(Stack.of(self).get_logical_id(cfn))

    @staticmethod
    def _acknowledge(function: lambda_.Function, finding: str, reason: str) -> None:
        assert function.role is not None  # the factory always gives each function its own role
        Validations.of(function.role).acknowledge(
            Acknowledgment(id=f"AwsSolutions-IAM5[{finding}]", reason=reason)
        )

    def _acknowledge_kms_wildcards(self, function: lambda_.Function) -> None:
        """CDK's grants on KMS-encrypted tables, queues, topics and secrets add `kms:ReEncrypt*` and
        `kms:GenerateDataKey*` on the one data key; acknowledge exactly those present in this role."""
        assert function.role is not None
        policy = function.role.node.try_find_child("DefaultPolicy")
        if not isinstance(policy, iam.Policy):
            return
        document = Stack.of(self).resolve(policy.document.to_json())
        actions: set[str] = set()
        for statement in document.get("Statement", []):
            found = statement.get("Action", [])
            actions.update([found] if isinstance(found, str) else found)
        for action in sorted(a for a in actions if a.startswith("kms:") and a.endswith("*")):
            self._acknowledge(
                function,
                f"Action::{action}",
                "Added by CDK's grants for data encrypted with Heard's customer-managed key; "
                "limited to that one key.",
            )
