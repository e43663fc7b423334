"""moto's server in-process and every AWS resource of `infra/wiring.py` created in it.

Order matters: `aws_environment()` must be in `os.environ` before any handler (or Powertools) creates a
boto3 client, so that every client, the runner's and the handlers', talks to the embedded server.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from secrets import token_urlsafe
from typing import Any

from infra.wiring import WORK_LANE_PREFIX, WORK_QUEUES, Table, Wiring, environment_for
from shared.models.roles import ROLES
from shared.observability import METRICS_NAMESPACE
from shared.platforms import api_url_settings, local_credentials

log = logging.getLogger("heard.local")

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account
PREFIX = "heard-local"
DEFAULT_PASSWORD = "Heard-demo-2026!"

# Platform credentials for the local stack. Each can be overridden by the same-named environment variable,
# e.g. to point a real Meta test app at a tunnel to your machine.
# The defaults come from each platform's spec (shared/platforms/<name>/spec.py).
# The company-systems secret's key (issue #17): the fake company endpoint checks signatures with the same.
SECRET_DEFAULTS: dict[str, str] = {**local_credentials(), "COMPANY_HMAC_SECRET": "heard-local-company-secret"}

# Queues a function is triggered by are polled here; a shorter visibility timeout than in AWS lets a failed
# message come back within seconds instead of minutes (the handlers run in-process, so they are quick).
LOCAL_TRIGGER_VISIBILITY_SECONDS = 20
_SSM_STANDARD_LIMIT = 4096


def platform_secrets(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The local platform credentials: documented defaults, overridden by same-named env vars."""
    env = os.environ if environ is None else environ
    return {key: env.get(key) or default for key, default in SECRET_DEFAULTS.items()}


def aws_environment(moto_url: str) -> dict[str, str]:
    """What every boto3 client in this process needs to talk to the embedded moto server."""
    return {
        "AWS_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "heard-local",
        "AWS_SECRET_ACCESS_KEY": "heard-local",
        "AWS_SESSION_TOKEN": "heard-local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        # moto does not do account-id based endpoints (and DynamoDB Streams need it off in-process).
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
    }


