"""What every AWS adapter shares: a boto3 client injected by tests, or created on first use.

Nothing talks to AWS at import time (short cold starts; moto intercepts clients created after it is
imported), and boto3 itself is imported only when an adapter first needs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, ClassVar

from shared.errors import Unavailable


class AwsAdapter:
    service: ClassVar[str]
    _client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client(self.service)  # type: ignore[call-overload]  # service is a str, not a Literal
        return self._client


class DynamoAdapter(AwsAdapter):
    """DynamoDB's attribute-value JSON to and from plain items (boto3's serialisers, loaded lazily)."""

    service = "dynamodb"
    _ser: Any = None
    _de: Any = None

    def _s(self, item: dict[str, Any]) -> dict[str, Any]:
        if self._ser is None:
            from boto3.dynamodb.types import TypeSerializer

            self._ser = TypeSerializer()
        return {k: self._ser.serialize(v) for k, v in item.items() if v is not None}

    def _d(self, item: dict[str, Any]) -> dict[str, Any]:
        if self._de is None:
            from boto3.dynamodb.types import TypeDeserializer

            self._de = TypeDeserializer()
        return {k: self._de.deserialize(v) for k, v in item.items()}


@contextmanager
def unavailable_on_aws_error(what: str) -> Iterator[None]:
    """Translate any AWS failure of `what` into the domain's Unavailable (nothing lost, try again): the one
    place an adapter turns botocore errors into a domain error for calls that have no expected failure."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code", "unknown")
        raise Unavailable(f"{what} failed ({code})") from error
    except BotoCoreError as error:
        raise Unavailable(f"{what} failed ({type(error).__name__})") from error
