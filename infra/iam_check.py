"""Every AWS call a handler makes, checked against the role its deployed function would have.

Three parts, none of which needs AWS or CDK at run time:

- `Policy` evaluates an action on a resource ARN the way IAM does for identity policies: an explicit deny
  wins, otherwise some allow statement must match the action and the resource (`*` and `?` wildcards,
  actions case-insensitive, `NotAction`/`NotResource`, the string conditions Heard's template uses).
- `requests_for` maps one boto3 operation and its parameters to what IAM checks: the action(s) and the
  resource ARN(s), e.g. a `TransactWriteItems` is a `PutItem`/`UpdateItem`/`DeleteItem`/`ConditionCheckItem`
  on each item's table, a query on an index is checked against `table/<t>/index/<i>`, a message sent to a
  KMS-encrypted queue also needs `kms:GenerateDataKey` on the data key.
- `CallChecker` wraps botocore's `BaseClient._make_api_call` for the whole process: a call made inside a
  function's invocation (see `as_function`) is evaluated against that function's policy; a denied call
  raises `AccessDenied` like AWS would and is recorded, so a test fails even when a handler swallows it.
  Every call is recorded (function, service, operation, actions), which the cost benchmark reads.

The policies come from the synthesised template (`infra/deployed.py` turns its intrinsic functions into
the ARNs of the resources the local runner or the tests created).
"""

from __future__ import annotations

import contextlib
import contextvars
import fnmatch
import functools
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

# The function whose invocation is running in this thread (set by the local invoker and the test fixtures).
current_function: contextvars.ContextVar[str | None] = contextvars.ContextVar("heard_function", default=None)


@contextmanager
def as_function(function_id: str) -> Iterator[None]:
    token = current_function.set(function_id)
    try:
        yield
    finally:
        current_function.reset(token)


# ---- evaluating identity policies ------------------------------------------------------------------


def _listify(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


@functools.lru_cache(maxsize=4096)
def _pattern(glob: str, case_sensitive: bool) -> re.Pattern[str]:
    regex = fnmatch.translate(glob.replace("[", "[[]"))  # IAM has no character classes
    return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)


def matches(glob: str, value: str, *, case_sensitive: bool = True) -> bool:
    return bool(_pattern(glob, case_sensitive).match(value))


@dataclass(frozen=True)
class Request:
    """One thing IAM authorises: an action on a resource, with the request's condition keys."""

    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.action} on {self.resource}"


@dataclass
class Statement:
    effect: str
    actions: list[str]
    not_actions: list[str]
    resources: list[str]
    not_resources: list[str]
    conditions: dict[str, dict[str, Any]]

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Statement:
        return cls(
            effect=raw.get("Effect", "Allow"),
            actions=[str(a) for a in _listify(raw.get("Action"))],
            not_actions=[str(a) for a in _listify(raw.get("NotAction"))],
            resources=[str(r) for r in _listify(raw.get("Resource"))],
            not_resources=[str(r) for r in _listify(raw.get("NotResource"))],
            conditions=dict(raw.get("Condition") or {}),
        )

    def applies(self, request: Request) -> bool:
        if self.actions:
            action_ok = any(matches(a, request.action, case_sensitive=False) for a in self.actions)
        else:
            action_ok = not any(matches(a, request.action, case_sensitive=False) for a in self.not_actions)
        if not action_ok:
            return False
        if self.resources:
            resource_ok = any(matches(r, request.resource) for r in self.resources)
        else:
            resource_ok = not any(matches(r, request.resource) for r in self.not_resources)
        return resource_ok and self._conditions_hold(request.context)

    def _conditions_hold(self, context: Mapping[str, str]) -> bool:
        for operator, entries in self.conditions.items():
            for key, wanted in entries.items():
                actual = context.get(key)
                wanted_values = [str(w) for w in _listify(wanted)]
                if operator in ("StringEquals", "ArnEquals"):
                    ok = actual is not None and actual in wanted_values
                elif operator in ("StringLike", "ArnLike"):
                    ok = actual is not None and any(matches(w, actual) for w in wanted_values)
                elif operator == "Bool":
                    ok = actual is not None and actual.lower() in (w.lower() for w in wanted_values)
                else:  # an operator this checker does not model: never grant on it
                    ok = False
                if not ok:
                    return False
        return True


