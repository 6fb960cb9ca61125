"""Write a podcast script for chosen chapters: with an LLM when one is set, else offline.

`write_script` is the one entry point the CLI and the app call; `write_series` makes one
episode per chapter, each opening with a short "last time..." recap.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import logging
from dataclasses import asdict
from pathlib import Path

from pipelines.errors import BackendError, ConfigError, FolioError
from pipelines.llm.base import LLM
from pipelines.llm.bundled import QWEN_1_5B, bundled_model, file_sha256
from pipelines.llm.llama_cpp_local import LlamaCppLLM
from pipelines.podcast.material import Material, gather, segments_for
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers import assisted as assisted_writer
from pipelines.podcast.writers import extractive as extractive_writer
from pipelines.podcast.writers.assisted import Progress
from pipelines.settings import Settings
from pipelines.types import Script
from pipelines.workspace.store import Workspace

log = logging.getLogger(__name__)


def write_script(
    ws: Workspace,
    request: PodcastRequest,
    *,
    settings: Settings,
    llm=None,
    previously: str = "",
    progress: Progress | None = None,
) -> Script:
    """The script for `request`: by the configured LLM when it writes text, else offline
    (retold by the small local model when one is installed). `progress(done, total)`
    follows the model's lines."""
    request = request.checked()
    source = ws.get_source(request.source_id)
    target_words = round(request.minutes * settings.podcast.words_per_minute)
    material = gather(ws, source, request.chapters, max_segments=segments_for(target_words))
    if not material.segments:
        raise FolioError(
            "The chosen chapters have no text to talk about; pick chapters with text "
            "(front matter and part titles are often empty)."
        )
    notes = list(request.notes)
    script: Script | None = None
    if llm is None:
        from pipelines.llm.registry import get_llm

        llm = get_llm(settings.llm)
    if getattr(llm, "generates", False):
        from pipelines.podcast.writers import llm as llm_writer

        try:
            script = llm_writer.write(
                material,
                request,
                words_per_minute=settings.podcast.words_per_minute,
                previously=previously,
                llm=llm,
            )
            script.settings["writer"] = "llm"
        except BackendError as exc:
            log.warning("LLM script failed, writing offline: %s", exc)
            notes.append(
                f"The language model could not write the script ({exc}); "
                "this one was written offline from the text's key sentences."
            )
    if script is None:
        script = _write_offline(material, request, settings, previously, notes, progress)
    notes += script.settings.pop("writer_notes", [])
    made_by = {k: script.settings[k] for k in ("writer", "helper_model") if k in script.settings}
    script.settings = {
        **asdict(request),
        "notes": notes,
        "backend": getattr(llm, "name", ""),
        "writer": "extractive",
        **made_by,
    }
    script.settings["hosts"] = list(request.hosts)
    return script


def _write_offline(
    material: Material,
    request: PodcastRequest,
    settings: Settings,
    previously: str,
    notes: list[str],
    progress: Progress | None,
) -> Script:
    wpm = settings.podcast.words_per_minute
    helper = helper_llm(settings)
    if helper is not None:
        try:
            script = assisted_writer.write(
                material,
                request,
                words_per_minute=wpm,
                previously=previously,
                llm=helper,
                progress=progress,
                retell=settings.podcast.helper_retells,
            )
            script.settings["helper_model"] = helper_record(settings)
            return script
        except (BackendError, ConfigError) as exc:
            log.warning("The local model could not retell the script: %s", exc)
            notes.append(
                f"The local model could not retell the lines ({exc}); the text's own words are used."
            )
    return extractive_writer.write(material, request, words_per_minute=wpm, previously=previously)


_helpers: dict[str, LLM] = {}  # one loaded model per file, shared by later scripts


def helper_llm(settings: Settings) -> LLM | None:
    """The small local model for retelling lines, or None (turned off, not installed, or
    llama-cpp-python missing)."""
    choice = settings.podcast.helper_model.strip()
    if choice == "off":
        return None
    path = bundled_model() if choice in ("", "auto") else Path(choice).expanduser()
    if path is None or not path.is_file():
        if choice not in ("", "auto"):
            log.warning("FOLIO_PODCAST__HELPER_MODEL=%s is not a file; writing offline", choice)
        return None
    if importlib.util.find_spec("llama_cpp") is None:
        return None
    key = str(path)
    if key not in _helpers:
        _helpers[key] = helper = LlamaCppLLM(key, context_window=2048)
        atexit.register(helper.close)
    return _helpers[key]


def helper_record(settings: Settings) -> dict[str, str]:
    """Which model retold the lines, for the script's record."""
    choice = settings.podcast.helper_model.strip()
    if choice in ("", "auto"):
        return {"name": QWEN_1_5B.name, "file": QWEN_1_5B.filename, "sha256": QWEN_1_5B.sha256}
    path = Path(choice).expanduser()
    stat = path.stat()
    return {
        "name": path.name,
        "file": choice,
        "sha256": _sha256_of(path, stat.st_size, stat.st_mtime),
    }


@functools.lru_cache(maxsize=4)
def _sha256_of(path: Path, size: int, mtime: float) -> str:
    """Hashed once per file version (a GGUF is a gigabyte), not once per script."""
    return file_sha256(path)


def write_series(
    ws: Workspace,
    request: PodcastRequest,
    *,
    settings: Settings,
    llm=None,
    progress: Progress | None = None,
) -> list[Script]:
    """One episode per chapter in `request.chapters`, each recalling the one before."""
    source = ws.get_source(request.source_id)
    chapters = request.chapters or [c.index for c in source.chapters if c.kind.is_body]
    scripts: list[Script] = []
    previously = ""
    for index in chapters:
        chapter = source.chapter(index)
        if chapter.word_count == 0:
            continue
        one = PodcastRequest(**{**asdict(request), "chapters": [index], "notes": []})
        script = write_script(
            ws, one, settings=settings, llm=llm, previously=previously, progress=progress
        )
        scripts.append(script)
        previously = f"“{chapter.title}”"
    if not scripts:
        raise FolioError("None of the chosen chapters has text for an episode.")
    return scripts
