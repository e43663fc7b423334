"""The local stack under volume: 10,000 signed deliveries through `python -m infra.local`'s code, at a steady
rate, under 2 GB.

The stack runs in this process exactly as `make run` starts it (front door, embedded moto with the local
stack's patches, pollers, fake platforms), without keeping state on disk. A few clients POST signed Meta
feed comments, each from a new customer (so each is a new case: triage's heaviest path, a transaction
per case), over HTTP as fast as the stack answers. Measured:

- accepted: deliveries answered 2xx per second, first 1,000 against last 1,000;
- processed: messages that reached a case (triage done) per second, first 1,000 against last 1,000;
- the ratio last/first of each (1.0 = as fast at the end as at the start; the goal is at least 0.5);
- peak RSS of the process (VmHWM; the goal is under 2 GB) and the RSS after every 1,000.

HEARD_BENCH_LOCAL_DELIVERIES=N changes the volume (`make bench` runs 10,000: several minutes).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Any

DEFAULT_DELIVERIES = 10_000
CLIENTS = 4
WINDOW = 1_000
GOAL_RSS_MB = 2048
GOAL_RATIO = 0.5


def _status_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _processed_messages(table_name: str) -> int:
    """Messages triage has put on a case (`MSG#` items), read from moto's memory (no request needed)."""
    from moto.dynamodb.models import dynamodb_backends

    from infra.local.resources import ACCOUNT_ID, REGION

    table = dynamodb_backends[ACCOUNT_ID][REGION].tables[table_name]
    return sum(1 for key in list(table.items) if str(key.value).startswith("MSG#"))


def _rate(times: list[float], start: int, end: int) -> float:
    """Events per second between the start-th and the end-th event (0-based, inclusive)."""
    span = times[end] - times[start]
    return round((end - start) / span, 1) if span > 0 else float("inf")


def _windows(times: list[float]) -> dict[str, Any]:
    n = len(times)
    if n < 2 * WINDOW:
        return {"count": n, "per_second_overall": _rate(times, 0, n - 1) if n > 1 else None}
    first, last = _rate(times, 0, WINDOW - 1), _rate(times, n - WINDOW, n - 1)
    return {
        "count": n,
        "per_second_first_1000": first,
        "per_second_last_1000": last,
        "ratio_last_to_first": round(last / first, 2),
        "per_second_overall": _rate(times, 0, n - 1),
    }


def measure(deliveries: int) -> dict[str, Any]:
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")
    os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")  # EMF lines would mix with the JSON result
    from infra.local.demo import Post, delivery, signed_request
    from infra.local.resources import SECRET_DEFAULTS
    from infra.local.runner import LocalStack

    started = time.monotonic()
    stack = LocalStack(port=0, console=False, clock_speed=1.0)
    stack.start()
    try:
        table = stack.resources["cases"]
        run = str(time.time_ns())
        accepted: list[float] = []
        refused: list[int] = []
        lock = threading.Lock()
        counter = iter(range(deliveries))

        def client() -> None:
            while True:
                with lock:
                    number = next(counter, None)
                if number is None:
                    return
                post = Post("feed", f"Bench {run} customer {number}", f"Order {number} arrived broken, help!")
                platform, payload = delivery(post, unique=f"{run}{number}")
                request = signed_request(stack.base_url, platform, payload, SECRET_DEFAULTS)
                try:
                    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (local)
                        ok = 200 <= response.status < 300
                except (urllib.error.URLError, OSError):
                    ok = False
                with lock:
                    (accepted.append(time.monotonic()) if ok else refused.append(number))

        # Processed messages over time, sampled; and RSS at every 1,000 processed.
        processed_times: list[float] = []
        rss_mb: list[int] = []
        sending = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        send_started = time.monotonic()
        for thread in sending:
            thread.start()
        deadline = send_started + max(600.0, deliveries * 0.5)
        while time.monotonic() < deadline:
            now, done = time.monotonic(), _processed_messages(table)
            # Each newly seen message is stamped with this sample's time (0.25 s resolution).
            processed_times.extend([now] * (done - len(processed_times)))
            while len(rss_mb) < len(processed_times) // WINDOW:
                rss_mb.append(_status_kb("VmRSS") // 1024)
                print(
                    f"  {len(processed_times)} processed, {len(accepted)} accepted, "
                    f"{now - send_started:.0f} s, RSS {rss_mb[-1]} MB",
                    file=sys.stderr,
                    flush=True,
                )
            if done >= deliveries - len(refused) and not any(t.is_alive() for t in sending):
                break
            time.sleep(0.25)
        elapsed = time.monotonic() - send_started
        return {
            "deliveries": deliveries,
            "clients": CLIENTS,
            "refused": len(refused),
            "accepted": _windows(accepted),
            "processed": _windows(processed_times),
            "lost": len(accepted) - len(processed_times),
            "seconds": round(elapsed, 1),
            "start_seconds": round(send_started - started, 1),
            "rss_mb_every_1000": rss_mb,
            "peak_rss_mb": _status_kb("VmHWM") // 1024,
            "goal": {"peak_rss_mb_below": GOAL_RSS_MB, "ratio_at_least": GOAL_RATIO},
        }
    finally:
        stack.stop()


def run(args: argparse.Namespace) -> dict[str, Any]:
    deliveries = int(os.environ.get("HEARD_BENCH_LOCAL_DELIVERIES") or DEFAULT_DELIVERIES)
    # The handlers' metrics (EMF lines) go to stdout; keep stdout for the JSON result.
    with contextlib.redirect_stdout(sys.stderr):
        result = measure(deliveries)
    processed = result["processed"]
    result["meets_goal"] = (
        result["lost"] == 0
        and result["peak_rss_mb"] < GOAL_RSS_MB
        and processed.get("ratio_last_to_first", 0) >= GOAL_RATIO
        and result["accepted"].get("ratio_last_to_first", 0) >= GOAL_RATIO
    )
    return result
