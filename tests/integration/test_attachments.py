"""Attachments (issue #16) through the real handlers under moto, each with its own environment and role:
a customer's image is copied from the platform on first view and shown through a short-lived presigned
link; an agent's image is checked (platform, type, size: 422 naming what is wrong), uploaded through a
presigned POST, and reaches the fake platform with the reply."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from shared.models.interaction import Attachment, Channel, Interaction, Platform
from shared.platforms.fakes import media_png
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_dispatch import outbox_event


def direct(platform: Platform, context: dict[str, str], files: list[Attachment], n: int = 1) -> Interaction:
    return comment(platform_id=f"m-{platform.value}-{n}", author_id=f"cust-{platform.value}").model_copy(
        update={
            "platform": platform,
            "channel": Channel.DIRECT,
            "conversation_id": f"conv-{platform.value}",
            "dedupe_key": f"{platform.value}:m-{n}:message",
            "reply_context": context,
            "attachments": files,
            "text": "The parcel arrived broken, photo attached",
        }
    )


MESSENGER = {"recipient_id": "cust-messenger", "page_id": "page-1"}


def claimed(aws: Any, context: Any, interaction: Interaction) -> dict[str, Any]:
    deliver([interaction], aws, context)
    _, answer = api("POST", "/api/queues/care/next", context=context)
    _, detail = api("GET", f"/api/cases/{answer['case']['case_id']}", context=context)
    return detail


def bucket_key(aws: Any, key: str) -> dict[str, Any]:
    return boto3.client("s3").get_object(Bucket=aws.resolve["attachments"], Key=key)


def test_a_customers_image_is_copied_once_and_shown_through_a_short_lived_link(
    aws, fakes, lambda_context, at_tuesday_morning
):
    # Given a Messenger message with an image (a CDN link) and a WhatsApp one with a media id only
    link = f"{fakes.url}/meta/_media/broken-parcel.png"
    detail = claimed(
        aws, lambda_context, direct(Platform.MESSENGER, MESSENGER, [Attachment(type="image", url=link)])
    )
    case_id = detail["case"]["case_id"]
    entry = next(e for e in detail["timeline"] if e["kind"] == "message_in")
    # When an agent opens it
    status, answer = api(
        "GET", f"/api/cases/{case_id}/attachments/{entry['entry_id']}/0", context=lambda_context
    )
    # Then the link is a presigned GET of Heard's own copy, valid minutes, never the platform's URL
    assert status == 200, answer
    assert "Signature=" in answer["url"] and "Expires=" in answer["url"]
    assert "broken-parcel" not in answer["url"] and answer["content_type"] == "image/png"
    stored = bucket_key(aws, f"in/{case_id}/{entry['entry_id']}/0")
    assert stored["Body"].read() == media_png()
    # And an attachment that does not exist is a 404 naming it
    status, missing = api(
        "GET", f"/api/cases/{case_id}/attachments/{entry['entry_id']}/3", context=lambda_context
    )
    assert status == 404 and "no attachment 3" in missing["message"]


def test_a_whatsapp_media_id_is_fetched_through_the_graph_api(aws, fakes, lambda_context, at_tuesday_morning):
    context = {"phone_number_id": "106540352242922", "to": "447700900123"}
    files = [Attachment(type="image", id="wamedia-777")]
    detail = claimed(aws, lambda_context, direct(Platform.WHATSAPP, context, files))
    entry = next(e for e in detail["timeline"] if e["kind"] == "message_in")
    path = f"/api/cases/{detail['case']['case_id']}/attachments/{entry['entry_id']}/0"
    status, answer = api("GET", path, context=lambda_context)
    assert status == 200, answer
    assert answer["content_type"] == "image/png"


def upload(
    aws: Any, context: Any, case_id: str, content_type: str = "image/png", size: int | None = None
) -> tuple[int, Any]:
    body = {"content_type": content_type, "size": size if size is not None else len(media_png())}
    return api("POST", f"/api/cases/{case_id}/attachments/uploads", body=body, context=context)


def test_an_agents_image_goes_with_the_reply_and_the_fake_platform_records_it(
    aws, fakes, lambda_context, at_tuesday_morning
):
    from functions.dispatcher.handler import handler as dispatcher

    case_id = claimed(aws, lambda_context, direct(Platform.MESSENGER, MESSENGER, []))["case"]["case_id"]
    # When the agent asks to attach a PNG, Then a presigned POST is handed out, bound to its key and type
    status, started = upload(aws, lambda_context, case_id)
    assert status == 201, started
    fields = started["fields"]
    assert started["method"] == "POST" and fields["Content-Type"] == "image/png" and fields["policy"]
    assert (
        fields["key"] == f"out/{case_id}/{started['upload_id']}" and started["max_bytes"] == 8 * 1024 * 1024
    )
    # (the browser's POST, done here as S3 would store it)
    key = f"out/{case_id}/{started['upload_id']}"
    boto3.client("s3").put_object(
        Bucket=aws.resolve["attachments"], Key=key, Body=media_png(), ContentType="image/png"
    )
    # When the reply names the upload and the dispatcher sends it
    body = {"text": "Sorry! Here is the returns label.", "attachment": started["upload_id"]}
    status, replied = api("POST", f"/api/cases/{case_id}/replies", body=body, context=lambda_context)
    assert status == 202, replied
    assert replied["reply"]["data"]["attachment"]["content_type"] == "image/png"
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    # Then Messenger got the text, then the image as its own message, by a short-lived link
    text, image = [s for s in fakes.sent if s["platform"] == "meta"]
    assert "returns label" in text["json"]["message"]["text"]
    attachment = image["json"]["message"]["attachment"]
    assert attachment["type"] == "image" and "Signature=" in attachment["payload"]["url"]
    assert image["status"] == 200


def test_an_image_on_x_is_uploaded_then_posted_with_the_reply(aws, fakes, lambda_context, at_tuesday_morning):
    from functions.dispatcher.handler import handler as dispatcher

    mention = comment(platform_id="1870000000000000009", author_id="x-cust").model_copy(
        update={
            "platform": Platform.X,
            "channel": Channel.MENTION,
            "dedupe_key": "x:1870000000000000009:message",
            "reply_context": {"tweet_id": "1870000000000000009", "author_id": "x-cust"},
        }
    )
    case_id = claimed(aws, lambda_context, mention)["case"]["case_id"]
    _, started = upload(aws, lambda_context, case_id)
    key = f"out/{case_id}/{started['upload_id']}"
    boto3.client("s3").put_object(
        Bucket=aws.resolve["attachments"], Key=key, Body=media_png(), ContentType="image/png"
    )
    body = {"text": "Here it is.", "attachment": started["upload_id"]}
    assert api("POST", f"/api/cases/{case_id}/replies", body=body, context=lambda_context)[0] == 202
    assert dispatcher(outbox_event(aws), lambda_context) == {"batchItemFailures": []}
    media, tweet = [s for s in fakes.sent if s["platform"] == "x"]
    assert media["path"] == "/2/media/upload" and media["json"]["media_category"] == "tweet_image"
    assert tweet["json"]["media"] == {"media_ids": [media["id"]]}


@pytest.mark.parametrize(
    ("content_type", "size", "problem"),
    [
        ("image/tiff", 100, "image/tiff is not an image messenger takes"),
        ("image/png", 9 * 1024 * 1024, "messenger takes 1 to 8388608"),
    ],
)
def test_an_image_the_platform_would_refuse_is_a_422_naming_why(
    aws, lambda_context, at_tuesday_morning, content_type, size, problem
):
    case_id = claimed(aws, lambda_context, direct(Platform.MESSENGER, MESSENGER, []))["case"]["case_id"]
    status, answer = upload(aws, lambda_context, case_id, content_type, size)
    assert status == 422 and problem in answer["message"]


def test_a_channel_without_images_and_a_reply_naming_nothing_uploaded_are_refused(
    aws, lambda_context, at_tuesday_morning
):
    case_id = claimed(aws, lambda_context, comment())["case"]["case_id"]  # a public Facebook comment
    status, answer = upload(aws, lambda_context, case_id)
    assert status == 422 and "facebook comment replies cannot carry an image" in answer["message"]
    other = claimed(aws, lambda_context, direct(Platform.MESSENGER, MESSENGER, []))["case"]["case_id"]
    _, started = upload(aws, lambda_context, other)
    body = {"text": "Here", "attachment": started["upload_id"]}  # never PUT
    status, answer = api("POST", f"/api/cases/{other}/replies", body=body, context=lambda_context)
    assert status == 422 and "upload the image first" in answer["message"]
    # And a stored file that is not what was announced is refused too
    key = f"out/{other}/{started['upload_id']}"
    boto3.client("s3").put_object(
        Bucket=aws.resolve["attachments"], Key=key, Body=b"%PDF-1.4", ContentType="application/pdf"
    )
    status, answer = api("POST", f"/api/cases/{other}/replies", body=body, context=lambda_context)
    assert status == 422 and "application/pdf is not an image" in answer["message"]
