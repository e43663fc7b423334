"""Lambda code without Docker: one prepared directory shared by every function.

The directory holds the project's `shared/`, `functions/` and `config/` plus the third-party runtime
dependencies (pyproject.toml `[project] dependencies`) installed as manylinux aarch64 wheels for the
Lambda's Python version. The install is cached by a hash of the dependency list and target platform, so
only the first synth on a machine downloads anything; later synths only refresh the project sources.

Two modes:
- `full` (the default, what `make synth` / `npx cdk synth` deploys): `.build/lambda/`
- `sources` (`-c heard:bundle=sources`, for fast template tests): `.build/lambda-sources/`, no
  third-party packages.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

from infra.wiring import ROOT

PYTHON_VERSION = "3.12"  # must match the Lambda runtime in infra/lambda_factory.py
# Lambda ARM_64 on Amazon Linux 2023 (glibc 2.34): manylinux_2_28 wheels run there, and uv also accepts
# older tags (manylinux2014 = manylinux_2_17) under it. DuckDB ships aarch64 wheels only as manylinux_2_28
# since 1.3 (docs/decisions.md, 2026-12-03).
PLATFORM = "manylinux_2_28_aarch64"
SOURCE_DIRS = ("shared", "functions", "config")
# Shipped with the Lambda Python runtime; bundling our own copies would shadow the runtime's boto3 stack.
RUNTIME_PROVIDED = frozenset(
    {"boto3", "botocore", "s3transfer", "jmespath", "python-dateutil", "six", "urllib3"}
)
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache", ".mypy_cache")
_DEPS_STAMP = ".heard-deps.json"
NO_DEPS_MARK = "no-deps:"  # a requirement installed with --no-deps (runtime_dependencies)


class BundleMode(StrEnum):
    FULL = "full"
    SOURCES = "sources"


class BundlingError(RuntimeError):
    """The Lambda bundle could not be prepared (for example, a wheel is missing for aarch64)."""


def runtime_dependencies(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    """What is bundled: [project] dependencies, then [tool.heard] no-deps-packages (installed without their
    own dependencies, which Heard never uses: pyproject.toml says why, per package)."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return [*data["project"]["dependencies"], *(f"{NO_DEPS_MARK}{p}" for p in no_deps_packages(pyproject))]