def function_arn(function_id: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{PREFIX}-{function_id}"


class MotoServer:
    """moto's ThreadedMotoServer on 127.0.0.1, on a free port unless one is given."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: Any = None
        self.url = ""

    def start(self) -> str:
        from moto.server import ThreadedMotoServer  # heavy import: only when the local stack starts

        from infra.local import moto_patches

        if not moto_patches.apply():
            log.warning("moto version not patched: transactions copy whole tables (slow with many cases)")
        # werkzeug logs every request moto serves; the runner's own log says what matters.
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        self._server = ThreadedMotoServer(ip_address=self._host, port=self._port, verbose=False)
        self._server.start()
        host, port = self._server.get_host_and_port()
        self.url = f"http://{host}:{port}"
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None


def s3_backend() -> Any:
    """moto's S3 backend of the local account (the embedded server runs in this process)."""
    from moto.s3.models import s3_backends

    return s3_backends[ACCOUNT_ID]["aws"]


class Clients:
    """boto3 clients bound to the embedded server; created on first use, one per service."""

    def __init__(self, endpoint_url: str) -> None:
        self._endpoint_url = endpoint_url
        self._clients: dict[str, Any] = {}

    def __call__(self, service: str) -> Any:
        if service not in self._clients:
            import boto3

            session: Any = boto3.session.Session()  # Any: the stubs only type literal service names
            self._clients[service] = session.client(
                service,
                endpoint_url=self._endpoint_url,
                region_name=REGION,
                aws_access_key_id="heard-local",
                aws_secret_access_key="heard-local",
            )
        return self._clients[service]


@dataclass
class Provisioned:
    """What was created: names/urls/arns by wiring resource id, sign-in details and the environment."""

    resolve: dict[str, str]
    user_pool_id: str
    client_id: str
    users: dict[str, str]
    password: str
    secrets: dict[str, str]
    environment: dict[str, str] = field(default_factory=dict)


def provision(
    wiring: Wiring,
    clients: Callable[[str], Any],
    *,
    password: str = DEFAULT_PASSWORD,
    secrets: dict[str, str] | None = None,
) -> Provisioned:
    """Create every resource of the wiring in the embedded server and return how to reach them."""
    resolve: dict[str, str] = {}
    secret_values = secrets if secrets is not None else platform_secrets()
    _load_moto_services()
    # Independent services in parallel (botocore loading each client's model and the calls overlap).
    with ThreadPoolExecutor(max_workers=8, thread_name_prefix="heard-provision") as pool:
        jobs = [
            pool.submit(lambda: _tables(wiring, clients("dynamodb"), resolve)),
            pool.submit(lambda: _queues(wiring, clients("sqs"), resolve)),
            pool.submit(lambda: _buckets(wiring, clients("s3"), resolve)),
            pool.submit(lambda: _topics(wiring, clients("sns"), resolve)),
            pool.submit(lambda: _senders(wiring, clients("sesv2"), resolve)),
            pool.submit(lambda: _schedule_groups(wiring, clients("scheduler"), resolve)),
            pool.submit(lambda: _secrets(wiring, clients("secretsmanager"), resolve, secret_values)),
            pool.submit(lambda: _parameters(wiring, clients("ssm"), resolve)),
            pool.submit(lambda: _buses(wiring, clients("events"), resolve)),
        ]
        cognito = pool.submit(lambda: _cognito(clients("cognito-idp"), password))
        for job in jobs:
            job.result()  # re-raises the first failure
        pool_id, client_id, users = cognito.result()
    resolve["user-pool"] = pool_id
    resolve["user-pool-client"] = client_id
    for site in wiring.sites:  # the local stack's front door (the runner sets its real port)
        resolve[site.id] = "http://127.0.0.1:8000/"
    return Provisioned(
        resolve=resolve,
        user_pool_id=pool_id,
        client_id=client_id,
        users=users,
        password=password,
        secrets=secret_values,
    )


def _load_moto_services() -> None:
    # moto's server imports a service's module on its first request; several first requests at once can
    # deadlock on moto's circular imports, so load them here, one after the other.
    from moto.backends import get_backend

    for service in (
        "dynamodb",
        "sqs",
        "s3",
        "sns",
        "ses",
        "sesv2",
        "scheduler",
        "secretsmanager",
        "ssm",
        "cognitoidp",
        "events",
    ):
        get_backend(service)  # type: ignore[call-overload]


def function_environment(
    wiring: Wiring, provisioned: Provisioned, fake_urls: Mapping[str, str]
) -> dict[str, str]:
    """The union of every function's environment (they share one process here), plus local settings."""
    env: dict[str, str] = {}
    for fn in wiring.functions:
        env.update(environment_for(wiring, fn, provisioned.resolve))
    env.update(provisioned.secrets)  # settings read platform credentials from env vars locally
    env.update(
        HEARD_ENV="local",
        POWERTOOLS_SERVICE_NAME="heard-local",
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_METRICS_NAMESPACE=METRICS_NAMESPACE,
    )
    for platform, variable in api_url_settings().items():  # from the platform specs
        if platform in fake_urls:
            env[variable] = fake_urls[platform]
    return env


# ---- one function per kind of resource ----------------------------------------------------------------


def _name(resource_id: str) -> str:
    return f"{PREFIX}-{resource_id}"


def table_request(table: Table, name: str) -> dict[str, Any]:
    """DynamoDB's CreateTable request for a wiring table: keys, indexes and stream as declared."""
    keys = [(table.partition_key, "HASH")] + ([(table.sort_key, "RANGE")] if table.sort_key else [])
    attributes = {name for name, _ in keys}
    indexes = []
    for index in table.indexes:
        attributes |= {index.partition_key, index.sort_key}
        indexes.append(
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        )
    request: dict[str, Any] = {
        "TableName": name,
        "BillingMode": "PAY_PER_REQUEST",
        "KeySchema": [{"AttributeName": key, "KeyType": kind} for key, kind in keys],
        "AttributeDefinitions": [{"AttributeName": a, "AttributeType": "S"} for a in sorted(attributes)],
    }
    if indexes:
        request["GlobalSecondaryIndexes"] = indexes
    if table.stream:
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    return request


def _tables(wiring: Wiring, dynamodb: Any, resolve: dict[str, str]) -> None:
    for table in wiring.tables:
        created = dynamodb.create_table(**table_request(table, _name(table.id)))["TableDescription"]
        if table.stream:
            resolve[f"{table.id}:stream"] = created["LatestStreamArn"]
        if table.ttl_attribute:
            # Stored only: moto never expires items (nor does the local stack need it to).
            dynamodb.update_time_to_live(
                TableName=_name(table.id),
                TimeToLiveSpecification={"Enabled": True, "AttributeName": table.ttl_attribute},
            )
        resolve[table.id] = _name(table.id)


def _queues(wiring: Wiring, sqs: Any, resolve: dict[str, str]) -> None:
    triggered = {fn.queue.queue for fn in wiring.functions if fn.queue}
    for queue in wiring.queues:
        visibility = queue.visibility_timeout_seconds
        if queue.id in triggered:
            visibility = min(visibility, LOCAL_TRIGGER_VISIBILITY_SECONDS)
        attributes = {
            "VisibilityTimeout": str(visibility),
            "MessageRetentionPeriod": str(queue.retention_days * 86400),
        }
        if queue.dlq:
            dlq_url = sqs.create_queue(
                QueueName=_name(f"{queue.id}-dlq"), Attributes={"MessageRetentionPeriod": str(14 * 86400)}
            )["QueueUrl"]
            dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
                "QueueArn"
            ]
            attributes["RedrivePolicy"] = json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": queue.max_receive_count}
            )
            resolve[f"{queue.id}:dlq"] = dlq_url
        url = sqs.create_queue(QueueName=_name(queue.id), Attributes=attributes)["QueueUrl"]
        resolve[queue.id] = url
        resolve[f"{queue.id}:arn"] = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])[
            "Attributes"
        ]["QueueArn"]
        if queue.work_lane:  # every lane's URL starts with this (see HEARD_WORK_QUEUE_URL_PREFIX)
            resolve[WORK_QUEUES] = url[: -len(queue.id)] + WORK_LANE_PREFIX


