"""Small rules of casework and reporting that need no AWS."""

from datetime import UTC, datetime, timedelta

from functions.api.auth import _groups
from shared.ids import shard_of, stable_id
from shared.models.case import Case, CaseStatus
from shared.models.interaction import Author, Channel, Platform
from shared.models.triage import Category, Sentiment
from shared.usecases.casework import compose, needs_follow_up

NOW = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)


def case(**overrides) -> Case:
    base = dict(
        case_id="c1",
        status=CaseStatus.RESOLVED,
        team="care",
        platform=Platform.X,
        channel=Channel.MENTION,
        customer=Author(id="u"),
        conversation_id="t",
        opened_at=NOW,
        updated_at=NOW,
        last_customer_at=NOW,
        category=Category.COMPLAINT,
        first_sentiment=Sentiment.NEGATIVE,
        sentiment=Sentiment.POSITIVE,
        owner="agent@heard.local",
        assigned_at=NOW + timedelta(minutes=5),
        first_response_at=NOW + timedelta(minutes=12),
        resolved_at=NOW + timedelta(hours=3),
        topic="delivery",
        operation="logistics",
    )
    return Case(**{**base, **overrides})


def test_every_reply_carries_the_contact_line_once():
    line = "Call us on +1 555 0100."
    assert compose("Sorry!", line) == "Sorry!\n\nCall us on +1 555 0100."
    assert compose("Sorry! Call us on +1 555 0100.", line) == "Sorry! Call us on +1 555 0100."


def test_complaints_and_negative_first_messages_are_followed_up():
    assert needs_follow_up(case())
    assert needs_follow_up(case(category=Category.QUESTION))  # negative at first
    assert not needs_follow_up(case(category=Category.PRAISE, first_sentiment=Sentiment.POSITIVE))


def test_groups_claim_is_parsed_in_every_shape_api_gateway_uses():
    assert _groups("agent") == {"agent"}
    assert _groups("agent,supervisor") == {"agent", "supervisor"}
    assert _groups("[agent supervisor]") == {"agent", "supervisor"}
    assert _groups(["admin"]) == {"admin"}
    assert _groups(None) == frozenset()


def test_ids_are_stable_for_the_same_key_and_shards_spread():
    assert stable_id("c", NOW, "k") == stable_id("c", NOW, "k")
    assert stable_id("c", NOW, "k") != stable_id("c", NOW, "other")
    counts = [0] * 8
    for i in range(8000):
        counts[shard_of(f"case-{i}", 8)] += 1
    assert min(counts) > 850  # roughly even: no shard takes much more than its share
