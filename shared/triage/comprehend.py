"""Amazon Comprehend as an alternative triage backend (AWS deployments), behind the same interface.

Comprehend answers what it is good at — sentiment, language, personal data — and the built-in classifier
keeps what Comprehend does not know: the company's categories, topics, crisis types, the response map and
the priority rules. One domain rule wins over Comprehend: a post the built-in cues recognise as a
complaint stays negative, because general-purpose sentiment reads polite complaints ("thanks for the
3 hour delay") as neutral or positive.

If Comprehend is unavailable or refuses (throttling, no permission after a run-time configuration change,
an unsupported language) the built-in result is used and the fallback is counted; triage never fails
because of it.
"""

from __future__ import annotations

from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.models.interaction import Author
from shared.models.triage import Action, Sentiment, Triage
from shared.triage.classifier import _action, _priority, classify

MAX_BYTES = 4800  # DetectSentiment accepts 5,000 bytes of UTF-8
SENTIMENT_LANGUAGES = frozenset({"ar", "hi", "ko", "zh-TW", "ja", "zh", "de", "pt", "en", "it", "fr", "es"})
PII_LANGUAGES = frozenset({"en", "es"})
PII_KINDS = {
    "CREDIT_DEBIT_NUMBER": "card",
    "CREDIT_DEBIT_CVV": "card",
    "CREDIT_DEBIT_EXPIRY": "card",
    "PHONE": "phone",
    "EMAIL": "email",
    "ADDRESS": "address",
    "BANK_ACCOUNT_NUMBER": "bank_account",
    "BANK_ROUTING": "bank_account",
    "INTERNATIONAL_BANK_ACCOUNT_NUMBER": "bank_account",
    "PASSPORT_NUMBER": "id_number",
    "DRIVER_ID": "id_number",
    "SSN": "id_number",
    "PASSWORD": "credentials",
    "PIN": "credentials",
}


def _truncate(text: str) -> str:
    data = text.encode("utf-8")[:MAX_BYTES]
    return data.decode("utf-8", errors="ignore")


class ComprehendTriage(AwsAdapter):
    service = "comprehend"

    def __init__(self, client: Any = None):
        self._client = client

    def classify(
        self,
        text: str,
        *,
        platform: str | None = None,
        language: str | None = None,
        author: Author | None = None,
        config: Any = None,
        waiting_minutes: float = 0.0,
    ) -> Triage:
        base = classify(
            text,
            platform=platform,
            language=language,
            author=author,
            config=config,
            waiting_minutes=waiting_minutes,
        )
        sample = _truncate(text)
        if not sample.strip():
            return base
        from botocore.exceptions import BotoCoreError, ClientError

        from shared.observability import logger, metrics

        try:
            return self._merge(base, sample, language, author, config, platform, waiting_minutes)
        except (ClientError, BotoCoreError) as error:
            metrics.add_metric(name="ComprehendFallback", unit="Count", value=1)
            logger.warning("comprehend unavailable; built-in triage used", extra={"error": str(error)[:300]})
            return base

    def _merge(
        self,
        base: Triage,
        sample: str,
        hint: str | None,
        author: Author | None,
        config: Any,
        platform: str | None,
        waiting_minutes: float,
    ) -> Triage:
        language = (hint or "").split("-")[0].lower() or self._language(sample) or base.language
        sentiment, score = base.sentiment, base.sentiment_score
        if language in SENTIMENT_LANGUAGES:
            answer = self.client.detect_sentiment(Text=sample, LanguageCode=language)
            scores = answer.get("SentimentScore", {})
            score = round(float(scores.get("Positive", 0.0)) - float(scores.get("Negative", 0.0)), 4)
            label = str(answer.get("Sentiment", "NEUTRAL")).upper()
            sentiment = {"POSITIVE": Sentiment.POSITIVE, "NEGATIVE": Sentiment.NEGATIVE}.get(
                label, Sentiment.NEUTRAL
            )
            if base.category.value == "complaint":  # the domain rule: complaints are negative, however polite
                sentiment, score = Sentiment.NEGATIVE, min(score, base.sentiment_score, -0.05)
        pii = set(base.pii)
        if language in PII_LANGUAGES:
            entities = self.client.detect_pii_entities(Text=sample, LanguageCode=language).get("Entities", [])
            pii |= {
                PII_KINDS[e["Type"]]
                for e in entities
                if e.get("Type") in PII_KINDS and e.get("Score", 0) >= 0.7
            }
        is_vip = bool(
            config is not None
            and author is not None
            and config.is_vip((platform or "generic").lower(), author.id, author.handle)
        )
        priority, reasons = _priority(
            base.category.value, score, base.crisis, sorted(pii), author, is_vip, waiting_minutes
        )
        action = _action(base.category.value, sentiment.value, base.crisis, base.action is Action.CORRECT)
        return base.model_copy(
            update={
                "sentiment": sentiment,
                "sentiment_score": max(-1.0, min(1.0, score)),
                "language": language,
                "pii": sorted(pii),
                "priority": priority,
                "priority_reasons": reasons,
                "action": Action(action),
            }
        )

    def _language(self, sample: str) -> str | None:
        languages = self.client.detect_dominant_language(Text=sample).get("Languages", [])
        best = max(languages, key=lambda item: item.get("Score", 0), default=None)
        if best and best.get("Score", 0) >= 0.5:
            return str(best["LanguageCode"]).split("-")[0].lower()
        return None
