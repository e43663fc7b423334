"""A message the customer deletes on the platform loses its words in Heard too (#14): the message and its
edits keep only that they were there, and nothing in the table still holds what they said."""

from __future__ import annotations

import json
from datetime import timedelta

import boto3

from shared.models.interaction import EventKind
from tests.integration.conftest import TUESDAY_MORNING
from tests.integration.test_case_lifecycle import api, comment, deliver


def test_a_deleted_message_and_its_edits_lose_their_text(aws, lambda_context, at_tuesday_morning):
    # Given a customer's comment, then an edit of it
    deliver([comment(text="My neighbour Sandra Quigley took my parcel, sort it out")], aws, lambda_context)
    edit = comment(
        text="My neighbour Sandra Quigley still has my parcel",
        kind=EventKind.EDIT,
        at=TUESDAY_MORNING + timedelta(seconds=30),
    )
    deliver([edit], aws, lambda_context)
    case_id = api("GET", "/api/cases", query="status=queued", context=lambda_context)[1]["items"][0][
        "case_id"
    ]
    # When the customer deletes it on the platform
    gone = comment(text="", kind=EventKind.DELETE, at=TUESDAY_MORNING + timedelta(seconds=40))
    assert deliver([gone], aws, lambda_context) == {"batchItemFailures": []}
    # Then the timeline shows a deleted message and an edit, without their words
    timeline = api("GET", f"/api/cases/{case_id}", context=lambda_context)[1]["timeline"]
    said = {
        e["kind"]: e for e in timeline if e["kind"] in ("message_in", "message_edited", "message_deleted")
    }
    assert set(said) == {"message_in", "message_edited", "message_deleted"}
    assert all(e["text"] == "" for e in said.values())
    assert said["message_in"]["data"]["deleted"] is True and "edited_text" not in said["message_in"]["data"]
    # and no item of the table holds them
    items = boto3.client("dynamodb").scan(TableName=aws.resolve["cases"])["Items"]
    assert "still has my parcel" not in json.dumps(items) and "took my parcel" not in json.dumps(items)
