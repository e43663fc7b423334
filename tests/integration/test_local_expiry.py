"""The local runner's expiry (infra/local/expiry.py): what DynamoDB TTL and S3 lifecycle rules do in AWS,
which moto never does — expired items and object versions past their rule are deleted; the rest stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import boto3

from infra.local.expiry import expire
from infra.wiring import heard


def test_expired_items_and_objects_past_their_lifecycle_go_and_the_rest_stay(
    aws: Any, at_tuesday_morning: Any
):
    ddb, s3 = boto3.client("dynamodb"), boto3.client("s3")
    now = datetime.now(UTC)  # S3's LastModified is wall-clock time
    table, archive = aws.resolve["cases"], aws.resolve["archive"]
    # Given an item whose TTL has passed and one whose has not
    for sk, at in (("OLD", now - timedelta(days=1)), ("NEW", now + timedelta(days=10))):
        ddb.put_item(
            TableName=table,
            Item={"pk": {"S": "T"}, "sk": {"S": sk}, "expires_at": {"N": str(int(at.timestamp()))}},
        )
    # and a raw delivery overwritten once (two versions) and one deleted (a version behind a marker)
    for body in (b"first", b"second"):
        s3.put_object(Bucket=archive, Key="raw/x/a.json", Body=body)
    s3.put_object(Bucket=archive, Key="raw/x/b.json", Body=b"gone")
    s3.delete_object(Bucket=archive, Key="raw/x/b.json")
    # When the local expiry runs two days later (the archive's old versions go after a day)
    done = expire(heard(), aws.resolve, boto3.client, now + timedelta(days=2))
    # Then the expired item is gone and the other stays
    left = ddb.query(
        TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": "T"}}
    )
    assert [i["sk"]["S"] for i in left["Items"]] == ["NEW"] and done["cases"] >= 1
    # and only the archive's current object is left
    versions = s3.list_object_versions(Bucket=archive)
    assert [(v["Key"], v["IsLatest"]) for v in versions.get("Versions", [])] == [("raw/x/a.json", True)]
    # When it runs after the archive's retention (config retention.archive_days), Then that goes too
    days = heard().buckets[0].expire_days or 0
    expire(heard(), aws.resolve, boto3.client, now + timedelta(days=days + 30))
    assert s3.list_object_versions(Bucket=archive).get("Versions", []) == []
