"""Write a podcast script for chosen chapters: with an LLM when one is set, else offline.

`write_script` is the one entry point the CLI and the app call; `write_series` makes one
episode per chapter, each opening with a short "last time..." recap.
"""

from __future__ import annotations

import atexit
import functools
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from pipelines.errors import BackendError, ConfigError, FolioError
from pipelines.llm.base import LLM
from pipelines.llm.bundled import QWEN_1_5B, bundled_model
from pipelines.llm.label import OFFLINE, written_by
from pipelines.llm.llama_cpp_local import LlamaCppLLM
from pipelines.model_parts import file_sha256
from pipelines.podcast.material import Material, gather, segments_for
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers import assisted as assisted_writer
from pipelines.podcast.writers import extractive as extractive_writer
from pipelines.session import Session
from pipelines.settings import Settings
from pipelines.types import Chapter, Script, Source

log = logging.getLogger(__name__)

# progress(what is happening, done, total): "notes on VII", "writing beat 2 of 5"…
Progress = Callable[[str, int, int], None]


def write_script(
    session: Session,
    request: PodcastRequest,
    *,
    previously: str = "",
    progress: Progress | None = None,
) -> Script:
    """The script for `request`: by the configured LLM when it writes text, else offline
    (retold by the small local model when one is installed). `progress(what, done,
    total)` follows the work: notes, the plan, each beat, the checks."""
    request = request.checked()
    ws, settings, llm = session.workspace, session.settings, session.llm
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
    if llm.generates:
        from pipelines.podcast.writers import model_writer

        try:
            script = model_writer.write(
                session,
                material,
                request,
                words_per_minute=settings.podcast.words_per_minute,
                previously=previously,
                progress=progress,
            )
        except BackendError as exc:
            log.warning("LLM script failed, writing offline: %s", exc)
            notes.append(
                f"The language model could not write the script ({exc}); "
                "this one was written offline from the text's key sentences."
            )
    if script is None:
        script = _write_offline(material, request, settings, previously, notes, progress)
    notes += script.settings.pop("writer_notes", [])
    record = {"writer": "extractive", **script.settings}
    record["written_by"] = _written_by(record, llm)
    script.settings = {
        **asdict(request),
        "notes": notes,
        "backend": llm.name,
        **record,
        "hosts": list(request.hosts),
    }
    return script


def _written_by(record: dict, llm: LLM) -> str:
    """What wrote the script, for the studio to show."""
    if record["writer"] == "model":
        return written_by(llm)
    helper = record.get("helper_model")
    if helper:
        return f"{OFFLINE}; questions by {helper['name']} (on this computer)"
    return OFFLINE


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
                progress=(lambda d, t: progress("retelling lines", d, t)) if progress else None,
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


def _previously(session: Session, source: Source, chapter: Chapter) -> str:
    """What the next episode recalls: with a model, the companion's "previously on" of
    the book up to and including this chapter (from the notes, nothing later); offline,
    the chapter's title (the rules writer says "Last time, we covered …")."""
    if not session.llm.generates:
        return f"“{chapter.title}”"
    from pipelines.companion.recap import previously_on

    after = next((c.index for c in source.chapters if c.index > chapter.index), None)
    if after is None:
        return f"“{chapter.title}”"
    return previously_on(session, source, after).plain or f"“{chapter.title}”"


def write_series(
    session: Session, request: PodcastRequest, *, progress: Progress | None = None
) -> list[Script]:
    """One episode per chapter in `request.chapters`, each recalling the one before."""
    source = session.workspace.get_source(request.source_id)
    chapters = request.chapters or [c.index for c in source.chapters if c.kind.is_body]
    scripts: list[Script] = []
    previously = ""
    for index in chapters:
        chapter = source.chapter(index)
        if chapter.word_count == 0:
            continue
        one = PodcastRequest(**{**asdict(request), "chapters": [index], "notes": []})
        script = write_script(session, one, previously=previously, progress=progress)
        scripts.append(script)
        previously = _previously(session, source, chapter)
    if not scripts:
        raise FolioError("None of the chosen chapters has text for an episode.")
    return scripts
