"""What Heard costs per 1 million inbound messages, measured by running the real handlers under moto.

    .venv/bin/python -m bench.cost            # 400 deliveries (about a minute)
    .venv/bin/python -m bench.cost --messages 1000

A realistic mix is delivered as signed webhooks (the demo's posts: new posts and DMs; follow-ups from the
same customers that thread into their open case; platform retries of the same delivery, i.e. duplicates;
delivery/read statuses), the ingest queue is drained into triage in batches of 10 as Lambda's event
source mapping would, and agents claim, reply to (dispatcher sends through the fake platforms) and
resolve about two thirds of the new cases (three follow-up schedules each). Every AWS request each
function makes is recorded by the role checker's recording (`infra.iam_check.CallChecker`), with the
DynamoDB capacity estimated from each request (item size, index keys written, items read), and each
invocation's duration is measured. Prices: list prices in us-east-1 (see PRICES), Lambda on arm64 at
each function's configured memory.

Not included (fixed or negligible per message): the KMS key ($1/month; SQS reuses data keys for an hour,
S3 uses a bucket key, DynamoDB caches its table key, so KMS requests do not grow with messages), API
Gateway ($3.50 per million webhook requests on REST APIs: listed separately below, it is per delivery),
CloudWatch Logs ingestion, the scheduled functions (sla every minute, spikes every 5 minutes: a fixed
~50,000 invocations a month whatever the volume), CloudFront and Cognito.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

PRICES = {  # USD, us-east-1 list prices (2026)
    "lambda_gb_second_arm64": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    "dynamodb_wru": 0.625 / 1e6,  # on-demand write request unit
    "dynamodb_rru": 0.125 / 1e6,  # on-demand read request unit
    "sqs_request": 0.40 / 1e6,  # standard queue, per 64 KB chunk
    "sns_publish": 0.50 / 1e6,
    "s3_put": 0.005 / 1000,
    "s3_get": 0.0004 / 1000,
    "scheduler_invocation": 1.00 / 1e6,
    "secrets_call": 0.05 / 10000,
    "apigw_rest_request": 3.50 / 1e6,
}

INDEX_KEYS = ("gsi1pk", "gsi2pk", "gsi3pk", "gsi4pk")


@dataclass
class Tally:
    invocations: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    requests: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    wru: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    rru: dict[str, float] = field(default_factory=lambda: defaultdict(float))


def _size(value: Any) -> int:
    return len(json.dumps(value, default=str))


def _item_wru(item: dict[str, Any]) -> float:
    """One WRU per KB of the item, plus one per index the item is written to (keys present)."""
    base = max(1, math.ceil(_size(item) / 1024))
    return base + sum(base for k in INDEX_KEYS if k in item)


def _update_wru(update: dict[str, Any]) -> float:
    # The item's size after the update is unknown here: one unit for the item, two more per index key the
    # update sets (the index entry moves: delete + put), one per index it removes.
    expression = str(update.get("UpdateExpression", ""))
    values = update.get("ExpressionAttributeValues", {})
    base = max(1, math.ceil(_size(values) / 1024))
    touched = sum(1 for k in INDEX_KEYS if k in expression)
    return base + 2 * touched


def _write_units(op: str, p: dict[str, Any]) -> float:
    if op == "PutItem":
        return _item_wru(p["Item"])
    if op in ("UpdateItem", "DeleteItem"):
        return _update_wru(p)
    if op == "TransactWriteItems":  # transactions cost double
        units = 0.0
        for item in p["TransactItems"]:
            if "Put" in item:
                units += 2 * _item_wru(item["Put"]["Item"])
            elif "Update" in item:
                units += 2 * _update_wru(item["Update"])
            else:
                units += 2
        return units
    if op == "BatchWriteItem":
        requests = [r for rs in p["RequestItems"].values() for r in rs]
        return sum(_item_wru(r["PutRequest"]["Item"]) if "PutRequest" in r else 1 for r in requests)
    return 0.0


def _read_units(op: str, p: dict[str, Any], result: Any) -> float:
    consistent = 1.0 if p.get("ConsistentRead") else 0.5
    if op == "GetItem":
        return consistent
    if op in ("Query", "Scan"):
        return max(1, math.ceil(_size(result.get("Items", [])) / 4096)) * consistent
    if op == "BatchGetItem":
        return 0.5 * max(1, sum(len(v) for v in result.get("Responses", {}).values()))
    if op == "TransactGetItems":
        return 2.0 * len(p["TransactItems"])
    return 0.0


def observe(tally: Tally) -> Any:
    def record(call: Any, result: Any) -> None:
        tally.requests[(call.function, call.service, call.operation)] += 1
        if call.service == "dynamodb":
            tally.wru[call.function] += _write_units(call.operation, dict(call.params))
            tally.rru[call.function] += _read_units(call.operation, dict(call.params), result)

    return record


class Bench:
    def __init__(self, seed: int = 7) -> None:
        self.random = random.Random(seed)
        self.tally = Tally()

    @contextmanager
    def stack(self) -> Iterator[None]:
        from moto import mock_aws

        from infra.iam_check import Account, CallChecker
        from infra.local.fake_platforms import start_fake_platforms
        from infra.local.invoke import FunctionEnvironments, Invoker
        from infra.local.resources import ACCOUNT_ID, REGION, function_environment, provision
        from infra.wiring import heard

        os.environ.update(
            AWS_DEFAULT_REGION=REGION,
            AWS_ACCESS_KEY_ID="bench",
            AWS_SECRET_ACCESS_KEY="bench",
            POWERTOOLS_TRACE_DISABLED="true",
            POWERTOOLS_METRICS_NAMESPACE="Heard",
            POWERTOOLS_LOG_LEVEL="ERROR",
        )
        with mock_aws():
            import boto3

            self.wiring = heard()
            fakes = start_fake_platforms()
            # (boto3's stubs type `client` per Literal service name; the wiring names services as str)
            clients: Any = boto3.client
            self.provisioned = provision(self.wiring, lambda s: clients(s, region_name=REGION))
            env = function_environment(self.wiring, self.provisioned, dict(fakes.base_urls))
            os.environ.update(env)
            from shared.settings import get_settings

            get_settings.cache_clear()
            self.invoker = Invoker(
                self.wiring, environments=FunctionEnvironments(self.wiring, self.provisioned.resolve)
            )
            checker = CallChecker({}, Account(REGION, ACCOUNT_ID), enforce=False, observe=observe(self.tally))
            checker.install()
            self.sqs = boto3.client("sqs", region_name=REGION)
            try:
                yield
            finally:
                checker.uninstall()
                fakes.stop()

    def invoke(self, function_id: str, event: Any) -> Any:
        started = time.perf_counter()
        try:
            return self.invoker.invoke(function_id, event)
        finally:
            self.tally.invocations[function_id] += 1
            self.tally.seconds[function_id] += time.perf_counter() - started

    # ---- the traffic ---------------------------------------------------------------------------------

    def webhook(self, platform: str, payload: dict[str, Any]) -> None:
        from infra.local.demo import sign_meta, sign_x
        from infra.local.events import apigw_event

        body = json.dumps(payload).encode()
        secrets = self.provisioned.secrets
        signature = (
            ("x-twitter-webhooks-signature", sign_x(body, secrets["X_CONSUMER_SECRET"]))
            if platform == "x"
            else ("X-Hub-Signature-256", sign_meta(body, secrets["META_APP_SECRET"]))
        )
        event = apigw_event(
            method="POST",
            raw_path=f"/webhooks/{platform}",
            query="",
            headers=[("Content-Type", "application/json"), signature],
            body=body,
            resource="/webhooks/{platform}",
            path_parameters={"platform": platform},
            source_ip="203.0.113.9",
        )
        answer = self.invoke("webhook", event)
        assert answer["statusCode"] < 300, answer

    def drain(self, queue_id: str, function_id: str, batch: int) -> None:
        from infra.local.events import sqs_event

        url = self.provisioned.resolve[queue_id]
        arn = self.provisioned.resolve[f"{queue_id}:arn"]
        while True:
            got = self.sqs.receive_message(
                QueueUrl=url, MaxNumberOfMessages=batch, AttributeNames=["All"], MessageAttributeNames=["All"]
            ).get("Messages", [])
            if not got:
                return
            answer = self.invoke(function_id, sqs_event(got, arn))
            failed = {f["itemIdentifier"] for f in (answer or {}).get("batchItemFailures", [])}
            for message in got:
                if message["MessageId"] not in failed:
                    self.sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def api(self, method: str, path: str, role: str = "agent", body: dict[str, Any] | None = None) -> Any:
        from infra.local.events import apigw_event

        claims = {"email": f"{role}@heard.local", "cognito:groups": role, "sub": f"sub-{role}"}
        event = apigw_event(
            method=method,
            raw_path=path,
            query="",
            headers=[("Content-Type", "application/json")],
            body=json.dumps(body).encode() if body is not None else b"",
            resource="/api/{proxy+}",
            path_parameters={"proxy": path.removeprefix("/api/")},
            source_ip="127.0.0.1",
            claims=claims,
        )
        answer = self.invoke("api", event)
        return answer["statusCode"], json.loads(answer["body"]) if answer.get("body") else None

    def run(self, messages: int) -> int:
        from infra.local.demo import POSTS, Post, delivery

        sent: list[tuple[str, dict[str, Any]]] = []
        customers: list[Post] = []
        inbound = 0
        for i in range(messages):
            roll = self.random.random()
            if roll < 0.10 and sent:  # the platform delivers the same webhook again
                platform, payload = self.random.choice(sent)
            elif roll < 0.30 and customers:  # the same customer writes again (threads into their case)
                author = self.random.choice(customers)
                platform, payload = delivery(
                    Post(author.channel, author.author, "Any news on this?"), f"f{i}"
                )
            else:  # a new post or DM
                base = self.random.choice([p for p in POSTS if p.channel != "x"] or POSTS)
                post = Post(base.channel, f"{base.author} {i}", base.text)
                customers.append(post)
                platform, payload = delivery(post, f"n{i}")
            sent.append((platform, payload))
            self.webhook(platform, payload)
            inbound += 1
            if i % 10 == 9:
                self.drain("ingest", "triage", 10)
        self.drain("ingest", "triage", 10)
        # Agents work about two thirds of the queued cases: claim, reply (sent by the dispatcher), resolve.
        for team in self.wiring.teams:
            while self.random.random() < 0.67:
                status, claimed = self.api("POST", f"/api/queues/{team}/next")
                if status != 200:
                    break
                case_id = claimed["case"]["case_id"]
                self.api("POST", f"/api/cases/{case_id}/replies", body={"text": "Thanks, we're on it."})
                self.drain("outbox", "dispatcher", 5)
                self.api("POST", f"/api/cases/{case_id}/resolve", body={"note": "done"})
        self.drain("outbox", "dispatcher", 5)
        return inbound


def report(bench: Bench, inbound: int) -> list[tuple[str, float]]:
    from infra.wiring import heard

    t = bench.tally
    scale = 1e6 / inbound
    memory = {f.id: f.memory_mb for f in heard().functions}
    items: dict[str, float] = defaultdict(float)
    for fid, seconds in t.seconds.items():
        billed = seconds  # measured wall time of the handler under moto (per-ms billing)
        items[f"Lambda compute: {fid}"] += billed * memory[fid] / 1024 * PRICES["lambda_gb_second_arm64"]
        items[f"Lambda requests: {fid}"] += t.invocations[fid] * PRICES["lambda_request"]
    for fid, units in t.wru.items():
        items[f"DynamoDB writes: {fid}"] += units * PRICES["dynamodb_wru"]
    for fid, units in t.rru.items():
        items[f"DynamoDB reads: {fid}"] += units * PRICES["dynamodb_rru"]
    for (fid, service, op), n in t.requests.items():
        if service == "sqs":
            items[f"SQS: {fid}"] += n * PRICES["sqs_request"]
        elif service == "s3":
            items[f"S3: {fid}"] += n * (PRICES["s3_put"] if op.startswith("Put") else PRICES["s3_get"])
        elif service == "sns":
            items[f"SNS: {fid}"] += n * PRICES["sns_publish"]
        elif service == "scheduler" and op == "CreateSchedule":
            items[f"Scheduler (later invocations): {fid}"] += n * PRICES["scheduler_invocation"]
        elif service == "secretsmanager":
            items[f"Secrets Manager: {fid}"] += n * PRICES["secrets_call"]
    items["Lambda SQS polling (event source mappings, ~1 request per batch)"] += (
        (t.invocations["triage"] + t.invocations["dispatcher"]) * 2 * PRICES["sqs_request"]
    )
    return sorted(((k, v * scale) for k, v in items.items()), key=lambda kv: -kv[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cost", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=400)
    args = parser.parse_args(argv)
    bench = Bench()
    with bench.stack():
        started = time.perf_counter()
        inbound = bench.run(args.messages)
        elapsed = time.perf_counter() - started
    lines = report(bench, inbound)
    total = sum(v for _, v in lines)
    print(
        f"\nHeard: cost per 1 million inbound messages ({inbound} delivered in {elapsed:.0f} s under moto)\n"
    )
    for name, cost in lines:
        if cost >= 0.005:
            print(f"  {cost:8.2f} $  {name}")
    print(f"  {'-' * 8}\n  {total:8.2f} $  total (goal: under $3)")
    print(
        f"  + {PRICES['apigw_rest_request'] * 1e6:.2f} $ API Gateway REST requests for the webhooks (per million)"
    )
    print("\nRequests per function (per 1,000 inbound messages):")
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (fid, service, op), n in bench.tally.requests.items():
        per[fid][f"{service}:{op}"] += n
    for fid in sorted(per, key=lambda f: -sum(per[f].values())):
        calls = ", ".join(
            f"{k} {v * 1000 / inbound:.0f}" for k, v in sorted(per[fid].items(), key=lambda kv: -kv[1])
        )
        print(f"  {fid:<11} {bench.tally.invocations[fid] * 1000 / inbound:6.0f} invocations; {calls}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
