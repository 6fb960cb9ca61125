"""Grounded answers: retrieve in scope -> judge the evidence -> answer with citations.

With a generating LLM the model sees numbered passage keys and its citations are
resolved (invented keys stripped, uncited claims flagged). Without one (the offline
`extractive` backend) the answer is built from the best sentences of the passages.
Either way, when the evidence is weak the answer says the selected chapters don't say,
and shows the closest passages instead of guessing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.answers.citations import align_uncited, build_context, resolve_citations
from pipelines.answers.evidence import UNIT_HITS, Evidence, judge_evidence
from pipelines.answers.extractive import extractive_answer
from pipelines.errors import BackendError, FolioError
from pipelines.index import search
from pipelines.llm.base import LLM, Message
from pipelines.llm.label import OFFLINE, written_by
from pipelines.llm.tokens import fit_passages
from pipelines.settings import Settings
from pipelines.text.naming import chapter_name
from pipelines.types import Answer, Chapter, Scope, ScoredPassage
from pipelines.workspace.store import Workspace

if TYPE_CHECKING:
    from pipelines.companion.routing import NotesRoute
    from pipelines.session import Session

log = logging.getLogger(__name__)

NOT_IN_TEXT = "The selected chapters don't say."
NOT_IN_TEXT_MARKER = "NOT_IN_TEXT"
RETRIEVE_K = 8
OUTSIDE_K = 3  # passages of the whole book looked at to tell "it's in another chapter"

SYSTEM_PROMPT = """You answer questions about a book or paper using ONLY the numbered passages.
Cite every claim with the passage keys in square brackets, like [P2] or [P1][P3].
Keep the answer short (2-5 sentences). Quote or paraphrase closely; add nothing from memory.
If the passages do not contain the answer, reply exactly: NOT_IN_TEXT"""

NOTES_SYSTEM_PROMPT = """You answer questions about a book using ONLY the chapter notes and the numbered passages given.
The notes say what happens in each chapter and who is who; use them to find the answer across chapters, then cite the passages: every claim gets the passage keys in square brackets, like [P2] or [P1][P3] (a note's keys are the passages it rests on).
Keep the answer short (1-4 sentences) and name names. Add nothing from memory: if you know this book, say only what the notes and passages say.
If neither the notes nor the passages contain the answer, reply exactly: NOT_IN_TEXT"""


@dataclass
class AnswerEvent:
    """What `stream_answer` yields: text deltas while writing, then the final Answer."""

    delta: str = ""
    answer: Answer | None = None


def answer(session: Session, question: str, scope: Scope) -> Answer:
    final: Answer | None = None
    for event in stream_answer(session, question, scope):
        final = event.answer or final
    assert final is not None
    return final


def stream_answer(session: Session, question: str, scope: Scope) -> Iterator[AnswerEvent]:
    llm = session.llm
    for event in _answer_events(session, question, scope):
        if event.answer is not None:
            from pipelines.companion.routing import guard_answer

            event.answer = guard_answer(session, scope, event.answer)
            _note_unfinished_vectors(session.workspace, scope, event.answer)
            by_model = llm.generates and event.answer.backend == llm.name
            event.answer.written_by = written_by(llm) if by_model else OFFLINE
        yield event


def _note_unfinished_vectors(ws: Workspace, scope: Scope, result: Answer) -> None:
    """A book still being indexed by another process is searched by its words only."""
    from pipelines.index.indexing import vectors_complete

    pending = [ws.get_source(s).title for s in scope.source_ids if not vectors_complete(ws, s)]
    if pending:
        note = (
            f"{', '.join(pending)} {'is' if len(pending) == 1 else 'are'} still being indexed: "
            "this answer used word search only; meaning-based search joins in when it is done."
        )
        if note not in result.notes:
            result.notes.append(note)


def _answer_events(session: Session, question: str, scope: Scope) -> Iterator[AnswerEvent]:
    question = " ".join(question.split())
    if not question:
        raise FolioError("Type a question first.")
    ws, settings, llm = session.workspace, session.settings, session.llm
    evidence, route = routed_evidence(session, question, scope)
    hits = evidence.hits
    chapters = _chapters_of(ws, hits)
    label = describe_scope(ws, scope)
    if not evidence.supported:
        yield AnswerEvent(answer=_not_in_text(question, hits, label, llm.name))
        return
    if llm.generates:
        try:
            yield from _generate(question, evidence, chapters, label, llm, settings, route)
            return
        except BackendError as exc:
            log.warning("LLM answer failed, falling back to extractive: %s", exc)
            note = f"The language model failed ({exc}); this answer quotes the text instead."
            result = extractive_answer(question, evidence, chapters, label)
            result.notes.append(note)
            yield AnswerEvent(delta=result.text, answer=result)
            return
    result = extractive_answer(question, evidence, chapters, label)
    yield AnswerEvent(delta=result.text, answer=result)


def collect_evidence(session: Session, question: str, scope: Scope) -> Evidence:
    """Retrieve in scope and judge whether the passages answer the question."""
    return routed_evidence(session, question, scope)[0]


def routed_evidence(
    session: Session, question: str, scope: Scope
) -> tuple[Evidence, NotesRoute | None]:
    """The evidence, and the chapter notes it went through when the scope is several
    chapters of a book (whole-book and "so far" questions: `companion.routing`)."""
    from pipelines.companion.routing import route as through_notes
    from pipelines.index import lexical

    ws, settings = session.workspace, session.settings
    hits = search(session, question, scope, k=RETRIEVE_K)
    route = through_notes(session, question, scope, hits)
    if route is not None:
        hits = route.hits
    chapter_ids = None if scope.chapter_ids is None else list(scope.chapter_ids)
    sources = list(scope.source_ids)
    counts, size = lexical.term_presence(ws, question, sources, chapter_ids)
    known, _ = lexical.term_presence(ws, question, sources, chapter_ids, through_scope=True)
    outside = None
    if _reading_upto(ws, scope):  # no-spoiler mode: is the answer in a later chapter?
        wider = search(session, question, Scope(sources), k=OUTSIDE_K)
        inside = set(chapter_ids or [])
        outside = [h for h in wider if h.passage.chapter_id not in inside]
    evidence = judge_evidence(
        question,
        hits,
        settings=settings,
        scope_terms=counts,
        scope_size=size,
        known_terms=known,
        outside=outside,
        pool=UNIT_HITS + (route.added if route is not None else 0),
    )
    return evidence, route


def _reading_upto(ws: Workspace, scope: Scope) -> bool:
    """Chapters 1..N of one source (and not all of it): reading-companion mode."""
    if scope.chapter_ids is None or len(scope.source_ids) != 1 or not scope.chapter_ids:
        return False
    chapters = ws.get_source(scope.source_ids[0]).chapters
    inside = set(scope.chapter_ids)
    last = max((c.index for c in chapters if c.id in inside), default=0)
    before = {c.id for c in chapters if c.index <= last}
    return before <= inside and len(inside) < len(chapters)


def _not_in_text(question: str, hits: list[ScoredPassage], label: str, backend: str) -> Answer:
    return Answer(
        question=question,
        text=f"{NOT_IN_TEXT} Nothing in {label} answers this; the closest passages are below.",
        supported=False,
        scope_label=label,
        closest=hits[:3],
        backend=backend,
    )


def _generate(
    question: str,
    evidence: Evidence,
    chapters: dict[str, Chapter],
    label: str,
    llm: LLM,
    settings: Settings,
    route: NotesRoute | None = None,
) -> Iterator[AnswerEvent]:
    reserve = settings.llm.max_answer_tokens
    # the notes take at most half the window, so passages to cite always have room
    notes_budget = max(0, llm.context_window - reserve) // 2
    notes_size = route.notes_for_model(lambda _: None, notes_budget) if route is not None else ""
    if not notes_size:  # no notes fit: the passages alone, with the plain instructions
        route = None
    system = SYSTEM_PROMPT if route is None else NOTES_SYSTEM_PROMPT
    fit = fit_passages(
        system, f"{notes_size}\n{question}", evidence.hits, llm.context_window, reserve
    )
    notes = []
    if fit.trimmed:
        notes.append(
            f"{fit.dropped} lower-ranked passages were left out to fit the model's "
            f"{llm.context_window}-token window."
        )
    if not fit.kept:
        raise BackendError("the model's context window is too small for even one passage")
    titles = {cid: c.title for cid, c in chapters.items()}
    context = build_context([h.passage for h in fit.kept], titles)
    prompt = f"Passages:\n\n{context.text}\n\nQuestion: {question}"
    if route is not None:
        keys = {e.passage.id: key for key, e in context.entries.items()}
        prompt = f"Chapter notes:\n\n{route.notes_for_model(keys.get, notes_budget)}\n\n{prompt}"
    messages = [Message("system", system), Message("user", prompt)]
    parts: list[str] = []
    for delta in llm.stream(messages, max_tokens=reserve, temperature=settings.llm.temperature):
        parts.append(delta)
        yield AnswerEvent(delta=delta)
    raw = "".join(parts).strip()
    if not raw or NOT_IN_TEXT_MARKER in raw:
        yield AnswerEvent(answer=_not_in_text(question, evidence.hits, label, llm.name))
        return
    text, citations, unsupported = resolve_citations(raw, context.entries)
    if unsupported:  # the model forgot keys: cite the passages those sentences came from
        cited_before = len(citations)
        text, citations, unsupported = align_uncited(
            text, citations, context.entries, similarity=_similarity_to(evidence, settings)
        )
        if len(citations) > cited_before or (citations and not cited_before):
            notes.append("Some citations were matched to the passages by their wording.")
    if not citations:
        notes.append("The model cited no passage; treat this answer with care.")
    yield AnswerEvent(
        answer=Answer(
            question=question,
            text=text,
            citations=citations,
            supported=True,
            scope_label=label,
            notes=notes,
            unsupported_sentences=unsupported,
            backend=llm.name,
        )
    )


def _similarity_to(evidence: Evidence, settings: Settings):  # type: ignore[no-untyped-def]
    """sentences -> per sentence, passage id -> best cosine with one of its sentences."""

    def similarity(sentences: list[str]) -> list[dict[str, float]]:
        from pipelines.index.embedder import get_embedder

        units = [u for u in evidence.sentences if u.size == 1]
        if not units or not sentences:
            return [{} for _ in sentences]
        vecs = get_embedder(settings).embed([*sentences, *(u.text for u in units)])
        sims = vecs[: len(sentences)] @ vecs[len(sentences) :].T
        out: list[dict[str, float]] = []
        for row in sims:
            best: dict[str, float] = {}
            for u, v in zip(units, row, strict=True):
                pid = u.hit.passage.id
                best[pid] = max(best.get(pid, -1.0), float(v))
            out.append(best)
        return out

    return similarity


def _chapters_of(ws: Workspace, hits: list[ScoredPassage]) -> dict[str, Chapter]:
    chapters: dict[str, Chapter] = {}
    for h in hits:
        p = h.passage
        if p.chapter_id not in chapters:
            chapters[p.chapter_id] = ws.get_chapter(p.source_id, p.chapter_index)
    return chapters


def describe_scope(ws: Workspace, scope: Scope) -> str:
    """'chapter III of The Time Machine', 'chapters 1–5 of Moby-Dick', '2 sources' ..."""
    sources = [ws.get_source(sid) for sid in scope.source_ids]
    if len(sources) != 1:
        return f"{len(sources)} sources"
    source = sources[0]
    if not scope.chapter_ids:
        return source.title
    chosen = [c for c in source.chapters if c.id in set(scope.chapter_ids)]
    if len(chosen) == 1:
        return f"{chapter_name(chosen[0].title)} of {source.title}"
    indexes = [c.index for c in chosen]
    if indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"chapters {indexes[0]}–{indexes[-1]} of {source.title}"
    return f"{len(chosen)} chapters of {source.title}"