@dataclass
class Policy:
    """All identity-policy statements of one role."""

    statements: list[Statement] = field(default_factory=list)

    @classmethod
    def from_documents(cls, documents: Sequence[Mapping[str, Any]]) -> Policy:
        return cls([Statement.parse(s) for d in documents for s in _listify(d.get("Statement"))])

    def allows(self, request: Request) -> bool:
        applicable = [s for s in self.statements if s.applies(request)]
        if any(s.effect == "Deny" for s in applicable):
            return False
        return any(s.effect == "Allow" for s in applicable)


# ---- what IAM checks for each boto3 operation ------------------------------------------------------


@dataclass(frozen=True)
class Account:
    """Where the calls go: the partition, region and account the ARNs are built with, and the data key
    (ARN) that encrypts the stack's tables, queues, buckets, topic and secret (None: not encrypted)."""

    region: str
    account: str
    partition: str = "aws"
    data_key_arn: str | None = None

    def arn(self, service: str, resource: str, *, region: bool = True, account: bool = True) -> str:
        return (
            f"arn:{self.partition}:{service}:{self.region if region else ''}:"
            f"{self.account if account else ''}:{resource}"
        )


def _camel_to_pascal(name: str) -> str:
    return name[:1].upper() + name[1:]


def _action(service: str, operation: str) -> str:
    prefix = {"secretsmanager": "secretsmanager", "cognito-idp": "cognito-idp"}.get(service, service)
    return f"{prefix}:{operation}"


def _table_arn(acc: Account, table: str) -> str:
    if table.startswith("arn:"):
        return table
    return acc.arn("dynamodb", f"table/{table}")


def _queue_arn(acc: Account, url: str) -> str:
    # https://sqs.<region>.amazonaws.com/<account>/<name>, or moto's http://host:port/<account>/<name>
    parts = urlparse(url).path.strip("/").split("/")
    account, name = (parts[-2], parts[-1]) if len(parts) >= 2 else (acc.account, parts[-1])
    return f"arn:{acc.partition}:sqs:{acc.region}:{account}:{name}"


def _kms(acc: Account, *actions: str) -> list[Request]:
    if not acc.data_key_arn:
        return []
    return [Request(a, acc.data_key_arn) for a in actions]


_DYNAMO_READS = {"GetItem", "Query", "Scan", "BatchGetItem", "ConditionCheckItem", "DescribeTable"}


def _dynamodb(acc: Account, operation: str, params: Mapping[str, Any]) -> list[Request]:
    requests: list[Request] = []
    if operation == "TransactWriteItems":
        kinds = {
            "Put": "PutItem",
            "Update": "UpdateItem",
            "Delete": "DeleteItem",
            "ConditionCheck": "ConditionCheckItem",
        }
        for item in params.get("TransactItems", []):
            for kind, action in kinds.items():
                if kind in item:
                    requests.append(Request(f"dynamodb:{action}", _table_arn(acc, item[kind]["TableName"])))
    elif operation == "TransactGetItems":
        for item in params.get("TransactItems", []):
            requests.append(Request("dynamodb:GetItem", _table_arn(acc, item["Get"]["TableName"])))
    elif operation in ("BatchWriteItem", "BatchGetItem"):
        for table in params.get("RequestItems", {}):
            requests.append(Request(f"dynamodb:{operation}", _table_arn(acc, table)))
    elif "TableName" in params:
        arn = _table_arn(acc, params["TableName"])
        if params.get("IndexName"):
            arn = f"{arn}/index/{params['IndexName']}"
        requests.append(Request(f"dynamodb:{operation}", arn))
    else:
        requests.append(Request(f"dynamodb:{operation}", "*"))
    if operation not in ("DescribeTable", "ListTables"):
        requests += _kms(acc, "kms:Decrypt")
    return requests


