"""Targeted fixes to moto for the local stack (applied by `apply()` before moto's server starts).

moto 5.2's `DynamoDBBackend.transact_write_items` takes a `copy.deepcopy` of every table a transaction
touches before applying it, so that it can put the old tables back if any action fails. With a few thousand
cases that is a copy of every case on every transactional write: the local stack slowed to about one case a
second and grew to 7.5 GB. The replacement below keeps moto's behaviour (the same checks, in the same order,
the same errors, all-or-nothing) but snapshots only the items the transaction touches, and on failure puts
exactly those items back (and drops the stream records the failed transaction appended).

moto's server also answers each request on its own thread, and its DynamoDB backend is not thread-safe: a
Query or Scan iterating a table while another thread writes to it failed with "dictionary changed size
during iteration" (a 500). `apply()` therefore also runs DynamoDB requests one at a time (they hold the GIL
anyway, so little is lost), which also makes each transaction isolated, as DynamoDB's are.

And moto's SQS `SendMessage` reads the queue's whole attribute map just to learn whether content-based
deduplication is on; that map includes the approximate message counts, each a pass over every message in
the queue. Team work lanes hold one message per open case, so every send got slower as cases accumulated.
While a message is being sent, the patched `attributes` returns only that one setting. ReceiveMessage
did the same for every message it returned (to read the retention period): with a deep ingest queue
that was most of the local stack's CPU. The patched check reads the retention period directly.

A Query on a global secondary index made moto sort every item of the table (with its slow generic
comparisons) and then test each one; the SLA sweep queries 32 shards of an index every minute, page by
page, so with a few thousand cases the sweeps took most of the time. The patched query first picks the
items whose index partition key has the asked-for string value (one cheap pass, no sort) and lets moto's
own code do the rest on those: the same results, in the same order. A Query on the table itself did the
same sort of the whole table to find one partition; it now starts from that partition's items.

moto is pinned in pyproject.toml; `apply()` refuses to patch a moto whose transaction code it does not know
(the fix was written against, and is tested with, that version).
"""

from __future__ import annotations

import copy
import threading
from typing import Any

PATCHED_MOTO_VERSIONS = ("5.2.",)
_applied = False
_lock = threading.Lock()


def apply() -> bool:
    """Install the patches once; False (and nothing changed) if this moto version is not one we know."""
    global _applied
    import moto
    from moto.dynamodb.models import DynamoDBBackend

    with _lock:
        if _applied:
            return True
        if not str(moto.__version__).startswith(PATCHED_MOTO_VERSIONS):
            return False
        from moto.dynamodb.responses import DynamoHandler

        DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
        DynamoHandler.call_action = _one_at_a_time(DynamoHandler.call_action)  # type: ignore[method-assign]
        _patch_sqs_send()
        _patch_index_query()
        _applied = True
        return True


_dynamodb_lock = threading.RLock()
_sending = threading.local()


def _patch_index_query() -> None:
    from moto.dynamodb.models.table import Table

    query = Table.query
    all_items = Table.all_items

    def candidates_only(self: Any) -> Any:
        chosen = getattr(self, "_heard_candidates", None)
        if chosen is None:
            return all_items(self)
        return sorted(chosen, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)

    def indexed_query(self: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[7] if len(args) > 7 else None)  # moto passes it 8th
        conditions = kwargs.get("hash_key_conditions") or []
        if not index_name:
            # A query on the table itself: moto sorts every item of the table and keeps those with the
            # partition key; the partition's own items are all it can return.
            hash_key = args[0] if args else kwargs.get("hash_key")
            bucket = self.items.get(hash_key) if hash_key is not None else None
            if bucket is None:
                chosen_items: list[Any] = []
            elif self.range_key_attr:
                chosen_items = list(bucket.values())
            else:
                chosen_items = [bucket]
            self._heard_candidates = chosen_items
            try:
                return query(self, *args, **kwargs)
            finally:
                self._heard_candidates = None
        if len(conditions) != 1 or getattr(conditions[0][1], "type", None) != "S":
            return query(self, *args, **kwargs)
        attribute, expected = conditions[0][0], conditions[0][1].value
        chosen = []
        for bucket in self.items.values():
            for item in bucket.values() if self.range_key_attr else (bucket,):
                value = item.attrs.get(attribute)
                if value is not None and value.type == "S" and value.value == expected:
                    chosen.append(item)
        self._heard_candidates = chosen
        try:
            return query(self, *args, **kwargs)
        finally:
            self._heard_candidates = None

    Table.all_items = candidates_only  # type: ignore[method-assign]
    Table.query = indexed_query  # type: ignore[method-assign]


def _patch_sqs_send() -> None:
    from moto.core.utils import unix_time
    from moto.sqs.models import Queue, SQSBackend

    full_attributes = Queue.attributes.fget  # type: ignore[attr-defined]
    send_message = SQSBackend.send_message

    def attributes(self: Any) -> dict[str, Any]:
        if not getattr(_sending, "active", False):
            return full_attributes(self)  # type: ignore[no-any-return]
        if not self.fifo_queue:
            return {}  # the setting exists on FIFO queues only, as in moto's full map
        value = self.content_based_deduplication
        return {"ContentBasedDeduplication": str(value).lower() if isinstance(value, bool) else value}

    def send_message_cheaply(self: Any, *args: Any, **kwargs: Any) -> Any:
        outer = getattr(_sending, "active", False)
        _sending.active = True
        try:
            return send_message(self, *args, **kwargs)
        finally:
            _sending.active = outer

    def is_message_valid_based_on_retention_period(self: Any, queue_name: str, message: Any) -> bool:
        retention_period = int(self.get_queue(queue_name).message_retention_period)
        return bool(retention_period + message.sent_timestamp / 1000 > unix_time())

    Queue.attributes = property(attributes)  # type: ignore[method-assign,assignment]
    SQSBackend.send_message = send_message_cheaply  # type: ignore[method-assign]
    SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
        is_message_valid_based_on_retention_period
    )


