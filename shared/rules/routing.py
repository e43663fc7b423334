"""Routing (R7): which team gets a case. First matching rule wins; closed teams hand over to off-hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shared.models.config import DEFAULT_BRAND, HeardConfig, RoutingRule
from shared.models.interaction import Interaction
from shared.models.triage import Triage
from shared.rules.business_hours import is_open


@dataclass(frozen=True)
class RoutingDecision:
    team: str
    reason: str
    required_skills: tuple[str, ...] = ()  # an agent must have all of them to claim the case (R7)
    auto_hide: bool = False  # the rule hides the comment on the platform at once (issue #16)


def _matches(rule: RoutingRule, triage: Triage, interaction: Interaction, vip: bool) -> bool:
    return (
        (not rule.categories or triage.category in rule.categories)
        and (not rule.topics or triage.topic in rule.topics)
        and (not rule.languages or triage.language in rule.languages)
        and (not rule.platforms or interaction.platform in rule.platforms)
        and (not rule.crisis_types or (triage.crisis is not None and triage.crisis in rule.crisis_types))
        and (not rule.vip_only or vip)
        and (not rule.brands or (interaction.brand or DEFAULT_BRAND) in rule.brands)
        and (not rule.accounts or interaction.connected_account in rule.accounts)
    )


def _brand_default(config: HeardConfig, interaction: Interaction) -> RoutingDecision:
    """No rule matched: the brand's default team (the company's default team for the default brand)."""
    brand = config.brand(interaction.brand)
    if brand.id == DEFAULT_BRAND:
        return RoutingDecision(config.default_team, "default team")
    return RoutingDecision(brand.default_team, f"brand {brand.id}: default team")


def route(config: HeardConfig, triage: Triage, interaction: Interaction, at: datetime) -> RoutingDecision:
    vip = config.is_vip(interaction.platform.value, interaction.author.id, interaction.author.handle)
    crisis = next((c for c in config.crisis_types if c.id == triage.crisis), None)
    unsure = triage.least_confident()
    if crisis:
        # A crisis goes to its point person's team whatever the other rules say (R6).
        decision = RoutingDecision(crisis.team, f"crisis {crisis.id}: point person {crisis.point_person}")
    elif config.human_triage_team and unsure is not None and unsure[1] < config.human_triage_below:
        # Triage is unsure of a field: a person sorts the case rather than a rule routing it on a guess.
        decision = RoutingDecision(
            config.human_triage_team, f"human triage: {unsure[0]} confidence {unsure[1]:.2f}"
        )
    else:
        decision = next(
            (
                RoutingDecision(r.team, f"rule: {r.name}", tuple(r.required_skills), r.auto_hide)
                for r in config.rules
                if _matches(r, triage, interaction, vip)
            ),
            _brand_default(config, interaction),
        )
    team = config.team(decision.team)
    if config.off_hours_team and not is_open(team.calendar, at) and not triage.crisis:
        return RoutingDecision(
            config.off_hours_team,
            f"{decision.reason}; {team.name} closed: off-hours team",
            decision.required_skills,
            decision.auto_hide,
        )
    return decision
