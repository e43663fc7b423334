"""Crisis ownership (issue #12, R6) in real Chromium against the local stack: a post of a declared crisis
type goes to its point person; while the point person is away the next one goes to the backup, and the
backup sees the hand-over on the case in the console.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.console_helpers import _call, _id_token, _marker, _post_meta_comment, _sign_in

pytestmark = pytest.mark.browser
TRIAGE_SEES_CRISES = 0.6  # the local triage's active-crisis cache


def _crisis_case(base: str, token: str, marker: str, timeout: float = 20.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = _call(base, "GET", "/cases?status=assigned&team=pr&limit=100", token)["items"]
        found = [c for c in items if marker in c.get("summary", "")]
        if found:
            return dict(found[0])
        time.sleep(0.2)
    raise AssertionError(f"no assigned pr case with {marker!r} after {timeout}s")


def test_a_crisis_post_goes_to_the_point_person_and_to_the_backup_while_they_are_away(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    point, backup = users["supervisor"], users["admin"]  # config/heard.json: the "safety" crisis type
    point_token = _id_token(base, point, password)
    keyword = _marker()
    body = {
        "type": "safety",
        "name": f"Kettles {keyword}",
        "keywords": [keyword],
        "holding_statement": {
            "text": "We know some K2 kettles overheat and are investigating",
            "next_update": "by 15:00 UTC",
            "more_info": "https://example.com/k2",
        },
    }
    crisis = _call(base, "POST", "/crises", point_token, body)["crisis"]
    time.sleep(TRIAGE_SEES_CRISES)
    try:
        # When a matching post arrives, Then its case is the point person's
        first = _marker()
        assert _post_meta_comment(base, f"My kettle {keyword} is smoking {first}", first) == 200
        assert _crisis_case(base, point_token, first)["owner"] == point
        # When the point person is away, Then the next one goes to the backup
        _call(base, "PUT", "/me/availability", point_token, {"away": True})
        second = _marker()
        assert _post_meta_comment(base, f"Mine {keyword} smells of smoke too {second}", second) == 200
        case = _crisis_case(base, point_token, second)
        assert case["owner"] == backup
        # and the backup sees the hand-over on the case in the console
        page = new_page()
        _sign_in(page, backup, password)
        page.goto(f"/#/cases/{case['case_id']}")
        handed = page.locator("#timeline .kind-handed_over")
        expect(handed).to_contain_text(f"handed to the backup {backup}")
        expect(handed).to_contain_text(point)
    finally:  # the local stack is shared: the point person is back and the crisis ends
        _call(base, "PUT", "/me/availability", point_token, {"away": False})
        _call(base, "POST", f"/crises/{crisis['crisis_id']}/end", point_token, {})
        time.sleep(TRIAGE_SEES_CRISES)
