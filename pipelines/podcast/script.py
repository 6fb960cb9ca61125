"""Write a podcast script for chosen chapters: with an LLM when one is set, else offline.

`write_script` is the one entry point the CLI and the app call; `write_series` makes one
episode per chapter, each opening with a short "last time..." recap.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

from pipelines.errors import BackendError, FolioError
from pipelines.podcast import extractive_script
from pipelines.podcast.material import Material, gather, segments_for
from pipelines.settings import Settings
from pipelines.store import Workspace
from pipelines.types import Script

log = logging.getLogger(__name__)

FORMATS = ("deep-dive", "brief", "debate")
BRIEF_MAX_MINUTES = 2.0


@dataclass
class PodcastRequest:
    source_id: str
    chapters: list[int] | None = None  # None: the body of the source
    minutes: float = 5.0
    format: str = "deep-dive"
    hosts: tuple[str, str] = ("Ada", "Ben")
    focus: str = ""
    language: str = "English"
    notes: list[str] = field(default_factory=list)

    def checked(self) -> PodcastRequest:
        if self.format not in FORMATS:
            raise FolioError(f"Unknown format '{self.format}'; choose one of {', '.join(FORMATS)}.")
        if not 0.5 <= self.minutes <= 90:
            raise FolioError("Choose an episode length between 0.5 and 90 minutes.")
        if self.format == "brief" and self.minutes > BRIEF_MAX_MINUTES:
            self.minutes = BRIEF_MAX_MINUTES
            self.notes.append("A brief is at most 2 minutes; the length was capped.")
        if len({h.strip() for h in self.hosts}) != 2 or not all(h.strip() for h in self.hosts):
            raise FolioError("The two hosts need two different, non-empty names.")
        return self


def write_script(
    ws: Workspace,
    request: PodcastRequest,
    *,
    settings: Settings | None = None,
    llm=None,
    previously: str = "",
) -> Script:
    settings = settings or ws.settings
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
        from pipelines.podcast.llm_script import write_script_with_llm

        try:
            script = write_script_with_llm(
                material,
                request,
                llm,
                words_per_minute=settings.podcast.words_per_minute,
                previously=previously,
            )
        except BackendError as exc:
            log.warning("LLM script failed, writing offline: %s", exc)
            notes.append(
                f"The language model could not write the script ({exc}); "
                "this one was written offline from the text's key sentences."
            )
    if script is None:
        script = _offline(material, request, settings, previously)
    script.settings = {**asdict(request), "notes": notes, "backend": getattr(llm, "name", "")}
    script.settings["hosts"] = list(request.hosts)
    return script


def _offline(
    material: Material, request: PodcastRequest, settings: Settings, previously: str
) -> Script:
    return extractive_script.write_script(
        material,
        hosts=request.hosts,
        minutes=request.minutes,
        words_per_minute=settings.podcast.words_per_minute,
        fmt=request.format,
        focus=request.focus,
        previously=previously,
    )


def write_series(
    ws: Workspace,
    request: PodcastRequest,
    *,
    settings: Settings | None = None,
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
