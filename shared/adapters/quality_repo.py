"""Care quality items in the cases table: trainees' replies awaiting approval (R12), the blind empathy
review pool (R11) and the audit of who has read a case.

Access patterns (docs/architecture.md has the full table):
- pending approvals, oldest first: Query pk=APPROVALS (one item per pending reply, deleted on decision)
- the review pool, oldest first: Query pk=REVIEW_POOL, sk=<review id> (time-sortable); claimed with a
  conditional update, deleted when graded
- has this person read the case: GetItem pk=CASE#<id>, sk=VIEW#<email> (lives beside the case's timeline)

One partition each is enough: approvals and first replies arrive at human pace (a reply takes an agent
minutes), far below a partition's 1,000 writes/s, so sharding would only make the lists fan out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter
from shared.adapters.cases_repo import case_pk, plain
from shared.clock import iso, parse_iso
from shared.models.records import (
    ApprovalDecided,
    ApprovalRequested,
    DeliveryMoved,
    PendingApproval,
    PoolItem,
    ReviewPooled,
    ReviewTaken,
    SideWrite,
)

APPROVALS_PK = "APPROVALS"
POOL_PK = "REVIEW_POOL"


def approval_sk(at: datetime, case_id: str, reply_id: str) -> str:
    return f"{iso(at)}#{case_id}#{reply_id}"


class DynamoQualityRepository(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _key(self, pk: str, sk: str) -> dict[str, Any]:
        return {"pk": {"S": pk}, "sk": {"S": sk}}

    # -- transaction operations (used inside the cases repository's save) --

    def side_write_op(self, write: SideWrite) -> dict[str, Any]:
        """The transaction operation storing one side write."""
        match write:
            case ApprovalRequested(pending=pending):
                return self.put_approval_op(pending)
            case ApprovalDecided(at=at, case_id=case_id, reply_id=reply_id):
                return self.delete_approval_op(at, case_id, reply_id)
            case DeliveryMoved(case_id=case_id, entry_sk=sk, expected=expected, to=to, extra=extra):
                return self.move_delivery_op(case_id, sk, expected, to, extra)
            case ReviewPooled(item=item):
                return self.put_pool_op(item)
            case ReviewTaken(review_id=review_id, claimed_by=claimed_by):
                return self.delete_pool_op(review_id, claimed_by)
        raise TypeError(f"not a side write: {write!r}")

    def put_approval_op(self, pending: PendingApproval) -> dict[str, Any]:
        item = {
            "pk": APPROVALS_PK,
            "sk": approval_sk(pending.at, pending.case_id, pending.reply_id),
            "type": "approval",
            "case_id": pending.case_id,
            "reply_id": pending.reply_id,
            "entry_sk": pending.entry_sk,
            "author": pending.author,
            "text": pending.text,
            "at": iso(pending.at),
            "case": pending.case,
        }
        return {"Put": {"TableName": self._table, "Item": self._s(item)}}

    def delete_approval_op(self, at: datetime, case_id: str, reply_id: str) -> dict[str, Any]:
        """Deleting the pending item is the decision's lock: a second decision finds it gone (409)."""
        return {
            "Delete": {
                "TableName": self._table,
                "Key": self._key(APPROVALS_PK, approval_sk(at, case_id, reply_id)),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def move_delivery_op(
        self, case_id: str, entry_sk: str, expected: str, to: str, extra: dict[str, Any]
    ) -> dict[str, Any]:
        """Move a reply entry's data.delivery from `expected` to `to`, merging `extra` into its data."""
        sets = ["#data.#delivery = :to"] + [f"#data.#x{i} = :x{i}" for i in range(len(extra))]
        return {
            "Update": {
                "TableName": self._table,
                "Key": self._key(case_pk(case_id), entry_sk),
                "UpdateExpression": "SET " + ", ".join(sets),
                "ConditionExpression": "#data.#delivery = :expected",
                "ExpressionAttributeNames": {
                    "#data": "data",
                    "#delivery": "delivery",
                    **{f"#x{i}": k for i, k in enumerate(extra)},
                },
                "ExpressionAttributeValues": self._s(
                    {":to": to, ":expected": expected, **{f":x{i}": v for i, v in enumerate(extra.values())}}
                ),
            }
        }

    def put_pool_op(self, item: PoolItem) -> dict[str, Any]:
        body = {
            "pk": POOL_PK,
            "sk": item.review_id,
            "type": "review",
            "review_id": item.review_id,
            "case_id": item.case_id,
            "reply_id": item.reply_id,
            "entry_sk": item.entry_sk,
            "author": item.author,
            "text": item.text,
            "platform": item.platform,
            "channel": item.channel,
        }
        return {"Put": {"TableName": self._table, "Item": self._s(body)}}

    def delete_pool_op(self, review_id: str, claimed_by: str) -> dict[str, Any]:
        """Only the reviewer holding the claim may grade (and so remove) a review."""
        return {
            "Delete": {
                "TableName": self._table,
                "Key": self._key(POOL_PK, review_id),
                "ConditionExpression": "claimed_by = :me",
                "ExpressionAttributeValues": {":me": {"S": claimed_by}},
            }
        }

    # -- approvals --

    def pending_approvals(self, limit: int) -> list[PendingApproval]:
        answer = self.client.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": APPROVALS_PK}},
            ScanIndexForward=True,  # oldest first: the customer has waited longest
            Limit=limit,
            ConsistentRead=True,
        )
        return [_approval(plain(self._d(i))) for i in answer["Items"]]

    # -- the review pool --

    def pool_page(self, after: str | None, limit: int) -> tuple[list[PoolItem], str | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": POOL_PK}},
            "ScanIndexForward": True,  # oldest first
            "Limit": limit,
            "ConsistentRead": True,
        }
        if after:
            kwargs["ExclusiveStartKey"] = self._key(POOL_PK, after)
        page = self.client.query(**kwargs)
        last = page.get("LastEvaluatedKey")
        return [_pool(plain(self._d(i))) for i in page["Items"]], (last["sk"]["S"] if last else None)

    def pool_item(self, review_id: str) -> PoolItem | None:
        answer = self.client.get_item(
            TableName=self._table, Key=self._key(POOL_PK, review_id), ConsistentRead=True
        )
        return _pool(plain(self._d(answer["Item"]))) if "Item" in answer else None

    def claim(self, review_id: str, reviewer: str, now: datetime, stale_before: datetime) -> bool:
        """Take a review for `reviewer` unless someone else holds a claim that is still fresh (race-safe)."""
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self._table,
                Key=self._key(POOL_PK, review_id),
                UpdateExpression="SET claimed_by = :me, claimed_at = :now",
                ConditionExpression="attribute_exists(pk) AND (attribute_not_exists(claimed_by) "
                "OR claimed_by = :me OR claimed_at < :stale)",
                ExpressionAttributeValues=self._s(
                    {":me": reviewer, ":now": iso(now), ":stale": iso(stale_before)}
                ),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    # -- who has read a case --

    def record_view(self, case_id: str, reader: str, now: datetime) -> None:
        self.client.put_item(
            TableName=self._table,
            Item=self._s(
                {
                    "pk": case_pk(case_id),
                    "sk": f"VIEW#{reader}",
                    "type": "view",
                    "reader": reader,
                    "at": iso(now),
                }
            ),
        )

    def has_read(self, case_id: str, reader: str) -> bool:
        answer = self.client.get_item(
            TableName=self._table,
            Key=self._key(case_pk(case_id), f"VIEW#{reader}"),
            ProjectionExpression="pk",
            ConsistentRead=True,
        )
        return "Item" in answer

    def forget_cases(self, case_ids: Sequence[str]) -> int:
        """Delete pending approvals and review pool items of these cases (erasure); how many."""
        wanted = set(case_ids)
        doomed = [
            self._key(i["pk"]["S"], i["sk"]["S"])
            for pk in (APPROVALS_PK, POOL_PK)
            for i in self._items(pk)
            if i.get("case_id", {}).get("S") in wanted
        ]
        for key in doomed:
            self.client.delete_item(TableName=self._table, Key=key)
        return len(doomed)

    def _items(self, pk: str) -> list[dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": pk}},
        }
        items: list[dict[str, Any]] = []
        while True:
            page = self.client.query(**kwargs)
            items.extend(page["Items"])
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def _approval(item: dict[str, Any]) -> PendingApproval:
    return PendingApproval(
        case_id=item["case_id"],
        reply_id=item["reply_id"],
        entry_sk=item["entry_sk"],
        author=item["author"],
        text=item["text"],
        at=parse_iso(item["at"]),
        case=item.get("case", {}),
    )


def _pool(item: dict[str, Any]) -> PoolItem:
    return PoolItem(
        review_id=item["review_id"],
        case_id=item["case_id"],
        reply_id=item["reply_id"],
        entry_sk=item["entry_sk"],
        author=item["author"],
        text=item["text"],
        platform=item["platform"],
        channel=item["channel"],
        claimed_by=item.get("claimed_by"),
        claimed_at=parse_iso(item["claimed_at"]) if item.get("claimed_at") else None,
    )
