"""Suggested questions for a source or chapter: what a reader might ask next.

Offline they come from the text itself: the names that recur and the words that set the
chapters apart (TF-IDF against the rest of the source). With an LLM, the model proposes
them from the chapter's key sentences.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import TYPE_CHECKING

from pipelines.errors import BackendError
from pipelines.llm.base import Message
from pipelines.llm.parsing import complete_json
from pipelines.text.keysentences import rank_key_sentences
from pipelines.text.naming import chapter_name
from pipelines.text.people import people
from pipelines.types import Chapter, Source, SourceKind

if TYPE_CHECKING:
    from pipelines.session import Session

log = logging.getLogger(__name__)

_NAME = re.compile(r"(?<=[a-z,;] )([A-Z][a-z]{2,}(?: [A-Z][a-z]+)?)")
_REPORTING = {"said", "says", "say", "asked", "replied", "cried", "went", "came", "looked"}
_COMMON_CAPS = {
    "The",
    "And",
    "But",
    "Then",
    "When",
    "There",
    "This",
    "That",
    "What",
    "Yes",
    "Now",
    "Chapter",
}


def _distinctive_terms(chapter: Chapter, source: Source, n: int) -> list[str]:
    from pipelines.text.keysentences import Tfidf

    docs = [c.text for c in source.chapters if c.word_count > 0]
    if chapter.text not in docs or len(docs) < 2:
        docs = [chapter.text, " ".join(docs)]
    vectorizer = Tfidf(
        ngram_range=(1, 2),
        token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]{3,}\b",
        sublinear_tf=True,
    )
    row = vectorizer.fit(docs).fitted_row(docs.index(chapter.text))
    vocab = vectorizer.feature_names()
    ranked = [vocab[i] for i in row.argsort()[::-1] if row[i] > 0]
    return ranked[:n]


def _as_written(term: str, text: str) -> str:
    """'filby' -> 'Filby', 'Time Traveller' -> 'the Time Traveller': the usual form in the text."""
    forms = Counter(re.findall(rf"(?i)\b(?:the\s+)?{re.escape(term)}\b", text))
    if not forms:
        return term
    form = forms.most_common(1)[0][0]
    return form[0].lower() + form[1:] if form.lower().startswith("the ") else form


def _topic(term: str, text: str) -> str:
    """A term as the object of "say about …": names as written, common nouns with "the"
    ('exhibit' -> 'the exhibit', 'Filby' -> 'Filby')."""
    form = _as_written(term, text)
    if form[:1].islower() and not form.startswith("the "):
        return f"the {form}"
    return form


def offline_questions(source: Source, chapter: Chapter | None, n: int = 5) -> list[str]:
    chapters = (
        [chapter] if chapter else [c for c in source.chapters if c.kind.is_body and c.word_count]
    )
    text = " ".join(c.text for c in chapters)
    names = Counter(m for m in _NAME.findall(text) if m not in _COMMON_CAPS)
    if chapter:
        where = chapter_name(chapter.title)
        numbered = re.match(r"(\d+(?:\.\d+)*)\.?\s+\S", chapter.title)
        if numbered and source.kind != SourceKind.BOOK:  # '2. Overview: …' -> 'section 2'
            where = f"section {numbered.group(1)}"
    else:
        where = f"this {source.kind}" if source.kind != SourceKind.BOOK else source.title
    questions = []
    if source.kind == SourceKind.BOOK:  # "who is" makes sense for characters, not papers
        questions = [
            f"Who is {_as_written(name, text)}?"
            for name, count in people(names)[:3]  # "Harry" and "Lord Henry" ask once
            if count >= 3
            and _as_written(name, text)[-len(name) :] == name
            and name.lower() not in source.title.lower()  # the book's title is no one
        ][:2]
    target = chapter or max(chapters, key=lambda c: c.word_count)
    for term in _distinctive_terms(target, source, 6):
        if len(questions) >= n:
            break
        if set(term.split()) & _REPORTING:
            continue
        asked = " ".join(questions).lower()
        if not any(word.rstrip("s") in asked for word in term.split()):
            questions.append(f"What does {where} say about {_topic(term, text)}?")
    if len(questions) < n:
        questions.append(f"What is the main idea of {where}?")
    return questions[:n]


def suggest_questions(
    session: Session, source: Source, chapter: Chapter | None = None, *, n: int = 5
) -> list[str]:
    ws, llm = session.workspace, session.llm
    if llm.generates:
        chapters = [chapter] if chapter else [c for c in source.chapters if c.kind.is_body]
        passages = ws.passages_for(chapter_ids=[c.id for c in chapters])
        key = [s.text for s in rank_key_sentences(passages, 8)]
        try:
            data = complete_json(
                llm,
                [
                    Message(
                        "system",
                        f"Propose {n} short questions a reader could ask that these "
                        'sentences answer. JSON: {"questions": ["..."]}',
                    ),
                    Message("user", "\n".join(key)),
                ],
                {"questions": list},
                max_tokens=300,
            )
            questions = [str(q).strip() for q in data["questions"] if str(q).strip().endswith("?")]
            if questions:
                return questions[:n]
        except BackendError as exc:
            log.info("LLM suggestions failed, using offline ones: %s", exc)
    return offline_questions(source, chapter, n)
