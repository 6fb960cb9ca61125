"""A chapter quiz: 5-10 questions on one chapter, each with its answer and the passage
that holds it (word for word), nothing from any other chapter.

With a model, the model writes questions from the chapter's keyed passages; a question
whose answer is not in the passage it cites, or that names something from a later
chapter, is dropped. Offline (and to make up the count), questions are fill-in-the-blanks
over the chapter's key sentences as printed: the blank is a name, a number or a rare
word of that sentence, so the answer is always in its passage.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from pipelines.answers.citations import best_quote
from pipelines.companion.spoilers import SpoilerGuard
from pipelines.errors import BackendError, FolioError
from pipelines.notes.digest_notes import MAKER as OFFLINE_MAKER
from pipelines.notes.names import common_words
from pipelines.notes.service import maker_of, notes_for
from pipelines.types import Chapter, Passage, Source

if TYPE_CHECKING:
    from pipelines.llm.base import LLM
    from pipelines.session import Session

log = logging.getLogger(__name__)

MIN_QUESTIONS, MAX_QUESTIONS = 5, 10
BLANK = "_____"
_NUMBER = re.compile(r"\b\d[\d,.]*\b")
_WORD = re.compile(r"[A-Za-z][a-z]{5,}")
_PUNCT = re.compile(r"[^\w\s]|_")
_INVISIBLE = re.compile("[\u2060\u00ad\ufeff\u200b]")


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces, invisible joiners gone (the QA scorer's rule)."""
    return " ".join(_PUNCT.sub(" ", _INVISIBLE.sub("", text).lower()).split())


QUIZ_SYSTEM = """You write a short quiz on one chapter of a book for a reader who has just read it.
Use only the passages given; each starts with its key in brackets, like [P3].
Reply with one JSON object and nothing else:
{"questions": [{"question": "...", "answer": "...", "passage": "P3"}]}
- 5 to 8 questions, in the order of the chapter, about what matters: who does what, what happens, names, places, reasons.
- Each answer is 1-5 words copied exactly from the cited passage.
- A question never gives its answer away and never asks about anything outside these passages."""


class QuizQuestion(BaseModel):
    question: str
    answer: str
    passage: str = Field(description='The passage key, e.g. "P3".')


class QuizReply(BaseModel):
    questions: list[QuizQuestion] = Field(default_factory=list)


@dataclass
class QuizItem:
    question: str
    answer: str
    passage_id: str
    quote: str  # the passage's sentence that holds the answer
    chapter_index: int
    chapter_title: str
    page: int | None = None


@dataclass
class Quiz:
    source_id: str
    source_title: str
    chapter_index: int
    chapter_title: str
    items: list[QuizItem]
    made_by: str

    def to_dict(self) -> dict:
        return asdict(self)


def answer_in_passage(answer: str, passage_text: str) -> bool:
    """The answer's words appear, in order, in the passage (case and punctuation aside)."""
    wanted = normalise(answer)
    return bool(wanted) and f" {wanted} " in f" {normalise(passage_text)} "


def chapter_quiz(
    session: Session, source: Source, chapter_index: int, *, offline: bool = False
) -> Quiz:
    """The quiz of one chapter (kept in the workspace once made, per chapter and maker)."""
    chapter = source.chapter(chapter_index)
    if not chapter.word_count:
        raise FolioError(f"“{chapter.title}” has no text to make a quiz from.")
    llm = None if offline else session.llm
    maker = maker_of(llm)
    cached = _load(session, chapter, maker)
    if cached is not None:
        return cached
    passages = session.workspace.passages_for(chapter_ids=[chapter.id])
    guard = SpoilerGuard.for_reader(source, chapter.index)
    items: list[QuizItem] = []
    made_by = OFFLINE_MAKER
    if llm is not None and llm.generates:
        try:
            items = model_items(llm, source, chapter, passages, guard)
            made_by = maker
        except BackendError as exc:
            log.warning("The model could not write the quiz of %s: %s", chapter.title, exc)
    if len(items) < MIN_QUESTIONS:
        notes = notes_for(session, source, [chapter], offline=True).notes
        points = [p for n in notes for p in [*n.turning_points, *n.points]]
        names = [e.name for n in notes for e in n.entities]
        asked = {normalise(i.answer) for i in items}
        extra = _spread_points(passages, len(passages))
        for item in blank_items([*points, *extra], names, passages, chapter, asked):
            if len(items) >= MAX_QUESTIONS:
                break
            if guard.safe(item.question):
                items.append(item)
    if not items:
        raise FolioError(f"“{chapter.title}” has too little text for a quiz.")
    order = {p.id: n for n, p in enumerate(passages)}
    items.sort(key=lambda i: order.get(i.passage_id, 0))
    quiz = Quiz(source.id, source.title, chapter.index, chapter.title, items, made_by)
    _save(session, chapter, maker, quiz)
    return quiz