def no_deps_packages(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    return list(data.get("tool", {}).get("heard", {}).get("no-deps-packages", []))


def dependencies_hash(requirements: list[str]) -> str:
    key = json.dumps(
        {
            "requirements": sorted(requirements),
            "python": PYTHON_VERSION,
            "platform": PLATFORM,
            "excluded": sorted(RUNTIME_PROVIDED),
        }
    )
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _sources_dir() -> str:
    """Each pytest-xdist worker synthesises from its own copy: a copy being replaced by one process while
    another's synth reads it would lose files (ENOENT)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"lambda-sources-{worker}" if worker else "lambda-sources"


def prepare(
    mode: BundleMode | str = BundleMode.FULL, *, root: Path = ROOT, build_dir: Path | None = None
) -> Path:
    """Prepare the bundle directory for `mode` and return it (ready for `Code.from_asset`)."""
    mode = BundleMode(mode)
    build_dir = build_dir or root / ".build"
    target = build_dir / ("lambda" if mode is BundleMode.FULL else _sources_dir())
    target.mkdir(parents=True, exist_ok=True)
    with _locked(build_dir / f".{target.name}.lock"):
        if mode is BundleMode.FULL:
            install_dependencies(runtime_dependencies(root / "pyproject.toml"), target)
        _copy_sources(root, target)
    return target


def install_dependencies(requirements: list[str], target: Path, *, platform: str = PLATFORM) -> bool:
    """Install `requirements` as aarch64 wheels into `target`; False when the cached install still fits.
    (`platform` = the host's, e.g. manylinux2014_x86_64, only to import-check the bundle on this machine.)"""
    stamp = target / _DEPS_STAMP
    digest = dependencies_hash(requirements) + ("" if platform == PLATFORM else f"-{platform}")
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")).get("hash") == digest:
        return False
    for child in target.iterdir():  # a stale or half-finished install: start clean
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    packages = [r for r in requirements if not r.startswith(NO_DEPS_MARK)]
    alone = [r.removeprefix(NO_DEPS_MARK) for r in requirements if r.startswith(NO_DEPS_MARK)]
    _run_install(packages, target, platform)
    if alone:
        _run_install(alone, target, platform, no_deps=True)
        slim_sentence_model(target)
    _remove_runtime_provided(target)
    stamp.write_text(json.dumps({"hash": digest, "requirements": requirements}), encoding="utf-8")
    return True


def _install_command(
    requirements: list[str], target: Path, platform: str = PLATFORM, *, no_deps: bool = False
) -> list[str]:
    tag, arch = platform_parts(platform)  # manylinux_2_28_aarch64 -> uv's aarch64-manylinux_2_28
    uv = Path(sys.executable).parent / "uv"
    extra = ["--no-deps"] if no_deps else []
    if uv.exists():  # uv is ~20x faster than pip and resolves the same wheels
        return [
            str(uv),
            "pip",
            "install",
            "--quiet",
            *extra,
            "--python",
            sys.executable,
            "--target",
            str(target),
            "--python-platform",
            f"{arch}-{tag}",
            "--python-version",
            PYTHON_VERSION,
            "--only-binary",
            ":all:",
            *requirements,
        ]
    return [
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        *extra,
        "--target",
        str(target),
        *pip_platforms(platform),
        "--implementation",
        "cp",
        "--python-version",
        PYTHON_VERSION,
        "--only-binary=:all:",
        *requirements,
    ]


def platform_parts(platform: str) -> tuple[str, str]:
    """("manylinux_2_28", "aarch64") from "manylinux_2_28_aarch64" (also "manylinux2014_x86_64")."""
    match = re.fullmatch(r"(manylinux\w*?)_(aarch64|x86_64)", platform)
    if not match:
        raise BundlingError(f"unsupported platform tag {platform!r}")
    return match.group(1), match.group(2)


def pip_platforms(platform: str) -> list[str]:
    """pip takes one tag per --platform and does not widen manylinux_2_28 to older tags itself."""
    tag, arch = platform_parts(platform)
    older = [f"manylinux2014_{arch}"] if tag != "manylinux2014" else []
    return [a for p in [platform, *older] for a in ("--platform", p)]


def _run_install(
    requirements: list[str], target: Path, platform: str = PLATFORM, *, no_deps: bool = False
) -> None:
    result = subprocess.run(
        _install_command(requirements, target, platform, no_deps=no_deps),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BundlingError(f"installing Lambda dependencies failed:\n{result.stderr or result.stdout}")


def slim_sentence_model(target: Path) -> None:
    """Check the sentence model's weights are the published ones (SHA-256), then store them as float16:
    45 MB instead of 90 MB keeps the bundle under Lambda's 250 MB unzipped (the encoder computes in
    float32 either way; sentence vectors move by a cosine of 0.99999). Files the encoder never reads go."""
    import numpy as np
    from safetensors.numpy import load_file, save_file

    from shared import encoder

    model = target / encoder.PACKAGE / "model"
    weights = target / encoder.PACKAGE / encoder.WEIGHTS
    if not weights.is_file():  # not among this bundle's packages
        return
    digest = hashlib.sha256(weights.read_bytes()).hexdigest()
    if digest != encoder.WEIGHTS_SHA256:
        raise BundlingError(
            f"{weights.name} of {encoder.PACKAGE} is not the published file (sha256 {digest})"
        )
    tensors = load_file(str(weights))
    save_file(
        {k: v.astype(np.float16) if v.dtype == np.float32 else v for k, v in tensors.items()}, str(weights)
    )
    for name in ("README.md", "vocab.txt", "data_config.json", ".gitattributes"):
        (model / name).unlink(missing_ok=True)


def _remove_runtime_provided(target: Path) -> None:
    """Delete the files of distributions the Lambda runtime already provides, using each RECORD."""
    for dist_info in target.glob("*.dist-info"):
        name = dist_info.name.removesuffix(".dist-info").rsplit("-", 1)[0]
        if _normalise(name) not in {_normalise(n) for n in RUNTIME_PROVIDED}:
            continue
        record = dist_info / "RECORD"
        for line in record.read_text(encoding="utf-8").splitlines() if record.exists() else ():
            path = target / line.split(",", 1)[0]
            if path.is_file():
                path.unlink()
        shutil.rmtree(dist_info, ignore_errors=True)
    for directory in sorted((p for p in target.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
        if not any(directory.iterdir()):  # packages emptied by the RECORD walk
            directory.rmdir()


def _normalise(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def _copy_sources(root: Path, target: Path) -> None:
    for name in SOURCE_DIRS:
        destination = target / name
        if destination.exists():
            shutil.rmtree(destination)
        source = root / name
        if source.is_dir():
            shutil.copytree(source, destination, ignore=_IGNORE)


@contextmanager
def _locked(lock_file: Path) -> Iterator[None]:
    # A test run and `make synth` may prepare the same directory at once.
    with lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ---- what Lambda accepts ---------------------------------------------------------------------------------

LAMBDA_ZIPPED_LIMIT = (
    50 * 1024 * 1024
)  # direct upload of a .zip; CDK uploads through S3, where it does not apply
BUNDLE_ZIPPED_BUDGET = 120 * 1024 * 1024  # ours, so that growth is a decision (docs/decisions.md)
LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024  # all layers and code, unzipped
_ELF_MACHINE_AARCH64 = 183


def unzipped_size(bundle: Path) -> int:
    return sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())


def zipped_size(bundle: Path, workdir: Path) -> int:
    """The size of the bundle as CDK uploads it (a deflated zip)."""
    archive = shutil.make_archive(str(workdir / "bundle"), "zip", root_dir=bundle)
    return Path(archive).stat().st_size


def foreign_native_libraries(bundle: Path) -> list[str]:
    """Shared libraries in the bundle that the arm64 Lambda with Python 3.12 cannot load: not AArch64 ELF
    files, or extension modules tagged for another Python."""
    wrong: list[str] = []
    py_tag = "cpython-" + PYTHON_VERSION.replace(".", "")
    for path in bundle.rglob("*.so*"):
        if not path.is_file():
            continue
        head = path.read_bytes()[:20]
        machine = int.from_bytes(head[18:20], "little") if head[:4] == b"\x7fELF" else -1
        name = path.name
        tagged_for_other_python = "cpython-" in name and py_tag not in name
        if machine != _ELF_MACHINE_AARCH64 or tagged_for_other_python:
            wrong.append(str(path.relative_to(bundle)))
    return sorted(wrong)
