"""What the local stack keeps across restarts: the raw webhook archive, on disk under `.heard-local/`.

moto keeps everything in memory. The archive bucket is mirrored to disk as it is written: moto's S3
PutObject for that bucket returns only after the object's bytes and metadata are in a file (written to a
temporary name, flushed to the disk, then renamed into place), and the webhook function answers the platform
only after its archive write returned. So every delivery that was answered 2xx is on disk, whatever happens
to the process afterwards (SIGKILL included).

At the next start, `restore()` puts the saved objects back into the (new, empty) archive bucket and replays
them onto the ingest queue with Heard's own replay (the same code as `heard replay`): triage rebuilds the
cases from the exact bytes the platforms sent, with their original receive times.

Everything else (agents' replies, assignments, notes, settings changed in the console, reports) lives only
in the emulator's memory and is not kept; docs/local.md says so.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

log = logging.getLogger("heard.local")

ARCHIVE_DIR = "archive"
_HEADER_END = b"\n"
_mirrors: dict[str, ArchiveMirror] = {}
_patch_lock = threading.Lock()
_patched = False


class ArchiveMirror:
    """One bucket's objects as files: `<root>/<key>`, a JSON header line (metadata) then the raw bytes."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, key: str) -> Path:
        target = (self.root / key).resolve()
        if not target.is_relative_to(self.root.resolve()) or key.endswith("/"):
            raise ValueError(f"archive key cannot be stored on disk: {key!r}")
        return target

    def save(self, key: str, body: bytes, metadata: dict[str, str]) -> None:
        target = self.path_for(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{threading.get_ident()}.tmp")
        header = json.dumps({"key": key, "metadata": metadata}, ensure_ascii=True).encode()
        with open(temporary, "wb") as file:
            file.write(header + _HEADER_END + body)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, target)  # atomic: a reader sees the whole object or none of it

    def remove(self, key: str) -> None:
        try:
            self.path_for(key).unlink(missing_ok=True)
        except ValueError:
            return  # a key that could never have been stored

    def load(self) -> list[tuple[str, bytes, dict[str, str]]]:
        """Every saved object (key, body, metadata), oldest key first; unreadable files are reported."""
        objects: list[tuple[str, bytes, dict[str, str]]] = []
        if not self.root.is_dir():
            return objects
        for path in sorted(self.root.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            try:
                raw = path.read_bytes()
                header, _, body = raw.partition(_HEADER_END)
                meta = json.loads(header)
                objects.append(
                    (str(meta["key"]), body, {str(k): str(v) for k, v in meta["metadata"].items()})
                )
            except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
                log.warning("unreadable archive file skipped", extra={"file": str(path), "error": str(error)})
        return sorted(objects, key=lambda o: o[0])


def mirror_bucket(bucket: str, mirror: ArchiveMirror) -> None:
    """From now on, every PutObject into `bucket` is also written to `mirror` before it is answered, and an
    object deleted for good (no version left) is removed from it."""
    _install_patch()
    _mirrors[bucket] = mirror


def unmirror_bucket(bucket: str) -> None:
    _mirrors.pop(bucket, None)


def _install_patch() -> None:
    global _patched
    from moto.s3.responses import S3Response

    with _patch_lock:
        if _patched:
            return
        original = S3Response.put_object

        def put_object(self: Any) -> Any:
            result = original(self)
            mirror = _mirrors.get(self.bucket_name)
            if mirror is not None:
                key_name = self.parse_key_name()
                stored = self.backend.get_object(self.bucket_name, key_name)
                # A failure here (disk full, ...) fails the PutObject: the webhook then answers 5xx and
                # the platform retries, rather than a 2xx for a delivery that would not survive a restart.
                mirror.save(key_name, stored.value, {str(k): str(v) for k, v in stored.metadata.items()})
            return result

        original_delete = S3Response.delete_object

        def delete_object(self: Any) -> Any:
            result = original_delete(self)
            mirror = _mirrors.get(self.bucket_name)
            if mirror is not None:
                key_name = self.parse_key_name()
                # Erasure and retention delete every version: once no version is readable, the disk copy
                # goes too (else a restart would restore and replay what was erased).
                if not self.backend.get_object(self.bucket_name, key_name):
                    mirror.remove(key_name)
            return result

        S3Response.put_object = put_object  # type: ignore[method-assign]
        S3Response.delete_object = delete_object  # type: ignore[method-assign]
        _patched = True


@dataclass(frozen=True)
class Restored:
    objects: int
    deliveries: int
    interactions: int
    skipped: int
    seconds: float


def restore(
    mirror: ArchiveMirror,
    bucket: str,
    queue_url: str,
    s3_backend: Callable[[], Any],
) -> Restored:
    """Put the saved archive back into `bucket` and replay it onto the ingest queue."""
    started = time.monotonic()
    objects = mirror.load()
    if not objects:
        return Restored(0, 0, 0, 0, 0.0)
    backend = s3_backend()
    for key, body, metadata in objects:
        stored = backend.put_object(bucket, key, body)
        stored.set_metadata(metadata)
    from shared.usecases.deps import archive_key_time, replay_adapters
    from shared.usecases.ingest import replay

    times = [t for t in (archive_key_time(key) for key, _, _ in objects) if t is not None]
    if not times:
        return Restored(len(objects), 0, 0, len(objects), time.monotonic() - started)
    archive, queue = replay_adapters(bucket, queue_url)
    report = replay(
        archive,
        queue,
        start=min(times),
        end=max(times) + timedelta(seconds=1),
    )
    return Restored(
        len(objects), report.deliveries, report.interactions, report.skipped, time.monotonic() - started
    )
