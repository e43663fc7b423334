"""Customer identities' links in the cases table (docs/data-model.md).

Access patterns:
- who gave this key (an email/phone digest, an order number): Query pk=KEY#<key>, Limit n; written as
  KEY#<key> / CUSTOMER#<platform>#<author id> by the indexer
- an identity's links: Query pk=CUSTOMER#<platform>#<author id>, begins_with(sk, LINK#) (the customer's
  own partition, beside its pointer and cases); each link is written in both directions
- erasure: the customer's KEY# items (by the keys their messages gave) and the other side of each of
  their links are deleted; their own partition goes with the customer pointer (cases_repo)
- an automatic link is a conditional put (attribute_not_exists), so an undone link is never remade; a
  merge by hand overwrites (an agent may merge again what was separated)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from shared.adapters.aws import DynamoAdapter, unavailable_on_aws_error
from shared.clock import iso
from shared.errors import NotFound
from shared.models.customer import Identity, IdentityLink, LinkHow


def _pk(customer_key: str) -> str:
    return f"CUSTOMER#{customer_key}"


class DynamoCustomerLinks(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def remember_key(self, key: str, identity: Identity) -> None:
        item = {"pk": f"KEY#{key}", "sk": _pk(identity.customer_key), "identity": identity.model_dump_json()}
        with unavailable_on_aws_error("remembering a customer key"):
            self.client.put_item(TableName=self._table, Item=self._s(item))

    def holders(self, key: str, limit: int) -> list[Identity]:
        with unavailable_on_aws_error("reading a customer key"):
            answer = self.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk",
                ExpressionAttributeValues={":pk": {"S": f"KEY#{key}"}},
                Limit=limit,
            )
        return [Identity.model_validate_json(i["identity"]["S"]) for i in answer.get("Items", [])]

    def link(self, a: Identity, b: Identity, how: LinkHow, key: str | None, by: str, at: datetime) -> bool:
        from botocore.exceptions import ClientError

        made = False
        for one, other in ((a, b), (b, a)):
            link = IdentityLink(other=other, how=how, key=key, at=at, by=by)
            item = {
                "pk": _pk(one.customer_key),
                "sk": f"LINK#{other.customer_key}",
                "link": link.model_dump_json(),
            }
            condition = {} if how is LinkHow.MANUAL else {"ConditionExpression": "attribute_not_exists(pk)"}
            with unavailable_on_aws_error("linking identities"):
                try:
                    self.client.put_item(TableName=self._table, Item=self._s(item), **condition)
                    made = True
                except ClientError as error:
                    if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                        raise
        return made

    def links(self, customer_key: str) -> list[IdentityLink]:
        with unavailable_on_aws_error("reading identity links"):
            answer = self.client.query(
                TableName=self._table,
                KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
                ExpressionAttributeValues={":pk": {"S": _pk(customer_key)}, ":prefix": {"S": "LINK#"}},
                Limit=50,
            )
        return [IdentityLink.model_validate_json(i["link"]["S"]) for i in answer.get("Items", [])]

    def undo(self, a_key: str, b_key: str, by: str, at: datetime) -> None:
        found = {link.other.customer_key: link for link in self.links(a_key)}
        if b_key not in found or found[b_key].undone_at is not None:
            raise NotFound("these identities are not linked")
        for one, other in ((a_key, b_key), (b_key, a_key)):
            mine = {link.other.customer_key: link for link in self.links(one)}.get(other)
            if mine is None:
                continue
            undone = mine.model_copy(update={"undone_at": at, "undone_by": by})
            item = {
                "pk": _pk(one),
                "sk": f"LINK#{other}",
                "link": undone.model_dump_json(),
                "undone": iso(at),
            }
            with unavailable_on_aws_error("separating identities"):
                self.client.put_item(TableName=self._table, Item=self._s(item))

    def forget(self, customer_key: str, keys: Sequence[str]) -> int:
        """Erasure: the customer as a holder of each key, and every link that points at them from another
        identity's partition; how many items were deleted."""
        requests = [{"pk": f"KEY#{key}", "sk": _pk(customer_key)} for key in sorted(set(keys))]
        requests += [
            {"pk": _pk(link.other.customer_key), "sk": f"LINK#{customer_key}"}
            for link in self.links(customer_key)
        ]
        with unavailable_on_aws_error("forgetting a customer's keys and links"):
            for item in requests:  # a few items: one call each, deleting what is not there is harmless
                self.client.delete_item(TableName=self._table, Key=self._s(item))
        return len(requests)
