"""Behaviour of the classifier on clear customer-care examples written for these tests."""

from __future__ import annotations

import pytest

from shared.triage import classify


@pytest.mark.parametrize(
    "text",
    [
        "@acme Hi, my parcel still hasn't arrived, could you help please? Thank you",
        "Hello, I was charged twice for my subscription this month, could you look into it? Thanks",
        "@acme I've been waiting 3 weeks for my refund, would appreciate an update please",
        "Dear Acme, I'm afraid the kettle I bought stopped working after two days.",
    ],
)
def test_polite_complaints_are_complaints_with_negative_sentiment(text: str) -> None:
    # Given a polite but unhappy customer / When classified
    triage = classify(text)
    # Then politeness does not hide the problem
    assert triage.category == "complaint"
    assert triage.sentiment == "negative"
    assert triage.action == "fix"


@pytest.mark.parametrize(
    "text",
    [
        "@acme thanks for the 3 hour delay",
        "great, my order is lost again",
        "Love how my package is STILL not here after two weeks. Amazing service.",
        "Wow, charged twice again. Brilliant job @acme",
    ],
)
def test_sarcasm_is_read_as_a_complaint(text: str) -> None:
    triage = classify(text)
    assert triage.category == "complaint"
    assert triage.sentiment == "negative"
    assert triage.sentiment_score < 0


@pytest.mark.parametrize(
    "text",
    [
        "How do I change the delivery address on my order?",
        "@acme do you ship to Canada?",
        "Can I pay with PayPal at checkout?",
    ],
)
def test_questions_are_answered(text: str) -> None:
    triage = classify(text)
    assert triage.category == "question"
    assert triage.action == "answer"


@pytest.mark.parametrize(
    "text",
    [
        "Huge thanks to the team at @acme, the replacement arrived next day. Brilliant service!",
        "Love the new app, it's so fast and easy to use :)",
    ],
)
def test_praise_is_thanked(text: str) -> None:
    triage = classify(text)
    assert triage.category == "praise"
    assert triage.sentiment == "positive"
    assert triage.action == "thank"
    assert triage.priority == 4


def test_suggestions_are_feedback() -> None:
    triage = classify("You should add a dark mode to the app, it would be nice for night shifts")
    assert triage.category == "feedback"


@pytest.mark.parametrize(
    "text",
    [
        "Follow me and check out my page for FREE followers!!! http://spam.example/xyz",
        "Earn $500 a day working from home, DM me for details bit.ly/abc",
        "@acme you are all idiots, go to hell",
    ],
)
def test_spam_and_trolls_are_monitored_not_fed(text: str) -> None:
    triage = classify(text)
    assert triage.category == "spam"
    assert triage.action == "monitor"
    assert triage.priority == 4


def test_misinformation_is_corrected() -> None:
    triage = classify("I heard that you are selling our data to advertisers, is it true?")
    assert triage.action == "correct"


def test_crisis_keywords_from_config_escalate(config) -> None:
    triage = classify("My acme charger caught fire last night, the room filled with smoke", config=config)
    assert triage.crisis == "safety"
    assert triage.action == "escalate"
    assert triage.priority == 1
    assert "crisis:safety" in triage.priority_reasons


def test_first_matching_crisis_type_wins(config) -> None:
    triage = classify("the app is down and my phone started to smoke", config=config)
    assert triage.crisis == "safety"  # listed first in the configuration


def test_no_crisis_without_config_or_keywords(config) -> None:
    assert classify("My parcel is late").crisis is None
    assert classify("My parcel is late", config=config).crisis is None


def test_topic_comes_from_the_company_taxonomy(config) -> None:
    triage = classify("I was charged twice and still have no refund", config=config)
    assert (triage.topic, triage.operation) == ("billing", "finance")
    triage = classify("The cashier at the service centre was rude", config=config)
    assert (triage.topic, triage.operation) == ("in-store", "retail")


def test_topic_without_config_uses_the_builtin_taxonomy() -> None:
    assert (classify("the courier left my parcel in the rain").topic, "logistics") == (
        "delivery",
        "logistics",
    )
    assert classify("I can't log in to the app, the password reset fails").operation == "digital"
    assert classify("please lock my account, I think someone else uses it").topic == "account"
    assert (classify("hello there").topic, classify("hello there").operation) == ("general", "general")


def test_unknown_topic_falls_back_to_general(config) -> None:
    triage = classify("What time do you open on Sunday?", config=config)
    assert (triage.topic, triage.operation) == ("general", "general")


def test_empty_text_is_other_with_low_confidence() -> None:
    triage = classify("")
    assert triage.category == "other"
    assert triage.sentiment == "neutral"
    assert triage.language == "und"
    assert triage.confidence <= 0.5


def test_negation_flips_praise() -> None:
    assert classify("The new update is not good at all").sentiment == "negative"
    assert classify("The new update is really good").sentiment == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "@shop Thanks for sorting my refund so fast, great service",
        "@airline thank you for finding my lost bag so quickly!",
        "@shop the replacement arrived this morning, thank you so much for your help",
    ],
)
def test_thanks_for_a_problem_put_right_is_praise_not_sarcasm(text: str) -> None:
    triage = classify(text)
    assert triage.sentiment == "positive"
    assert triage.category == "praise"
    assert triage.action == "thank"


@pytest.mark.parametrize(
    "text",
    [
        "@airline I appreciate the apology but I still don't have my luggage",
        "@airline nice of you to lose my bag on my birthday",
        "@telco no internet since Monday, when will it be fixed?",
    ],
)
def test_a_problem_still_open_outweighs_thanks(text: str) -> None:
    assert classify(text).sentiment == "negative"


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("@united where is my bag?", "negative"),
        ("@AmericanAir flight cancelled, rebooked for tomorrow night. Great.", "negative"),
        ("@USAirways is anyone going to call me back? It's been 3 days", "negative"),
        ("@united overbooked and bumped me. Thanks a lot", "negative"),
        ("@united do you allow pets on flights to Hawaii?", "neutral"),
        ("@united thank you for the upgrade!", "positive"),
    ],
)
def test_brand_handles_carry_no_sentiment(text: str, sentiment: str) -> None:
    # Given posts addressed to a handle that is also an English word ("united")
    # Then the handle does not tilt the sentiment; the words of the post do
    assert classify(text).sentiment == sentiment