def _buckets(wiring: Wiring, s3: Any, resolve: dict[str, str]) -> None:
    for bucket in wiring.buckets:
        s3.create_bucket(
            Bucket=_name(bucket.id),
            CreateBucketConfiguration={"LocationConstraint": REGION},
            ObjectLockEnabledForBucket=bool(bucket.lock_days),
        )
        if bucket.versioned:  # as in AWS: erasure and retention must reach the old versions too
            s3.put_bucket_versioning(Bucket=_name(bucket.id), VersioningConfiguration={"Status": "Enabled"})
        if bucket.lock_days:  # write-once, as in AWS (moto refuses deletes of locked versions too)
            s3.put_object_lock_configuration(
                Bucket=_name(bucket.id),
                ObjectLockConfiguration={
                    "ObjectLockEnabled": "Enabled",
                    "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": bucket.lock_days}},
                },
            )
        if (
            bucket.browser_uploads
        ):  # as the CDK's CORS rule: the console posts and reads through presigned links
            rule = {
                "AllowedMethods": ["POST", "GET"],
                "AllowedOrigins": ["*"],
                "AllowedHeaders": ["Content-Type"],
            }
            s3.put_bucket_cors(
                Bucket=_name(bucket.id), CORSConfiguration={"CORSRules": [{**rule, "MaxAgeSeconds": 300}]}
            )
        resolve[bucket.id] = _name(bucket.id)
        if bucket.public_url_env:  # the local stack's front door serves it (LocalStack sets its own URL)
            resolve[f"{bucket.id}:url"] = f"http://127.0.0.1:8000/{bucket.id}/"


