"""The audit trail in real Chromium against the local stack (#14): a supervisor opens a case in the console
and an admin replaces the configuration; an auditor finds both on the Audit page, checks the chain and
exports it as CSV — and sees no other part of the console.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console_helpers import (
    _call,
    _id_token,
    _marker,
    _post_meta_comment,
    _sign_in,
    _wait_for_queued_case,
)

pytestmark = pytest.mark.browser


def test_an_auditor_sees_who_read_a_case_and_who_changed_the_configuration(
    new_page: Any, local_stack: Any
) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    marker = _marker()
    # Given a case, opened by a supervisor in the console
    assert _post_meta_comment(base, f"Where is my parcel {marker}? Nobody answers.", marker) == 200
    local_stack.drain_queues(timeout=20)
    supervisor_token = _id_token(base, users["supervisor"], password)
    case_id = _wait_for_queued_case(base, supervisor_token, marker)["case_id"]
    supervisor = new_page()
    _sign_in(supervisor, users["supervisor"], password)
    supervisor.goto(f"/#/cases/{case_id}")
    expect(supervisor.locator("#timeline .kind-message_in").filter(has_text=marker)).to_be_visible()
    expect(supervisor.get_by_role("link", name="Audit")).to_be_hidden()  # supervisors do not audit
    # and an admin replacing the configuration (with itself)
    admin_token = _id_token(base, users["admin"], password)
    config = _call(base, "GET", "/config", admin_token)["config"]
    _call(base, "PUT", "/config", admin_token, config)

    # When an auditor opens the audit trail and looks for reads of that case
    auditor = new_page()
    _sign_in(auditor, users["auditor"], password)
    for hidden in ("Reports", "Crises", "Approvals", "Blind review"):
        expect(auditor.get_by_role("link", name=hidden)).to_be_hidden()
    auditor.get_by_role("link", name="Audit").click()
    expect(auditor.get_by_role("heading", name="Audit trail")).to_be_visible()
    auditor.get_by_label("What").select_option("case.read")
    auditor.get_by_label("On", exact=True).fill(case_id)
    auditor.get_by_role("button", name="Search").click()
    # Then the supervisor's read is there: who, what, on which case, the answer
    row = auditor.locator("#audit-records tbody tr").filter(has_text=users["supervisor"]).first
    expect(row).to_contain_text("case.read")
    expect(row).to_contain_text(case_id)
    expect(row).to_contain_text("200")
    # and the admin's configuration change
    auditor.get_by_label("What").select_option("config.change")
    auditor.get_by_label("On", exact=True).fill("")
    auditor.get_by_role("button", name="Search").click()
    expect(auditor.locator("#audit-records tbody tr").filter(has_text=users["admin"]).first).to_contain_text(
        "config.change"
    )
    # When the hourly sealer has copied the trail to the write-once vault and the auditor checks the chain
    sealed = local_stack.invoker.invoke(
        "audit-seal", {"source": "aws.events", "detail-type": "Scheduled Event"}
    )
    assert sealed["records"] >= 1 and sealed["problem"] is None
    auditor.get_by_role("button", name="Check integrity").click()
    # Then it is intact, and its records match their sealed copies
    expect(auditor.locator("#audit-verdict")).to_contain_text("Intact")
    expect(auditor.locator("#audit-verdict")).to_contain_text("match their sealed write-once copies")
    # When the auditor exports it, Then a CSV with the read arrives
    with auditor.expect_download() as download:
        auditor.get_by_role("button", name="Export CSV").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("seq,at,actor") and case_id in text and "config.change" in text
