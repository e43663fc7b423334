"""The deployed roles, read from the synthesised template and pointed at locally created resources.

`synthesise()` builds the Heard app exactly as `npx cdk synth` does (bundle without third-party packages,
the local account and region), once per wiring and process. `Deployed.policies()` resolves each function
role's policy documents (`Ref`, `Fn::GetAtt`, `Fn::Join`, ... of the template's resources) into the ARNs of
the resources the local runner or the tests created, so `infra.iam_check.CallChecker` can evaluate the
calls the handlers make against them. Needs aws-cdk-lib (the `cdk` group) only to synthesise.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.iam_check import Account, Policy, Request, Statement
from infra.wiring import ROOT, Wiring, heard

LOCAL_REGION = "eu-west-1"
LOCAL_ACCOUNT = "123456789012"  # moto's default account: the template is synthesised for it
LOCAL_DATA_KEY = f"arn:aws:kms:{LOCAL_REGION}:{LOCAL_ACCOUNT}:key/00000000-0000-4000-8000-00000000da7a"


@dataclass(frozen=True)
class Deployed:
    """The template and which of its logical ids is what in the wiring."""

    template: dict[str, Any]
    function_roles: dict[str, str]  # function id -> role logical id
    kinds: dict[str, tuple[str, str]]  # logical id -> (kind, wiring id): table, queue, bucket, ...
    key: str  # the data key's logical id

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return dict(self.template["Resources"])

    # ---- the roles -----------------------------------------------------------------------------------

    def role_documents(self, function_id: str) -> list[dict[str, Any]]:
        """Every policy document attached to the function's role, unresolved."""
        role = self.function_roles[function_id]
        documents: list[dict[str, Any]] = []
        for resource in self.resources.values():
            props = resource.get("Properties", {})
            if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy") and {
                "Ref": role
            } in props.get("Roles", []):
                documents.append(props["PolicyDocument"])
        for inline in self.resources[role].get("Properties", {}).get("Policies", []):
            documents.append(inline["PolicyDocument"])
        return documents

    def policies(self, resolve: Mapping[str, str], account: Account) -> dict[str, Policy]:
        refs = self.local_refs(resolve, account)
        return {
            fid: Policy.from_documents([_resolve(d, refs, account) for d in self.role_documents(fid)])
            for fid in self.function_roles
        }

    def key_allows(self, resolve: Mapping[str, str], account: Account) -> Any:
        """Whether the data key's policy lets a function's role use the key: directly, or by delegating
        to IAM (the account root statement CDK writes)."""
        refs = self.local_refs(resolve, account)
        document = _resolve(self.resources[self.key]["Properties"]["KeyPolicy"], refs, account)
        root = f"arn:{account.partition}:iam::{account.account}:root"

        def allows(function_id: str, request: Request) -> bool:
            role = local_role_arn(function_id, account)
            for raw in document.get("Statement", []):
                principal = raw.get("Principal", {})
                aws = principal.get("AWS", []) if isinstance(principal, dict) else principal
                principals = aws if isinstance(aws, list) else [aws]
                if root not in principals and role not in principals:
                    continue
                statement = Statement.parse({**raw, "Resource": "*"})  # in a key policy "*" is this key
                if raw.get("Effect", "Allow") == "Allow" and statement.applies(Request(request.action, "*")):
                    return True
            return False

        return allows

    # ---- logical ids -> local physical ids -----------------------------------------------------------

    def local_refs(self, resolve: Mapping[str, str], account: Account) -> dict[str, dict[str, str]]:
        """{logical id: {"Ref": ..., "Arn": ..., ...}} for the resources the roles point at."""
        return {lid: _local_ref(kind, rid, resolve, account) for lid, (kind, rid) in self.kinds.items()}


def _named_ref(service: str, kind: str, rid: str, resolve: Mapping[str, str], a: Account) -> dict[str, str]:
    """Resources named by an id whose ARN is `<service>:...:<kind>/<id>` (schedule groups, user pools)."""
    return {"Ref": resolve[rid], "Arn": a.arn(service, f"{kind}/{resolve[rid]}")}


def _local_ref(kind: str, rid: str, resolve: Mapping[str, str], a: Account) -> dict[str, str]:
    named = {
        "schedule_group": ("scheduler", "schedule-group"),
        "user_pool": ("cognito-idp", "userpool"),
        "bus": ("events", "event-bus"),
    }
    if kind in named:
        return _named_ref(*named[kind], rid, resolve, a)
    if kind == "table":
        return {"Ref": resolve[rid], "Arn": a.arn("dynamodb", f"table/{resolve[rid]}")}
    if kind in ("queue", "dlq"):
        url = resolve.get(rid) or f"https://sqs.{a.region}.amazonaws.com/{a.account}/{_local(rid)}-dlq"
        name = url.rstrip("/").rsplit("/", 1)[-1]
        return {"Ref": url, "QueueUrl": url, "QueueName": name, "Arn": a.arn("sqs", name)}
    if kind == "bucket":
        name = resolve.get(rid, _local(rid))
        return {"Ref": name, "Arn": f"arn:{a.partition}:s3:::{name}"}
    if kind in ("topic", "secret"):  # both are named by their ARN
        return {"Ref": resolve[rid], "TopicArn": resolve[rid]}
    if kind == "parameter":
        # Only used in policy ARNs here ("parameter/" + name): the deployed name has no leading slash, the
        # local one does; the ARN of "/a/b" is "parameter/a/b".
        return {"Ref": resolve[rid].lstrip("/")}
    if kind == "scheduler_role":
        return {"Arn": resolve[f"{rid}:role"]}
    if kind == "function":
        return {"Ref": _local(rid), "Arn": a.arn("lambda", f"function:{_local(rid)}")}
    if kind == "role":
        return {"Arn": local_role_arn(rid, a)}
    if kind == "log_group":
        name = f"/aws/lambda/{_local(rid)}"
        return {"Ref": name, "Arn": a.arn("logs", f"log-group:{name}:*")}
    if kind == "key":
        return {"Arn": a.data_key_arn or LOCAL_DATA_KEY}
    return {}


