"""The schedule ticker: EventBridge's and EventBridge Scheduler's part on one machine, in Heard time.

- Every `ScheduleTrigger` of the wiring (`rate(...)` or `cron(...)`) fires its function with a real
  "Scheduled Event", judged against `shared.clock.now()`, so a faster clock fires them sooner.
- For every `ScheduleGroup`, the one-time schedules the functions created in moto (`at(...)`) are listed;
  those due are fired by invoking the group's target function with the schedule's `Target.Input`, then
  deleted (moto stores schedules but never runs them).
"""

from __future__ import annotations

import calendar
import json
import logging
import re
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from infra.local.events import scheduled_event
from infra.local.invoke import Invoker
from infra.local.resources import PREFIX, function_arn
from infra.wiring import Wiring
from shared import clock

log = logging.getLogger("heard.local")

MAX_ONE_TIME_ATTEMPTS = 3  # Scheduler retries a failing target; after that the schedule is dropped here
_CATCH_UP_LIMIT = timedelta(days=1)  # how far back a cron catches up after a pause or a fast clock


# ---- expressions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    every: timedelta


_MONTHS = {
    name: i
    for i, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1
    )
}
_DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}  # AWS: 1 = Sunday


@dataclass(frozen=True)
class Cron:
    """AWS's six-field cron: minutes hours day-of-month month day-of-week year (UTC)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int] | None  # None for "?"
    last_day_of_month: bool
    months: frozenset[int]
    weekdays: frozenset[int] | None  # 1 = Sunday ... 7 = Saturday; None for "?"
    nth_weekday: tuple[int, int] | None  # "6#3": the third Friday
    last_weekday: int | None  # "6L": the last Friday of the month
    years: frozenset[int] | None  # None for "*"

    def matches(self, moment: datetime) -> bool:
        m = moment.astimezone(UTC)
        if m.minute not in self.minutes or m.hour not in self.hours or m.month not in self.months:
            return False
        if self.years is not None and m.year not in self.years:
            return False
        aws_weekday = (m.isoweekday() % 7) + 1  # Monday=1 in Python's isoweekday -> Monday=2 in AWS
        last_day = calendar.monthrange(m.year, m.month)[1]
        if self.last_day_of_month:
            return m.day == last_day
        if self.days is not None:
            return m.day in self.days
        if self.nth_weekday is not None:
            weekday, nth = self.nth_weekday
            return aws_weekday == weekday and (m.day - 1) // 7 + 1 == nth
        if self.last_weekday is not None:
            return aws_weekday == self.last_weekday and m.day + 7 > last_day
        return self.weekdays is None or aws_weekday in self.weekdays


def _field(text: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    values: set[int] = set()

    def number(token: str) -> int:
        token = token.upper()
        value = names[token] if names and token in names else int(token)
        if not low <= value <= high:
            raise ValueError(f"{value} is outside {low}-{high}")
        return value

    for part in text.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/", 1)
            step = int(step_text)
            if step < 1:
                raise ValueError("step must be at least 1")
        if part == "*":
            start, end = low, high
        elif "-" in part:
            first, last = part.split("-", 1)
            start, end = number(first), number(last)
        else:
            start = number(part)
            end = high if step > 1 else start
        values.update(range(start, end + 1, step))
    return frozenset(values)


def parse_cron(body: str) -> Cron:
    fields = body.split()
    if len(fields) != 6:
        raise ValueError(f"cron needs 6 fields, got {len(fields)}: {body!r}")
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ValueError("exactly one of day-of-month and day-of-week must be '?'")
    days, last_dom, weekdays, nth, last_wd = None, False, None, None, None
    if dom == "L":
        last_dom = True
    elif dom != "?":
        if "W" in dom.upper():
            raise ValueError("the W (nearest weekday) form is not supported locally")
        days = _field(dom, 1, 31)
    if dow != "?":
        if "#" in dow:
            wd, n = dow.split("#", 1)
            nth = (next(iter(_field(wd, 1, 7, _DAYS))), int(n))
        elif dow.upper().endswith("L") and dow.upper() not in _DAYS:
            last_wd = next(iter(_field(dow[:-1], 1, 7, _DAYS)))
        else:
            weekdays = _field(dow, 1, 7, _DAYS)
    return Cron(
        minutes=_field(minute, 0, 59),
        hours=_field(hour, 0, 23),
        days=days,
        last_day_of_month=last_dom,
        months=_field(month, 1, 12, _MONTHS),
        weekdays=weekdays,
        nth_weekday=nth,
        last_weekday=last_wd,
        years=None if year == "*" else _field(year, 1970, 2199),
    )


_RATE = re.compile(r"^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$")
_UNITS = {"minute": "minutes", "hour": "hours", "day": "days"}


def parse_expression(expression: str) -> Rate | Cron:
    """`rate(N minute(s)/hour(s)/day(s))` or `cron(m h dom mon dow year)`; anything else is an error."""
    text = expression.strip()
    rate = _RATE.match(text)
    if rate:
        amount, unit = int(rate.group(1)), rate.group(2)
        if amount < 1:
            raise ValueError(f"rate must be positive: {expression!r}")
        return Rate(timedelta(**{_UNITS.get(unit, unit): amount}))
    if text.startswith("cron(") and text.endswith(")"):
        return parse_cron(text[5:-1])
    raise ValueError(f"unsupported schedule expression: {expression!r}")


_AT = re.compile(r"^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$")


def parse_at(expression: str, timezone: str | None = None) -> datetime:
    """A one-time Scheduler expression `at(yyyy-mm-ddThh:mm:ss)` in its time zone (UTC by default)."""
    found = _AT.match(expression.strip())
    if not found:
        raise ValueError(f"not a one-time schedule expression: {expression!r}")
    naive = datetime.fromisoformat(found.group(1))
    return naive.replace(tzinfo=ZoneInfo(timezone) if timezone else UTC).astimezone(UTC)


# ---- bindings -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleBinding:
    schedule_id: str
    expression: str
    function_id: str
    input: str | None = None  # the rule's constant input (ScheduleTrigger.input)


def schedule_bindings(wiring: Wiring) -> list[ScheduleBinding]:
    """Every recurring schedule of the wiring: exactly what the ticker fires."""
    return sorted(
        (
            ScheduleBinding(s.id, s.expression, fn.id, s.input)
            for fn in wiring.functions
            for s in fn.schedules
        ),
        key=lambda b: (b.expression, b.function_id, b.schedule_id),
    )


@dataclass
class _Recurring:
    binding: ScheduleBinding
    rule: Rate | Cron
    next_due: datetime | None = None  # rates
    checked_until: datetime | None = None  # crons: last minute looked at


@dataclass
class _OneTimeState:
    attempts: dict[str, int] = field(default_factory=dict)


class Ticker:
    def __init__(
        self,
        wiring: Wiring,
        invoker: Invoker,
        scheduler: Callable[[], Any],
        resolve: dict[str, str],
        stop: threading.Event,
        interval_seconds: float = 0.5,
        expire: Callable[[datetime], Any] | None = None,
    ) -> None:
        self._wiring = wiring
        self._invoker = invoker
        self._scheduler = scheduler
        self._resolve = resolve
        self._stop = stop
        self._interval = interval_seconds
        self._lock = threading.Lock()
        self._recurring = [_Recurring(b, parse_expression(b.expression)) for b in schedule_bindings(wiring)]
        self._one_time = _OneTimeState()
        self._expire = expire  # TTL and lifecycle expiry (infra/local/expiry.py), hourly in Heard time
        self._expired_at: datetime | None = None
        self._thread = threading.Thread(target=self._run, name="heard-ticker", daemon=True)
        # (schedule id or name, function id), newest last; bounded so a long demo does not grow it forever
        self.fired: deque[tuple[str, str]] = deque(maxlen=1000)

    def start(self) -> None:
        start = clock.now()
        for item in self._recurring:
            if isinstance(item.rule, Rate):
                item.next_due = start + item.rule.every  # a rate schedule's first run is one period away
            item.checked_until = start.replace(second=0, microsecond=0)
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 (one failed tick must not stop the schedules)
                log.exception("ticker failed")

    def tick(self) -> None:
        """Fire what is due now in Heard time."""
        with self._lock:
            now = clock.now()
            for item in self._recurring:
                due = self._due(item, now)
                if due is not None:
                    self._fire(item.binding, due)
            self._fire_one_time(now)
            self._expire_due(now)

    def _expire_due(self, now: datetime) -> None:
        from infra.local.expiry import EVERY

        if self._expire is None or (self._expired_at is not None and now - self._expired_at < EVERY):
            return
        self._expired_at = now
        try:
            self._expire(now)
        except Exception:  # noqa: BLE001 (housekeeping; the next hour tries again)
            log.exception("local expiry failed")

    def run_now(self, one_time_horizon: timedelta = timedelta(0)) -> None:
        """Fire every recurring schedule once, and the one-time schedules due within the horizon."""
        with self._lock:
            now = clock.now()
            for item in self._recurring:
                self._fire(item.binding, now)
            self._fire_one_time(now + one_time_horizon)

    def _due(self, item: _Recurring, now: datetime) -> datetime | None:
        if isinstance(item.rule, Rate):
            assert item.next_due is not None
            if now < item.next_due:
                return None
            due = item.next_due
            while item.next_due <= now:  # a paused or fast clock fires once, not once per missed period
                due = item.next_due
                item.next_due += item.rule.every
            return due
        assert item.checked_until is not None
        minute = max(item.checked_until, now - _CATCH_UP_LIMIT).replace(second=0, microsecond=0)
        last = now.replace(second=0, microsecond=0)
        found = None
        while minute < last:
            minute += timedelta(minutes=1)
            if item.rule.matches(minute):
                found = minute
        item.checked_until = last
        return found

    def _fire(self, binding: ScheduleBinding, at: datetime) -> None:
        event: dict[str, Any] = (
            {"schedule": binding.schedule_id, "input": binding.input}
            if binding.input
            else scheduled_event(f"{PREFIX}-{binding.schedule_id}", at)
        )
        try:
            self._invoker.invoke(binding.function_id, event)
            log.debug(
                "schedule fired", extra={"schedule": binding.schedule_id, "function": binding.function_id}
            )
        except Exception:  # noqa: BLE001 (a function error; EventBridge would retry, the next tick will)
            log.exception(
                "scheduled function failed",
                extra={"schedule": binding.schedule_id, "function": binding.function_id},
            )
        self.fired.append((binding.schedule_id, binding.function_id))

    def _fire_one_time(self, until: datetime) -> None:
        client = self._scheduler()
        for group in self._wiring.schedule_groups:
            group_name = self._resolve[group.id]
            for summary in self._list(client, group_name):
                name = summary["Name"]
                detail = client.get_schedule(Name=name, GroupName=group_name)
                try:
                    due = parse_at(detail["ScheduleExpression"], detail.get("ScheduleExpressionTimezone"))
                except ValueError:
                    continue  # recurring schedules in a group are not Heard's; leave them alone
                if due > until or detail.get("State", "ENABLED") != "ENABLED":
                    continue
                function_id = self._target_function(
                    detail.get("Target", {}).get("Arn"), group.target_function
                )
                self._fire_schedule(client, group_name, name, function_id, detail.get("Target", {}))

    @staticmethod
    def _list(client: Any, group_name: str) -> list[dict[str, Any]]:
        schedules: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            page = client.list_schedules(GroupName=group_name, **({"NextToken": token} if token else {}))
            schedules.extend(page.get("Schedules", []))
            token = page.get("NextToken")
            if not token:
                return schedules

    def _target_function(self, arn: str | None, default: str) -> str:
        for function in self._wiring.functions:
            if arn == function_arn(function.id):
                return function.id
        return default

    def _fire_schedule(
        self, client: Any, group_name: str, name: str, function_id: str, target: dict[str, Any]
    ) -> None:
        raw = target.get("Input")
        try:
            event = json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            event = raw  # Scheduler passes non-JSON input through as a string
        try:
            self._invoker.invoke(function_id, event)
        except Exception:  # noqa: BLE001 (retried on the next ticks, then dropped like Scheduler does)
            attempts = self._one_time.attempts.get(name, 0) + 1
            self._one_time.attempts[name] = attempts
            log.exception("one-time schedule failed", extra={"schedule": name, "attempt": attempts})
            if attempts < MAX_ONE_TIME_ATTEMPTS:
                return
        client.delete_schedule(Name=name, GroupName=group_name)
        self._one_time.attempts.pop(name, None)
        self.fired.append((name, function_id))
        log.info("one-time schedule fired", extra={"schedule": name, "function": function_id})