def _one_at_a_time(call_action: Any) -> Any:
    def locked(self: Any) -> Any:
        with _dynamodb_lock:
            return call_action(self)

    return locked


class _Snapshot:
    """The touched items as they were before the transaction, and each table's stream length."""

    def __init__(self) -> None:
        self.items: list[tuple[Any, Any, Any, Any]] = []  # (table, hash, range, item or None)
        self.stream_lengths: dict[int, tuple[Any, int]] = {}

    def take(self, table: Any, hash_value: Any, range_value: Any) -> None:
        if id(table) not in self.stream_lengths:
            shard = table.stream_shard
            self.stream_lengths[id(table)] = (table, len(shard.items) if shard is not None else 0)
        current = table.get_item(hash_value, range_value)
        # update_item changes an item in place, so keep a copy (of this one item only).
        self.items.append((table, hash_value, range_value, copy.deepcopy(current)))

    def restore(self) -> None:
        for table, hash_value, range_value, item in reversed(self.items):
            if table.has_range_key:
                bucket = table.items.get(hash_value)
                if item is None:
                    if bucket is not None:
                        bucket.pop(range_value, None)
                        if not bucket:
                            del table.items[hash_value]
                else:
                    table.items[hash_value][range_value] = item
            elif item is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = item
        for table, length in self.stream_lengths.values():
            if table.stream_shard is not None:
                del table.stream_shard.items[length:]


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:  # noqa: C901 (kept line for line as moto wrote it, so the two can be compared)
    """moto 5.2.5's `transact_write_items` with an item-level snapshot instead of whole-table copies."""
    from moto.dynamodb.exceptions import (
        ConditionalCheckFailed,
        MockValidationException,
        MultipleTransactionsException,
        TooManyTransactionsException,
        TransactionCanceledException,
        TransactWriteSingleOpException,
    )
    from moto.dynamodb.models import get_filter_expression

    if len(transact_items) > 100:
        raise TooManyTransactionsException()
    snapshot = _Snapshot()
    target_items: set[tuple[str, str]] = set()

    def check_unicity(table_name: str, key: dict[str, Any]) -> None:
        item = (str(table_name), str(dict(sorted(key.items()))))
        if item in target_items:
            raise MultipleTransactionsException()
        target_items.add(item)

    errors: list[tuple[str, str, dict[str, Any]] | tuple[None, None, None]] = []
    for item in transact_items:
        original_item: dict[str, Any] | None = None
        if len(list(item.keys())) > 1:
            raise TransactWriteSingleOpException
        try:
            op_type, op = next(iter(item.items()))
            if op_type not in {"ConditionCheck", "Put", "Delete", "Update"}:
                raise ValueError("Unsupported transaction operation")
            table_name = op["TableName"]
            condition_expression = op.get("ConditionExpression")
            expression_attribute_names = op.get("ExpressionAttributeNames")
            expression_attribute_values = op.get("ExpressionAttributeValues")
            return_values_on_condition_check_failure = op.get("ReturnValuesOnConditionCheckFailure")

            if op_type == "Put":
                attrs = op["Item"]
                table = self.get_table(table_name)
                key = {table.hash_key_attr: attrs[table.hash_key_attr]}
                if table.range_key_attr is not None:
                    key[table.range_key_attr] = attrs[table.range_key_attr]
            else:
                key = op["Key"]

            check_unicity(table_name, key)

            current = self.get_item(table_name, key)
            if condition_expression is not None:
                condition_op = get_filter_expression(
                    condition_expression, expression_attribute_names, expression_attribute_values
                )
                if not condition_op.expr(current):
                    if return_values_on_condition_check_failure == "ALL_OLD" and current:
                        original_item = current.to_json()["Attributes"]
                    raise ConditionalCheckFailed(item=original_item)

            if op_type != "ConditionCheck":
                table = self.get_table(table_name)
                snapshot.take(table, *self.get_keys_value(table, key))
            if op_type == "Put":
                self.put_item(
                    table_name,
                    op["Item"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Delete":
                self.delete_item(
                    table_name,
                    key,
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            elif op_type == "Update":
                self.update_item(
                    table_name,
                    key,
                    update_expression=op["UpdateExpression"],
                    condition_expression=condition_expression,
                    expression_attribute_names=expression_attribute_names,
                    expression_attribute_values=expression_attribute_values,
                )
            errors.append((None, None, None))
        except (MultipleTransactionsException, MockValidationException):
            snapshot.restore()
            raise
        except ConditionalCheckFailed as e:
            errors.append(("ConditionalCheckFailed", str(e.message), original_item))  # type: ignore[arg-type]
        except Exception as e:  # noqa: BLE001 (moto reports any other failure per action, then cancels)
            errors.append((type(e).__name__, str(e), original_item))  # type: ignore[arg-type]

    if any(code is not None for code, _, _ in errors):
        snapshot.restore()
        raise TransactionCanceledException(errors)
