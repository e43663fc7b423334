"""Automatic answers under control (R17): admins switch them on and off, per topic, and preview what a
sample question would get — the answer, or why a person answers instead (complicated cases alert)."""

from __future__ import annotations

from typing import Any

from shared.errors import InvalidInput
from shared.models.agent import Agent
from shared.models.config import HeardConfig, InvalidConfig, parse_config
from shared.observability import logger, metrics
from shared.usecases import automation, knowledge
from shared.usecases.deps import Deps
from shared.usecases.replies import compose


def current(deps: Deps) -> dict[str, Any]:
    """The switch, each topic's switch, and the approved answers automatic replies may use."""
    config = deps.config.get()
    answers = automation.approved_answers(config, knowledge.automatic_answers(deps))
    return {
        "enabled": config.auto_answer_faq,
        "topics": [
            {"id": t.id, "operation": t.operation, "on": t.id not in config.auto_answer_topics_off}
            for t in config.topics
        ],
        "answers": [{"id": a.id, "question": a.question} for a in answers],
    }


def switch(deps: Deps, actor: Agent, enabled: bool, topics_off: list[str]) -> dict[str, Any]:
    config = deps.config.refresh()
    document = config.model_dump(mode="json")
    document.update(auto_answer_faq=enabled, auto_answer_topics_off=sorted(set(topics_off)))
    try:
        updated = parse_config(document)
    except InvalidConfig as error:
        raise InvalidInput(f"topics_off: {error.problems[0][1]}") from error
    deps.config.put(updated)
    metrics.add_metric(name="AutoAnswersSwitched", unit="Count", value=1)
    logger.warning(
        "automatic answers switched", extra={"by": actor.email, "enabled": enabled, "topics_off": topics_off}
    )
    return current(deps)


def _classify(deps: Deps, config: HeardConfig, text: str, platform: str) -> Any:
    from shared.usecases.intake import _classifier  # the classifier triage uses, loaded on first use

    return _classifier(config, deps)(text, platform=platform, language=None, author=None, config=config)


def preview(deps: Deps, text: str, platform: str) -> dict[str, Any]:
    """What automatic answering would do with `text` now, with the reasons."""
    config = deps.config.get()
    triage = _classify(deps, config, text, platform)
    decision = automation.faq_decision(config, triage, text, knowledge.automatic_answers(deps))
    outcome = "answer" if decision.answer else "alert" if decision.complicated else "person"
    matched = decision.matched
    return {
        "outcome": outcome,
        "answer_id": matched[0].id if matched else None,
        "answer": compose(matched[0].answer, config.contact_line) if decision.answer and matched else None,
        "matched": list(matched[1].matched) if matched else [],
        "reasons": list(decision.withheld) or ([] if matched else ["no approved answer matches"]),
        "triage": {
            "category": triage.category.value,
            "sentiment": triage.sentiment.value,
            "topic": triage.topic,
            "pii": bool(triage.pii),
        },
    }
