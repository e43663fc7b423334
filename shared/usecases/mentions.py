"""Instagram mentions arrive without their text or author (issue #16): triage fetches both through the
Graph API, with the account's own credentials, before classifying. A platform refusal keeps the mention as
it came (a person reads it on Instagram); a rate limit raises, so the ingest queue retries it."""

from __future__ import annotations

from shared.errors import PlatformError
from shared.models.interaction import Author, Interaction
from shared.observability import logger, metrics
from shared.usecases.deps import Deps
from shared.usecases.dispatch import credentials_for


def needs_fetch(interaction: Interaction) -> bool:
    return bool(interaction.extra.get("needs_fetch")) and interaction.platform.value == "instagram"


def with_text(interaction: Interaction, deps: Deps) -> Interaction:
    from shared.platforms.meta.mentions import fetch
    from shared.platforms.outbound import UrllibTransport

    graph = str(deps.settings.meta_graph_url).rstrip("/")
    try:
        mention = fetch(
            interaction.reply_context,
            credentials_for(deps, interaction.reply_context),
            graph,
            UrllibTransport(),
        )
    except PlatformError as error:
        metrics.add_metric(name="MentionFetchFailed", unit="Count", value=1)
        logger.warning(
            "mention text not fetched", extra={"dedupe_key": interaction.dedupe_key, "reason": str(error)}
        )
        return interaction
    author = Author(id=mention.author_id, handle=mention.username, name=mention.username)
    extra = {k: v for k, v in interaction.extra.items() if k != "needs_fetch"}
    return interaction.model_copy(
        update={"text": mention.text, "author": author, "extra": {**extra, "fetched": True}}
    )