def _sqs(acc: Account, operation: str, params: Mapping[str, Any]) -> list[Request]:
    if "QueueUrl" in params:
        arn = _queue_arn(acc, params["QueueUrl"])
    elif "QueueName" in params:
        owner = params.get("QueueOwnerAWSAccountId", acc.account)
        arn = f"arn:{acc.partition}:sqs:{acc.region}:{owner}:{params['QueueName']}"
    else:
        arn = "*"
    action = {"SendMessageBatch": "SendMessage", "DeleteMessageBatch": "DeleteMessage"}.get(
        operation, operation
    )
    action = {"ChangeMessageVisibilityBatch": "ChangeMessageVisibility"}.get(action, action)
    requests = [Request(f"sqs:{action}", arn)]
    if action == "SendMessage":
        requests += _kms(acc, "kms:GenerateDataKey")
    elif action == "ReceiveMessage":
        requests += _kms(acc, "kms:Decrypt")
    return requests


def _s3(acc: Account, operation: str, params: Mapping[str, Any]) -> list[Request]:
    bucket = params.get("Bucket", "")
    object_actions = {
        "PutObject": "s3:PutObject",
        "GetObject": "s3:GetObject",
        "HeadObject": "s3:GetObject",
        "DeleteObject": "s3:DeleteObject",
        "CopyObject": "s3:PutObject",
    }
    if operation in object_actions and "Key" in params:
        action = object_actions[operation]
        if operation == "DeleteObject" and params.get("VersionId"):
            action = "s3:DeleteObjectVersion"  # deleting one version for good is its own permission
        requests = [Request(action, f"arn:{acc.partition}:s3:::{bucket}/{params['Key']}")]
        if operation == "CopyObject":
            source = params.get("CopySource")
            if isinstance(source, str):
                requests.append(Request("s3:GetObject", f"arn:{acc.partition}:s3:::{source.lstrip('/')}"))
        if object_actions[operation] == "s3:PutObject":
            requests += _kms(acc, "kms:GenerateDataKey")
        if object_actions[operation] == "s3:GetObject":
            requests += _kms(acc, "kms:Decrypt")
        return requests
    listing = {
        "ListObjectsV2": "s3:ListBucket",
        "ListObjects": "s3:ListBucket",
        "ListObjectVersions": "s3:ListBucketVersions",
    }
    return [Request(listing.get(operation, f"s3:{operation}"), f"arn:{acc.partition}:s3:::{bucket}")]


def _ssm(acc: Account, operation: str, params: Mapping[str, Any]) -> list[Request]:
    names = [params["Name"]] if "Name" in params else list(params.get("Names", []))
    if not names:
        return [Request(f"ssm:{operation}", "*")]
    return [Request(f"ssm:{operation}", acc.arn("ssm", f"parameter/{n.lstrip('/')}")) for n in names]


def _scheduler(acc: Account, operation: str, params: Mapping[str, Any]) -> list[Request]:
    group = params.get("GroupName") or "default"
    requests = [
        Request(f"scheduler:{operation}", acc.arn("scheduler", f"schedule/{group}/{params.get('Name', '')}"))
    ]
    role = (params.get("Target") or {}).get("RoleArn")
    if operation in ("CreateSchedule", "UpdateSchedule") and role:
        requests.append(Request("iam:PassRole", role, {"iam:PassedToService": "scheduler.amazonaws.com"}))
    return requests


_PROFILE_GEOGRAPHIES = frozenset({"us", "eu", "apac", "jp", "au", "ca", "us-gov", "global"})