def _local(resource_id: str) -> str:
    return f"heard-local-{resource_id}"


def local_role_arn(function_id: str, account: Account) -> str:
    return f"arn:{account.partition}:iam::{account.account}:role/heard-local-{function_id}"


def _resolve(value: Any, refs: Mapping[str, Mapping[str, str]], account: Account) -> Any:
    """A template expression with its intrinsic functions evaluated; unknown references become a marker
    that matches no real ARN (so an unexplained grant never allows anything)."""
    pseudo = {
        "AWS::Partition": account.partition,
        "AWS::Region": account.region,
        "AWS::AccountId": account.account,
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::StackName": "heard-local",
    }
    if isinstance(value, list):
        return [_resolve(v, refs, account) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        ((fn, arg),) = value.items()
        if fn == "Ref":
            return pseudo.get(arg) or refs.get(arg, {}).get("Ref") or f"<unresolved:{arg}>"
        if fn == "Fn::GetAtt":
            lid, attribute = arg if isinstance(arg, list) else arg.split(".", 1)
            return refs.get(lid, {}).get(attribute) or f"<unresolved:{lid}.{attribute}>"
        if fn == "Fn::Join":
            separator, parts = arg
            return separator.join(str(p) for p in _resolve(parts, refs, account))
        if fn == "Fn::Select":
            index, items = arg
            return _resolve(items, refs, account)[int(index)]
        if fn == "Fn::Split":
            separator, text = arg
            return str(_resolve(text, refs, account)).split(separator)
    return {k: _resolve(v, refs, account) for k, v in value.items()}


# ---- synthesis, once per wiring and process -------------------------------------------------------------

_cache: dict[int, Deployed] = {}
_cache_lock = threading.Lock()


def synthesise(wiring: Wiring | None = None) -> Deployed:
    wiring = wiring or heard()
    with _cache_lock:
        if id(wiring) not in _cache:
            _cache[id(wiring)] = _synthesise(wiring)
        return _cache[id(wiring)]


def _synthesise(wiring: Wiring) -> Deployed:
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    from aws_cdk import App, CfnElement, Stack

    from infra.app import build

    context = json.loads((ROOT / "cdk.json").read_text(encoding="utf-8"))["context"]
    outdir = Path(tempfile.mkdtemp(prefix="heard-synth-"))
    app = App(
        context={
            **context,
            "heard:bundle": "sources",
            "account": LOCAL_ACCOUNT,
            "region": LOCAL_REGION,
        },
        outdir=str(outdir),
    )
    app, stack = build(app, wiring=wiring, nag=False)
    app.synth()
    template = json.loads((outdir / f"{stack.artifact_id}.template.json").read_text(encoding="utf-8"))

    def lid(construct: Any) -> str:
        child = construct.node.default_child
        assert isinstance(child, CfnElement)
        return str(Stack.of(construct).resolve(Stack.of(construct).get_logical_id(child)))

    kinds: dict[str, tuple[str, str]] = {}
    for rid, table in stack.storage.tables.items():
        kinds[lid(table)] = ("table", rid)
    for rid, queue in stack.messaging.queues.items():
        kinds[lid(queue)] = ("queue", rid)
    for rid, dlq in stack.messaging.dead_letter_queues.items():
        kinds[lid(dlq)] = ("dlq", rid)
    for rid, bucket in stack.storage.buckets.items():
        kinds[lid(bucket)] = ("bucket", rid)
    for rid, topic in stack.messaging.topics.items():
        kinds[lid(topic)] = ("topic", rid)
    for rid, secret in stack.config.secrets.items():
        kinds[lid(secret)] = ("secret", rid)
    kinds.update({lid(bus): ("bus", rid) for rid, bus in stack.messaging.buses.items()})
    for rid, parameter in stack.config.parameters.items():
        kinds[lid(parameter)] = ("parameter", rid)
    for rid, group in stack.functions.schedule_groups.items():
        kinds[lid(group)] = ("schedule_group", rid)
    for rid, role in stack.functions.scheduler_roles.items():
        kinds[lid(role)] = ("scheduler_role", rid)
    roles: dict[str, str] = {}
    for fid, function in stack.functions.functions.items():
        kinds[lid(function)] = ("function", fid)
        assert function.role is not None
        roles[fid] = lid(function.role)
        kinds[roles[fid]] = ("role", fid)
        kinds[lid(function.log_group)] = ("log_group", fid)
    kinds[lid(stack.auth.user_pool)] = ("user_pool", "user-pool")
    key = lid(stack.security.key)
    kinds[key] = ("key", "data")
    return Deployed(template=template, function_roles=roles, kinds=kinds, key=key)
