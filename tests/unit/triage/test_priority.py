"""Priority 1..4 (1 = most urgent) and the reasons that produced it."""

from __future__ import annotations

from shared.models.interaction import Author
from shared.triage import classify

POLITE_COMPLAINT = "Hi, my parcel still hasn't arrived, could you check please?"
QUESTION = "What time do you open on Sunday?"


def test_praise_without_reasons_is_least_urgent() -> None:
    triage = classify("Thanks so much, brilliant service!")
    assert triage.priority == 4
    assert triage.priority_reasons == []


def test_complaint_and_negative_are_reasons() -> None:
    triage = classify(POLITE_COMPLAINT)
    assert {"complaint", "negative"} <= set(triage.priority_reasons)
    assert triage.priority <= 3


def test_angry_complaint_outranks_polite_one() -> None:
    angry = classify("Worst service ever, my parcel STILL hasn't arrived and nobody replies. Unacceptable!")
    assert angry.priority < classify(POLITE_COMPLAINT).priority


def test_followers_raise_priority() -> None:
    small = classify(QUESTION, author=Author(id="1", followers=120))
    big = classify(QUESTION, author=Author(id="2", followers=250_000))
    assert "high-influence" in big.priority_reasons
    assert "influence" not in small.priority_reasons and "high-influence" not in small.priority_reasons
    assert big.priority < small.priority


def test_verified_author_counts_as_influence() -> None:
    assert "influence" in classify(QUESTION, author=Author(id="3", verified=True)).priority_reasons


def test_vip_from_config_by_id_or_handle(config) -> None:
    by_id = classify(QUESTION, platform="x", author=Author(id="vip-1"), config=config)
    by_handle = classify(
        QUESTION, platform="facebook", author=Author(id="9", handle="BigCustomer"), config=config
    )
    nobody = classify(QUESTION, platform="x", author=Author(id="someone"), config=config)
    assert "vip" in by_id.priority_reasons
    assert "vip" in by_handle.priority_reasons
    assert "vip" not in nobody.priority_reasons
    assert by_id.priority < nobody.priority


def test_waiting_time_raises_priority() -> None:
    fresh = classify(QUESTION, waiting_minutes=5)
    waited = classify(QUESTION, waiting_minutes=90)
    long_waited = classify(QUESTION, waiting_minutes=600)
    assert "waiting" in waited.priority_reasons
    assert "long-waiting" in long_waited.priority_reasons
    assert long_waited.priority < fresh.priority


def test_crisis_is_always_priority_one(config) -> None:
    triage = classify("my phone started to smoke", config=config)
    assert triage.priority == 1
    assert triage.priority_reasons[0] == "crisis:safety"


def test_spam_stays_low_whatever_the_followers() -> None:
    triage = classify(
        "Follow me for free followers!!! check my page http://spam.example",
        author=Author(id="4", followers=5_000_000),
    )
    assert triage.category == "spam"
    assert triage.priority == 4
