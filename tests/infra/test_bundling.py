"""The Docker-free Lambda bundle: project sources plus aarch64 wheels, cached by the dependency list."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra import bundling

pytestmark = pytest.mark.infra


def _project(root: Path) -> Path:
    (root / "shared" / "__pycache__").mkdir(parents=True)
    (root / "shared" / "clock.py").write_text("NOW = 1\n")
    (root / "shared" / "__pycache__" / "clock.cpython-312.pyc").write_bytes(b"\0")
    (root / "functions" / "webhook").mkdir(parents=True)
    (root / "functions" / "webhook" / "handler.py").write_text("def handler(event, context): ...\n")
    (root / "config").mkdir()
    (root / "config" / "heard.json").write_text("{}")
    (root / "tests").mkdir()
    (root / "tests" / "test_x.py").write_text("")
    (root / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["pydantic==2.14.3"]\n')
    return root


def test_sources_bundle_holds_the_project_code_and_nothing_else(tmp_path: Path) -> None:
    # Given a project with caches and tests lying around
    root = _project(tmp_path / "project")
    # When the sources-only bundle is prepared
    bundle = bundling.prepare(bundling.BundleMode.SOURCES, root=root, build_dir=tmp_path / "build")
    # Then it has shared/, functions/ and config/, no bytecode, no tests, no third-party packages
    files = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())
    assert files == ["config/heard.json", "functions/webhook/handler.py", "shared/clock.py"]


def test_a_source_change_is_picked_up_by_the_next_prepare(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    bundle = bundling.prepare("sources", root=root, build_dir=tmp_path / "build")
    (root / "shared" / "clock.py").write_text("NOW = 2\n")
    (root / "functions" / "webhook" / "handler.py").unlink()
    bundling.prepare("sources", root=root, build_dir=tmp_path / "build")
    assert (bundle / "shared" / "clock.py").read_text() == "NOW = 2\n"
    assert not (bundle / "functions" / "webhook" / "handler.py").exists()


def test_the_dependency_hash_changes_with_the_dependency_list() -> None:
    assert bundling.dependencies_hash(["a==1", "b==2"]) == bundling.dependencies_hash(["b==2", "a==1"])
    assert bundling.dependencies_hash(["a==1"]) != bundling.dependencies_hash(["a==2"])


@pytest.mark.timeout(120)
def test_runtime_dependencies_install_as_aarch64_wheels_once(tmp_path: Path) -> None:
    # Given the project's real runtime dependencies (pyproject.toml [project] dependencies)
    requirements = bundling.runtime_dependencies()
    target = tmp_path / "lambda"
    target.mkdir()
    # When they are installed for the Lambda platform
    assert bundling.install_dependencies(requirements, target) is True
    # Then compiled extensions are built for aarch64 and the Lambda's Python
    # (vendored native libraries such as numpy.libs/libscipy_openblas*.so carry no Python tag)
    # (an abi3 module, e.g. tokenizers.abi3.so, names no Python or machine: its ELF header is checked)
    extensions = [p for p in target.rglob("*.so") if not p.parent.name.endswith(".libs")]
    tagged = [p for p in extensions if not p.name.endswith(".abi3.so")]
    assert tagged and all("aarch64" in p.name and "cpython-312" in p.name for p in tagged)
    assert bundling.foreign_native_libraries(target) == []
    assert (target / "aws_lambda_powertools").is_dir() and (target / "pydantic").is_dir()
    # And the runtime's own boto3 stack is not shadowed by bundled copies
    for provided in ("boto3", "botocore", "s3transfer", "urllib3", "dateutil"):
        assert not (target / provided).exists(), provided
    # And a second prepare with the same list reuses the install
    assert bundling.install_dependencies(requirements, target) is False


def test_the_runtime_and_the_wheels_agree_on_the_python_version() -> None:
    from infra.lambda_factory import RUNTIME

    assert RUNTIME.name == f"python{bundling.PYTHON_VERSION}"


def test_the_sentence_model_is_checked_and_slimmed_when_bundled(tmp_path: Path) -> None:
    import numpy as np
    from safetensors.numpy import load_file, save_file

    from shared import encoder

    model = tmp_path / encoder.PACKAGE / "model"
    model.mkdir(parents=True)
    weights = tmp_path / encoder.PACKAGE / encoder.WEIGHTS
    # Weights that are not the published file are refused
    save_file({"w": np.ones((2, 2), dtype=np.float32)}, str(weights))
    (model / "README.md").write_text("model card")
    with pytest.raises(bundling.BundlingError, match="not the published file"):
        bundling.slim_sentence_model(tmp_path)
    # The real ones are stored as float16, and what the encoder never reads is left out
    weights.write_bytes((encoder.model_dir() / encoder.WEIGHTS).read_bytes())
    bundling.slim_sentence_model(tmp_path)
    assert {t.dtype for t in load_file(str(weights)).values()} <= {np.dtype(np.float16), np.dtype(np.int64)}
    assert not (model / "README.md").exists()
    # and the encoder reads them to the same vectors (it computes in float32 either way)
    slim = encoder.SentenceEncoder(
        {k: v.astype(np.float32) for k, v in load_file(str(weights)).items()},
        encoder.sentence_encoder()._tokenizer,
    )
    text = ["my card still hasn't arrived"]
    assert float(slim.embed(text)[0] @ encoder.sentence_encoder().embed(text)[0]) > 0.9999
    # A bundle without the model is left alone
    bundling.slim_sentence_model(tmp_path / "elsewhere")
