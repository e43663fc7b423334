"""Issue 17's "Done when" (its crisis part) over real HTTP against the local stack: a crisis is declared,
three customers on three platforms (a Facebook comment, a WhatsApp message, an X mention) get the holding
statement with the status page's link, the supervisor updates the statement and all three receive the
update exactly once (the fake platforms show it, even after "send again"), and the public status page
shows the history.

The crisis matches only words this test made up, and the test ends it and resolves its cases, because the
stack is shared with the other end-to-end tests."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.test_platforms_e2e import facebook_comment, whatsapp_text, x_mention
from tests.e2e.webclient import call, cases_of_customer, deliver, resolve_case, sent_to_fakes

pytestmark = pytest.mark.e2e

STATEMENT = "We know some orders are delayed by a courier outage and are working on it"
UPDATE = "The courier is delivering again; delayed orders arrive within two days"


def _api(stack: Any, token: str, method: str, path: str, body: Any = None) -> Any:
    answer = call(stack.base_url, method, f"/api{path}", token=token, json_body=body)
    assert answer.status < 300, answer.body
    return answer.json() if answer.body else None


def test_three_customers_on_three_platforms_get_the_statement_and_each_update_once(local_stack) -> None:
    stack = local_stack
    token = stack.sign_in(stack.users["supervisor"])
    customers = [facebook_comment(), whatsapp_text(), x_mention()]
    declare = {
        "type": "outage",
        "name": "Courier outage",
        "keywords": [c.marker for c in customers],
        "topics": [],
        "holding_statement": {"text": STATEMENT, "next_update": "by 18:00 UTC", "more_info": "our site"},
    }
    crisis = _api(stack, token, "POST", "/crises", declare)["crisis"]
    case_ids: list[str] = []
    try:
        # When three customers write about it on three platforms
        for customer in customers:
            assert deliver(stack, customer.webhook, customer.payload).status == 200
        assert stack.drain_queues(timeout=30), "the queues did not drain"
        for customer in customers:
            cases = cases_of_customer(stack, token, customer.customer_id)
            assert len(cases) == 1 and cases[0]["crisis_id"] == crisis["crisis_id"], cases
            case_ids.append(cases[0]["case_id"])
        # Then each got the holding statement with the status page's link, once
        holding = sent_to_fakes(stack, STATEMENT)
        assert len(holding) == 3, holding
        assert all(crisis["status_url"] in str(r["json"]) for r in holding)
        # When the supervisor updates the statement
        statement = {**declare["holding_statement"], "text": UPDATE}
        _api(stack, token, "PATCH", f"/crises/{crisis['crisis_id']}", {"holding_statement": statement})
        assert stack.drain_queues(timeout=30), "the update did not go out"
        # Then all three receive it exactly once, on their own platform, even after "send again"
        assert sorted(r["platform"] for r in sent_to_fakes(stack, UPDATE)) == ["meta", "meta", "x"]
        _api(stack, token, "POST", f"/crises/{crisis['crisis_id']}/updates")
        assert stack.drain_queues(timeout=30)
        assert len(sent_to_fakes(stack, UPDATE)) == 3
        progress = _api(stack, token, "GET", f"/crises/{crisis['crisis_id']}/updates")["items"][0]
        assert (progress["statement_version"], progress["queued"], progress["sent"]) == (2, 3, 3)
        # And the public status page shows the update above the first statement
        page = call(stack.base_url, "GET", crisis["status_url"].removeprefix(stack.base_url))
        assert page.status == 200
        html = page.body.decode("utf-8")
        assert html.index(UPDATE) < html.index(STATEMENT)
    finally:
        _api(stack, token, "POST", f"/crises/{crisis['crisis_id']}/end", {})
        for case_id in case_ids:
            resolve_case(stack, token, case_id)
