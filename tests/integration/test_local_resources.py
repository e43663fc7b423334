"""What the local stack creates from the wiring (under moto in-process), what each function is told, and
the demo feed's posts parsed by the real platform adapters."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import boto3
import pytest

from infra.local.demo import POSTS, delivery, sign_meta, sign_x
from infra.local.resources import SECRET_DEFAULTS, function_environment, platform_secrets
from infra.local.topology import describe
from infra.wiring import environment_for, heard

REGION = "eu-west-1"


def test_tables_have_the_wirings_keys_indexes_and_ttl(aws):
    dynamodb = boto3.client("dynamodb", region_name=REGION)
    for table in heard().tables:
        described = dynamodb.describe_table(TableName=aws.resolve[table.id])["Table"]
        assert described["KeySchema"][0] == {"AttributeName": table.partition_key, "KeyType": "HASH"}
        indexes = {i["IndexName"]: i for i in described.get("GlobalSecondaryIndexes", [])}
        assert set(indexes) == {i.name for i in table.indexes}
        assert all(i["Projection"]["ProjectionType"] == "ALL" for i in indexes.values())
        ttl = dynamodb.describe_time_to_live(TableName=aws.resolve[table.id])["TimeToLiveDescription"]
        assert ttl.get("AttributeName") == table.ttl_attribute


def test_queues_with_a_dlq_redrive_after_the_wirings_receive_count(aws):
    sqs = boto3.client("sqs", region_name=REGION)
    for queue in heard().queues:
        attributes = sqs.get_queue_attributes(QueueUrl=aws.resolve[queue.id], AttributeNames=["All"])[
            "Attributes"
        ]
        if queue.dlq:
            policy = json.loads(attributes["RedrivePolicy"])
            assert policy["maxReceiveCount"] == queue.max_receive_count
            dlq_arn = sqs.get_queue_attributes(
                QueueUrl=aws.resolve[f"{queue.id}:dlq"], AttributeNames=["QueueArn"]
            )["Attributes"]["QueueArn"]
            assert policy["deadLetterTargetArn"] == dlq_arn
        else:
            assert "RedrivePolicy" not in attributes


def test_the_secret_holds_every_platform_credential(aws):
    secret = boto3.client("secretsmanager", region_name=REGION).get_secret_value(
        SecretId=aws.resolve["platform-credentials"]
    )
    assert json.loads(secret["SecretString"]) == platform_secrets()


def test_platform_secrets_default_and_can_be_overridden():
    assert platform_secrets({}) == SECRET_DEFAULTS
    assert platform_secrets({"META_APP_SECRET": "mine"})["META_APP_SECRET"] == "mine"
    assert platform_secrets({})["X_ACCOUNT_ID"] == "1000000000000000001"


def test_the_config_parameter_is_the_config_file(aws):
    value = boto3.client("ssm", region_name=REGION).get_parameter(Name=aws.resolve["config"])["Parameter"][
        "Value"
    ]
    assert json.loads(value) == json.loads(heard().parameters[0].source_file.read_text())


def test_one_user_per_role_signs_in_with_the_password_and_has_its_group(aws):
    cognito = boto3.client("cognito-idp", region_name=REGION)
    assert aws.users == {
        r: f"{r}@heard.local" for r in ("agent", "trainee", "reviewer", "supervisor", "admin", "auditor")
    }
    for role, email in aws.users.items():
        result = cognito.initiate_auth(
            ClientId=aws.client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": aws.password},
        )
        import jwt

        claims = jwt.decode(result["AuthenticationResult"]["IdToken"], options={"verify_signature": False})
        assert claims["cognito:groups"] == [role]
        assert claims["email"] == email
        assert claims["token_use"] == "id"


def test_every_function_gets_its_own_resources_and_the_local_settings(aws):
    env = function_environment(
        heard(),
        aws,
        {"meta": "http://127.0.0.1:1/meta", "x": "http://127.0.0.1:1/x", "telegram": "http://127.0.0.1:1/tg"},
    )
    for function in heard().functions:
        assert environment_for(heard(), function, aws.resolve).items() <= env.items()
    assert env["HEARD_ENV"] == "local"
    assert env["META_GRAPH_URL"] == "http://127.0.0.1:1/meta"
    assert env["HEARD_FOLLOWUP_TARGET_ARN"].endswith(":function:heard-local-followups")
    assert env["HEARD_WORK_TEAMS"].split(",") == list(heard().teams)
    assert aws.resolve[heard().work_queues[0].id].startswith(env["HEARD_WORK_QUEUE_URL_PREFIX"])


def test_topology_is_what_the_wiring_describes():
    topology = describe()
    functions = heard().functions
    assert topology["routes"] == sorted((r.method, r.path, f.id) for f in functions for r in f.routes)
    assert topology["queues"] == sorted((f.queue.queue, f.id) for f in functions if f.queue)
    assert topology["schedules"] == sorted((s.expression, f.id) for f in functions for s in f.schedules)
    # the backbone's own triggers are among them
    assert ("POST", "/webhooks/{platform}", "webhook") in topology["routes"]
    assert ("ANY", "/api/{proxy+}", "api") in topology["routes"]
    assert ("ingest", "triage") in topology["queues"]
    assert ("rate(1 minute)", "sla") in topology["schedules"]


@pytest.mark.parametrize("number", range(len(POSTS)))
def test_every_demo_post_is_a_signed_delivery_the_platform_adapter_accepts(number):
    from shared.platforms.credentials import PlatformCredentials
    from shared.platforms.meta.inbound import MetaAdapter
    from shared.platforms.x.inbound import XAdapter

    post = POSTS[number]
    platform, payload = delivery(post, unique=f"0000{number:04d}")
    body = json.dumps(payload).encode()
    now = datetime.now(UTC)
    creds = PlatformCredentials.model_validate(SECRET_DEFAULTS)
    adapter = XAdapter() if platform == "x" else MetaAdapter()
    header = (
        {"x-twitter-webhooks-signature": sign_x(body, SECRET_DEFAULTS["X_CONSUMER_SECRET"])}
        if platform == "x"
        else {"X-Hub-Signature-256": sign_meta(body, SECRET_DEFAULTS["META_APP_SECRET"])}
    )
    adapter.verify(header, body, creds, now)  # raises when the signature is wrong
    parsed = adapter.parse(body, received_at=now, archive_key=None)
    assert [i.text for i in parsed.interactions] == [post.text]
    assert parsed.interactions[0].kind.value == "message"
