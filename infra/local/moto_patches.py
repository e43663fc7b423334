"""Targeted fixes to moto for the local stack (applied by `apply()` before moto's server starts).

moto 5.2's `DynamoDBBackend.transact_write_items` takes a `copy.deepcopy` of every table a transaction
touches before applying it, so that it can put the old tables back if any action fails. With a few thousand
cases that is a copy of every case on every transactional write: the local stack slowed to about one case a
second and grew to 7.5 GB. The replacement below keeps moto's behaviour (the same checks, in the same order,
the same errors, all-or-nothing) but snapshots only the items the transaction touches, and on failure puts
exactly those items back (and drops the stream records the failed transaction appended).

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
        DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
        _applied = True
        return True


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


def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
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
