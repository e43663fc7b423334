"""The role checker's own evaluator: what IAM checks for each boto3 call, and how a policy decides."""

from __future__ import annotations

from infra.iam_check import Account, CallChecker, Policy, Request, as_function, requests_for

ACC = Account(
    region="eu-west-1", account="123456789012", data_key_arn="arn:aws:kms:eu-west-1:123456789012:key/k"
)
TABLE = "arn:aws:dynamodb:eu-west-1:123456789012:table/cases"


def policy(*statements: dict) -> Policy:
    return Policy.from_documents([{"Statement": list(statements)}])


def test_transactions_are_checked_per_item_as_put_update_delete_and_condition_check() -> None:
    found = requests_for(
        ACC,
        "dynamodb",
        "TransactWriteItems",
        {
            "TransactItems": [
                {"Put": {"TableName": "cases", "Item": {}}},
                {"Update": {"TableName": "other", "Key": {}}},
                {"ConditionCheck": {"TableName": "cases", "Key": {}}},
            ]
        },
    )
    assert [(r.action, r.resource) for r in found] == [
        ("dynamodb:PutItem", TABLE),
        ("dynamodb:UpdateItem", "arn:aws:dynamodb:eu-west-1:123456789012:table/other"),
        ("dynamodb:ConditionCheckItem", TABLE),
        ("kms:Decrypt", ACC.data_key_arn),
    ]


def test_an_index_query_is_checked_against_the_index_arn() -> None:
    (query, _) = requests_for(ACC, "dynamodb", "Query", {"TableName": "cases", "IndexName": "by_status"})
    assert query == Request("dynamodb:Query", f"{TABLE}/index/by_status")
    table_only = policy({"Effect": "Allow", "Action": "dynamodb:Query", "Resource": TABLE})
    with_indexes = policy(
        {"Effect": "Allow", "Action": "dynamodb:Query", "Resource": [TABLE, f"{TABLE}/index/*"]}
    )
    assert not table_only.allows(query) and with_indexes.allows(query)


def test_queue_urls_become_arns_and_sending_needs_the_data_key() -> None:
    found = requests_for(
        ACC, "sqs", "SendMessageBatch", {"QueueUrl": "http://localhost:5000/123456789012/heard-work-care-p1"}
    )
    assert found[0] == Request("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:heard-work-care-p1")
    assert found[1].action == "kms:GenerateDataKey"
    lanes = policy(
        {
            "Effect": "Allow",
            "Action": "sqs:SendMessage",
            "Resource": "arn:aws:sqs:eu-west-1:123456789012:heard-work-*",
        }
    )
    assert lanes.allows(found[0])
    assert not lanes.allows(Request("sqs:SendMessage", "arn:aws:sqs:eu-west-1:123456789012:heard-ingest"))


def test_deny_wins_actions_are_case_insensitive_and_conditions_must_hold() -> None:
    p = policy(
        {"Effect": "Allow", "Action": "S3:*", "Resource": "*"},
        {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": "arn:aws:iam::123456789012:role/r",
            "Condition": {"StringEquals": {"iam:PassedToService": "scheduler.amazonaws.com"}},
        },
    )
    assert p.allows(Request("s3:PutObject", "arn:aws:s3:::b/k"))
    assert not p.allows(Request("s3:DeleteObject", "arn:aws:s3:::b/k"))
    role = "arn:aws:iam::123456789012:role/r"
    assert p.allows(Request("iam:PassRole", role, {"iam:PassedToService": "scheduler.amazonaws.com"}))
    assert not p.allows(Request("iam:PassRole", role, {"iam:PassedToService": "lambda.amazonaws.com"}))
    assert not p.allows(Request("iam:PassRole", role))


def test_creating_a_schedule_also_passes_its_role() -> None:
    found = requests_for(
        ACC,
        "scheduler",
        "CreateSchedule",
        {"GroupName": "g", "Name": "n", "Target": {"RoleArn": "arn:aws:iam::1:role/s"}},
    )
    assert [r.action for r in found] == ["scheduler:CreateSchedule", "iam:PassRole"]
    assert found[0].resource == "arn:aws:scheduler:eu-west-1:123456789012:schedule/g/n"


def test_the_checker_refuses_only_calls_made_as_a_function_and_names_them() -> None:
    checker = CallChecker(
        {"reports": policy({"Effect": "Allow", "Action": "dynamodb:Query", "Resource": TABLE})}, ACC
    )
    call = checker.check("reports", "dynamodb", "PutItem", {"TableName": "cases", "Item": {}})
    assert [str(r) for r in call.denied] == [
        f"dynamodb:PutItem on {TABLE}",
        f"kms:Decrypt on {ACC.data_key_arn}",
    ]
    assert "reports: dynamodb:PutItem on " + TABLE in str(checker.denials[0])


def test_installed_it_raises_access_denied_inside_a_function_only() -> None:
    import boto3
    import pytest
    from botocore.exceptions import ClientError
    from botocore.stub import Stubber

    client = boto3.client("sqs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    checker = CallChecker({}, ACC).install()
    try:
        with Stubber(client) as stub:
            stub.add_response("list_queues", {"QueueUrls": []})
            assert client.list_queues() == {"QueueUrls": []}  # test code: not checked
            with as_function("webhook"), pytest.raises(ClientError, match="AccessDenied.*sqs:ListQueues"):
                client.list_queues()
    finally:
        checker.uninstall()
    assert [d.function for d in checker.denials] == ["webhook"]
