"""Chapter notes made offline: the digest's beats (the chapter's own sentences, made to
stand alone) fill the same structure a model fills, and the people, places and terms come
from a named-entity pass over the chapter, each with the sentence that first names it."""

from __future__ import annotations

from collections import Counter

from pipelines.notes.schema import ChapterNotes, Entity, Point, Quote
from pipelines.text.digest import digest
from pipelines.text.narration import Narrator
from pipelines.text.nlp import get_nlp
from pipelines.text.prose import is_prose, speakable
from pipelines.text.sentences import sentence_texts
from pipelines.types import Chapter, Passage

MAKER = "offline digest"
ENTITY_LABELS = {"PERSON": "person", "GPE": "place", "LOC": "place", "FAC": "place"}
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
    """People, places and recurring names of the passages, most mentioned first, each
    with a line: how the text describes it, else the first sentence that names it."""
    nlp = get_nlp()
    counts: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    first: dict[str, tuple[str, str]] = {}  # name -> (sentence, passage id)
    for passage, doc in zip(passages, nlp.pipe(p.text for p in passages), strict=True):
        for ent in doc.ents:
            kind = ENTITY_LABELS.get(ent.label_)
            name = ent.text.strip("“”\"'’ .,;:")
            if kind is None or len(name) < 3 or not name[:1].isupper():
                continue
            counts[name] += 1
            kinds.setdefault(name, kind)
            if name not in first:
                first[name] = (_sentence_with(passage.text, name), passage.id)
    entities = []
    for name, n in counts.most_common(MAX_ENTITIES):
        if n < 2 and name not in descriptions:
            continue  # a name said once is rarely someone a reader must keep track of
        sentence, passage_id = first[name]
        line = descriptions.get(name) or sentence
        entities.append(
            Entity(name=name, kind=kinds[name], line=line, passage_ids=[passage_id])  # type: ignore[arg-type]
        )
    return entities


def _sentence_with(text: str, name: str) -> str:
    for sentence in sentence_texts(text):
        if name in sentence and is_prose(sentence):
            return speakable(sentence)
    return ""
