"""Chapter summaries, source summaries and paper briefs, cached in the workspace.

Offline (`extractive`): ranked, de-duplicated key sentences with citations; for a whole
source a map-reduce of each chapter's key sentences; for a paper, key sentences per
section. With an LLM: map-reduce over passages / chapters with cited keys, and a
structured brief (problem, method, results, limitations) for papers. Any LLM failure
falls back to the extractive result with a visible note.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict

from pipelines.answers import digest_summaries
from pipelines.answers.citations import build_context, resolve_citations
from pipelines.errors import BackendError
from pipelines.llm.base import LLM, Message
from pipelines.llm.parsing import complete_json
from pipelines.llm.tokens import fit_passages
from pipelines.settings import Settings
from pipelines.text.keysentences import (
    KeySentence,
    in_reading_order,
    rank_candidates,
    rank_key_sentences,
)
from pipelines.text.naming import chapter_name
from pipelines.types import Chapter, Citation, Source, SourceKind, Summary
from pipelines.workspace.store import Workspace, utc_now

log = logging.getLogger(__name__)

CACHE_VERSION = 1
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


# -- with a language model -------------------------------------------------------------
def _llm_summary(
    ws: Workspace, chapters: list[Chapter], llm: LLM, settings: Settings, instruction: str
) -> tuple[str, list[Citation], list[str]]:
    """Map-reduce: summarise groups of passages that fit the window, then merge."""
    passages = ws.passages_for(chapter_ids=[c.id for c in chapters])
    titles = {c.id: c.title for c in chapters}
    context = build_context(passages, titles)
    keyed = list(context.entries.values())
    system = (
        "You summarise text using ONLY the numbered passages. Cite passage keys in "
        "square brackets like [P3] after each claim. " + instruction
    )
    partials: list[str] = []
    reserve = settings.llm.max_answer_tokens
    while keyed:
        fit = fit_passages(
            system,
            "",
            keyed,
            llm.context_window,
            reserve,
            render=lambda e: e.header + "\n" + e.passage.text,
        )
        group = fit.kept or keyed[:1]
        block = "\n\n".join(f"{e.header}\n{' '.join(e.passage.text.split())}" for e in group)
        partials.append(
            llm.complete(
                [Message("system", system), Message("user", block)],
                max_tokens=reserve,
                temperature=0.2,
            )
        )
        keyed = keyed[len(group) :]
    merged = partials[0]
    if len(partials) > 1:
        merged = llm.complete(
            [
                Message(
                    "system",
                    "Merge these partial summaries into one, keeping every [P#] key "
                    "with the claim it supports. " + instruction,
                ),
                Message("user", "\n\n".join(partials)),
            ],
            max_tokens=reserve,
            temperature=0.2,
        )
    notes = [f"Summarised in {len(partials)} parts, then merged."] if len(partials) > 1 else []
    text, citations, _ = resolve_citations(merged, context.entries)
    if not citations:
        raise BackendError("the model's summary cites no passage")
    return text, citations, notes


def _llm_brief(ws: Workspace, source: Source, llm: LLM, settings: Settings) -> Summary:
    chapters = _body(source)
    passages = ws.passages_for(chapter_ids=[c.id for c in chapters])
    context = build_context(passages, {c.id: c.title for c in chapters})
    fit = fit_passages(
        "",
        "",
        list(context.entries.values()),
        llm.context_window,
        settings.llm.max_answer_tokens * 2,
        render=lambda e: e.header + "\n" + e.passage.text,
    )
    block = "\n\n".join(f"{e.header}\n{' '.join(e.passage.text.split())}" for e in fit.kept)
    data = complete_json(
        llm,
        [
            Message(
                "system",
                "From ONLY these passages of a paper, write a brief as JSON with the "
                "keys problem, method, results, limitations; each value 1-3 sentences citing "
                "passage keys like [P2].",
            ),
            Message("user", block),
        ],
        {k: str for k in BRIEF_FIELDS},
        max_tokens=settings.llm.max_answer_tokens * 2,
    )
    raw = "\n\n".join(f"**{k.title()}.** {data[k]}" for k in BRIEF_FIELDS)
    text, citations, _ = resolve_citations(raw, context.entries)
    notes = [f"{fit.dropped} passages did not fit the model's window."] if fit.trimmed else []
    return Summary(
        kind="brief",
        title=f"Brief: {source.title}",
        text=text,
        citations=citations,
        backend=llm.name,
        notes=notes,
    )


# -- entry points ------------------------------------------------------------------------
def summarize(
    ws: Workspace,
    source_id: str,
    *,
    chapter: int | None = None,
    brief: bool = False,
    settings: Settings,
    llm: LLM | None = None,
    refresh: bool = False,
) -> Summary:
    """A chapter summary (`chapter=N`), a paper brief (`brief=True`) or a source summary."""
    if llm is None:
        from pipelines.llm.registry import get_llm

        llm = get_llm(settings.llm)
    source = ws.get_source(source_id)
    kind = "chapter" if chapter is not None else ("brief" if brief else "source")
    key = _cache_key(kind, source.id, chapter, llm)
    if not refresh and (hit := _cached(ws, key)) is not None:
        return hit
    summary = _compute(ws, source, kind, chapter, llm, settings)
    _store(ws, key, source.id, summary)
    return summary


def _compute(
    ws: Workspace, source: Source, kind: str, chapter: int | None, llm: LLM, settings: Settings
) -> Summary:
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

    if not llm.generates:
        return offline()
    try:
        if kind == "brief":
            return _llm_brief(ws, source, llm, settings)
        chapters = [target] if target is not None else _body(source)
        what = "this chapter" if target else f"this {source.kind}"
        text, citations, notes = _llm_summary(
            ws, chapters, llm, settings, f"Write 4-8 sentences covering {what}."
        )
        title = (
            f"Summary of {chapter_name(target.title)}" if target else f"Summary of {source.title}"
        )
        return Summary(
            kind=kind, title=title, text=text, citations=citations, backend=llm.name, notes=notes
        )
    except BackendError as exc:
        log.warning("LLM summary failed, using key sentences: %s", exc)
        result = offline()
        result.notes.append(
            f"The language model failed ({exc}); these are the text's key sentences."
        )
        return result


def is_paper(source: Source) -> bool:
    return source.kind == SourceKind.PAPER
