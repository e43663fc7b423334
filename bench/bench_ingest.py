"""Ingest cost: the webhook's import time against `import boto3`, and AWS calls per delivery.

1. Import time, each in a fresh interpreter (median of N runs): `functions.webhook.handler` (what a cold
   start pays before the first request), `boto3` alone (the baseline), and the handler plus boto3 (what
   the first request pays, since the adapters import boto3 lazily on first use).
2. AWS calls per delivery of 1, 100 and 1000 Messenger updates, counted with a botocore `before-call`
   hook on the adapters' clients under moto. S3 goes to moto; SendMessageBatch is answered by the hook
   itself, because moto's SQS slows down as a queue deepens and the count, not its speed, is the point.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
SIZES = (1, 100, 1000)
SECRET = "bench-meta-secret"


def _import_seconds(statement: str) -> float:
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    env = {"PATH": "/usr/bin:/bin", "POWERTOOLS_TRACE_DISABLED": "1", "AWS_DEFAULT_REGION": "eu-west-1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def _modules_loaded_by_handler() -> dict[str, bool]:
    code = (
        "import json, sys, functions.webhook.handler; "
        "print(json.dumps({m: m in sys.modules for m in ('boto3', 'botocore', 'aws_xray_sdk')}))"
    )
    env = {"PATH": "/usr/bin:/bin", "POWERTOOLS_TRACE_DISABLED": "1", "AWS_DEFAULT_REGION": "eu-west-1"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_times(runs: int = RUNS) -> dict[str, Any]:
    _import_seconds("import functions.webhook.handler")  # warm the bytecode cache once
    statements = {
        "webhook_handler": "import functions.webhook.handler",
        "boto3": "import boto3",
        "webhook_handler_then_boto3": "import functions.webhook.handler; import boto3",
        # the shared Powertools module alone (Logger, Metrics, Tracer -> aws_xray_sdk -> botocore)
        "shared_observability_only": "import shared.observability",
    }
    # Interleave the runs so a busy machine slows every measurement alike.
    measured: dict[str, list[float]] = {name: [] for name in statements}
    for _ in range(runs):
        for name, statement in statements.items():
            measured[name].append(_import_seconds(statement))
    medians = {name: statistics.median(values) for name, values in measured.items()}
    return {
        "runs": runs,
        "median_ms": {name: round(value * 1000, 1) for name, value in medians.items()},
        "handler_vs_boto3_ratio": round(medians["webhook_handler"] / medians["boto3"], 2),
        "observability_share_of_handler": round(
            medians["shared_observability_only"] / medians["webhook_handler"], 2
        ),
        "modules_loaded_by_handler_import": _modules_loaded_by_handler(),
    }


def _delivery(size: int) -> bytes:
    entries = [
        {
            "id": "1",
            "time": 1767261600,
            "messaging": [
                {
                    "sender": {"id": str(1000 + n)},
                    "recipient": {"id": "1"},
                    "timestamp": 1767261600000 + n,
                    "message": {"mid": f"m.{n}", "text": "where is my order?"},
                }
            ],
        }
        for n in range(size)
    ]
    return json.dumps({"object": "page", "entry": entries}).encode()


def aws_calls_per_delivery(sizes: tuple[int, ...] = SIZES) -> dict[str, Any]:
    import hashlib
    import hmac

    import boto3
    from botocore.awsrequest import AWSResponse, HTTPHeaders
    from moto import mock_aws

    from shared.adapters.archive import S3Archive
    from shared.adapters.ingest_queue import IngestQueue
    from shared.platforms.credentials import PlatformCredentials
    from shared.settings import Settings
    from shared.usecases.ingest import receive

    calls: list[str] = []

    def count(model: Any, params: Any, **_: Any) -> Any:
        calls.append(model.name)
        if model.name == "SendMessageBatch":
            # Answer "all entries accepted" without moto (the adapter only reads Failed).
            return AWSResponse("https://sqs.bench", 200, HTTPHeaders(), None), {
                "Successful": [],
                "Failed": [],
            }
        return None

    results: dict[str, Any] = {}
    with mock_aws():
        s3 = boto3.client("s3", region_name="eu-west-1")
        sqs = boto3.client("sqs", region_name="eu-west-1")
        s3.create_bucket(
            Bucket="bench-archive", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
        )
        for client in (s3, sqs):
            client.meta.events.register("before-call", count)
        archive = S3Archive("bench-archive", client=s3)
        queue = IngestQueue("https://sqs.eu-west-1.amazonaws.com/123456789012/bench-ingest", client=sqs)
        creds = PlatformCredentials(META_APP_SECRET=SECRET)
        settings = Settings.model_validate({"HEARD_MAX_WEBHOOK_BYTES": str(10 * 1024 * 1024)})
        for size in sizes:
            body = _delivery(size)
            headers = {
                "X-Hub-Signature-256": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
            }
            calls.clear()
            answer = receive(
                "meta",
                "POST",
                headers,
                body,
                {},
                archive=archive,
                queue=queue,
                creds=creds,
                now=datetime.now(UTC),
                settings=settings,
            )
            assert answer.status == 200, answer
            results[str(size)] = {
                "total": len(calls),
                **{name: calls.count(name) for name in sorted(set(calls))},
            }
    return {
        "updates_per_delivery": results,
        "rule": "1 PutObject + ceil(interactions / 10) SendMessageBatch (+1 per chunk only on retry)",
    }


def run(args: Any) -> dict[str, Any]:
    return {"import_time": import_times(), "aws_calls": aws_calls_per_delivery()}


if __name__ == "__main__":
    print(json.dumps(run(None), indent=2))
