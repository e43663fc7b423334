"""The events AWS would hand the functions: API Gateway REST (v1 proxy), SQS and EventBridge scheduled.

Shapes follow what the services send (field names, nulls where AWS sends null, string-typed values), so
a handler that works here works behind the real services.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from infra.local.resources import ACCOUNT_ID, REGION

STAGE = "local"


def _java_date(epoch: int) -> str:
    # API Gateway REST renders the numeric time claims exp and iat with Java's Date.toString().
    return datetime.fromtimestamp(epoch, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def apigw_claims(payload: Mapping[str, Any]) -> dict[str, str]:
    """Token claims as API Gateway REST's Cognito authorizer passes them: every value a string.

    Lists are joined with commas (`"cognito:groups": "agent,supervisor"`), booleans are `"true"`/`"false"`,
    `exp` and `iat` become e.g. `"Tue Apr 04 18:39:39 UTC 2023"`, other numbers their decimal form.
    """
    claims: dict[str, str] = {}
    for key, value in payload.items():
        if isinstance(value, bool):
            claims[key] = "true" if value else "false"
        elif key in ("exp", "iat") and isinstance(value, int | float):
            claims[key] = _java_date(int(value))
        elif isinstance(value, list | tuple):
            claims[key] = ",".join(str(v) for v in value)
        elif isinstance(value, float) and value.is_integer():
            claims[key] = str(int(value))
        else:
            claims[key] = str(value)
    return claims


def apigw_event(
    *,
    method: str,
    raw_path: str,
    query: str,
    headers: Sequence[tuple[str, str]],
    body: bytes,
    resource: str,
    path_parameters: Mapping[str, str],
    source_ip: str,
    claims: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A REST API (v1) Lambda proxy event. Non-empty bodies are base64-encoded so the handler sees the exact
    bytes that were sent (the webhook signatures are computed over them)."""
    path = unquote(raw_path)
    single_headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for name, value in headers:
        single_headers[name] = value  # API Gateway keeps the last value in `headers`
        multi_headers.setdefault(name, []).append(value)
    pairs = parse_qsl(query, keep_blank_values=True)
    single_query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for name, value in pairs:
        single_query[name] = value
        multi_query.setdefault(name, []).append(value)
    now = time.time()
    request_id = str(uuid.uuid4())
    request_context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": "heardlocal",
        "domainName": single_headers.get("Host") or single_headers.get("host") or "127.0.0.1",
        "domainPrefix": "heardlocal",
        "extendedRequestId": request_id,
        "httpMethod": method,
        "identity": {
            "sourceIp": source_ip,
            "userAgent": single_headers.get("User-Agent") or single_headers.get("user-agent"),
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "user": None,
            "userArn": None,
        },
        "path": f"/{STAGE}{path}",
        "protocol": "HTTP/1.1",
        "requestId": request_id,
        "requestTime": datetime.fromtimestamp(now, UTC).strftime("%d/%b/%Y:%H:%M:%S +0000"),
        "requestTimeEpoch": int(now * 1000),
        "resourceId": hashlib.sha1(resource.encode()).hexdigest()[:6],
        "resourcePath": resource,
        "stage": STAGE,
    }
    if claims is not None:
        request_context["authorizer"] = {"claims": dict(claims)}
    return {
        "resource": resource,
        "path": path,
        "httpMethod": method,
        "headers": single_headers or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": single_query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": dict(path_parameters) or None,
        "stageVariables": None,
        "requestContext": request_context,
        "body": base64.b64encode(body).decode("ascii") if body else None,
        "isBase64Encoded": bool(body),
    }


def sqs_event(messages: Sequence[Mapping[str, Any]], queue_arn: str) -> dict[str, Any]:
    """The event Lambda's SQS event source mapping delivers for messages from `receive_message`
    (received with all system and message attributes)."""
    records = []
    for message in messages:
        attributes = message.get("Attributes", {})
        records.append(
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": {
                    "ApproximateReceiveCount": attributes.get("ApproximateReceiveCount", "1"),
                    "SentTimestamp": attributes.get("SentTimestamp", str(int(time.time() * 1000))),
                    "SenderId": attributes.get("SenderId", ACCOUNT_ID),
                    "ApproximateFirstReceiveTimestamp": attributes.get(
                        "ApproximateFirstReceiveTimestamp", str(int(time.time() * 1000))
                    ),
                    **{
                        k: v
                        for k, v in attributes.items()
                        if k
                        in ("MessageGroupId", "MessageDeduplicationId", "SequenceNumber", "AWSTraceHeader")
                    },
                },
                "messageAttributes": _lambda_message_attributes(message.get("MessageAttributes", {})),
                "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),  # noqa: S324
                **(
                    {"md5OfMessageAttributes": message["MD5OfMessageAttributes"]}
                    if message.get("MD5OfMessageAttributes")
                    else {}
                ),
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": REGION,
            }
        )
    return {"Records": records}


def _lambda_message_attributes(attributes: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    # SQS's API says StringValue/BinaryValue/DataType; the Lambda event uses camelCase and empty lists.
    converted: dict[str, Any] = {}
    for name, attribute in attributes.items():
        item: dict[str, Any] = {
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": attribute["DataType"],
        }
        if "StringValue" in attribute:
            item["stringValue"] = attribute["StringValue"]
        if "BinaryValue" in attribute:
            raw = attribute["BinaryValue"]
            item["binaryValue"] = base64.b64encode(raw).decode("ascii") if isinstance(raw, bytes) else raw
        converted[name] = item
    return converted


def scheduled_event(rule_name: str, at: datetime) -> dict[str, Any]:
    """EventBridge's "Scheduled Event" for a rule firing at `at` (Heard time)."""
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": ACCOUNT_ID,
        "time": at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": REGION,
        "resources": [f"arn:aws:events:{REGION}:{ACCOUNT_ID}:rule/{rule_name}"],
        "detail": {},
    }
