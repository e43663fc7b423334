"""`python -m infra.local`: start Heard on this machine (what `make run` and `make demo` call)."""

from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from infra.local.resources import DEFAULT_PASSWORD

DEFAULT_STATE_DIR = Path(__file__).resolve().parents[2] / ".heard-local"

_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class _ExtraFormatter(logging.Formatter):
    """`time level message key=value ...`: log messages are constant, the data rides in `extra`."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = " ".join(f"{k}={v}" for k, v in vars(record).items() if k not in _STANDARD)
        return f"{line} {extras}" if extras else line


def _env_number(name: str, default: float, kind: type = float) -> Any:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a number, got {raw!r}") from None


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m infra.local", description="Run Heard locally (no AWS account)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=_env_number("HEARD_PORT", 8000, int),
        help="front door port (env HEARD_PORT, default 8000; 0 picks a free one)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument(
        "--demo", action="store_true", help="replay a stream of realistic posts as signed webhooks"
    )
    parser.add_argument(
        "--clock-speed",
        type=float,
        default=_env_number("HEARD_CLOCK_SPEED", 1.0),
        help="Heard time per real time (env HEARD_CLOCK_SPEED; 60 = a minute per second)",
    )
    parser.add_argument("--no-console", action="store_true", help="do not serve the console's static files")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="check every AWS call a function makes against its deployed role (synthesises the stack first)",
    )
    parser.add_argument(
        "--state-dir",
        type=Path,
        default=Path(os.environ.get("HEARD_STATE_DIR") or DEFAULT_STATE_DIR),
        help="where the raw webhook archive is kept across restarts (env HEARD_STATE_DIR, default .heard-local/)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        default=os.environ.get("HEARD_VERBOSE", "") not in ("", "0"),
        help="print every function's JSON log line and metrics (env HEARD_VERBOSE=1; default: warnings only)",
    )
    parser.add_argument(
        "--ephemeral", action="store_true", help="keep nothing: start empty and forget everything on exit"
    )
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    if args.clock_speed <= 0:
        parser.error("--clock-speed must be positive")
    return args


def function_log_settings(verbose: bool) -> dict[str, str]:
    """Quiet by default: a console polls every few seconds, and one JSON line per request scrolled the
    banner with the demo users away. Warnings and errors still show; --verbose shows everything."""
    if verbose:
        return {"POWERTOOLS_LOG_LEVEL": "INFO"}
    return {"POWERTOOLS_LOG_LEVEL": "WARNING", "POWERTOOLS_METRICS_DISABLED": "true"}


def start_error(error: OSError, port: int) -> str:
    """What to print when Heard cannot start; a port in use says how to pick another."""
    if error.errno == errno.EADDRINUSE:
        return (
            f"could not start Heard: port {port} is already in use. "
            f"Stop what uses it, or pick another port: HEARD_PORT={port + 1} make run"
        )
    return f"could not start Heard: {error}"


def banner(stack: Any, args: argparse.Namespace) -> str:
    users = "\n".join(f"      {role:<11} {email}" for role, email in stack.users.items())
    lines = [
        "",
        "  Heard is running locally.",
        "",
        f"    Console      {stack.base_url}/" + ("  (not served: --no-console)" if args.no_console else ""),
        f"    API          {stack.base_url}/api/...   webhooks {stack.base_url}/webhooks/<platform>",
        f"    Health       {stack.base_url}/health",
        "    Sign in as:",
        users,
        f"    Password     {stack.password}"
        + ("" if stack.password != DEFAULT_PASSWORD else "  (set HEARD_DEMO_PASSWORD to change)"),
        f"    Clock        x{args.clock_speed:g}"
        + ("  (one real second is one Heard minute)" if args.clock_speed == 60 else ""),
        "    Kept         "
        + (
            "nothing (--ephemeral)"
            if args.ephemeral
            else f"the raw webhook archive, in {args.state_dir} (cases are rebuilt from it at start)"
        ),
    ]
    if getattr(stack, "chat", None) is not None:  # the fake Slack/Teams webhook (docs/events.md)
        lines.append(
            f"    Chat fake    {stack.chat.url}/hooks/demo  (Admin > Chat notifier; received: {stack.base_url}/fake/chat)"
        )
    if args.demo:
        lines.append("    Demo         replaying ~40 social posts as signed webhooks, one every few seconds")
    if not args.verbose:
        lines.append(
            "    Logs         warnings and errors only (--verbose or HEARD_VERBOSE=1 for every request)"
        )
    lines += ["", "  Press Ctrl-C to stop.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_ExtraFormatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    local_log = logging.getLogger("heard.local")
    local_log.addHandler(handler)
    local_log.setLevel(logging.INFO)
    local_log.propagate = False
    for name, value in function_log_settings(args.verbose).items():  # before the functions' logger exists
        os.environ.setdefault(name, value)

    from infra.local.runner import LocalStack  # after logging: importing it is most of the start-up

    stack = LocalStack(
        port=args.port,
        demo=args.demo,
        clock_speed=args.clock_speed,
        host=args.host,
        console=not args.no_console,
        strict=args.strict,
        state_dir=None if args.ephemeral else args.state_dir,
    )
    stopping = threading.Event()

    def on_signal(*_: Any) -> None:
        stack.stop_accepting()  # 503 at once; the main loop then drains and stops
        stopping.set()

    # Ctrl-C and SIGTERM (e.g. from a process manager) both stop cleanly. SIGINT is handled explicitly
    # because a shell starting us in the background may have set it to "ignore".
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        stack.start()
        if not stopping.is_set():
            print(banner(stack, args), flush=True)
        while not stopping.wait(0.2):
            pass
    except OSError as error:
        print(start_error(error, args.port), file=sys.stderr)
        stack.stop()
        return 1
    print("\n  stopping Heard ...", flush=True)
    stack.stop()
    print("  stopped.", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
