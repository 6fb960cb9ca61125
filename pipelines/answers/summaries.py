"""Chapter summaries, source summaries and paper briefs, cached in the workspace.

With a model they are written from the chapter notes (`note_summaries`), cited.
Offline: the digest's beats for a chapter or a paper brief, key sentences for a whole
source. Any model failure falls back to the offline result with a visible note.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict
from typing import TYPE_CHECKING

from pipelines.answers import digest_summaries
from pipelines.answers.note_summaries import model_summary
from pipelines.errors import BackendError
from pipelines.llm.base import LLM
from pipelines.llm.label import OFFLINE
from pipelines.text.keysentences import (
    KeySentence,
    in_reading_order,
    rank_candidates,
    rank_key_sentences,
)
from pipelines.types import Chapter, Citation, Source, SourceKind, Summary
from pipelines.workspace.store import Workspace, utc_now

if TYPE_CHECKING:
    from pipelines.session import Session

log = logging.getLogger(__name__)

CACHE_VERSION = 2  # 2: written from chapter notes
BRIEF_FIELDS = ("problem", "method", "results", "limitations")


# -- cache ----------------------------------------------------------------------------
def _cache_key(kind: str, source_id: str, chapter: int | None, llm: LLM) -> str:
    return f"v{CACHE_VERSION}:{kind}:{source_id}:{chapter or '*'}:{llm.describe()}"


def _cached(ws: Workspace, key: str) -> Summary | None:
    with ws.connect() as con:
        row = con.execute("SELECT payload FROM summaries WHERE key=?", (key,)).fetchone()
    if row is None:
        return None
    data = json.loads(row["payload"])
    data["citations"] = [Citation(**c) for c in data["citations"]]
    return Summary(**data)


def _store(ws: Workspace, key: str, source_id: str, summary: Summary) -> None:
    # the source id is its content hash: a changed file is a new source, and removing a
    # source cascades to its summaries, so the cache can never serve stale text
    with ws.transaction() as con:
        con.execute(
            "INSERT OR REPLACE INTO summaries(key, source_id, payload, created_at) VALUES (?,?,?,?)",
            (key, source_id, json.dumps(asdict(summary)), utc_now()),
        )


# -- extractive -----------------------------------------------------------------------
def _cite(
    sentences: list[KeySentence], chapters: dict[str, Chapter], start: int = 1
) -> tuple[list[str], list[Citation]]:
    lines, citations = [], []
    for n, s in enumerate(sentences, start):
        chapter = chapters.get(s.passage.chapter_id)
        page = chapter.page_at(s.chapter_offset) if chapter and chapter.page_spans else None
        citations.append(
            Citation(
                number=n,
                passage_id=s.passage.id,
                quote=s.text,
                chapter_title=chapter.title if chapter else "",
                chapter_index=s.passage.chapter_index,
                source_id=s.passage.source_id,
                page=page,
            )
        )
        lines.append(f"{s.text} [{n}]")
    return lines, citations


def _bullets(
    kind: str, title: str, sentences: list[KeySentence], chapters: dict[str, Chapter]
) -> Summary:
    lines, citations = _cite(sentences, chapters)
    return Summary(
        kind=kind,
        title=title,
        text="\n".join(f"- {line}" for line in lines),
        citations=citations,
        backend="extractive",
    )


def _body(source: Source) -> list[Chapter]:
    return [c for c in source.chapters if c.kind.is_body and c.word_count > 0] or [
        c for c in source.chapters if c.word_count > 0
    ]


def extractive_source_summary(ws: Workspace, source: Source, limit: int = 10) -> Summary:
    """Map: each chapter's own top sentences. Reduce: the most central of those overall."""
    chapters = {c.id: c for c in _body(source)}
    candidates = []
    for chapter in chapters.values():
        for s in rank_key_sentences(ws.passages_for(chapter_ids=[chapter.id]), 2):
            candidates.append((s.text, s.passage, s.chapter_offset))
    picked = in_reading_order(rank_candidates(candidates, limit))
    return _bullets("source", f"Summary of {source.title}", picked, chapters)


# -- entry points ------------------------------------------------------------------------
def summarize(
    session: Session,
    source_id: str,
    *,
    chapter: int | None = None,
    brief: bool = False,
    refresh: bool = False,
) -> Summary:
    """A chapter summary (`chapter=N`), a paper brief (`brief=True`) or a source summary."""
    ws, llm = session.workspace, session.llm
    source = ws.get_source(source_id)
    kind = "chapter" if chapter is not None else ("brief" if brief else "source")
    key = _cache_key(kind, source.id, chapter, llm)
    if not refresh and (hit := _cached(ws, key)) is not None:
        return hit
    summary = _compute(session, source, kind, chapter)
    summary.written_by = summary.written_by or OFFLINE
    _store(ws, key, source.id, summary)
    return summary


def _compute(session: Session, source: Source, kind: str, chapter: int | None) -> Summary:
    ws = session.workspace
    target = source.chapter(chapter) if chapter is not None else None

    def offline() -> Summary:
        if target is not None:
            chapters = source.expand([target.index])
            return digest_summaries.chapter_summary(
                ws, source, chapters, digest_summaries.summary_title(target)
            )
        if kind == "brief":
            return digest_summaries.paper_brief(ws, source, _body(source))
        return extractive_source_summary(ws, source)

    if not session.llm.generates:
        return offline()
    try:
        return model_summary(session, source, kind, target)
    except BackendError as exc:
        log.warning("LLM summary failed, using key sentences: %s", exc)
        result = offline()
        result.notes.append(
            f"The language model failed ({exc}); these are the text's key sentences."
        )
        return result


def is_paper(source: Source) -> bool:
    return source.kind == SourceKind.PAPER
