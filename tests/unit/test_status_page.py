"""The public status page (issue 17, R15): everything escaped, the current statement, next update, history
and the end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from shared.models.crisis import Crisis, CrisisEvent, CrisisStatus, HoldingStatement
from shared.rules.status_page import render

AT = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def crisis(text: str = "Kettles overheat", **changes) -> Crisis:
    statement = HoldingStatement(text=text, next_update="by 15:00 UTC", more_info="https://example.com/k2")
    base = Crisis(
        crisis_id="k1abcdefghij",
        crisis_type="safety",
        name="Kettle <recall>",
        statement=statement,
        team="pr",
        point_person="pr@example.com",
        backup="lead@example.com",
        declared_by="sup@example.com",
        declared_at=AT,
        updated_at=AT,
        history=[
            CrisisEvent(
                at=AT, actor="sup", action="declared", statement_version=1, statement=statement.compose()
            )
        ],
    )
    return base.model_copy(update=changes)


def test_an_active_crisis_shows_its_statement_next_update_and_history_escaped():
    page = render(crisis('<script>alert("x")</script> & more'), "Acme & Co", AT)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in page
    assert "<title>Acme &amp; Co: Kettle &lt;recall&gt;</title>" in page
    assert "Ongoing" in page and "<strong>Next update:</strong> by 15:00 UTC" in page
    assert "First statement" in page


def test_an_ended_crisis_shows_the_closing_statement_and_the_end_newest_first():
    later = AT + timedelta(hours=2)
    ended = crisis(
        status=CrisisStatus.ENDED,
        ended_at=later,
        closing_statement="The recall is complete",
        history=[
            *crisis().history,
            CrisisEvent(
                at=later,
                actor="sup",
                action="ended",
                statement_version=2,
                statement="The recall is complete.",
            ),
        ],
    )
    page = render(ended, "Acme", later)
    assert (
        "Resolved" in page
        and "<strong>Next update:</strong>" not in page
        and "The recall is complete" in page
    )
    assert page.index("Final update") < page.index("First statement")


@given(st.text(min_size=1, max_size=200).filter(lambda t: t.strip()))
def test_no_typed_text_can_open_a_tag(text):
    page = render(crisis(text), text[:100] or "x", AT)
    body = page.split("<main>", 1)[1]
    assert "<script" not in body.lower() and "<img" not in body.lower() and "<iframe" not in body.lower()
