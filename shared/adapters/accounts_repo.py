"""Connected accounts (issue #16): their records in the accounts table, their credentials in Secrets Manager.

Access patterns (docs/data-model.md):
- one account, for every webhook delivery to it: GetItem pk=ACCOUNTS, sk=<account id> (the webhook keeps
  the answer 30 s per container, so the partition sees at most one read per container per account)
- every account, for the admin console: Query pk=ACCOUNTS (admin-paced, tens to hundreds of items)
- add: conditional PutItem (attribute_not_exists), so two admins cannot both create one id
- remove: DeleteItem
Credentials: one secret per account named `<stack>/accounts/<account id>` (the prefix comes from
`HEARD_ACCOUNT_SECRET_PREFIX`), encrypted with the stack's data key; the roles are scoped to that prefix.
"""

from __future__ import annotations

import json
from typing import Any

from shared.adapters.aws import AwsAdapter, DynamoAdapter, unavailable_on_aws_error
from shared.errors import Conflict, NotFound
from shared.models.account import ConnectedAccount

PK = "ACCOUNTS"


class DynamoAccounts(DynamoAdapter):
    def __init__(self, table_name: str, client: Any = None):
        self._table = table_name
        self._client = client

    def get(self, account_id: str) -> ConnectedAccount:
        with unavailable_on_aws_error("reading an account"):
            answer = self.client.get_item(
                TableName=self._table, Key={"pk": {"S": PK}, "sk": {"S": account_id}}, ConsistentRead=True
            )
        if "Item" not in answer:
            raise NotFound(f"unknown account {account_id!r}")
        return _account(self._d(answer["Item"]))

    def list(self) -> list[ConnectedAccount]:
        items: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while True:
            query: dict[str, Any] = {
                "TableName": self._table,
                "KeyConditionExpression": "pk = :pk",
                "ExpressionAttributeValues": {":pk": {"S": PK}},
            }
            if start:
                query["ExclusiveStartKey"] = start
            with unavailable_on_aws_error("listing accounts"):
                answer = self.client.query(**query)
            items += answer.get("Items", [])
            start = answer.get("LastEvaluatedKey")
            if not start:
                return [_account(self._d(i)) for i in items]

    def add(self, account: ConnectedAccount) -> None:
        from botocore.exceptions import ClientError

        item = account.model_dump(mode="json", exclude_none=True)
        item.update(pk=PK, sk=account.account_id, type="account")
        with unavailable_on_aws_error("adding an account"):
            try:
                self.client.put_item(
                    TableName=self._table, Item=self._s(item), ConditionExpression="attribute_not_exists(pk)"
                )
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
                raise Conflict(f"account {account.account_id!r} already exists") from error

    def remove(self, account_id: str) -> None:
        with unavailable_on_aws_error("removing an account"):
            self.client.delete_item(TableName=self._table, Key={"pk": {"S": PK}, "sk": {"S": account_id}})


def _account(item: dict[str, Any]) -> ConnectedAccount:
    # Strings and lists only (no numbers): nothing to convert from DynamoDB's Decimals.
    fields = set(ConnectedAccount.model_fields)
    return ConnectedAccount.model_validate({k: v for k, v in item.items() if k in fields})


class SecretsManagerAccountSecrets(AwsAdapter):
    """One JSON secret per account; its keys are the platform's credential names (META_APP_SECRET...)."""

    service = "secretsmanager"

    def __init__(self, prefix: str, key_arn: str | None = None, client: Any = None):
        self._prefix = prefix
        self._key = key_arn
        self._client = client

    def name(self, account_id: str) -> str:
        return f"{self._prefix}{account_id}"

    def put(self, account_id: str, values: dict[str, str]) -> None:
        from botocore.exceptions import ClientError

        create: dict[str, Any] = {"Name": self.name(account_id), "SecretString": json.dumps(values)}
        if self._key:
            create["KmsKeyId"] = self._key
        with unavailable_on_aws_error("storing an account's credentials"):
            try:
                self.client.create_secret(**create)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ResourceExistsException":
                    raise
                # Left behind by a removal still in its recovery window, or a retried add: overwrite.
                self.client.put_secret_value(SecretId=self.name(account_id), SecretString=json.dumps(values))

    def get(self, account_id: str) -> dict[str, Any]:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_secret_value(SecretId=self.name(account_id))
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "Unknown")
            if code == "ResourceNotFoundException":
                raise NotFound(f"no credentials stored for account {account_id!r}") from error
            raise NotFound(f"credentials of account {account_id!r} unreadable ({code})") from error
        data = json.loads(answer.get("SecretString") or "{}")
        return data if isinstance(data, dict) else {}

    def delete(self, account_id: str) -> None:
        from botocore.exceptions import ClientError

        with unavailable_on_aws_error("deleting an account's credentials"):
            try:
                self.client.delete_secret(SecretId=self.name(account_id), ForceDeleteWithoutRecovery=True)
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ResourceNotFoundException":
                    raise
