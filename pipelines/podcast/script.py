"""Write a podcast script for chosen chapters: with an LLM when one is set, else offline.

`write_script` is the one entry point the CLI and the app call; `write_series` makes one
episode per chapter, each opening with a short "last time..." recap.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from pipelines.errors import BackendError, FolioError
from pipelines.podcast.material import gather, segments_for
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers import extractive as extractive_writer
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
) -> Script:
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
        except BackendError as exc:
            log.warning("LLM script failed, writing offline: %s", exc)
            notes.append(
                f"The language model could not write the script ({exc}); "
                "this one was written offline from the text's key sentences."
            )
    if script is None:
        script = extractive_writer.write(
            material,
            request,
            words_per_minute=settings.podcast.words_per_minute,
            previously=previously,
        )
    notes += script.settings.pop("writer_notes", [])
    script.settings = {**asdict(request), "notes": notes, "backend": getattr(llm, "name", "")}
    script.settings["hosts"] = list(request.hosts)
    return script


def write_series(
    ws: Workspace,
    request: PodcastRequest,
    *,
    settings: Settings,
    llm=None,
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
        script = write_script(ws, one, settings=settings, llm=llm, previously=previously)
        scripts.append(script)
        previously = f"“{chapter.title}”"
    if not scripts:
        raise FolioError("None of the chosen chapters has text for an episode.")
    return scripts
