"""The local ticker: AWS schedule expressions in Heard time, recurring schedules from the wiring, and the
one-time Scheduler schedules the functions create (fired with their input, then deleted)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from infra.local.invoke import Invoker
from infra.local.resources import function_arn
from infra.local.ticker import Cron, Rate, Ticker, parse_at, parse_expression, schedule_bindings
from infra.wiring import Function, heard
from shared import clock

T0 = datetime(2026, 11, 17, 5, 58, 30, tzinfo=UTC)  # a Tuesday


def test_rate_expressions_parse_to_periods():
    assert parse_expression("rate(1 minute)") == Rate(timedelta(minutes=1))
    assert parse_expression("rate(5 minutes)") == Rate(timedelta(minutes=5))
    assert parse_expression("rate(2 hours)") == Rate(timedelta(hours=2))
    assert parse_expression("rate(1 day)") == Rate(timedelta(days=1))


@pytest.mark.parametrize(
    "bad",
    [
        "rate(0 minutes)",
        "rate(1 fortnight)",
        "every minute",
        "cron(0 6 * * *)",
        "cron(0 6 * * * *)",
        "cron(0 6 ? * ? *)",
        "cron(61 6 * * ? *)",
        "cron(0 6 15W * ? *)",
    ],
)
def test_unsupported_or_invalid_expressions_are_refused(bad):
    with pytest.raises(ValueError):
        parse_expression(bad)


@pytest.mark.parametrize(
    ("expression", "moment", "expected"),
    [
        ("cron(0 6 * * ? *)", datetime(2026, 11, 17, 6, 0, tzinfo=UTC), True),
        ("cron(0 6 * * ? *)", datetime(2026, 11, 17, 6, 1, tzinfo=UTC), False),
        ("cron(0/15 * * * ? *)", datetime(2026, 11, 17, 9, 45, tzinfo=UTC), True),
        ("cron(0/15 * * * ? *)", datetime(2026, 11, 17, 9, 50, tzinfo=UTC), False),
        ("cron(0 9 ? * MON-FRI *)", datetime(2026, 11, 17, 9, 0, tzinfo=UTC), True),  # Tuesday
        ("cron(0 9 ? * MON-FRI *)", datetime(2026, 11, 22, 9, 0, tzinfo=UTC), False),  # Sunday
        ("cron(0 9 ? * 1 *)", datetime(2026, 11, 22, 9, 0, tzinfo=UTC), True),  # 1 = Sunday in AWS
        ("cron(30 23 L * ? *)", datetime(2026, 2, 28, 23, 30, tzinfo=UTC), True),
        ("cron(30 23 L * ? *)", datetime(2026, 2, 27, 23, 30, tzinfo=UTC), False),
        ("cron(0 12 ? * 6#3 *)", datetime(2026, 11, 20, 12, 0, tzinfo=UTC), True),  # third Friday
        ("cron(0 12 ? * 6#3 *)", datetime(2026, 11, 13, 12, 0, tzinfo=UTC), False),
        ("cron(0 12 ? * 6L *)", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), True),  # last Friday
        ("cron(0 8 1,15 JAN,JUL ? 2026-2027)", datetime(2027, 7, 15, 8, 0, tzinfo=UTC), True),
        ("cron(0 8 1,15 JAN,JUL ? 2026-2027)", datetime(2028, 7, 15, 8, 0, tzinfo=UTC), False),
    ],
)
def test_cron_matches_like_eventbridge(expression, moment, expected):
    rule = parse_expression(expression)
    assert isinstance(rule, Cron)
    assert rule.matches(moment) is expected


def test_one_time_expressions_honour_their_time_zone():
    assert parse_at("at(2026-11-24T10:00:00)") == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
    assert parse_at("at(2026-07-01T10:00:00)", "Europe/Madrid") == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_at("rate(1 day)")


def test_the_ticker_fires_exactly_the_wirings_schedules():
    wired = sorted((s.expression, f.id) for f in heard().functions for s in f.schedules)
    assert [(b.expression, b.function_id) for b in schedule_bindings(heard())] == wired


class Recorder:
    """A loader for the Invoker: every function records the events it receives."""

    def __init__(self, fail: set[str] | None = None) -> None:
        self.calls: list[tuple[str, Any]] = []
        self.fail = fail or set()

    def __call__(self, function: Function):
        def handler(event: Any, context: Any) -> None:
            assert context.get_remaining_time_in_millis() > 0
            self.calls.append((function.id, event))
            if function.id in self.fail:
                raise RuntimeError("boom")

        return handler


@pytest.fixture
def frozen_clock():
    moment = {"now": T0}
    clock.set_source(lambda: moment["now"])
    yield moment
    clock.reset()


def _ticker(aws, recorder: Recorder) -> Ticker:
    import boto3

    scheduler = boto3.client("scheduler", region_name="eu-west-1")
    ticker = Ticker(heard(), Invoker(heard(), recorder), lambda: scheduler, aws.resolve, threading.Event())
    return ticker


def _prime(ticker: Ticker) -> None:
    # what start() does, without the background thread
    for item in ticker._recurring:
        if isinstance(item.rule, Rate):
            item.next_due = clock.now() + item.rule.every
        item.checked_until = clock.now().replace(second=0, microsecond=0)


def test_recurring_schedules_fire_in_heard_time_with_scheduled_events(aws, frozen_clock):
    # Given the ticker at 05:58:30 (the SLA runs every minute, reports daily at 06:00)
    recorder = Recorder()
    ticker = _ticker(aws, recorder)
    _prime(ticker)
    ticker.tick()
    assert recorder.calls == []  # nothing is due yet
    # When Heard time moves to 06:00:10
    frozen_clock["now"] = T0 + timedelta(seconds=100)
    ticker.tick()
    # Then the SLA monitor fired once (not once per missed period) and the daily report fired
    fired = [fid for fid, _ in recorder.calls]
    assert sorted(fired) == ["reports", "sla"]
    # A rule with a constant input delivers it as it is (as EventBridge does); others a "Scheduled Event"
    assert dict(recorder.calls)["reports"] == {"schedule": "reports-daily", "input": "daily"}
    event = dict(recorder.calls)["sla"]
    assert event["detail-type"] == "Scheduled Event"
    assert event["source"] == "aws.events"
    assert event["time"] == "2026-11-17T05:59:30Z"  # the rate's own due time
    assert event["resources"][0].startswith("arn:aws:events:eu-west-1:")
    # And nothing fires again within the same minute
    recorder.calls.clear()
    ticker.tick()
    assert recorder.calls == []


def _create_one_time(aws, name: str, at: datetime, payload: dict[str, Any]) -> None:
    import boto3

    boto3.client("scheduler", region_name="eu-west-1").create_schedule(
        Name=name,
        GroupName=aws.resolve["followups"],
        ScheduleExpression=f"at({at.strftime('%Y-%m-%dT%H:%M:%S')})",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={
            "Arn": function_arn("followups"),
            "RoleArn": aws.resolve["followups:role"],
            "Input": json.dumps(payload),
        },
        ActionAfterCompletion="DELETE",
    )


def _schedule_names(aws) -> set[str]:
    import boto3

    page = boto3.client("scheduler", region_name="eu-west-1").list_schedules(
        GroupName=aws.resolve["followups"]
    )
    return {s["Name"] for s in page["Schedules"]}


def test_due_one_time_schedules_invoke_their_target_with_the_input_and_are_deleted(aws, frozen_clock):
    # Given one follow-up due now and one due next week
    _create_one_time(aws, "case-1-week", T0 - timedelta(minutes=1), {"case_id": "c1", "label": "1 week"})
    _create_one_time(aws, "case-1-month", T0 + timedelta(days=7), {"case_id": "c1", "label": "1 month"})
    recorder = Recorder()
    ticker = _ticker(aws, recorder)
    _prime(ticker)
    # When the ticker ticks
    ticker.tick()
    # Then the due one fired with its input as the event, and is gone; the other waits
    assert recorder.calls == [("followups", {"case_id": "c1", "label": "1 week"})]
    assert _schedule_names(aws) == {"case-1-month"}
    # And a deterministic run with a horizon fires the later one too
    ticker.run_now(one_time_horizon=timedelta(days=8))
    assert ("followups", {"case_id": "c1", "label": "1 month"}) in recorder.calls
    assert _schedule_names(aws) == set()


def test_a_failing_one_time_target_is_retried_then_dropped(aws, frozen_clock):
    _create_one_time(aws, "case-2-week", T0 - timedelta(minutes=1), {"case_id": "c2", "label": "1 week"})
    recorder = Recorder(fail={"followups"})
    ticker = _ticker(aws, recorder)
    _prime(ticker)
    ticker.tick()
    assert _schedule_names(aws) == {"case-2-week"}  # kept for another attempt
    ticker.tick()
    ticker.tick()
    assert len([c for c in recorder.calls if c[0] == "followups"]) == 3
    assert _schedule_names(aws) == set()
