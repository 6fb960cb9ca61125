"""Offline summaries from the same digest as the podcast: what happens, in order, for a
chapter; the problem, idea, method, numbers and limits for a paper. Each sentence stands
alone (names instead of dangling pronouns, third person for a first-person narrator),
and each is cited by the passage it came from, with its page."""

from __future__ import annotations

from pipelines.text.digest import Beat, digest
from pipelines.text.naming import chapter_name
from pipelines.text.narration import find_narrator, find_teller
from pipelines.types import Chapter, Citation, Source, SourceKind, Summary
from pipelines.workspace.store import Workspace

BRIEF_PARTS = [
    ("problem", "The problem"),
    ("idea", "The idea"),
    ("method", "How it works"),
    ("result", "What they found"),
    ("limit", "Limits"),
]


def _beats(ws: Workspace, source: Source, chapters: list[Chapter], limit: int) -> list[Beat]:
    paper = source.kind == SourceKind.PAPER
    book_text = " ".join(c.text for c in source.chapters if c.kind.is_body)
    found = digest(
        ws.passages_for(chapter_ids=[c.id for c in chapters]),
        limit=limit * 2,
        is_paper=paper,
        narrator=None if paper else find_narrator(book_text, source.authors),
        teller=None if paper else find_teller(book_text),
    )
    told = [
        b for b in found.beats if not b.quoted
    ] or found.beats  # what happens, not who said what
    return sorted(sorted(told, key=lambda b: -b.score)[:limit], key=lambda b: b.order)


def _citation(number: int, beat: Beat, chapters: dict[str, Chapter]) -> Citation:
    chapter = chapters.get(beat.passage.chapter_id)
    page = chapter.page_at(beat.offset) if chapter and chapter.page_spans else None
    return Citation(
        number=number,
        passage_id=beat.passage.id,
        quote=" ".join(beat.printed.split()),
        chapter_title=chapter.title if chapter else "",
        chapter_index=beat.passage.chapter_index,
        source_id=beat.passage.source_id,
        page=page,
    )


def chapter_summary(ws: Workspace, source: Source, chapters: list[Chapter], title: str) -> Summary:
    """What happens in the chapter (its parts included), in reading order, one cited line each."""
    words = sum(c.word_count for c in chapters)
    beats = _beats(ws, source, chapters, max(3, min(8, words // 900 + 2)))
    by_id = {c.id: c for c in chapters}
    citations = [_citation(n, b, by_id) for n, b in enumerate(beats, 1)]
    text = "\n".join(f"- {b.text} [{n}]" for n, b in enumerate(beats, 1))
    return Summary(
        kind="chapter", title=title, text=text, citations=citations, backend="extractive"
    )


def paper_brief(ws: Workspace, source: Source, body: list[Chapter]) -> Summary:
    """Problem, idea, method, results and limits, each from the paper's own sentences."""
    beats = _beats(ws, source, body, 14)
    by_id = {c.id: c for c in body}
    parts: list[str] = []
    citations: list[Citation] = []
    for role, heading in BRIEF_PARTS:
        mine = [b for b in beats if b.role == role][:3]
        if not mine:
            continue
        lines = []
        for beat in mine:
            citations.append(_citation(len(citations) + 1, beat, by_id))
            lines.append(f"- {beat.text} [{len(citations)}]")
        parts.append(f"**{heading}**\n" + "\n".join(lines))
    return Summary(
        kind="brief",
        title=f"Brief: {source.title}",
        text="\n\n".join(parts),
        citations=citations,
        backend="extractive",
    )


def summary_title(chapter: Chapter) -> str:
    return f"Summary of {chapter_name(chapter.title)}"
