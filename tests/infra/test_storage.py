"""Tables and buckets: recoverable, encrypted, private, TLS only."""

from __future__ import annotations

import pytest

from infra.wiring import heard
from shared.models.retention import Retention
from tests.infra.conftest import Synthesised, refs

pytestmark = pytest.mark.infra
WIRING = heard()


@pytest.mark.parametrize("spec", WIRING.tables, ids=lambda t: t.id)
def test_tables_have_point_in_time_recovery_and_kms_encryption(synth: Synthesised, spec) -> None:
    # Given a wiring table / When synthesised
    props = synth.resources[synth.logical_id(synth.stack.storage.tables[spec.id])]["Properties"]
    # Then it can be restored to any second of the last 35 days and is encrypted with Heard's key
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert props["SSESpecification"]["SSEEnabled"] is True
    assert props["SSESpecification"]["SSEType"] == "KMS"
    assert refs(props["SSESpecification"]["KMSMasterKeyId"]) == {synth.logical_id(synth.stack.security.key)}
    # And its keys, indexes and TTL are the wiring's
    keys = {k["KeyType"]: k["AttributeName"] for k in props["KeySchema"]}
    assert keys.get("HASH") == spec.partition_key and keys.get("RANGE") == spec.sort_key
    indexes = {
        i["IndexName"]: {k["KeyType"]: k["AttributeName"] for k in i["KeySchema"]}
        for i in props.get("GlobalSecondaryIndexes", [])
    }
    assert indexes == {i.name: {"HASH": i.partition_key, "RANGE": i.sort_key} for i in spec.indexes}
    if spec.ttl_attribute:
        assert props["TimeToLiveSpecification"] == {"AttributeName": spec.ttl_attribute, "Enabled": True}


def test_every_bucket_blocks_public_access_denies_plain_http_and_is_encrypted(synth: Synthesised) -> None:
    # Given every bucket in the stack (data, access logs, console)
    policies = synth.of_type("AWS::S3::BucketPolicy").values()
    buckets = synth.of_type("AWS::S3::Bucket")
    assert len(buckets) >= len(WIRING.buckets) + 2
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        # Then all public access is blocked
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }, logical_id
        # And objects are encrypted at rest
        assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"], logical_id
        # And the bucket policy denies any request without TLS
        denies = [
            s
            for p in policies
            if refs(p["Properties"]["Bucket"]) == {logical_id}
            for s in p["Properties"]["PolicyDocument"]["Statement"]
            if s["Effect"] == "Deny" and s.get("Condition") == {"Bool": {"aws:SecureTransport": "false"}}
        ]
        assert denies, logical_id


@pytest.mark.parametrize("spec", [b for b in WIRING.buckets if not b.public_url_env], ids=lambda b: b.id)
def test_data_buckets_use_the_key_log_access_and_follow_the_wirings_lifecycle(
    synth: Synthesised, spec
) -> None:
    # Given a wiring bucket
    props = synth.resources[synth.logical_id(synth.stack.storage.buckets[spec.id])]["Properties"]
    # Then it is encrypted with Heard's key and its access is logged to the access-logs bucket
    rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert rule["SSEAlgorithm"] == "aws:kms"
    assert refs(rule["KMSMasterKeyID"]) == {synth.logical_id(synth.stack.security.key)}
    assert refs(props["LoggingConfiguration"]) == {synth.logical_id(synth.stack.storage.access_logs)}
    # And objects expire when (and only when) the wiring says so (config/heard.json `retention`); a versioned
    # bucket's replaced and deleted versions expire too (retention and erasure reach them)
    rules = props.get("LifecycleConfiguration", {}).get("Rules", [])
    assert [r["ExpirationInDays"] for r in rules] == ([spec.expire_days] if spec.expire_days else [])
    assert (props.get("VersioningConfiguration", {}).get("Status") == "Enabled") is spec.versioned
    if spec.versioned and spec.expire_days:
        assert [r["NoncurrentVersionExpiration"]["NoncurrentDays"] for r in rules] == [spec.noncurrent_days]
    # And a write-once bucket (the audit trail's sealed copies) has Object Lock in compliance mode
    lock = props.get("ObjectLockConfiguration")
    if spec.lock_days:
        assert props["ObjectLockEnabled"] is True
        assert lock["Rule"]["DefaultRetention"] == {"Mode": "COMPLIANCE", "Days": spec.lock_days}
    else:
        assert lock is None


def test_public_page_buckets_are_private_encrypted_and_logged(synth: Synthesised) -> None:
    # Given the status pages' bucket (public through CloudFront only, issue 17)
    for spec in [b for b in WIRING.buckets if b.public_url_env]:
        props = synth.resources[synth.logical_id(synth.stack.storage.buckets[spec.id])]["Properties"]
        # Then S3 itself refuses public access, objects are encrypted (S3-managed keys, which CloudFront's
        # OAC can read) and access is logged
        block = props["PublicAccessBlockConfiguration"]
        assert all(
            block[k]
            for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")
        )
        rule = props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0][
            "ServerSideEncryptionByDefault"
        ]
        assert rule["SSEAlgorithm"] == "AES256"
        assert refs(props["LoggingConfiguration"]) == {synth.logical_id(synth.stack.storage.access_logs)}


def test_the_archive_bucket_is_versioned_and_expires_with_the_configured_retention(
    synth: Synthesised,
) -> None:
    props = synth.resources[synth.logical_id(synth.stack.storage.buckets["archive"])]["Properties"]
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    (rule,) = props["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == Retention().archive_days  # config/heard.json keeps the default
    assert rule["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}


def test_the_configuration_parameter_holds_the_companys_config(synth: Synthesised) -> None:
    # Given config/heard.json / When deployed to SSM / Then the parameter's value is that JSON
    import json

    spec = WIRING.parameters[0]
    props = synth.resources[synth.logical_id(synth.stack.config.parameters[spec.id])]["Properties"]
    from shared.adapters.config_store import decode_config

    # (compressed once the document outgrows the standard tier's 4 KB, see encode_config)
    assert json.loads(decode_config(props["Value"])) == json.loads(
        spec.source_file.read_text(encoding="utf-8")
    )
    assert props["Type"] == "String"
