"""`heard replay`: re-ingest archived webhook deliveries received in a time range.

Reads the raw archive (S3) and puts the interactions back on the ingest queue. Safe to repeat: every
interaction keeps its dedupe key and triage drops the ones it has already seen.

    heard replay --since 2026-03-01T00:00:00Z --until 2026-03-01T06:00:00Z [--platform meta] [--dry-run]
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from typing import Any

from shared import clock
from shared.errors import HeardError
from shared.platforms import NAMES

BAR_WIDTH = 30


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO-8601 time: {value!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "replay",
        help="re-ingest archived webhook deliveries for a time range",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--since", type=_moment, required=True, help="start (inclusive), ISO-8601, UTC if no offset"
    )
    parser.add_argument("--until", type=_moment, default=None, help="end (exclusive), default now")
    parser.add_argument(
        "--platform", action="append", choices=NAMES, help="only these platforms (repeatable)"
    )
    parser.add_argument("--bucket", help="archive bucket (default HEARD_ARCHIVE_BUCKET)")
    parser.add_argument("--queue-url", help="ingest queue URL (default HEARD_INGEST_QUEUE_URL)")
    parser.add_argument("--dry-run", action="store_true", help="list what would be replayed, send nothing")
    parser.set_defaults(run=run)


def _progress(done: int, total: int, report: Any) -> None:
    filled = BAR_WIDTH * done // max(total, 1)
    bar = "#" * filled + "-" * (BAR_WIDTH - filled)
    end = "\n" if done == total else ""
    sys.stderr.write(
        f"\r[{bar}] {done}/{total} deliveries, {report.interactions} interactions, "
        f"{report.skipped} skipped{end}"
    )
    sys.stderr.flush()


def run(args: argparse.Namespace, *, archive: Any = None, queue: Any = None) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from shared.adapters.archive import S3Archive
    from shared.adapters.ingest_queue import EnqueueFailed, IngestQueue
    from shared.settings import get_settings
    from shared.usecases.ingest import replay

    until = args.until or clock.now()
    if until <= args.since:
        print("heard replay: --until must be after --since", file=sys.stderr)
        return 2
    try:
        settings = get_settings()
        archive = archive or S3Archive(args.bucket or settings.archive_bucket)
        if args.dry_run:
            keys = list(archive.list_keys(start=args.since, end=until, platforms=args.platform))
            for key in keys:
                print(key)
            print(f"{len(keys)} deliveries would be replayed", file=sys.stderr)
            return 0
        queue = queue or IngestQueue(args.queue_url or settings.ingest_queue_url)
        report = replay(
            archive, queue, start=args.since, end=until, platforms=args.platform, progress=_progress
        )
    except (HeardError, EnqueueFailed, ClientError, BotoCoreError) as error:
        # Replays are idempotent: after fixing the cause, run the same command again.
        print(f"\nheard replay: {error}", file=sys.stderr)
        return 1
    print(
        f"replayed {report.deliveries} deliveries ({report.interactions} interactions), "
        f"skipped {report.skipped} ({report.unreadable} unreadable)",
        file=sys.stderr,
    )
    for key, reason in report.problems:
        print(f"  skipped {key}: {reason}", file=sys.stderr)
    if report.skipped > len(report.problems):
        print(f"  ... and {report.skipped - len(report.problems)} more (see the log)", file=sys.stderr)
    return 0
