"""Privacy in real Chromium against the local stack (#14): an admin finds a customer by their case, exports
everything Heard holds on them, erases them, and the case shows the erasure (the erasure worker has
deleted their raw delivery by then), and no store of the local stack holds their words any more.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.console_helpers import _id_token, _marker, _post_meta_comment, _sign_in, _wait_for_queued_case

pytestmark = pytest.mark.browser


def test_an_admin_exports_a_customers_data_then_erases_them(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    marker = _marker()
    # Given a customer's case
    assert _post_meta_comment(base, f"My parcel {marker} never came", marker) == 200
    local_stack.drain_queues(timeout=20)
    case_id = _wait_for_queued_case(base, _id_token(base, users["admin"], password), marker)["case_id"]
    # When an admin finds the customer on the Privacy page by the case
    admin = new_page()
    _sign_in(admin, users["admin"], password)
    admin.get_by_role("link", name="Privacy").click()
    admin.get_by_label("A case of theirs").fill(case_id)
    admin.get_by_role("button", name="Find").click()
    expect(admin.locator("#privacy-customer")).to_have_text("Dana Browser")
    expect(admin.locator("#privacy-result")).to_contain_text(case_id)
    # and exports what Heard holds on them
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Export data (HTML)").click()
    page = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Dana Browser" in page and marker in page and case_id in page
    # (their words are in the local stack's stores now: the scan below reaches them)
    from tests.integration.test_erasure import everything, traces

    assert {where.split(":")[0] for where, _ in traces(everything(None), [marker])} >= {"dynamodb", "s3"}
    # and erases them, confirming
    admin.get_by_role("button", name="Erase this customer…").click()
    admin.get_by_role("button", name="Erase for good").click()
    expect(admin.locator("#privacy-erased")).to_be_visible()
    row = admin.locator("#erasures tbody tr").filter(has_text=case_id)
    expect(row).to_contain_text(users["admin"])
    # Then the case shows the erasure, and the customer's words are gone from it
    admin.goto(f"/#/cases/{case_id}")
    expect(admin.locator("#case-erased")).to_contain_text("erased on request")
    expect(admin.locator("#timeline .kind-erased")).to_be_visible()
    expect(admin.locator("#timeline")).not_to_contain_text(marker)
    expect(admin.locator("main")).not_to_contain_text("Dana Browser")
    # and the raw archive's erasure completes (the worker runs from the erasure queue)
    local_stack.drain_queues(timeout=20)
    admin.goto("/#/privacy")
    expect(admin.locator("#erasures tbody tr").filter(has_text=case_id)).to_contain_text("done")
    # and no store of the local stack holds anything of theirs any more: every table, every version of every
    # object (raw archive, attachments, analytics files read row by row), every queue and topic
    local_stack.drain_queues(timeout=20)  # the stream's readers (search, analytics) have seen the erasure
    assert traces(everything(None), [marker]) == []
