"""`python -m infra.local` (issue #10's bugs): quiet function logs by default, verbose on request, and a
port already in use says how to choose another."""

from __future__ import annotations

import errno

from infra.local.__main__ import function_log_settings, parse_args, start_error


def test_function_logs_are_quiet_by_default_and_verbose_on_request(monkeypatch):
    monkeypatch.delenv("HEARD_VERBOSE", raising=False)
    assert parse_args([]).verbose is False
    assert function_log_settings(False) == {
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
    assert parse_args(["--verbose"]).verbose is True
    monkeypatch.setenv("HEARD_VERBOSE", "1")
    assert parse_args([]).verbose is True
    assert function_log_settings(True) == {"POWERTOOLS_LOG_LEVEL": "INFO"}


def test_a_port_in_use_names_heard_port():
    message = start_error(OSError(errno.EADDRINUSE, "Address already in use"), 8000)
    assert "port 8000 is already in use" in message and "HEARD_PORT=8001" in message
    assert start_error(OSError(errno.EACCES, "Permission denied"), 80) == (
        "could not start Heard: [Errno 13] Permission denied"
    )
