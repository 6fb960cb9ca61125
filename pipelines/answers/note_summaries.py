"""Summaries and paper briefs written by a model from the chapter notes, cited.

The model sees the notes of the chosen chapters (and their whole text when it fits the
window), with one set of passage keys, and cites them; keys it invents are dropped.
A whole book is summarised from its chapters' notes, so its length does not matter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.answers.citations import build_context, resolve_citations
from pipelines.errors import BackendError
from pipelines.llm.base import Message
from pipelines.llm.label import written_by
from pipelines.llm.tokens import estimate_tokens
from pipelines.notes.render import notes_text
from pipelines.notes.service import notes_for
from pipelines.text.naming import chapter_name
from pipelines.types import Chapter, Source, Summary

if TYPE_CHECKING:
    from pipelines.session import Session

REPLY_TOKENS = 900

_CHAPTER = (
    "Summarise {what} for a reader: what happens (or what is argued and shown), in order, "
    "with the turning points and how it ends, in 5 to 9 short bullet points of plain "
    "sentences. Name people and things; say plainly what the text makes clear."
)
_SOURCE = (
    "Summarise the whole {kind} for a reader in 6 to 12 bullet points that follow it from "
    "beginning to end: the main events or claims, the turning points, how it ends or what "
    "it concludes."
)
_BRIEF = (
    "Write a brief of this paper for a busy reader, under these headings in bold: "
    "**The problem**, **The idea**, **How it works**, **What they found** (with the main "
    "numbers), **Limits**. One to three sentences each."
)
_RULES = (
    "Use only the notes and passages given. After each sentence, cite the passage keys it "
    "rests on in square brackets, like [P3] or [P3][P8]. No preamble, no closing remarks."
)


def model_summary(session: Session, source: Source, kind: str, target: Chapter | None) -> Summary:
    """A chapter summary, a source summary or a brief; raises BackendError on failure."""
    ws, llm = session.workspace, session.llm
    chapters = source.expand([target.index]) if target is not None else _body(source)
    notes = notes_for(session, source, chapters)
    passages = ws.passages_for(chapter_ids=[c.id for c in chapters if c.word_count])
    context = build_context(passages, {c.id: c.title for c in chapters})
    key_of = {e.passage.id: e.key for e in context.entries.values()}
    body = f"Notes:\n\n{notes_text(notes.notes, key_of.get)}"
    if (
        estimate_tokens(context.text) + estimate_tokens(body) + REPLY_TOKENS + 800
        < llm.context_window
    ):
        body += f"\n\nThe text itself:\n\n{context.text}"
    if kind == "brief":
        instruction, title = _BRIEF, f"Brief: {source.title}"
    elif target is not None:
        what = chapter_name(target.title)
        instruction, title = _CHAPTER.format(what=what), f"Summary of {what}"
    else:
        instruction, title = _SOURCE.format(kind=source.kind), f"Summary of {source.title}"
    intro = f"The {source.kind} is “{source.title}”."
    reply = llm.complete(
        [Message("system", f"{intro} {instruction} {_RULES}"), Message("user", body)],
        max_tokens=REPLY_TOKENS,
        temperature=0.2,
    )
    text, citations, _ = resolve_citations(reply.strip(), context.entries)
    if not citations:
        raise BackendError("the model's summary cites no passage")
    return Summary(
        kind=kind,
        title=title,
        text=text,
        citations=citations,
        backend=llm.name,
        written_by=written_by(llm),
    )


def _body(source: Source) -> list[Chapter]:
    body = [c for c in source.chapters if c.kind.is_body and c.word_count > 0]
    return body or [c for c in source.chapters if c.word_count > 0]
