"""One customer across platforms (issue #10, R19): identities that give the same email, phone or order
number are linked by the indexer (off the request's path); agents merge two customers by hand and undo a
merge; the customer panel lists the linked identities and the previous cases on every platform. The real
handlers under moto, each with its own environment and role."""

from __future__ import annotations

from typing import Any

import pytest

from shared.models.interaction import Author, Platform
from shared.settings import get_settings
from shared.usecases.deps import reset_default_deps
from tests.integration.test_approvals_reviews import AGENT, as_, join_care
from tests.integration.test_case_lifecycle import comment, deliver
from tests.integration.test_search_api import index_changes

AUDITOR = ("audrey@heard.local", "auditor")


@pytest.fixture(autouse=True)
def _own_index(aws: Any, lambda_context: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEARD_SEARCH_PATH", str(tmp_path / "search.db"))
    get_settings.cache_clear()
    reset_default_deps()
    join_care(lambda_context, AGENT)


def on_instagram(platform_id: str, author_id: str, text: str) -> Any:
    base = comment(platform_id=platform_id, author_id=author_id, text=text)
    return base.model_copy(
        update={
            "platform": Platform.INSTAGRAM,
            "dedupe_key": f"instagram:{platform_id}:message",
            "author": Author(id=author_id, handle=f"{author_id}_ig"),
        }
    )


def case_of(aws: Any, ctx: Any, author_id: str) -> str:
    status, answer = as_(AGENT, "GET", "/api/cases?status=queued", ctx)
    assert status == 200
    return next(c["case_id"] for c in answer["items"] if c["customer"]["id"] == author_id)


def panel(ctx: Any, case_id: str) -> dict[str, Any]:
    status, answer = as_(AGENT, "GET", f"/api/cases/{case_id}/customer", ctx)
    assert status == 200, answer
    return answer


def test_the_same_email_on_two_platforms_links_them_and_an_agent_can_separate_them(
    aws, lambda_context, at_tuesday_morning
):
    # Given a Facebook comment and, later, an Instagram one from another account giving the same email
    deliver(
        [comment(platform_id="c-1", text="My order is late, write to jo@example.com")], aws, lambda_context
    )
    deliver([on_instagram("ig-1", "ig-77", "Still nothing! JO@example.com")], aws, lambda_context)
    # When the indexer has seen both
    index_changes(aws, lambda_context)
    facebook, instagram = case_of(aws, lambda_context, "cust-1"), case_of(aws, lambda_context, "ig-77")
    # Then the Instagram case's customer panel shows the Facebook identity, linked by email, and its case
    answer = panel(lambda_context, instagram)
    assert [(i["platform"], i["id"], i["linked_by"]) for i in answer["identities"]] == [
        ("instagram", "ig-77", None),
        ("facebook", "cust-1", "email"),
    ]
    assert [(c["case_id"], c["platform"]) for c in answer["other_cases"]] == [(facebook, "facebook")]
    assert [c["case_id"] for c in panel(lambda_context, facebook)["other_cases"]] == [instagram]
    # When an agent says they are different people
    body = {"platform": "facebook", "id": "cust-1"}
    status, answer = as_(AGENT, "POST", f"/api/cases/{instagram}/customer/unlink", lambda_context, body)
    assert status == 200
    assert [i["id"] for i in answer["identities"]] == ["ig-77"] and answer["other_cases"] == []
    # Then the same email given again does not link them again
    deliver([on_instagram("ig-2", "ig-77", "jo@example.com, remember?")], aws, lambda_context)
    index_changes(aws, lambda_context)
    assert [i["id"] for i in panel(lambda_context, instagram)["identities"]] == ["ig-77"]
    # and separating what is not linked is a 404
    assert as_(AGENT, "POST", f"/api/cases/{instagram}/customer/unlink", lambda_context, body)[0] == 404


def test_an_agent_merges_two_customers_by_hand_and_undoes_it(aws, lambda_context, at_tuesday_morning):
    deliver([comment(platform_id="c-1")], aws, lambda_context)
    deliver([on_instagram("ig-1", "ig-5", "same problem here, the parcel")], aws, lambda_context)
    facebook, instagram = case_of(aws, lambda_context, "cust-1"), case_of(aws, lambda_context, "ig-5")
    # When the agent merges the Instagram customer with the Facebook one
    merge = {"case_id": facebook}
    status, answer = as_(AGENT, "POST", f"/api/cases/{instagram}/customer/links", lambda_context, merge)
    # Then both panels show one customer with both cases
    assert status == 200
    assert answer["identities"][1] | {"linked_at": None} == {
        "platform": "facebook",
        "id": "cust-1",
        "handle": None,
        "name": "Jo Customer",
        "linked_by": "manual",
        "linked_at": None,
        "direct": True,
    }
    assert [c["case_id"] for c in panel(lambda_context, facebook)["other_cases"]] == [instagram]
    # and merging again, or a case with itself, is a conflict; an auditor may not merge; bad input is 4xx
    assert as_(AGENT, "POST", f"/api/cases/{instagram}/customer/links", lambda_context, merge)[0] == 409
    assert as_(AGENT, "POST", f"/api/cases/{facebook}/customer/links", lambda_context, merge)[0] == 409
    assert as_(AUDITOR, "POST", f"/api/cases/{instagram}/customer/links", lambda_context, merge)[0] == 403
    assert (
        as_(
            AGENT, "POST", f"/api/cases/{instagram}/customer/links", lambda_context, {"case_id": "nosuchcase"}
        )[0]
        == 404
    )
    assert (
        as_(AGENT, "POST", f"/api/cases/{instagram}/customer/links", lambda_context, {"case": facebook})[0]
        == 422
    )
    # When the agent undoes the merge, Then they are two customers again
    undo = {"platform": "instagram", "id": "ig-5"}
    status, answer = as_(AGENT, "POST", f"/api/cases/{facebook}/customer/unlink", lambda_context, undo)
    assert status == 200 and answer["other_cases"] == []
    assert panel(lambda_context, instagram)["other_cases"] == []
