"""A two-host episode written by a capable language model, model first:

chosen chapters -> their notes (made once, kept) -> a plan (beats with words and
passages) -> the dialogue (one request when the whole text fits the model's window,
else beat by beat with the plan and the transcript so far) -> checks that repair (the
model fixes what fails, with the reasons) -> citations as turn metadata, never voiced.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from pipelines.errors import BackendError
from pipelines.llm.base import Message
from pipelines.podcast.material import Material
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers.dialogue import (
    Line,
    beat_messages,
    reply_tokens,
    whole_messages,
    write_dialogue,
)
from pipelines.podcast.writers.episode_plan import EpisodePlan, make_plan
from pipelines.podcast.writers.line_checks import Checker
from pipelines.podcast.writers.material_text import EpisodeText
from pipelines.podcast.writers.repair import repair
from pipelines.text.passage_keys import take_keys
from pipelines.text.sentences import terms
from pipelines.types import Host, Passage, Script, Turn

if TYPE_CHECKING:
    from pipelines.session import Session

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
SHOW_NAME = "Folio"  # the hosts may name the show


def write(
    session: Session,
    material: Material,
    request: PodcastRequest,
    *,
    words_per_minute: int,
    previously: str = "",
    progress: Progress | None = None,
) -> Script:
    """Raises BackendError when the model cannot plan or write (the caller falls back)."""
    from pipelines.notes.service import notes_for

    llm = session.llm
    words = round(request.minutes * words_per_minute)
    notes = notes_for(session, material.source, material.chapters, progress=progress)
    text = EpisodeText.of(material, notes.notes)
    text.show_whole = text.fits(llm.context_window, reply_tokens(words))
    if progress:
        progress("planning the episode", 0, 1)
    plan = make_plan(llm, text, request, words)
    lines = write_dialogue(
        llm, request, text, plan, words, previously, whole=text.show_whole, progress=progress
    )
    if progress:
        progress("checking the lines", 0, 1)
    allowed = " ".join([*request.hosts, SHOW_NAME, text.label])
    checker = Checker(
        f"{text.source_words()} {allowed}", request.hosts, one_host=request.kind.one_host
    )
    context = _context(request, text, plan, words, previously)
    fixed = repair(llm, lines, checker, words, context, request.hosts)
    needed = 1 if request.kind.one_host else 2
    if len(fixed.lines) < needed:  # a tiny model's reply can hold no dialogue at all
        raise BackendError(f"the model wrote {len(fixed.lines)} usable line(s)")
    script = _script(material, request, text, plan, fixed.lines)
    script.settings.update(
        {
            "writer": "model",
            "model": llm.describe(),
            "plan": [b.model_dump() for b in plan.beats],
            "whole_text_in_prompt": text.show_whole,
            "notes_by": sorted({n.made_by for n in notes.notes}),
            "repair_rounds": fixed.rounds,
            "sent_back": fixed.sent_back,
            "mended_lines": fixed.mended,
        }
    )
    writer_notes = []
    if notes.problems:
        writer_notes.append(
            f"The model could not take notes on {len(notes.problems)} chapter(s); the "
            "offline notes were used for them."
        )
    if fixed.mended:
        writer_notes.append(
            f"{fixed.mended} line(s) still failed the checks after {fixed.rounds} "
            "round(s) of repair; their failing sentences were left out."
        )
    script.settings["writer_notes"] = writer_notes
    return script


def _context(
    request: PodcastRequest, text: EpisodeText, plan: EpisodePlan, words: int, previously: str
) -> list[Message]:
    """The messages a repair request starts from: what the script was written from."""
    if text.show_whole:
        return whole_messages(request, text, plan, words, previously)
    first = beat_messages(request, text, plan, 1, [], words, previously)
    return [first[0], Message("user", f"{first[1].content.split('Transcript so far')[0]}")]


def _script(
    material: Material,
    request: PodcastRequest,
    text: EpisodeText,
    plan: EpisodePlan,
    lines: list[Line],
) -> Script:
    hosts = [request.hosts[0]] if request.kind.one_host else list(request.hosts)
    beats = max(1, len(plan.beats))
    turns = [
        Turn(
            speaker=line.speaker,
            text=line.text,
            passage_ids=_cited(line, text),
            segment=min(max(line.beat, 1), beats) - 1,
        )
        for line in lines
    ]
    titles = [take_keys(b.title)[0] or f"Part {n}" for n, b in enumerate(plan.beats, 1)]
    return Script(
        title=take_keys(plan.title)[0] or f"{material.source.title}: {material.label.strip('“”')}",
        hosts=[Host(name=h) for h in hosts],
        turns=turns,
        segments=titles or ["Episode"],
        source_ids=[material.source.id],
        chapter_ids=[c.id for c in material.chapters],
    )


def _cited(line: Line, text: EpisodeText) -> list[str]:
    """The passages a line cites; where it cites none, the passage its words match best."""
    ids = [text.keys[k].id for k in (text.norm_key(k) for k in line.keys) if k in text.keys]
    if ids:
        return list(dict.fromkeys(ids))
    best = _best_match(line.text, list(text.keys.values()))
    return [best.id] if best is not None else []


def _best_match(said: str, passages: list[Passage], at_least: int = 3) -> Passage | None:
    """The passage sharing the most content words with a line (at least `at_least`)."""
    wanted = set(terms(said))
    if len(wanted) < at_least:
        return None
    scored = [(len(wanted & set(terms(p.text))), p) for p in passages]
    count, passage = max(scored, key=lambda s: s[0], default=(0, None))
    return passage if count >= at_least else None