def _bedrock(acc: Account, operation: str, params: Mapping[str, Any]) -> list[Request]:
    """Converse is authorised as bedrock:InvokeModel (ConverseStream as ...WithResponseStream) on the model;
    through a cross-region inference profile, on the profile and on the model it routes to."""
    action = "bedrock:InvokeModelWithResponseStream" if "Stream" in operation else "bedrock:InvokeModel"
    model = str(params.get("modelId") or "")
    if model.startswith("arn:"):
        return [Request(action, model)]
    geography, _, base = model.partition(".")
    foundation = f"arn:{acc.partition}:bedrock:{acc.region}::foundation-model/"
    if geography in _PROFILE_GEOGRAPHIES:
        profile = f"arn:{acc.partition}:bedrock:{acc.region}:{acc.account}:inference-profile/{model}"
        return [Request(action, profile), Request(action, foundation + base)]
    return [Request(action, foundation + model)]


def _generic(acc: Account, service: str, operation: str, params: Mapping[str, Any]) -> list[Request]:
    if service == "sns":
        if operation == "Publish" and params.get("PhoneNumber"):
            return [Request("sns:Publish", "*")]  # an SMS: a phone number has no ARN
        arn = params.get("TopicArn") or params.get("TargetArn") or "*"
        requests = [Request(f"sns:{operation}", arn)]
        if operation == "Publish":
            requests += _kms(acc, "kms:GenerateDataKey", "kms:Decrypt")
        return requests
    if service in ("ses", "sesv2") and operation in ("SendEmail", "SendRawEmail"):
        # Checked against the sending identity (the address; AWS also accepts its domain's identity).
        sender = str(params.get("FromEmailAddress") or params.get("Source") or "")
        return [Request(f"ses:{operation}", acc.arn("ses", f"identity/{sender}"))]
    if service == "cognito-idp" and params.get("UserPoolId"):
        return [
            Request(_action(service, operation), acc.arn("cognito-idp", f"userpool/{params['UserPoolId']}"))
        ]
    if service == "events" and operation == "PutEvents":
        buses = {str(e.get("EventBusName") or "default") for e in params.get("Entries") or []}
        return [
            Request("events:PutEvents", b if b.startswith("arn:") else acc.arn("events", f"event-bus/{b}"))
            for b in sorted(buses)
        ]
    if service == "lambda" and params.get("FunctionName"):
        name = str(params["FunctionName"])
        arn = name if name.startswith("arn:") else acc.arn("lambda", f"function:{name}")
        return [Request(f"lambda:{operation}" if operation != "Invoke" else "lambda:InvokeFunction", arn)]
    if service == "secretsmanager":
        secret = params.get("SecretId") or params.get("Name") or "*"  # CreateSecret names its secret
        arn = secret if secret.startswith("arn:") else acc.arn("secretsmanager", f"secret:{secret}-??????")
        return [Request(f"secretsmanager:{operation}", arn), *_kms(acc, "kms:Decrypt")]
    # Services whose calls Heard makes without resource-level permissions (Comprehend's detect APIs,
    # CloudWatch PutMetricData, X-Ray): the resource is "*".
    return [Request(_action(service, operation), "*")]


def requests_for(acc: Account, service: str, operation: str, params: Mapping[str, Any]) -> list[Request]:
    """What IAM checks for one API call (service = boto3's service name, operation = the API's name)."""
    if service == "dynamodb":
        return _dynamodb(acc, operation, params)
    if service == "sqs":
        return _sqs(acc, operation, params)
    if service == "s3":
        return _s3(acc, operation, params)
    if service == "ssm":
        return _ssm(acc, operation, params)
    if service == "scheduler":
        return _scheduler(acc, operation, params)
    if service == "bedrock-runtime":
        return _bedrock(acc, operation, params)
    return _generic(acc, service, operation, params)


# ---- checking the calls of a running process ---------------------------------------------------------


@dataclass(frozen=True)
class Call:
    function: str
    service: str
    operation: str
    params: Mapping[str, Any]
    requests: tuple[Request, ...]
    denied: tuple[Request, ...]


