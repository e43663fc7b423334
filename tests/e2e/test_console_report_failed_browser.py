"""A report that cannot be made (issue 13), in real Chromium against the local stack: the reports function
fails it on every receive of the report-requests queue; after the last one the supervisor's list shows
"Failed" with the reason and a Retry button; once the store reads again, Retry queues it and it is made.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.resources import LOCAL_TRIGGER_VISIBILITY_SECONDS
from shared.errors import Unavailable
from shared.usecases import reports
from tests.e2e.console_helpers import _sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def quick_redelivery(local_stack: Any) -> Any:
    """The report-requests queue redelivers a failed job after 1 s instead of the local 20 s."""
    sqs, url = local_stack.client("sqs"), local_stack.resources["report-requests"]
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "1"})
    yield
    sqs.set_queue_attributes(
        QueueUrl=url, Attributes={"VisibilityTimeout": str(LOCAL_TRIGGER_VISIBILITY_SECONDS)}
    )


def test_a_failed_report_shows_its_reason_and_retry_makes_it(
    new_page: Any, local_stack: Any, quick_redelivery: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    # Given the analytics store cannot be read (the functions run in this process)
    def unreadable(*args: Any, **kwargs: Any) -> Any:
        raise Unavailable("reading analytics records failed (SlowDown)")

    monkeypatch.setattr(reports, "make", unreadable)
    page = new_page()
    _sign_in(page, local_stack.users["supervisor"], local_stack.password)
    page.get_by_role("link", name="Reports").click()
    page.locator("#dashboard-period").select_option("day")
    # When the supervisor asks for a report and every attempt fails
    page.get_by_role("button", name="Generate now").click()
    failed = page.locator('table.reports tbody tr[data-status="failed"]').first
    # Then the list shows it failed, with the reason and the attempts, and offers Retry
    expect(failed).to_contain_text("Failed", timeout=30_000)
    expect(failed.locator(".failure-reason")).to_contain_text("reading analytics records failed (SlowDown)")
    expect(failed.locator(".failure-reason")).to_contain_text("after 3 attempts")
    report_id = failed.get_attribute("data-report-id")
    # When the store reads again and they retry
    monkeypatch.undo()
    failed.get_by_role("button", name="Retry").click()
    # Then it is queued again and made
    expect(page.get_by_role("status")).to_contain_text("Report ready", timeout=30_000)
    made = page.locator(f'table.reports tbody tr[data-report-id="{report_id}"]')
    expect(made).not_to_have_attribute("data-status", "failed")
    expect(made.get_by_role("button", name="Download CSV")).to_be_visible()