def _topics(wiring: Wiring, sns: Any, resolve: dict[str, str]) -> None:
    for topic in wiring.topics:
        resolve[topic.id] = sns.create_topic(Name=_name(topic.id))["TopicArn"]


def _senders(wiring: Wiring, sesv2: Any, resolve: dict[str, str]) -> None:
    """Email and SMS to people go through moto's SES and SNS, which keep what was sent (nothing leaves).
    The sender is a verified identity, as the deployer verifies it in AWS (SES refuses any other)."""
    for sender in wiring.senders:
        if sender.kind == "email":
            sesv2.create_email_identity(EmailIdentity=sender.address)
            resolve[sender.id] = sender.address


def _schedule_groups(wiring: Wiring, scheduler: Any, resolve: dict[str, str]) -> None:
    for group in wiring.schedule_groups:
        scheduler.create_schedule_group(Name=_name(group.id))
        resolve[group.id] = _name(group.id)
        # The ticker fires these schedules itself; the ARNs only have to look like AWS's.
        resolve[f"{group.id}:target"] = function_arn(group.target_function)
        resolve[f"{group.id}:role"] = f"arn:aws:iam::{ACCOUNT_ID}:role/{PREFIX}-scheduler-{group.id}"


def _secrets(wiring: Wiring, secretsmanager: Any, resolve: dict[str, str], values: dict[str, str]) -> None:
    for secret in wiring.secrets:
        # A key Heard generates itself (the link-signing key) is random per local stack, as per deploy.
        value = {secret.generated_key: token_urlsafe(48)} if secret.generated_key else values
        if secret.admin_set:  # an admin sets it through the API (the chat webhook's URL)
            value = {}
        arn = secretsmanager.create_secret(
            Name=_name(secret.id), Description=secret.description, SecretString=json.dumps(value)
        )["ARN"]
        resolve[secret.id] = arn
    for family in wiring.secret_families:
        # Created at run time by the api; locally without a customer key (moto has none to use).
        resolve[family.id] = f"{PREFIX}/{family.prefix}"
        resolve[f"{family.id}:key"] = ""


def _buses(wiring: Wiring, events: Any, resolve: dict[str, str]) -> None:
    for bus in wiring.buses:
        events.create_event_bus(Name=_name(bus.id))
        resolve[bus.id] = _name(bus.id)


def _parameters(wiring: Wiring, ssm: Any, resolve: dict[str, str]) -> None:
    for parameter in wiring.parameters:
        value = parameter.source_file.read_text(encoding="utf-8")
        name = f"/{PREFIX}/{parameter.id}"
        tier = "Standard" if len(value.encode()) <= _SSM_STANDARD_LIMIT else "Advanced"
        ssm.put_parameter(Name=name, Value=value, Type="String", Tier=tier, Overwrite=True)
        resolve[parameter.id] = name


def _cognito(cognito: Any, password: str) -> tuple[str, str, dict[str, str]]:
    pool_id = cognito.create_user_pool(
        PoolName=_name("users"),
        UsernameAttributes=["email"],
        AutoVerifiedAttributes=["email"],
    )["UserPool"]["Id"]
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName=_name("console"),
        GenerateSecret=False,
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
        # moto (like Cognito) only puts readable attributes into the id token.
        ReadAttributes=["email", "email_verified"],
    )["UserPoolClient"]["ClientId"]
    users: dict[str, str] = {}
    for role in ROLES:
        cognito.create_group(UserPoolId=pool_id, GroupName=role, Description=f"Heard {role}s")
        email = f"{role}@heard.local"
        cognito.admin_create_user(
            UserPoolId=pool_id,
            Username=email,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "email_verified", "Value": "true"}],
            MessageAction="SUPPRESS",
        )
        cognito.admin_set_user_password(UserPoolId=pool_id, Username=email, Password=password, Permanent=True)
        cognito.admin_add_user_to_group(UserPoolId=pool_id, Username=email, GroupName=role)
        users[role] = email
    return pool_id, client_id, users