@dataclass(frozen=True)
class Denial:
    function: str
    service: str
    operation: str
    request: Request

    def __str__(self) -> str:
        return f"{self.function}: {self.request.action} on {self.request.resource} ({self.service} {self.operation})"


class AccessDeniedByRole(Exception):
    """Raised in place of the call, as AWS would answer AccessDenied (a botocore ClientError subclass is
    built at raise time so handlers' `except ClientError` sees it like the real thing)."""


def _access_denied(denial: Denial) -> Exception:
    from botocore.exceptions import ClientError

    message = (
        f"User: arn:aws:sts::assumed-role/heard-{denial.function} is not authorized to perform: "
        f"{denial.request.action} on resource: {denial.request.resource} because no identity-based "
        "policy allows the action (Heard's role check)"
    )
    response: Any = {
        "Error": {"Code": "AccessDeniedException", "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": 400},
    }
    return ClientError(response, denial.operation)


class CallChecker:
    """Checks (and records) every boto3 call made while a function's invocation runs in this process.

    `policies` maps function id -> Policy; a function without one is denied everything. `key_allows`
    says whether the data key's own policy lets the function's role use it (IAM alone is not enough
    for KMS). Install once; `uninstall` puts botocore back.
    """

    def __init__(
        self,
        policies: Mapping[str, Policy],
        account: Account,
        *,
        key_allows: Callable[[str, Request], bool] | None = None,
        enforce: bool = True,
        observe: Callable[[Call, Any], None] | None = None,
    ) -> None:
        self.observe = observe  # sees each checked call with its response (the cost benchmark)
        self.policies = dict(policies)
        self.account = account
        self.key_allows = key_allows or (lambda _function, _request: True)
        self.enforce = enforce
        self.calls: list[Call] = []
        self.denials: list[Denial] = []
        self._lock = threading.Lock()
        self._original: Any = None

    def check(self, function: str, service: str, operation: str, params: Mapping[str, Any]) -> Call:
        requests = tuple(requests_for(self.account, service, operation, params))
        policy = self.policies.get(function, Policy())
        denied = tuple(
            r
            for r in requests
            if not policy.allows(r) or (r.action.startswith("kms:") and not self.key_allows(function, r))
        )
        call = Call(function, service, operation, dict(params), requests, denied)
        with self._lock:
            self.calls.append(call)
            self.denials.extend(Denial(function, service, operation, r) for r in denied)
        return call

    def reset(self) -> tuple[list[Call], list[Denial]]:
        with self._lock:
            calls, denials = self.calls, self.denials
            self.calls, self.denials = [], []
        return calls, denials

    def install(self) -> CallChecker:
        from botocore.client import BaseClient

        if self._original is not None:
            return self
        original = BaseClient._make_api_call  # type: ignore[attr-defined]
        self._original = original
        checker = self

        def _make_api_call(client: Any, operation_name: str, api_params: dict[str, Any]) -> Any:
            function = current_function.get() or getattr(client, "_heard_function", None)
            if function is not None:
                # Worker threads a handler starts (fan-out queries) do not inherit the context: remember
                # on the client which function's code uses it.
                with contextlib.suppress(AttributeError):
                    client._heard_function = function
                service = client.meta.service_model.service_name
                call = checker.check(function, service, operation_name, api_params)
                if call.denied and checker.enforce:
                    raise _access_denied(Denial(function, service, operation_name, call.denied[0]))
                result = original(client, operation_name, api_params)
                if checker.observe is not None:
                    checker.observe(call, result)
                return result
            return original(client, operation_name, api_params)

        BaseClient._make_api_call = _make_api_call  # type: ignore[attr-defined]
        return self

    def uninstall(self) -> None:
        if self._original is None:
            return
        from botocore.client import BaseClient

        BaseClient._make_api_call = self._original  # type: ignore[attr-defined]
        self._original = None


def format_denials(denials: Sequence[Denial]) -> str:
    unique = sorted({str(d) for d in denials})
    return "calls the deployed roles would deny:\n  " + "\n  ".join(unique)
