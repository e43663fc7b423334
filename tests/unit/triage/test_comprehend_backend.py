"""The Amazon Comprehend backend, checked request by request with botocore's Stubber (moto's Comprehend
answers are canned, so they could not show the wiring is right)."""

import boto3
import pytest
from botocore.stub import Stubber

from shared.models.triage import Category, Sentiment
from shared.triage.comprehend import ComprehendTriage


@pytest.fixture
def comprehend():
    client = boto3.client(
        "comprehend", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(client) as stub:
        yield client, stub


def test_sentiment_language_and_personal_data_come_from_comprehend(comprehend):
    client, stub = comprehend
    text = "Loving the new store on Main St, call me on 555 0100 about the loyalty card"
    stub.add_response(
        "detect_dominant_language", {"Languages": [{"LanguageCode": "en", "Score": 0.99}]}, {"Text": text}
    )
    stub.add_response(
        "detect_sentiment",
        {
            "Sentiment": "POSITIVE",
            "SentimentScore": {"Positive": 0.92, "Negative": 0.01, "Neutral": 0.07, "Mixed": 0.0},
        },
        {"Text": text, "LanguageCode": "en"},
    )
    stub.add_response(
        "detect_pii_entities",
        {"Entities": [{"Type": "PHONE", "Score": 0.98, "BeginOffset": 44, "EndOffset": 52}]},
        {"Text": text, "LanguageCode": "en"},
    )
    triage = ComprehendTriage(client).classify(text)
    assert triage.sentiment is Sentiment.POSITIVE
    assert triage.sentiment_score == pytest.approx(0.91)
    assert triage.language == "en"
    assert "phone" in triage.pii and "pii" in triage.priority_reasons
    stub.assert_no_pending_responses()


def test_a_polite_complaint_stays_negative_whatever_comprehend_says(comprehend):
    client, stub = comprehend
    text = "thanks for the 3 hour delay, my parcel still hasn't arrived"
    stub.add_response(
        "detect_sentiment",
        {
            "Sentiment": "POSITIVE",
            "SentimentScore": {"Positive": 0.6, "Negative": 0.2, "Neutral": 0.2, "Mixed": 0.0},
        },
        {"Text": text, "LanguageCode": "en"},
    )
    stub.add_response("detect_pii_entities", {"Entities": []}, {"Text": text, "LanguageCode": "en"})
    triage = ComprehendTriage(client).classify(text, language="en")  # a hint skips language detection
    assert triage.category is Category.COMPLAINT
    assert triage.sentiment is Sentiment.NEGATIVE


def test_when_comprehend_refuses_the_built_in_result_is_used(comprehend):
    client, stub = comprehend
    stub.add_client_error(
        "detect_sentiment", service_error_code="AccessDeniedException", http_status_code=400
    )
    triage = ComprehendTriage(client).classify("Where is my refund?", language="en")
    assert triage.category is Category.QUESTION or triage.category is Category.COMPLAINT
    assert triage.language == "en"


def test_languages_comprehend_cannot_score_keep_the_built_in_sentiment(comprehend):
    client, stub = comprehend
    # Dutch: no DetectSentiment / DetectPiiEntities support, so no call is made at all.
    triage = ComprehendTriage(client).classify("Mijn pakket is nog steeds niet aangekomen", language="nl")
    assert triage.language == "nl"
    stub.assert_no_pending_responses()
