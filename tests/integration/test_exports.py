"""Subject access (GDPR art. 15) and conversation exports (R25) through the API handler under moto: JSON
lines parsed line by line, the HTML parsed and read; each export in the audit trail with who asked."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from typing import Any

import pytest

from infra.local.events import apigw_event
from tests.integration.test_approvals_reviews import AGENT, SUPERVISOR, as_
from tests.integration.test_erasure import ADMIN, AUDITOR, OTHER, ZELDA, comment_feed, post
from tests.integration.test_redaction_corpus import drain_ingest


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_html(body: str) -> _Text:
    parser = _Text()
    parser.feed(body)
    return parser


def raw(user: tuple[str, str], path: str, ctx: Any) -> dict[str, Any]:
    """The API's whole answer (headers and body as text), for file downloads."""
    from functions.api.handler import handler

    path, _, query = path.partition("?")
    event = apigw_event(
        method="GET",
        raw_path=path,
        query=query,
        headers=[],
        body=b"",
        resource="/api/{proxy+}",
        path_parameters={"proxy": path.removeprefix("/api/")},
        source_ip="127.0.0.1",
        claims={"email": user[0], "cognito:groups": user[1], "sub": f"sub-{user[0]}"},
    )
    return handler(event, ctx)


@pytest.fixture
def two_customers(aws: Any, lambda_context: Any, at_tuesday_morning: Any) -> dict[str, str]:
    now = int(at_tuesday_morning["now"].timestamp())
    post(
        comment_feed("9001_1", ZELDA, "Zebrafruit parcel QX-55123 never arrived", now),
        at_tuesday_morning["now"],
        lambda_context,
    )
    post(
        comment_feed("9001_2", ZELDA, "Still nothing & no <reply>", now + 60),
        at_tuesday_morning["now"],
        lambda_context,
    )
    post(
        comment_feed("9001_3", OTHER, "Otto's order 77 is late", now + 90),
        at_tuesday_morning["now"],
        lambda_context,
    )
    drain_ingest(aws, lambda_context)
    ids = {}
    for who in (ZELDA, OTHER):
        found = as_(
            ADMIN, "GET", f"/api/privacy/customers?platform=facebook&customer_id={who['id']}", lambda_context
        )[1]
        ids[who["id"]] = found["cases"][0]["case_id"]
    return ids


def content_type(answer: dict[str, Any]) -> str:
    single = answer.get("headers") or {}
    return str(
        single.get("Content-Type") or (answer.get("multiValueHeaders") or {}).get("Content-Type", [""])[0]
    )


def lines(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert answer["statusCode"] == 200, answer.get("body")
    return [json.loads(line) for line in answer["body"].splitlines()]


def test_an_admin_exports_everything_held_on_a_customer(aws, lambda_context, two_customers):
    zelda = two_customers["zq-77"]
    # When an admin exports Zelda's data as JSON lines
    answer = raw(
        ADMIN,
        "/api/privacy/customers/export?platform=facebook&customer_id=zq-77&format=jsonl",
        lambda_context,
    )
    got = lines(answer)
    # Then it holds who she is, her case, every entry of its timeline and her raw deliveries, nobody else's
    assert content_type(answer).startswith("application/x-ndjson")
    assert got[0]["type"] == "export" and got[0]["exported_by"] == ADMIN[0] and got[0]["cases"] == 1
    assert got[1] == {
        "type": "subject",
        "platform": "facebook",
        "customer_id": "zq-77",
        "name": ZELDA["name"],
        "handle": None,
    }
    assert [g["case_id"] for g in got if g["type"] == "case"] == [zelda]
    said = [g["text"] for g in got if g["type"] == "entry" and g["kind"] == "message_in"]
    assert said == ["Zebrafruit parcel QX-55123 never arrived", "Still nothing & no <reply>"]
    assert len([g for g in got if g["type"] == "raw_delivery"]) == 2
    assert "Otto" not in answer["body"]
    # And as a readable HTML document, its words escaped
    page = raw(ADMIN, f"/api/privacy/customers/export?case_id={zelda}&format=html", lambda_context)
    assert page["statusCode"] == 200 and content_type(page).startswith("text/html")
    read = read_html(page["body"])
    assert "reply" not in read.tags and "Still nothing & no <reply>" in read.text
    assert f"Everything Heard holds on {ZELDA['name']}" in read.text and f"Case {zelda}" in read.text
    # And each export is in the audit trail: who asked, which cases (never who they are)
    trail = as_(ADMIN, "GET", "/api/audit?action=customer.export", lambda_context)[1]["items"]
    assert [(r["actor"], r["target"]) for r in trail] == [(ADMIN[0], f"cases:{zelda}")] * 2
    # And only admins may
    for user in (SUPERVISOR, AGENT, AUDITOR):
        assert (
            raw(user, f"/api/privacy/customers/export?case_id={zelda}", lambda_context)["statusCode"] == 403
        )
    assert (
        raw(ADMIN, "/api/privacy/customers/export?platform=facebook&customer_id=nobody", lambda_context)[
            "statusCode"
        ]
        == 404
    )
    assert (
        raw(ADMIN, f"/api/privacy/customers/export?case_id={zelda}&format=pdf", lambda_context)["statusCode"]
        == 422
    )


def test_supervisors_export_conversations_of_a_case_a_customer_or_a_period(
    aws, lambda_context, two_customers
):
    zelda, otto = two_customers["zq-77"], two_customers["ok-1"]
    # When a supervisor exports one case, one customer, and a period
    by_case = lines(raw(SUPERVISOR, f"/api/exports/conversations?case_id={otto}", lambda_context))
    by_customer = lines(
        raw(SUPERVISOR, "/api/exports/conversations?platform=facebook&customer_id=zq-77", lambda_context)
    )
    by_period = lines(
        raw(SUPERVISOR, "/api/exports/conversations?start=2026-11-17&end=2026-11-17", lambda_context)
    )
    # Then each holds the full histories asked for
    assert [g["case_id"] for g in by_case if g["type"] == "case"] == [otto]
    assert [g["case_id"] for g in by_customer if g["type"] == "case"] == [zelda]
    assert {g["case_id"] for g in by_period if g["type"] == "case"} == {zelda, otto}
    assert any(g["type"] == "entry" and g["text"] == "Otto's order 77 is late" for g in by_period)
    page = raw(
        SUPERVISOR, "/api/exports/conversations?start=2026-11-17&end=2026-11-17&format=html", lambda_context
    )
    assert "Otto's order 77 is late" in read_html(page["body"]).text
    # And each export is recorded with who asked
    trail = as_(ADMIN, "GET", "/api/audit?action=conversation.export", lambda_context)[1]["items"]
    assert len(trail) == 4 and {r["actor"] for r in trail} == {SUPERVISOR[0]}
    assert f"cases:{otto}" in {r["target"] for r in trail}
    # And agents and auditors may not; a request that names nothing, or too long a period, is refused
    for user in (AGENT, AUDITOR):
        assert raw(user, f"/api/exports/conversations?case_id={otto}", lambda_context)["statusCode"] == 403
    for query in (
        "",
        "start=2026-10-01&end=2026-11-17",
        "start=2026-11-17&end=2026-11-01",
        "platform=facebook",
    ):
        assert raw(SUPERVISOR, f"/api/exports/conversations?{query}", lambda_context)["statusCode"] == 422, (
            query
        )
    assert (
        raw(SUPERVISOR, "/api/exports/conversations?case_id=nosuchcase", lambda_context)["statusCode"] == 404
    )
