"""Spike detection end to end: intake counts every message in sharded 5-minute counters; the scheduled
`spikes` function finds a surge, alerts the crisis contacts once and suggests declaring a crisis (R15)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.conftest import TUESDAY_MORNING
from tests.integration.test_case_lifecycle import api, comment, deliver
from tests.integration.test_crisis import DECLARE, alerts, subscribe_alerts
from tests.unit.routing import fakes


@pytest.fixture(autouse=True)
def _fake_classifier(monkeypatch):
    fakes.install(monkeypatch)


def quiet_hour_then_surge(aws, context, clock) -> None:
    """One calm delivery question per 5 minutes for an hour, then 24 angry delivery posts in 5 minutes."""
    start = TUESDAY_MORNING - timedelta(hours=1)
    for i in range(12):
        clock["now"] = start + timedelta(minutes=5 * i, seconds=30)
        deliver(
            [comment(f"q-{i}", f"calm-{i}", "When will my parcel be delivered?", at=clock["now"])],
            aws,
            context,
        )
    clock["now"] = TUESDAY_MORNING + timedelta(minutes=1)
    angry = [
        comment(f"a-{i}", f"angry-{i}", "Worst delivery ever, my parcel is lost", at=clock["now"])
        for i in range(24)
    ]
    for batch in (angry[:10], angry[10:20], angry[20:]):
        deliver(batch, aws, context)
    clock["now"] = TUESDAY_MORNING + timedelta(minutes=5, seconds=10)  # the surge's bucket is now complete


def test_a_surge_of_angry_delivery_posts_alerts_once_and_is_suggested(
    aws, lambda_context, at_tuesday_morning
):
    from functions.spikes.handler import handler as spikes

    inbox = subscribe_alerts(aws)
    quiet_hour_then_surge(aws, lambda_context, at_tuesday_morning)
    # When the scheduled detector runs
    answer = spikes({}, lambda_context)
    # Then the delivery topic, negative posts and overall volume spiked (24 vs a baseline of 1 or 0)
    assert sorted(answer["spikes"]) == ["all", "negative", "topic:delivery"] and answer["alerted"] == 3
    sent = [a for a in alerts(inbox) if a["kind"] == "spike"]
    assert len(sent) == 3
    delivery = next(a for a in sent if a["detail"]["series"] == "topic:delivery")
    assert delivery["detail"]["count"] == 24 and delivery["detail"]["baseline_mean"] == 1.0
    assert delivery["detail"]["notify"] == ["admin@heard.local", "supervisor@heard.local"]
    assert "consider declaring a crisis" in delivery["subject"]
    # and supervisors see the suggestions
    assert api("GET", "/api/crises/suggestions", context=lambda_context)[0] == 403
    status, listing = api("GET", "/api/crises/suggestions", role="supervisor", context=lambda_context)
    assert status == 200 and {s["series"] for s in listing["items"]} == {"all", "negative", "topic:delivery"}
    assert all(s["bucket"].startswith("2026-11-17T10:00") for s in listing["items"])
    # When the detector runs again for the same bucket (a retry), nobody is alerted twice
    assert spikes({}, lambda_context) == {"spikes": [], "alerted": 0}
    assert alerts(inbox) == []


def test_a_spike_an_active_crisis_already_covers_is_recorded_without_alerting(
    aws, lambda_context, at_tuesday_morning
):
    from functions.spikes.handler import handler as spikes

    inbox = subscribe_alerts(aws)
    quiet_hour_then_surge(aws, lambda_context, at_tuesday_morning)
    body = {**DECLARE, "type": "outage", "name": "Courier outage", "keywords": [], "topics": ["delivery"]}
    assert api("POST", "/api/crises", role="supervisor", body=body, context=lambda_context)[0] == 201
    alerts(inbox)  # the declaration's own alert
    answer = spikes({}, lambda_context)
    assert answer["alerted"] == 0 and "topic:delivery" in answer["spikes"]
    assert alerts(inbox) == []
    _, listing = api("GET", "/api/crises/suggestions", role="supervisor", context=lambda_context)
    assert all(s["covered_by"] for s in listing["items"])


def test_ordinary_traffic_is_not_a_spike(aws, lambda_context, at_tuesday_morning):
    from functions.spikes.handler import handler as spikes

    at_tuesday_morning["now"] = TUESDAY_MORNING + timedelta(minutes=1)
    deliver([comment(f"n-{i}", f"c-{i}", "my parcel is late, worst") for i in range(5)], aws, lambda_context)
    at_tuesday_morning["now"] = TUESDAY_MORNING + timedelta(minutes=6)
    assert spikes({}, lambda_context) == {"spikes": [], "alerted": 0}
