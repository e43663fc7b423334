"""Owner away -> backup (R8): a customer writing again reaches the owner's backup, or the queue."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import case_of
from tests.unit.routing import fakes


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)


def owned_case(aws, context) -> str:
    deliver([comment()], aws, context)
    _, claimed = api("POST", "/api/queues/care/next", context=context)
    return claimed["case"]["case_id"]


def write_again(aws, context, clock, platform_id: str = "c-2") -> None:
    clock["now"] += timedelta(hours=1)
    deliver([comment(platform_id, text="Any news?", at=clock["now"])], aws, context)


def test_an_away_owners_customer_reaches_their_backup(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    status, mine = api(
        "PUT",
        "/api/me/availability",
        body={"away": True, "backup": "Trainee@heard.local"},
        context=lambda_context,
    )
    assert status == 200 and mine["away"] is True and mine["backup"] == "trainee@heard.local"
    assert api("GET", "/api/me/availability", context=lambda_context)[1]["away"] is True
    # When the customer writes again
    write_again(aws, lambda_context, at_tuesday_morning)
    # Then the backup owns the case, and the timeline says why
    detail = case_of(case_id, lambda_context)
    assert detail["case"]["owner"] == "trainee@heard.local" and detail["case"]["status"] == "assigned"
    handed = [e for e in detail["timeline"] if e["kind"] == "handed_over"]
    assert len(handed) == 1 and handed[0]["data"] == {
        "from": "agent@heard.local",
        "to": "trainee@heard.local",
    }
    # When the owner is back, nothing moves on the next message
    api("PUT", "/api/me/availability", role="trainee", body={"away": False}, context=lambda_context)
    write_again(aws, lambda_context, at_tuesday_morning, "c-3")
    assert case_of(case_id, lambda_context)["case"]["owner"] == "trainee@heard.local"


def test_without_a_backup_the_case_goes_back_to_the_queue(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    api("PUT", "/api/me/availability", body={"away": True, "backup": None}, context=lambda_context)
    write_again(aws, lambda_context, at_tuesday_morning)
    detail = case_of(case_id, lambda_context)
    assert detail["case"]["status"] == "queued" and detail["case"]["owner"] is None
    status, claimed = api("POST", "/api/queues/care/next", role="trainee", context=lambda_context)
    assert status == 200 and claimed["case"]["case_id"] == case_id


def test_a_backup_who_is_away_too_does_not_get_it(aws, lambda_context, at_tuesday_morning):
    case_id = owned_case(aws, lambda_context)
    api(
        "PUT",
        "/api/me/availability",
        body={"away": True, "backup": "trainee@heard.local"},
        context=lambda_context,
    )
    api("PUT", "/api/me/availability", role="trainee", body={"away": True}, context=lambda_context)
    write_again(aws, lambda_context, at_tuesday_morning)
    detail = case_of(case_id, lambda_context)
    assert detail["case"]["status"] == "queued"
    assert "away too" in next(e for e in detail["timeline"] if e["kind"] == "handed_over")["text"]


def test_availability_input_is_checked(aws, lambda_context, at_tuesday_morning):
    assert (
        api(
            "PUT",
            "/api/me/availability",
            body={"away": True, "backup": "agent@heard.local"},
            context=lambda_context,
        )[0]
        == 422
    )
    assert (
        api(
            "PUT",
            "/api/me/availability",
            body={"away": True, "backup": "not an email"},
            context=lambda_context,
        )[0]
        == 422
    )
    assert api("PUT", "/api/me/availability", body={}, context=lambda_context)[0] == 422
    assert (
        api("PUT", "/api/me/availability", role="reviewer", body={"away": True}, context=lambda_context)[0]
        == 403
    )
