"""Erasure records (tombstones) in the cases table (docs/data-model.md).

Access patterns:
- the erasures, newest first: Query pk=ERASURE (ids are time-sortable), Limit 50
- one erasure: GetItem pk=ERASURE, sk=<erasure id>
- the worker's progress on the raw archive: UpdateItem ADD of the chunk it finished (a string set, so a
  redelivered chunk counts once) and of the versions it deleted
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.adapters.cases_repo import plain
from shared.clock import iso
from shared.errors import NotFound
from shared.models.erasure import ArchiveState, Erased, Erasure

PK = "ERASURE"


class DynamoErasures(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _key(self, erasure_id: str) -> dict[str, Any]:
        return {"pk": {"S": PK}, "sk": {"S": erasure_id}}

    def put(self, erasure: Erasure, archive_chunks: int) -> None:
        item = erasure.model_dump(mode="json", exclude_none=True)
        item.update(pk=PK, sk=erasure.erasure_id, type="erasure", archive_chunks=archive_chunks)
        with unavailable_on_aws_error("recording the erasure"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def set_counts(self, erasure_id: str, erased: Erased) -> None:
        with unavailable_on_aws_error("recording the erasure"):
            self.client.update_item(
                TableName=self._table,
                Key=self._key(erasure_id),
                UpdateExpression="SET erased = :e",
                ExpressionAttributeValues={":e": self._s({"e": erased.model_dump(mode="json")})["e"]},
            )

    def get(self, erasure_id: str) -> Erasure:
        with unavailable_on_aws_error("reading the erasure"):
            found = self.client.get_item(
                TableName=self._table, Key=self._key(erasure_id), ConsistentRead=True
            )
        if "Item" not in found:
            raise NotFound(f"erasure {erasure_id} not found")
        return _erasure(self._d(found["Item"]))

    def recent(self, limit: int) -> list[Erasure]:
        with unavailable_on_aws_error("listing erasures"):
            answer = self.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": PK}},
                ScanIndexForward=False,
                Limit=limit,
            )
        return [_erasure(self._d(i)) for i in answer.get("Items", [])]

    def archive_chunk_done(self, erasure_id: str, chunk: int, versions: int, at: datetime) -> None:
        """Count a finished chunk of raw deliveries; the last one marks the archive done."""
        with unavailable_on_aws_error("recording the archive erasure"):
            answer = self.client.update_item(
                TableName=self._table,
                Key=self._key(erasure_id),
                UpdateExpression="ADD archive_chunks_done :chunk, archive_versions_deleted :n",
                ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":chunk": {"SS": [str(chunk)]}, ":n": {"N": str(versions)}},
                ReturnValues="ALL_NEW",
            )
            item = self._d(answer["Attributes"])
            if len(item.get("archive_chunks_done", ())) >= int(item.get("archive_chunks", 0)):
                self.client.update_item(
                    TableName=self._table,
                    Key=self._key(erasure_id),
                    UpdateExpression="SET #archive = :done, archive_done_at = if_not_exists(archive_done_at, :at)",
                    ExpressionAttributeNames={"#archive": "archive"},  # a reserved word
                    ExpressionAttributeValues={
                        ":done": {"S": ArchiveState.DONE.value},
                        ":at": {"S": iso(at)},
                    },
                )


def _erasure(item: dict[str, Any]) -> Erasure:
    fields = set(Erasure.model_fields)
    return Erasure.model_validate({k: v for k, v in plain(item).items() if k in fields})
