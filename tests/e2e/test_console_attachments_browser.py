"""Attachments (issue #16) in real Chromium against the local stack: a customer's photo in a Messenger
message is shown on the case through a short-lived link to Heard's copy, and the agent sends an image
with the reply, uploaded straight to S3 through a presigned POST; the fake Messenger API receives it.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from shared.platforms.fakes import media_png
from tests.e2e.console_helpers import _id_token, _marker, _sign_in, _wait_for_queued_case
from tests.e2e.webclient import call, deliver, resolve_case, wait_for

pytestmark = pytest.mark.browser


def photo_message(stack: Any, marker: str) -> dict[str, Any]:
    now_ms = int(time.time() * 1000)
    photo = {"type": "image", "payload": {"url": f"{stack.fakes.url}/meta/_media/parcel-{marker}.png"}}
    event = {
        "sender": {"id": f"photo-{marker}"},
        "recipient": {"id": "104000000000001"},
        "timestamp": now_ms,
        "message": {
            "mid": f"m_{marker}",
            "text": f"It arrived broken, see the photo {marker}",
            "attachments": [photo],
        },
    }
    return {"object": "page", "entry": [{"id": "104000000000001", "time": now_ms, "messaging": [event]}]}


def test_a_customers_photo_is_shown_and_the_agent_replies_with_an_image(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    marker = _marker()
    token = _id_token(base, users["supervisor"], password)
    # Given a Messenger message with a photo
    assert deliver(local_stack, "meta", photo_message(local_stack, marker)).status == 200
    case = _wait_for_queued_case(base, token, marker)
    try:
        page = new_page()
        _sign_in(page, users["supervisor"], password)
        page.goto(f"{base}/#/cases/{case['case_id']}")
        # When the supervisor shows it, Then the photo appears, read through a presigned link to Heard's copy
        with page.expect_response(lambda r: "Signature=" in r.url and "/in/" in r.url) as copy:
            page.get_by_role("button", name="Show image 1").click()
        assert copy.value.status == 200 and "parcel-" not in copy.value.url
        image = page.locator(".attachments-panel img.attachment-media")
        expect(image).to_be_visible()
        assert (image.get_attribute("src") or "").startswith("blob:")
        page.wait_for_function("() => document.querySelector('.attachments-panel img').naturalWidth > 0")
        # When they attach an image to the reply and send it
        page.get_by_label("Attach an image").set_input_files(
            {"name": "label.png", "mimeType": "image/png", "buffer": media_png()}
        )
        expect(page.locator("#reply-image-status")).to_have_text("label.png will be sent with the reply.")
        page.get_by_label("Your reply").fill(f"Sorry! Here is your returns label {marker}")
        page.get_by_role("button", name="Send reply").click()

        # Then the fake Messenger API received the text and then the image, by a short-lived link
        def sent() -> list[dict[str, Any]]:
            items = call(base, "GET", "/fake/sent").json()["items"]
            return [r for r in items if r["json"].get("recipient", {}).get("id") == f"photo-{marker}"]

        requests = wait_for(lambda: len(sent()) == 2 and sent(), timeout=20)
        assert requests, "the reply and its image should reach the fake Messenger API"
        assert marker in requests[0]["json"]["message"]["text"]
        attachment = requests[1]["json"]["message"]["attachment"]
        assert attachment["type"] == "image" and "Signature=" in attachment["payload"]["url"]
    finally:
        resolve_case(local_stack, token, case["case_id"])
