"""Chapter notes made offline: the digest's beats (the chapter's own sentences, made to
stand alone) fill the same structure a model fills, and the people, places and terms come
from a named-entity pass over the chapter, each with the sentence that first names it."""

from __future__ import annotations

from pipelines.notes.names import PERSON_TITLES, common_words, find_names, lower_case_words
from pipelines.notes.schema import ChapterNotes, Entity, Point, Quote
from pipelines.text.digest import digest
from pipelines.text.narration import Narrator
from pipelines.text.nlp import get_nlp
from pipelines.text.prose import is_prose, speakable
from pipelines.text.sentences import sentence_texts
from pipelines.types import Chapter, Passage

MAKER = "offline digest"
MAX_ENTITIES = 24


def offline_notes(
    chapter: Chapter,
    passages: list[Passage],
    *,
    is_paper: bool,
    narrator: Narrator | None = None,
    teller: Narrator | None = None,
) -> ChapterNotes:
    """Notes of one chapter from its own passages, with no model."""
    notes = ChapterNotes(
        chapter_id=chapter.id,
        chapter_index=chapter.index,
        chapter_title=chapter.title,
        made_by=MAKER,
    )
    if not passages:
        return notes
    limit = max(4, min(14, chapter.word_count // 400 + 3))
    found = digest(passages, limit=limit, is_paper=is_paper, narrator=narrator, teller=teller)
    for beat in found.in_order():
        point = Point(text=beat.text, passage_ids=[beat.passage.id])
        (notes.turning_points if _turning(beat.act, beat.role) else notes.points).append(point)
        if beat.has_number:
            notes.numbers.append(point)
        if beat.quoted:
            notes.quotes.append(
                Quote(text=" ".join(beat.printed.split()), passage_id=beat.passage.id)
            )
    notes.points = sorted(
        [*notes.points, *notes.turning_points],
        key=lambda p: _order(p, passages),
    )
    if found.opening_words:
        notes.quotes.insert(0, Quote(text=found.opening_words, passage_id=passages[0].id))
    notes.entities = entities_of(passages, found.descriptions)
    return notes


def _turning(act: str | None, role: str) -> bool:
    """A decision or a discovery in a story; a finding in a paper."""
    return act in ("decide", "realise", "discover") or role == "result"


def _order(point: Point, passages: list[Passage]) -> int:
    ids = [p.id for p in passages]
    return ids.index(point.passage_ids[0]) if point.passage_ids[0] in ids else len(ids)


def entities_of(passages: list[Passage], descriptions: dict[str, str]) -> list[Entity]:
    """People, places and recurring names of the passages (`names.find_names`), most
    mentioned first, each with a line: how the text describes it, else the first
    sentence that names it."""
    nlp = get_nlp()
    docs = list(nlp.pipe(p.text for p in passages))
    lower = lower_case_words([p.text for p in passages])
    entities = []
    for found in find_names(docs, lower, common_words())[:MAX_ENTITIES]:
        name = found.name
        bare = (
            name.split(" ", 1)[1]
            if name.split(" ", 1)[0].rstrip(".").lower() in PERSON_TITLES and " " in name
            else name
        )
        where = next((p for p in passages if bare in p.text), passages[0])
        line = descriptions.get(name) or descriptions.get(bare) or _sentence_with(where.text, bare)
        entities.append(
            Entity(name=name, kind=found.kind, line=line, passage_ids=[where.id])  # type: ignore[arg-type]
        )
    return entities


def _sentence_with(text: str, name: str) -> str:
    for sentence in sentence_texts(text):
        if name in sentence and is_prose(sentence):
            return speakable(sentence)
    return ""
