"""Brands and connected accounts in the pure parts (issue #16): stamping interactions, routing by brand and
account, each brand's contact line and answers scope, the account form's credentials, moderation targets;
properties checked with hypothesis."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infra.wiring import CONFIG_FILE
from shared.errors import InvalidInput
from shared.models.config import DEFAULT_BRAND, parse_config
from shared.models.interaction import Author, Channel, EventKind, Interaction, Platform
from shared.models.triage import Triage
from shared.platforms.moderation import ModerationAction, allowed
from shared.rules.routing import route
from shared.usecases.accounts import _check_credentials
from shared.usecases.ingest import stamp

AT = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)  # a Tuesday morning: every team is open
TRIAGE = Triage(sentiment="neutral", category="question")
SLUGS = st.from_regex(r"[a-z][a-z0-9-]{1,20}", fullmatch=True)


def config(**extra):
    document = json.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    document["brands"] = [
        {
            "id": "acme-uk",
            "name": "Acme UK",
            "contact_line": "Call Acme UK on +44 20 7946 0000.",
            "default_team": "pr",
        }
    ]
    document.update(extra)
    return parse_config(document)


def interaction(brand=None, account=None, text="Where is my parcel?") -> Interaction:
    return Interaction(
        platform=Platform.FACEBOOK,
        kind=EventKind.MESSAGE,
        channel=Channel.COMMENT,
        platform_id="c-1",
        dedupe_key="facebook:c-1",
        author=Author(id="42"),
        conversation_id="post-1",
        text=text,
        occurred_at=AT,
        brand=brand,
        connected_account=account,
        reply_context={"comment_id": "c-1"},
    )


@given(account=SLUGS, brand=SLUGS)
def test_stamping_gives_the_account_and_brand_and_keeps_everything_else(account, brand):
    original = interaction()
    (stamped,) = stamp([original], (account, brand))
    assert (stamped.connected_account, stamped.brand) == (account, brand)
    assert stamped.reply_context == {**original.reply_context, "heard_account": account}
    unchanged = {"connected_account", "brand", "reply_context"}
    assert stamped.model_dump(exclude=unchanged) == original.model_dump(exclude=unchanged)
    assert stamp([original], None) == [original]


@given(brand=st.one_of(st.none(), SLUGS))
def test_a_message_no_rule_matches_goes_to_its_brands_default_team(brand):
    decision = route(config(rules=[]), TRIAGE, interaction(brand=brand), AT)
    expected = "pr" if brand == "acme-uk" else "care"  # unknown and absent brands are the default brand
    assert decision.team == expected


def test_rules_match_on_brand_and_account():
    rules = [{"name": "uk page", "team": "care-es", "brands": ["acme-uk"], "accounts": ["uk-page"]}]
    cfg = config(rules=rules)
    assert route(cfg, TRIAGE, interaction("acme-uk", "uk-page"), AT).team == "care-es"
    assert route(cfg, TRIAGE, interaction("acme-uk", "fr-page"), AT).team == "pr"
    assert route(cfg, TRIAGE, interaction(None, "uk-page"), AT).team == "care"


def test_each_brand_has_its_contact_line_and_the_default_is_the_company():
    cfg = config()
    assert cfg.brand("acme-uk").contact_line.startswith("Call Acme UK")
    assert cfg.brand(None).id == DEFAULT_BRAND and cfg.brand(None).contact_line == cfg.contact_line
    with pytest.raises(InvalidInput, match="brand 'acme-fr' names unknown team"):
        config(
            brands=[
                {
                    "id": "acme-fr",
                    "name": "F",
                    "contact_line": "Call us on 0800 000 000.",
                    "default_team": "x",
                }
            ]
        )
    with pytest.raises(InvalidInput, match="brand ids must be unique"):
        config(
            brands=[
                {
                    "id": "default",
                    "name": "D",
                    "contact_line": "Call us on 0800 000 000.",
                    "default_team": "care",
                }
            ]
        )


@given(st.dictionaries(st.text(max_size=30), st.text(max_size=30), max_size=5))
def test_account_credentials_are_only_the_platforms_own_and_never_empty(values):
    try:
        kept = _check_credentials("meta", values)
    except InvalidInput as error:
        assert "credentials" in str(error)
    else:
        assert kept and set(kept) <= {
            "META_APP_SECRET",
            "META_VERIFY_TOKEN",
            "META_PAGE_TOKEN",
            "META_PAGE_ID",
            "META_APP_ID",
            "WHATSAPP_BUSINESS_ACCOUNT_ID",
            "WHATSAPP_TEMPLATE",
            "WHATSAPP_TEMPLATE_LANGUAGE",
        }
        assert all(v == v.strip() and v for v in kept.values())


def test_what_each_product_may_moderate():
    assert ModerationAction.BLOCK in allowed("facebook") and ModerationAction.BLOCK not in allowed(
        "instagram"
    )
    assert allowed("x") == (ModerationAction.HIDE, ModerationAction.UNHIDE)
    assert allowed("telegram") == () and allowed("whatsapp") == ()
    assert ModerationAction.HIDE.undo is ModerationAction.UNHIDE and ModerationAction.DELETE.undo is None
