"""Escalation reaches a department and its answer comes back (issue #12), in real Chromium against the
local stack: a supervisor escalates a case urgently to the billing lead in the console; the email and the
SMS show in the local stack's sent view (what SES and SNS sent); the department follows the email's link
to the public answer page (no sign-in) and answers; the answer is an internal note on the case. A changed
link is refused with its reason.

Needs Debian's Chromium (`make browser`); skipped with the reason when it is missing.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from tests.e2e.console_helpers import _id_token, _marker, _post_meta_comment, _sign_in, _wait_for_queued_case

pytestmark = pytest.mark.browser


def _sent(base: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{base}/fake/mail.json", timeout=10) as response:
        return json.loads(response.read())


def test_a_department_answers_an_urgent_escalation_through_its_link(new_page: Any, local_stack: Any) -> None:
    from playwright.sync_api import expect

    base, users, password = local_stack.base_url, local_stack.users, local_stack.password
    marker = _marker()
    assert _post_meta_comment(base, f"I was charged twice for one order {marker}", marker) == 200
    case_id = _wait_for_queued_case(base, _id_token(base, users["supervisor"], password), marker)["case_id"]
    # Given a supervisor escalating the case urgently to the billing lead in the console
    page = new_page()
    _sign_in(page, users["supervisor"], password)
    page.goto(f"/#/cases/{case_id}")
    page.get_by_role("button", name="Escalate").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Lee Chen").check()
    dialog.get_by_label("Reason (required)").fill(f"Can we refund the second charge? {marker}")
    dialog.get_by_label("Urgent", exact=False).check()
    dialog.get_by_role("button", name="Escalate").click()
    expect(dialog).to_be_hidden()
    expect(page.locator("#timeline .kind-escalated")).to_contain_text("Lee Chen")
    # Then the sent view shows the email and the SMS to the billing lead, each with a link
    mail = new_page()
    mail.goto("/fake/mail")
    email = mail.locator("article.mail").filter(has_text=marker).filter(has_text="lee.chen@example.com")
    expect(email).to_have_count(1)
    sms = [s for s in _sent(base)["sms"] if case_id in s["text"] and s["to"] == "+15550103"]
    assert len(sms) == 1 and "/answer.html#" in sms[0]["text"]
    link = email.locator("a[href*='/answer.html#']").get_attribute("href")
    assert link and link.startswith(base)
    # When someone changes the link, the page refuses it and says why
    tampered = new_page()
    token = link.split("#", 1)[1]
    tampered.goto(f"/answer.html#{token[:-3]}{'AAA' if token[-3:] != 'AAA' else 'BBB'}")
    expect(tampered.locator("#answer-refused")).to_contain_text("changed")
    # When the department follows the real link (no sign-in) and answers
    email.locator("a[href*='/answer.html#']").click()
    expect(mail.locator(".answer-question")).to_contain_text(marker)
    expect(mail.locator(".answer-brief")).not_to_contain_text("Jo")  # no customer name
    mail.get_by_role("button", name="Send the answer").click()
    expect(mail.locator("#answer-error")).to_contain_text("Write an answer")
    mail.get_by_label("Your answer", exact=False).fill(f"Refund approved, reference R-{marker}")
    mail.get_by_role("button", name="Send the answer").click()
    expect(mail.locator(".answer-done")).to_contain_text(f"R-{marker}")
    # Then the answer is an internal note on the case, naming the billing lead
    page.reload()
    note = page.locator("#timeline .kind-note").filter(has_text=f"R-{marker}")
    expect(note).to_contain_text("Lee Chen")