def model_items(
    llm: LLM, source: Source, chapter: Chapter, passages: list[Passage], guard: SpoilerGuard
) -> list[QuizItem]:
    from pipelines.llm.base import Message
    from pipelines.llm.structured import complete_model
    from pipelines.notes.model_notes import split_to_fit
    from pipelines.text.passage_keys import keyed_passages

    part = split_to_fit(passages, llm.context_window, source, chapter)[0]
    text, keys = keyed_passages(part, start=1)
    messages = [
        Message("system", QUIZ_SYSTEM),
        Message(
            "user", f"From “{source.title}”: the chapter “{chapter.title}”.\n\nPassages:\n\n{text}"
        ),
    ]
    reply = complete_model(llm, messages, QuizReply, max_tokens=1200)
    items = []
    for q in reply.questions[:MAX_QUESTIONS]:
        key = "P" + re.sub(r"\D", "", q.passage)
        passage = keys.get(key)
        if passage is None or not answer_in_passage(q.answer, passage.text):
            # a wrong key: cite the passage that holds the answer, if one does
            passage = next((p for p in part if answer_in_passage(q.answer, p.text)), None)
        if passage is None:
            continue  # an answer the text does not hold word for word
        if not guard.safe(f"{q.question} {q.answer}"):
            continue
        items.append(
            QuizItem(
                q.question.strip(),
                q.answer.strip(),
                passage.id,
                best_quote(passage.text, f"{q.question} {q.answer}"),
                chapter.index,
                chapter.title,
                passage.pages[0] if passage.pages else None,
            )
        )
    return items


def blank_items(
    points: list,
    names: list[str],
    passages: list[Passage],
    chapter: Chapter,
    asked: set[str] | None = None,
) -> list[QuizItem]:
    """Fill-in-the-blank questions over the sentences the notes rest on, as printed; no
    two questions share an answer."""
    by_id = {p.id: p for p in passages}
    common = common_words()
    asked = set() if asked is None else asked
    items: list[QuizItem] = []
    used: set[str] = set()
    for point in points:
        passage = next((by_id[i] for i in point.passage_ids if i in by_id), None)
        if passage is None:
            continue
        sentence = best_quote(passage.text, point.text)
        if sentence in used or len(sentence.split()) < 6:
            continue
        answer = next(
            (
                a
                for a in _blanks_for(sentence, names, common)
                if normalise(a) not in asked and answer_in_passage(a, passage.text)
            ),
            "",
        )
        if not answer:
            continue
        used.add(sentence)
        asked.add(normalise(answer))
        question = re.sub(rf"\b{re.escape(answer)}\b", BLANK, sentence, flags=re.I)
        items.append(
            QuizItem(
                f"Fill in the blank: “{question}”",
                answer,
                passage.id,
                sentence,
                chapter.index,
                chapter.title,
                passage.pages[0] if passage.pages else None,
            )
        )
    return items


def _spread_points(passages: list[Passage], count: int) -> list:
    """More sentences to ask about when the notes have too few: one from each of `count`
    passages spread over the chapter (its longest prose sentence)."""
    from pipelines.notes.schema import Point
    from pipelines.text.prose import is_prose
    from pipelines.text.sentences import sentence_texts

    if not passages or count <= 0:
        return []
    step = max(1, len(passages) // count)
    out = []
    for passage in passages[::step]:
        prose = [
            s for s in sentence_texts(passage.text) if is_prose(s) and 8 <= len(s.split()) <= 60
        ]
        out += [Point(text=s, passage_ids=[passage.id]) for s in sorted(prose, key=len)[-2:]]
    return out


def _blanks_for(sentence: str, names: list[str], common: set[str]) -> list[str]:
    """What could be blanked out, best first: a name the chapter uses, a number, a rare word."""
    found = []
    for name in sorted(names, key=len, reverse=True):
        bare = name.split(" ", 1)[-1] if name.lower().startswith(("mr", "mrs", "the ")) else name
        if re.search(rf"\b{re.escape(bare)}\b", sentence):
            found.append(bare)
    found += [m.rstrip(".,") for m in _NUMBER.findall(sentence)]
    words = set(_WORD.findall(sentence))
    found += sorted({w for w in words if w.lower() not in common}, key=len, reverse=True)
    # last, the sentence's longest ordinary words ("marmalade", "curiosity")
    found += sorted(
        {w for w in words if len(w) >= 7 and w.lower() in common}, key=len, reverse=True
    )
    return found


def is_right(item: QuizItem, reply: str) -> bool:
    """The reader's answer holds the expected one, or is held by it (at least one content
    word), case and punctuation aside."""
    want, got = normalise(item.answer), normalise(reply)
    if not got:
        return False
    if f" {want} " in f" {got} ":
        return True
    return len(got) >= 3 and f" {got} " in f" {want} "


# -- kept quizzes -------------------------------------------------------------------------
def _path(session: Session, chapter: Chapter, maker: str):  # type: ignore[no-untyped-def]
    import hashlib

    from pipelines.notes.store import text_sha

    key = hashlib.sha256(f"{text_sha(chapter)}\n{maker}\n4".encode()).hexdigest()[:24]
    return session.workspace.cache_dir / "quiz" / f"{chapter.id.replace(':', '-')}-{key}.json"


def _load(session: Session, chapter: Chapter, maker: str) -> Quiz | None:
    path = _path(session, chapter, maker)
    try:
        data = json.loads(path.read_text("utf-8"))
        data["items"] = [QuizItem(**i) for i in data["items"]]
        return Quiz(**data)
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _save(session: Session, chapter: Chapter, maker: str, quiz: Quiz) -> None:
    from pipelines.workspace.store import atomic_write

    atomic_write(_path(session, chapter, maker), json.dumps(quiz.to_dict()).encode("utf-8"))
