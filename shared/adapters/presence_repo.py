"""Who has a case open, in the case's own partition (docs/data-model.md).

Access patterns: a heartbeat is one PutItem (pk=CASE#<id>, sk=PRESENCE#<email>, TTL a few minutes on);
who is there is one Query (begins_with(sk, PRESENCE#)) whose stale items are dropped here (TTL deletes
them within days, not seconds). The case's other readers ask for `sk = CASE` or `T#…` and never see them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.clock import iso
from shared.models.presence import PRESENCE_SECONDS, Presence

PREFIX = "PRESENCE#"


class DynamoPresence(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def touch(self, presence: Presence) -> None:
        item = {
            "pk": f"CASE#{presence.case_id}",
            "sk": PREFIX + presence.email,
            "email": presence.email,
            "typing": presence.typing,
            "at": iso(presence.at),
            "expires_at": int((presence.at + timedelta(minutes=10)).timestamp()),
        }
        with unavailable_on_aws_error("recording presence"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def present(self, case_id: str, now: datetime) -> list[Presence]:
        with unavailable_on_aws_error("reading presence"):
            answer = self.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": {"S": f"CASE#{case_id}"}, ":prefix": {"S": PREFIX}},
                Limit=50,
            )
        since = now - timedelta(seconds=PRESENCE_SECONDS)
        found = []
        for raw in answer.get("Items", []):
            item = self._d(raw)
            presence = Presence(
                case_id=case_id, email=item["email"], typing=bool(item["typing"]), at=item["at"]
            )
            if presence.at >= since:
                found.append(presence)
        return found
