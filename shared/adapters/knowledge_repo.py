"""The knowledge base and saved replies, in the cases table (docs/data-model.md lists the items).

Access patterns:
- one answer: GetItem pk=KB#<id>, sk=ANSWER (consistent); its versions: Query pk=KB#<id>, sk begins_with V#
- answers by state (the supervisors' "proposed" list, the approved list the suggestions index is built
  from): Query pk=KB_STATE#<state>; each answer has one copy there, moved in the same transaction as
  every state change, so a list never grows with other states' answers
- the answers automatic replies may use (read by intake, cached per container): Query pk=KB_AUTO, a copy
  of each approved answer marked automatic
- the knowledge base's generation (has anything the index uses changed?): GetItem pk=KB_META,
  sk=GENERATION, ADD 1 in the same transaction as every change to an approved answer
- saved replies: Query pk=MACRO#team#<team> or pk=MACRO#personal#<email>; sk=<macro id>
- replies that resolved cases (offered for similar cases): one partition per month resolved,
  pk=KB_PAST#<yyyy-mm>, sk=<case id> (a case resolved twice in a month keeps its latest), TTL PAST_DAYS;
  the suggestions index reads the newest months with Query (Limit) every few minutes per container
None of these (but the last two, up to their limits) grows with traffic: they grow with what people write into the knowledge base.
- questions without a good answer: one partition per day, pk=KB_GAP#<yyyy-mm-dd>, sk=<case id> (one
  item per case and day, however often its suggestions are asked for), TTL GAP_DAYS; the supervisors'
  list reads a few days with one Query each (Limit), so it grows with traffic only up to that limit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from shared import clock
from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.errors import Conflict, NotFound
from shared.models.knowledge import (
    AnswerState,
    AnswerVersion,
    KnowledgeAnswer,
    MacroScope,
    PastReply,
    SavedReply,
    UnansweredQuestion,
)

_ANSWER_SK = "ANSWER"
GAP_DAYS = 30  # how long a question without a good answer is kept
PAST_DAYS = 365  # how long a past reply is offered
PAST_MONTHS = 3  # how many months back the suggestions index reads
_META = {"pk": {"S": "KB_META"}, "sk": {"S": "GENERATION"}}


def _item(model_json: str) -> dict[str, Any]:
    return json.loads(model_json, parse_float=Decimal)


def _plain(value: Any) -> Any:
    from shared.adapters.cases_repo import plain

    return plain(value)


def _answer(item: dict[str, Any]) -> KnowledgeAnswer:
    return KnowledgeAnswer.model_validate(item)


class DynamoKnowledgeRepository(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def _d(self, item: dict[str, Any]) -> dict[str, Any]:
        return _plain(super()._d(item))

    # -- answers --

    def _put(self, pk: str, sk: str, body: dict[str, Any]) -> dict[str, Any]:
        return {"Put": {"TableName": self._table, "Item": self._s({**body, "pk": pk, "sk": sk})}}

    def _delete(self, pk: str, sk: str) -> dict[str, Any]:
        return {"Delete": {"TableName": self._table, "Key": {"pk": {"S": pk}, "sk": {"S": sk}}}}

    def _operations(
        self, answer: KnowledgeAnswer, version: AnswerVersion | None, before: KnowledgeAnswer | None
    ) -> list[dict[str, Any]]:
        body = {**_item(answer.model_dump_json()), "type": "kb_answer"}
        key = answer.answer_id
        ops = [self._put(f"KB#{key}", _ANSWER_SK, body), self._put(f"KB_STATE#{answer.state}", key, body)]
        if before is not None and before.state is not answer.state:
            ops.append(self._delete(f"KB_STATE#{before.state}", key))
        if answer.is_approved and answer.automatic:
            ops.append(self._put("KB_AUTO", key, body))
        elif before is not None and before.is_approved and before.automatic:
            ops.append(self._delete("KB_AUTO", key))
        if version is not None:
            sk = f"V#{version.version:06d}"
            ops.append(self._put(f"KB#{key}", sk, {**_item(version.model_dump_json()), "type": "kb_version"}))
        if answer.is_approved or (before is not None and before.is_approved):
            ops.append(
                {
                    "Update": {
                        "TableName": self._table,
                        "Key": _META,
                        "UpdateExpression": "ADD generation :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}},
                    }
                }
            )
        return ops

    def _transact(self, ops: list[dict[str, Any]], conflict: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.transact_write_items(TransactItems=ops)
        except ClientError as error:
            reasons = error.response.get("CancellationReasons", [])
            if error.response["Error"]["Code"] == "TransactionCanceledException" and any(
                r.get("Code") == "ConditionalCheckFailed" for r in reasons
            ):
                raise Conflict(conflict) from error
            with unavailable_on_aws_error("saving the answer"):
                raise

    def create(self, answer: KnowledgeAnswer, version: AnswerVersion) -> None:
        ops = self._operations(answer, version, None)
        ops[0]["Put"]["ConditionExpression"] = "attribute_not_exists(pk)"
        self._transact(ops, f"answer {answer.answer_id} already exists")

    def save(self, answer: KnowledgeAnswer, before: KnowledgeAnswer, version: AnswerVersion | None) -> None:
        """Write `answer` if the stored one is still `before` (same version); Conflict otherwise."""
        ops = self._operations(answer, version, before)
        ops[0]["Put"]["ConditionExpression"] = "version = :v AND used = :u"
        ops[0]["Put"]["ExpressionAttributeValues"] = {
            ":v": {"N": str(before.version)},
            ":u": {"N": str(before.used)},
        }
        self._transact(ops, f"answer {answer.answer_id} changed meanwhile; reload and try again")

    def get(self, answer_id: str) -> KnowledgeAnswer:
        with unavailable_on_aws_error("reading the answer"):
            found = self.client.get_item(
                TableName=self._table,
                Key={"pk": {"S": f"KB#{answer_id}"}, "sk": {"S": _ANSWER_SK}},
                ConsistentRead=True,
            )
        if "Item" not in found:
            raise NotFound(f"answer {answer_id} not found")
        return _answer(self._d(found["Item"]))

    def _query(self, pk: str, limit: int | None = None, prefix: str | None = None) -> list[dict[str, Any]]:
        condition = "pk = :pk" + (" AND begins_with(sk, :p)" if prefix else "")
        values = {":pk": {"S": pk}, **({":p": {"S": prefix}} if prefix else {})}
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "ScanIndexForward": False,
        }
        items: list[dict[str, Any]] = []
        with unavailable_on_aws_error("reading the knowledge base"):
            while True:
                if limit is not None:
                    kwargs["Limit"] = limit - len(items)
                page = self.client.query(**kwargs)
                items.extend(self._d(i) for i in page["Items"])
                if "LastEvaluatedKey" not in page or (limit is not None and len(items) >= limit):
                    return items
                kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def by_state(self, state: AnswerState, limit: int | None) -> list[KnowledgeAnswer]:
        return [_answer(i) for i in self._query(f"KB_STATE#{state}", limit)]

    def automatic(self) -> list[KnowledgeAnswer]:
        return [_answer(i) for i in self._query("KB_AUTO")]

    def history(self, answer_id: str) -> list[AnswerVersion]:
        return [AnswerVersion.model_validate(i) for i in self._query(f"KB#{answer_id}", prefix="V#")]

    def generation(self) -> str:
        with unavailable_on_aws_error("reading the knowledge base"):
            found = self.client.get_item(TableName=self._table, Key=_META, ConsistentRead=True)
        return str(self._d(found.get("Item", {})).get("generation", 0))

    def store_vectors(self, answer: KnowledgeAnswer, vectors: str) -> bool:
        """Keep the index's part vectors on the approved answer's listing item (what by_state reads), if the
        answer is still the version they were embedded from; False if it changed (or left approved)."""
        from botocore.exceptions import ClientError

        try:
            self.client.update_item(
                TableName=self._table,
                Key={"pk": {"S": f"KB_STATE#{AnswerState.APPROVED}"}, "sk": {"S": answer.answer_id}},
                UpdateExpression="SET vectors = :vectors",
                ConditionExpression="attribute_exists(pk) AND version = :v AND used = :u",
                ExpressionAttributeValues={
                    ":vectors": {"S": vectors},
                    ":v": {"N": str(answer.version)},
                    ":u": {"N": str(answer.used)},
                },
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            with unavailable_on_aws_error("storing the answer's vectors"):
                raise
        return True

    # -- saved replies --

    def put_macro(self, macro: SavedReply) -> None:
        body = {**_item(macro.model_dump_json()), "type": "macro"}
        with unavailable_on_aws_error("saving the saved reply"):
            self.client.put_item(
                TableName=self._table,
                Item=self._s({**body, "pk": f"MACRO#{macro.scope}#{macro.owner}", "sk": macro.macro_id}),
            )

    def delete_macro(self, scope: MacroScope, owner: str, macro_id: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self.client.delete_item(
                TableName=self._table,
                Key={"pk": {"S": f"MACRO#{scope}#{owner}"}, "sk": {"S": macro_id}},
                ConditionExpression="attribute_exists(pk)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotFound(f"saved reply {macro_id} not found") from error
            with unavailable_on_aws_error("deleting the saved reply"):
                raise

    def macros(self, scope: MacroScope, owner: str) -> list[SavedReply]:
        return [SavedReply.model_validate(i) for i in self._query(f"MACRO#{scope}#{owner}")]

    # -- questions without a good answer --

    def record_unanswered(self, question: UnansweredQuestion) -> None:
        item = question.model_dump(mode="json", exclude_none=True)
        item.update(
            pk=f"KB_GAP#{question.at.date().isoformat()}",
            sk=question.case_id,
            type="kb_gap",
            best_score=Decimal(str(round(question.best_score, 4))),
            expires_at=int((question.at + timedelta(days=GAP_DAYS)).timestamp()),
        )
        with unavailable_on_aws_error("recording an unanswered question"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def forget_unanswered(self, case_ids: Sequence[str], since: date) -> int:
        """Delete the cases' recorded questions from `since` (at most GAP_DAYS back) to today."""
        today = clock.now().date()
        first = max(since, today - timedelta(days=GAP_DAYS))
        days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
        return self._delete_cases(
            [f"KB_GAP#{day.isoformat()}" for day in days], case_ids, "unanswered questions"
        )

    def unanswered(self, day: date, limit: int) -> list[UnansweredQuestion]:
        fields = set(UnansweredQuestion.model_fields)
        found = [
            UnansweredQuestion.model_validate({k: v for k, v in item.items() if k in fields})
            for item in self._query(f"KB_GAP#{day.isoformat()}", limit)
        ]
        return sorted(found, key=lambda q: q.at, reverse=True)

    # -- replies that resolved cases --

    def record_past_reply(self, past: PastReply) -> None:
        item = past.model_dump(mode="json", exclude_none=True)
        item.update(
            pk=f"KB_PAST#{past.resolved_at.strftime('%Y-%m')}",
            sk=past.case_id,
            type="kb_past",
            expires_at=int((past.resolved_at + timedelta(days=PAST_DAYS)).timestamp()),
        )
        with unavailable_on_aws_error("recording a past reply"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def past_replies(self, limit: int) -> list[PastReply]:
        fields = set(PastReply.model_fields)
        found: list[PastReply] = []
        month = clock.now().date().replace(day=1)
        for _ in range(PAST_MONTHS):
            items = self._query(f"KB_PAST#{month.strftime('%Y-%m')}", limit - len(found))
            found.extend(PastReply.model_validate({k: v for k, v in i.items() if k in fields}) for i in items)
            if len(found) >= limit:
                break
            month = (month - timedelta(days=1)).replace(day=1)
        return sorted(found, key=lambda p: p.resolved_at, reverse=True)

    def forget_past_replies(self, case_ids: Sequence[str]) -> int:
        """Delete the cases' past replies from every month one may still be kept in (erasure)."""
        month = clock.now().date().replace(day=1)
        months = []
        for _ in range(PAST_DAYS // 28 + 1):
            months.append(month.strftime("%Y-%m"))
            month = (month - timedelta(days=1)).replace(day=1)
        return self._delete_cases([f"KB_PAST#{key}" for key in months], case_ids, "past replies")

    def _delete_cases(self, partitions: Sequence[str], case_ids: Sequence[str], what: str) -> int:
        """Delete the items keyed by a case id in each of these partitions; how many existed."""
        deleted = 0
        with unavailable_on_aws_error(f"erasing {what}"):
            for case_id in case_ids:
                for pk in partitions:
                    found = self.client.delete_item(
                        TableName=self._table,
                        Key={"pk": {"S": pk}, "sk": {"S": case_id}},
                        ReturnValues="ALL_OLD",
                    )
                    deleted += "Attributes" in found
        return deleted
