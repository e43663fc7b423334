"""The search feed: "these cases changed", for the indexer (off the request's path), and the cases
repository wrapper that says so after every write that changes what a search finds."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from shared.adapters.aws import AwsAdapter
from shared.models.case import Case, TimelineEntry
from shared.models.records import SideWrite
from shared.observability import logger, metrics
from shared.ports import CasesRepository, SearchFeed


class SqsSearchFeed(AwsAdapter):
    service = "sqs"

    def __init__(self, queue_url: str, client: Any = None):
        self._url = queue_url
        self._client = client

    def changed(self, case_ids: Sequence[str]) -> None:
        """Best effort: the case is already stored; a lost message leaves the index one change behind
        until the case changes again (counted, never failing the write that succeeded)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self.client.send_message(QueueUrl=self._url, MessageBody=json.dumps({"case_ids": list(case_ids)}))
        except (ClientError, BotoCoreError) as error:
            metrics.add_metric(name="SearchFeedFailed", unit="Count", value=1)
            logger.warning("search feed failed", extra={"error": type(error).__name__})


class FeedingCases:
    """A cases repository that tells the search feed about every case it writes (reads pass through)."""

    def __init__(self, inner: CasesRepository, feed: SearchFeed):
        self._inner = inner
        self._feed = feed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def open_case(self, case: Case, entries: list[TimelineEntry], message_key: str | None) -> None:
        self._inner.open_case(case, entries, message_key)
        self._feed.changed([case.case_id])

    def add_message(
        self, case: Case, expected_version: int, entries: list[TimelineEntry], message_key: str | None
    ) -> None:
        self._inner.add_message(case, expected_version, entries, message_key)
        self._feed.changed([case.case_id])

    def save(
        self,
        case: Case,
        expected_version: int,
        entries: list[TimelineEntry] | None = None,
        also: Sequence[SideWrite] = (),
    ) -> None:
        self._inner.save(case, expected_version, entries, also)
        self._feed.changed([case.case_id])

    def append(self, entry: TimelineEntry) -> None:
        self._inner.append(entry)
        self._feed.changed([entry.case_id])

    def erase_entry_text(self, case_id: str, entry_sk: str) -> None:
        self._inner.erase_entry_text(case_id, entry_sk)
        self._feed.changed([case_id])
