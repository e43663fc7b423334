"""A brand's own holding statement (issue #16) is what its customers read, from intake and from the crisis
broadcaster alike (issue #17): the first version in the brand's words, an update in the brand's words with
the news, the closing statement as the crisis says it."""

from __future__ import annotations

from datetime import UTC, datetime

from shared.models.config import Brand
from shared.models.crisis import Crisis, CrisisStatus, HoldingStatement
from shared.usecases.broadcast import _reply, update_text
from shared.usecases.crisis import statement_for
from tests.unit.fakes import Fakes, bundled_config
from tests.unit.usecases.conftest import a_case

AT = datetime(2026, 11, 17, 10, 0, tzinfo=UTC)
BRAND = Brand(
    id="acme-uk",
    name="Acme UK",
    contact_line="Prefer a person? Call Acme UK on +44 20 7946 0000.",
    default_team="care",
    holding_statements={"safety": "Acme UK is checking every K2 kettle sold in the UK"},
)


def crisis(version: int = 1, **fields: object) -> Crisis:
    base: dict[str, object] = dict(
        crisis_id="k2",
        crisis_type="safety",
        name="K2 kettles",
        statement=HoldingStatement(
            text="We are looking into K2 kettles", next_update="by 15:00 UTC", more_info="example.com/k2"
        ),
        statement_version=version,
        team="pr",
        point_person="supervisor@heard.local",
        backup="admin@heard.local",
        declared_by="supervisor@heard.local",
        declared_at=AT,
        updated_at=AT,
        status_url="https://status.example.com/k2.html",
    )
    return Crisis.model_validate({**base, **fields})


def test_a_brands_customer_gets_the_brands_statement_with_the_next_update_and_the_status_page(world: Fakes):
    config = bundled_config().model_copy(update={"brands": [BRAND]})
    case = a_case(world, brand="acme-uk")
    text = statement_for(config, case, crisis())
    assert text == (
        "Acme UK is checking every K2 kettle sold in the UK. Next update: by 15:00 UTC. "
        "Status: https://status.example.com/k2.html"
    )
    # and another brand's (or the company's own) customer gets the crisis's statement
    other = a_case(world, "c2")
    assert statement_for(config, other, crisis()).startswith("We are looking into K2 kettles.")


def test_the_broadcasters_update_is_in_the_brands_words_with_the_news(world: Fakes):
    config = bundled_config().model_copy(update={"brands": [BRAND]})
    case = a_case(world, brand="acme-uk")
    news = crisis(
        2, statement=HoldingStatement(text="Stop using K2 kettles", next_update="tomorrow", more_info="x")
    )
    text = update_text(config, case, news)
    assert text.startswith(
        "Update: Acme UK is checking every K2 kettle sold in the UK. Stop using K2 kettles."
    )
    assert text.endswith("Status: https://status.example.com/k2.html")
    reply = _reply(config, news, case)
    assert reply.entry.text.startswith(text) and "Call Acme UK" in reply.entry.text


def test_the_closing_statement_is_the_crisis_own_for_every_brand(world: Fakes):
    config = bundled_config().model_copy(update={"brands": [BRAND]})
    case = a_case(world, brand="acme-uk")
    ended = crisis(3, status=CrisisStatus.ENDED, closing_statement="All K2 kettles are safe again")
    assert update_text(config, case, ended).startswith(
        "All K2 kettles are safe again. This is our final update."
    )
