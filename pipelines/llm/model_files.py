"""Model files (GGUF) on this computer: the ones already here, and a short curated list
that can be downloaded from the Hugging Face Hub when the person asks for it.

A download goes through `huggingface_hub` (the file's metadata, then its `http_get` with
progress and HTTP Range resumes) into a `.part` file that an interrupted download keeps,
so the next try goes on from there; then the whole file's sha256 is checked against the
one the hub states for it (and the pinned one, where the list pins it): a file that does
not match is deleted, never used, and the finished file is moved into place at once. `HF_ENDPOINT` points the download at another hub (a mirror,
or the tests' local one). Folio runs with HF_HUB_OFFLINE=1 so nothing else can reach a
hub; a download the person asked for is the one exception, for its own duration.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.errors import BackendError, ConfigError
from pipelines.llm.bundled import models_dir
from pipelines.model_parts import file_sha256

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (bytes done, bytes in all)


@dataclass(frozen=True)
class CatalogModel:
    key: str
    name: str
    repo_id: str
    filename: str
    size_gb: float  # about; the hub states the exact size when the download starts
    licence: str
    about: str
    sha256: str | None = None  # pinned when known; the hub's stated sha256 is always checked
    revision: str = "main"

    @property
    def label(self) -> str:
        return f"{self.name} — about {self.size_gb:.1f} GB, {self.licence}"


# Instruct models that answer, summarise and write scripts well enough on a laptop CPU,
# as single-file Q4_K_M GGUFs (bartowski's quantisations of Qwen's Apache-2.0 models).
CATALOG: tuple[CatalogModel, ...] = (
    CatalogModel(
        key="small",
        name="Qwen2.5-1.5B-Instruct (Q4_K_M)",
        repo_id="bartowski/Qwen2.5-1.5B-Instruct-GGUF",
        filename="Qwen2.5-1.5B-Instruct-Q4_K_M.gguf",
        size_gb=1.0,
        licence="Apache-2.0",
        about="small and quick on any laptop; plain answers and summaries",
    ),
    CatalogModel(
        key="medium",
        name="Qwen2.5-7B-Instruct (Q4_K_M)",
        repo_id="bartowski/Qwen2.5-7B-Instruct-GGUF",
        filename="Qwen2.5-7B-Instruct-Q4_K_M.gguf",
        size_gb=4.7,
        licence="Apache-2.0",
        about="much better writing; needs about 6 GB of free memory and is slower",
    ),
)


def catalog_entry(key: str) -> CatalogModel:
    for entry in CATALOG:
        if key.strip().lower() in (entry.key, entry.filename.lower()):
            return entry
    choices = ", ".join(e.key for e in CATALOG)
    raise ConfigError(f"There is no model '{key}' in the list; choose one of: {choices}.")


def downloads_dir() -> Path:
    """Where downloaded models go: FOLIO_MODELS_DIR, else the user's data folder (not the
    Python environment, which `make clean` deletes with everything in it)."""
    override = os.environ.get("FOLIO_MODELS_DIR")
    if override:
        return Path(override)
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "folio" / "models"


def local_models(extra: list[Path] | None = None) -> list[Path]:
    """GGUF files Folio knows of: downloaded ones, the bundled one, and `extra`."""
    found: dict[Path, None] = {}
    for folder in dict.fromkeys([downloads_dir(), models_dir()]):
        if folder.is_dir():
            for path in sorted(folder.rglob("*.gguf")):
                found[path.resolve()] = None
    for path in extra or []:
        if path.is_file() and path.suffix.lower() == ".gguf":
            found[path.resolve()] = None
    return list(found)


_ONLINE = threading.Lock()


@contextlib.contextmanager
def _hub_reachable() -> Iterator[None]:
    """Let huggingface_hub reach the hub while the asked-for download runs."""
    from huggingface_hub import constants

    with _ONLINE:
        before = constants.HF_HUB_OFFLINE
        constants.HF_HUB_OFFLINE = False
        try:
            yield
        finally:
            constants.HF_HUB_OFFLINE = before


def _progress_bar(progress: Progress | None) -> type[Any]:
    """A tqdm class that reports to `progress` (huggingface_hub draws its bar with it)."""
    from tqdm.std import tqdm

    class Reporting(tqdm):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            if progress is not None:  # the caller shows progress; tqdm only counts
                kwargs["file"] = open(os.devnull, "w")  # noqa: SIM115 - closed with the bar
                kwargs["disable"] = False
            super().__init__(*args, **kwargs)

        def close(self) -> None:
            super().close()
            if progress is not None and not self.fp.closed:
                self.fp.close()

        def update(self, n: float | None = 1) -> bool | None:
            shown = super().update(n)
            if progress is not None and self.total:
                progress(int(self.n), int(self.total))
            return shown

    return Reporting


def download(
    entry: CatalogModel,
    *,
    dest: Path | None = None,
    progress: Progress | None = None,
    endpoint: str | None = None,
) -> Path:
    """Download `entry` into `dest` (default: `downloads_dir()`) and return the checked
    file. An interrupted download leaves `.<name>.part`; the next call goes on from there
    (an HTTP Range request). BackendError says what went wrong."""
    from huggingface_hub import get_hf_file_metadata, hf_hub_url
    from huggingface_hub.errors import HfHubHTTPError
    from huggingface_hub.file_download import http_get

    folder = dest or downloads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / entry.filename
    part = folder / f".{entry.filename}.part"
    hub = endpoint or os.environ.get("HF_ENDPOINT") or None
    where = hub or "the Hugging Face Hub"
    if target.is_file() and entry.sha256 and file_sha256(target) == entry.sha256:
        return target
    try:
        with _hub_reachable():
            url = hf_hub_url(entry.repo_id, entry.filename, revision=entry.revision, endpoint=hub)
            meta = get_hf_file_metadata(url, endpoint=hub, retry_on_errors=True)
            size = meta.size
            stated = (meta.etag or "").lower()
            if part.exists() and size is not None and part.stat().st_size > size:
                part.unlink()  # longer than the file: not a piece of it
            done = part.stat().st_size if part.exists() else 0
            log.info(
                "Downloading %s from %s (%s of %s bytes here)", entry.filename, where, done, size
            )
            with part.open("ab") as out:
                http_get(
                    meta.location,
                    out,
                    resume_size=done,
                    expected_size=size,
                    displayed_filename=entry.filename,
                    tqdm_class=_progress_bar(progress),
                )
    except HfHubHTTPError as exc:
        raise BackendError(
            f"Could not download {entry.name} from {where}: {_short(exc)}. "
            "Check the address and run the same command again."
        ) from None
    except Exception as exc:  # a dropped connection, a full disk ...: the .part file stays
        raise BackendError(
            f"The download of {entry.name} from {where} stopped ({_short(exc)}). "
            "Run the same command again: it goes on from where it stopped."
        ) from None
    _check(part, entry, stated)
    os.replace(part, target)
    return target


def _check(path: Path, entry: CatalogModel, stated: str) -> None:
    """The whole file's sha256 must be the one the hub states (and the pinned one)."""
    expected = {h for h in (stated, entry.sha256) if h and len(h) == 64}
    if not expected:
        log.warning("The hub stated no sha256 for %s; only its size was checked", entry.filename)
        return
    found = file_sha256(path)
    if {found} != expected:
        path.unlink(missing_ok=True)
        raise BackendError(
            f"The downloaded {entry.filename} is damaged (its sha256 is {found[:12]}…, "
            f"expected {sorted(expected)[0][:12]}…); it was deleted. Download it again."
        )


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
