"""What every platform shares at the door: size limit, unknown platforms and methods, missing secrets,
queue failures, and replay from the archive."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta

import boto3
import pytest

from infra.commands import replay as replay_command
from shared.settings import get_settings
from tests.fixtures.webhooks.harness import body_of, webhook_stack_fixture  # noqa: F401  (fixture)
from tests.fixtures.webhooks.signing import api_event, fixture, signed_headers


def test_oversized_delivery_is_413_before_anything_else(webhook_stack, monkeypatch):
    monkeypatch.setenv("HEARD_MAX_WEBHOOK_BYTES", "2048")
    get_settings.cache_clear()
    body = b'{"object": "page", "entry": []}'.ljust(4096)
    response = webhook_stack.invoke(
        api_event("meta", "POST", body, signed_headers("meta", body, datetime.now(UTC)))
    )
    assert response["statusCode"] == 413 and "message" in body_of(response)
    assert webhook_stack.archived() == []


def test_unknown_platform_is_404_and_other_methods_405(webhook_stack):
    assert webhook_stack.invoke(api_event("myspace", "POST", b"{}"))["statusCode"] == 404
    assert webhook_stack.invoke(api_event("meta", "PUT", b"{}"))["statusCode"] == 405


def test_get_without_a_verification_request_is_400(webhook_stack):
    assert webhook_stack.invoke(api_event("telegram", "GET"))["statusCode"] == 400


def test_missing_secret_answers_401_or_403_not_500(webhook_stack, monkeypatch, caplog):
    monkeypatch.delenv("META_APP_SECRET")
    monkeypatch.delenv("META_VERIFY_TOKEN")
    get_settings.cache_clear()
    body = fixture("meta_messenger.json")
    post = webhook_stack.invoke(
        api_event("meta", "POST", body, signed_headers("meta", body, datetime.now(UTC)))
    )
    get = webhook_stack.invoke(
        api_event("meta", "GET", query={"hub.mode": "subscribe", "hub.challenge": "1"})
    )
    assert (post["statusCode"], get["statusCode"]) == (401, 403)
    assert "webhook secret not configured" in caplog.text


def test_invalid_base64_body_and_non_proxy_events_are_400(webhook_stack):
    event = api_event("meta", "POST", b"{}")
    event.update(body="***not base64***", isBase64Encoded=True)
    assert webhook_stack.invoke(event)["statusCode"] == 400
    assert webhook_stack.invoke({"pathParameters": None})["statusCode"] == 400


def test_queue_failure_answers_503_so_the_platform_redelivers(webhook_stack, monkeypatch):
    body = fixture("telegram_message.json")
    from shared.adapters import ingest_queue

    def failing(self, messages):
        raise ingest_queue.EnqueueFailed(["0"])

    monkeypatch.setattr(ingest_queue.IngestQueue, "send_batch", failing)
    response = webhook_stack.invoke(
        api_event("telegram", "POST", body, signed_headers("telegram", body, datetime.now(UTC)))
    )
    assert response["statusCode"] == 503
    assert len(webhook_stack.archived()) == 1  # the bytes are kept even so


def test_replay_reingests_a_time_range_idempotently(webhook_stack, capsys):
    now = datetime.now(UTC)
    for platform, name in (("meta", "whatsapp_messages.json"), ("telegram", "telegram_message.json")):
        body = fixture(name)
        webhook_stack.invoke(api_event(platform, "POST", body, signed_headers(platform, body, now)))
    original = sorted(i.dedupe_key for i in webhook_stack.queued())

    args = argparse.Namespace(
        since=now - timedelta(hours=1),
        until=now + timedelta(hours=1),
        platform=None,
        bucket=None,
        queue_url=None,
        dry_run=False,
    )
    assert replay_command.run(args) == 0
    replayed = sorted(i.dedupe_key for i in webhook_stack.queued())
    assert replayed == original  # same events, same dedupe keys: triage drops what it already has
    assert "2/2 deliveries" in capsys.readouterr().err

    # a range that holds nothing replays nothing
    args.since, args.until = now - timedelta(days=3), now - timedelta(days=2)
    assert replay_command.run(args) == 0 and webhook_stack.queued() == []


def test_replay_rejects_an_empty_range(webhook_stack):
    now = datetime.now(UTC)
    args = argparse.Namespace(
        since=now, until=now - timedelta(hours=1), platform=None, bucket=None, queue_url=None, dry_run=False
    )
    assert replay_command.run(args) == 2


@pytest.mark.parametrize("platform", ["meta", "x", "telegram", "linkedin", "generic"])
def test_every_platform_refuses_an_unsigned_delivery(webhook_stack, platform):
    response = webhook_stack.invoke(api_event(platform, "POST", b'{"entry": []}', {}))
    assert response["statusCode"] == 401 and body_of(response) == {"message": "signature missing or invalid"}
    assert webhook_stack.archived() == []


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"update=1&text=hello"),
        (
            "multipart/form-data; boundary=xyz",
            b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xyz--\r\n',
        ),
    ],
)
def test_form_and_multipart_deliveries_are_archived_byte_for_byte(webhook_stack, content_type, body):
    # Given a signed delivery whose sender calls it a form (Telegram refuses it as not JSON: 400)
    headers = {**signed_headers("telegram", body, datetime.now(UTC)), "Content-Type": content_type}
    response = webhook_stack.invoke(api_event("telegram", "POST", body, headers))
    assert response["statusCode"] == 400
    # Then the archive still holds exactly the bytes that came, and says what the sender called them
    [stored] = webhook_stack.archived()
    assert stored["body"] == body and stored["metadata"]["content-type"] == content_type


def test_replay_skips_and_reports_what_it_cannot_read(webhook_stack, capsys):
    # Given two good deliveries and, between them in time, an object S3 stored without its bytes (what an
    # archive written with a form content type looked like before)
    now = datetime.now(UTC)
    body = fixture("telegram_message.json")
    webhook_stack.invoke(api_event("telegram", "POST", body, signed_headers("telegram", body, now)))
    broken = f"raw/telegram/{now:%Y/%m/%d/%H}/{now:%Y-%m-%dT%H:%M:%S}.500Z-broken.json"
    webhook_stack.s3.put_object(
        Bucket=webhook_stack.bucket,
        Key=broken,
        Body=b"update=1",
        ContentType="application/x-www-form-urlencoded",
        Metadata={"signature-verified": "true", "received_at": "not a time"},
    )
    other = fixture("telegram_edited_message.json")
    webhook_stack.invoke(api_event("telegram", "POST", other, signed_headers("telegram", other, now)))
    webhook_stack.queued()  # drain what the webhook itself queued
    args = argparse.Namespace(
        since=now - timedelta(hours=1),
        until=now + timedelta(hours=1),
        platform=None,
        bucket=None,
        queue_url=None,
        dry_run=False,
    )
    # When replayed / Then it carries on past the broken object, and says which one it skipped and why
    assert replay_command.run(args) == 0
    assert len(webhook_stack.queued()) == 2
    err = capsys.readouterr().err
    assert "replayed 2 deliveries" in err
    assert "skipped 1 (0 unreadable)" in err and f"skipped {broken}: body is not valid JSON" in err


def test_an_object_s3_cannot_give_back_is_unavailable_and_replay_goes_on():
    # Given the local emulator (a moto server, as `make run` uses) holding an object written with a form
    # content type: it kept no bytes, and reading it fails its checksum
    from moto.server import ThreadedMotoServer

    from shared.adapters.archive import S3Archive
    from shared.errors import Unavailable
    from shared.usecases.ingest import replay

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        s3 = boto3.client(
            "s3",
            endpoint_url=f"http://{host}:{port}",
            region_name="eu-west-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        s3.create_bucket(
            Bucket="heard-archive", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        now = datetime.now(UTC)
        broken = f"raw/telegram/{now:%Y/%m/%d/%H}/{now:%Y-%m-%dT%H:%M:%S}.000Z-broken.json"
        s3.put_object(
            Bucket="heard-archive", Key=broken, Body=b"a=1", ContentType="application/x-www-form-urlencoded"
        )
        archive = S3Archive("heard-archive", client=s3)
        good = archive.put_raw(
            "telegram",
            fixture("telegram_message.json"),
            received_at=now,
            verified=True,
            content_type="application/x-www-form-urlencoded",  # archived as raw bytes all the same
        )
        with pytest.raises(Unavailable):
            archive.get_raw(broken)

        class Queue:
            sent: list = []

            def send_batch(self, messages):
                self.sent += messages
                return 1

        # When replayed / Then the broken object is skipped and reported, the good one replayed
        report = replay(archive, Queue(), start=now - timedelta(hours=1), end=now + timedelta(hours=1))
        assert (report.deliveries, report.unreadable, report.skipped) == (1, 1, 1)
        assert report.problems[0][0] == broken and "could not be read" in report.problems[0][1]
        assert len(Queue.sent) == 1 and good != broken
    finally:
        server.stop()
