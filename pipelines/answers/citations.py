"""Citations as pure functions (no model): number the passages the model sees with
keys [P1], [P2] ..., then map the keys it used back to passages, renumber them [1],
[2] ... in order of first use, strip keys it invented, and flag uncited sentences.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from pipelines.text.sentences import split_sentences, terms
from pipelines.types import Citation, Passage

QUOTE_WORDS = 25
MAX_QUOTE_WORDS = 45
MIN_CLAIM_WORDS = 4  # shorter sentences ("Yes.", "In short:") need no citation


@dataclass(frozen=True)
class ContextEntry:
    """One numbered passage of a prompt, with what a citation needs to show."""

    key: str
    passage: Passage
    chapter_title: str = ""
    source_title: str = ""

    @property
    def header(self) -> str:
        where = [self.chapter_title or f"Chapter {self.passage.chapter_index}"]
        if self.passage.page_label:
            where.append(self.passage.page_label)
        return f"[{self.key}] " + " — ".join(where)


@dataclass(frozen=True)
class PromptContext:
    text: str
    entries: dict[str, ContextEntry]  # key ("P1") -> entry


def passage_key(n: int) -> str:
    return f"P{n}"


def render_entry(entry: ContextEntry) -> str:
    return f"{entry.header}\n{' '.join(entry.passage.text.split())}"


def build_context(
    passages: Sequence[Passage],
    chapter_titles: Mapping[str, str] | None = None,
    source_titles: Mapping[str, str] | None = None,
) -> PromptContext:
    """The numbered context block. `chapter_titles` maps chapter id -> title and
    `source_titles` source id -> title (both optional)."""
    chapter_titles = chapter_titles or {}
    source_titles = source_titles or {}
    entries: dict[str, ContextEntry] = {}
    for n, p in enumerate(passages, 1):
        key = passage_key(n)
        entries[key] = ContextEntry(
            key, p, chapter_titles.get(p.chapter_id, ""), source_titles.get(p.source_id, "")
        )
    return PromptContext("\n\n".join(render_entry(e) for e in entries.values()), entries)


# [P3] [3] (P3) [P1, P4] [P1; P2] [P2-P4] 【P2】 [Passage 3] — one bracket, one or more keys.
_KEY = r"(?:P(?:assage)?\s*)?\d{1,4}"
_GROUP = re.compile(
    rf"(?P<open>[\[(【])\s*(?P<body>{_KEY}(?:\s*(?:[,;]|[-–]|and)\s*{_KEY})*)\s*(?P<close>[\])】])",
    re.I,
)
_ONE_KEY = re.compile(r"(P(?:assage)?\s*)?(\d{1,4})", re.I)
_MARKER = re.compile(r"\[(\d+)\]")


def _keys_in(body: str) -> list[tuple[int, bool]]:
    """(number, had a P prefix) for each key in a bracket, ranges expanded."""
    found = [(int(m.group(2)), bool(m.group(1))) for m in _ONE_KEY.finditer(body)]
    if len(found) == 2 and re.search(r"\d\s*[-–]\s*(?:P(?:assage)?\s*)?\d", body, re.I):
        (a, pa), (b, _) = found
        if 0 < b - a <= 20:
            return [(n, pa) for n in range(a, b + 1)]
    return found


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]+([.,;:!?])", r"\1", text)  # "claim [P9]." -> "claim ."
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _move_markers_before_stop(text: str) -> str:
    """'Claim. [1] Next' -> 'Claim [1]. Next', so a marker stays with its sentence."""
    return re.sub(
        r"([.!?])((?:\s*\[\d+\])+)(?=\s|$)", lambda m: " " + m.group(2).strip() + m.group(1), text
    )


def resolve_citations(
    answer_text: str,
    key_to_passage: Mapping[str, ContextEntry | Passage],
) -> tuple[str, list[Citation], list[str]]:
    """Map the model's passage keys to numbered citations.

    Returns (text with [n] markers numbered by first use, citations in number order,
    sentences that make a claim without any citation). Keys not in `key_to_passage`
    are removed; a passage cited under several keys gets one number.
    """
    entries = {
        k.upper(): v if isinstance(v, ContextEntry) else ContextEntry(k, v)
        for k, v in key_to_passage.items()
    }
    numbers: dict[str, int] = {}  # passage id -> citation number
    first_entry: dict[int, ContextEntry] = {}

    def replace(m: re.Match[str]) -> str:
        keys = _keys_in(m.group("body"))
        prefixed = any(p for _, p in keys)
        if m.group("open") == "(" and not prefixed:
            return m.group(0)  # "(3)" in prose is an enumeration, not a citation
        if not prefixed and any(n >= 1000 for n, _ in keys):
            return m.group(0)  # "[1999]" is a year
        cited: list[int] = []
        for n, _ in keys:
            entry = entries.get(passage_key(n))
            if entry is None:
                continue  # an invented key: dropped
            number = numbers.setdefault(entry.passage.id, len(numbers) + 1)
            first_entry.setdefault(number, entry)
            if number not in cited:
                cited.append(number)
        return "".join(f"[{n}]" for n in sorted(cited))

    text = _tidy(_move_markers_before_stop(_GROUP.sub(replace, answer_text)))

    cited_by: dict[int, list[str]] = {}
    unsupported: list[str] = []
    for s, e in split_sentences(text):
        sentence = text[s:e]
        used = [int(x) for x in _MARKER.findall(sentence)]
        bare = _tidy(_MARKER.sub("", sentence))
        for n in used:
            cited_by.setdefault(n, []).append(bare)
        if not used and _is_claim(bare):
            unsupported.append(bare)

    citations = [
        _citation(n, first_entry[n], " ".join(cited_by.get(n, []))) for n in sorted(first_entry)
    ]
    return text, citations, unsupported


def _is_claim(sentence: str) -> bool:
    stripped = sentence.strip()
    if len(stripped.split()) < MIN_CLAIM_WORDS or stripped.endswith(("?", ":")):
        return False
    return not re.fullmatch(r"[#*\-\s\d.]*", stripped)  # list bullets, rules, headings


def best_quote(passage_text: str, claim: str) -> str:
    """The passage sentence that best matches `claim`, or its first ~25 words."""
    sentences = [" ".join(passage_text[s:e].split()) for s, e in split_sentences(passage_text)]
    claim_terms = set(terms(claim))
    best, best_overlap = "", 0
    for sentence in sentences:
        overlap = len(claim_terms & set(terms(sentence)))
        if overlap > best_overlap:
            best, best_overlap = sentence, overlap
    if not best:
        words = passage_text.split()
        return " ".join(words[:QUOTE_WORDS]) + ("…" if len(words) > QUOTE_WORDS else "")
    words = clean_quote(best).split()
    return (
        " ".join(words)
        if len(words) <= MAX_QUOTE_WORDS
        else " ".join(words[:MAX_QUOTE_WORDS]) + "…"
    )


def _citation(number: int, entry: ContextEntry, claim: str) -> Citation:
    p = entry.passage
    return Citation(
        number=number,
        passage_id=p.id,
        quote=best_quote(p.text, claim),
        chapter_title=entry.chapter_title,
        chapter_index=p.chapter_index,
        source_id=p.source_id,
        source_title=entry.source_title,
        page=p.pages[0] if p.pages else None,
    )


# ---- aligning uncited sentences -----------------------------------------------------

ALIGN_MIN_SHARED = 3  # content words a sentence shares with the passage it came from
ALIGN_MIN_SHARE = 0.5  # ... and the share of its content words they are
ALIGN_MIN_SIMILARITY = 0.6  # or a cosine this high with one of the passage's sentences

SentenceSimilarity = Callable[[list[str]], "list[dict[str, float]]"]


def align_uncited(
    text: str,
    citations: list[Citation],
    entries: Mapping[str, ContextEntry],
    *,
    similarity: SentenceSimilarity | None = None,
) -> tuple[str, list[Citation], list[str]]:
    """Cite the sentences a model left uncited with the passages they came from.

    Each uncited claim is matched to the context passages by shared content words (and,
    when `similarity` is given, by the cosine of sentence embeddings: it maps a list of
    sentences to, per sentence, passage id -> best similarity). A sentence that matches
    no passage stays uncited and is returned in the third value, to be marked.
    """
    by_id = {e.passage.id: e for e in entries.values()}
    numbers = {c.passage_id: c.number for c in citations}
    citations = list(citations)
    spans = split_sentences(text)
    claims = []
    for s, e in spans:
        sentence = text[s:e]
        if not _MARKER.search(sentence) and _is_claim(_tidy(sentence)):
            claims.append((s, e, _tidy(sentence)))
    if not claims:
        return text, citations, []
    sims = similarity([c[2] for c in claims]) if similarity else [{} for _ in claims]
    passage_terms = {pid: set(terms(e.passage.text)) for pid, e in by_id.items()}
    unsupported: list[str] = []
    inserts: list[tuple[int, str]] = []
    for (_s, e, sentence), sim in zip(claims, sims, strict=True):
        mine = set(terms(sentence))
        best_pid, best = "", 0.0
        for pid, words in passage_terms.items():
            shared = len(mine & words)
            share = shared / len(mine) if mine else 0.0
            score = share if shared >= ALIGN_MIN_SHARED and share >= ALIGN_MIN_SHARE else 0.0
            cos = sim.get(pid, 0.0)
            if cos >= ALIGN_MIN_SIMILARITY:
                score = max(score, cos)
            if score > best:
                best_pid, best = pid, score
        if not best_pid:
            unsupported.append(sentence)
            continue
        number = numbers.get(best_pid)
        if number is None:
            number = numbers[best_pid] = len(numbers) + 1
            citations.append(_citation(number, by_id[best_pid], sentence))
        inserts.append((e, f"[{number}]"))
    for end, marker in sorted(inserts, reverse=True):
        stop = end
        while stop > 0 and text[stop - 1] in ".!?\"'”’)":
            stop -= 1
        text = text[:stop] + " " + marker + text[stop:]
    text, citations = renumber(text, citations)
    return text, citations, unsupported


def renumber(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Number citations [1], [2] ... in order of first appearance in the text."""
    order: dict[int, int] = {}
    for m in _MARKER.finditer(text):
        order.setdefault(int(m.group(1)), len(order) + 1)
    for c in citations:
        order.setdefault(c.number, len(order) + 1)
    text = _MARKER.sub(lambda m: f"[{order[int(m.group(1))]}]", text)
    for c in citations:
        c.number = order[c.number]
    return text, sorted(citations, key=lambda c: c.number)


_OPEN_QUOTES = "“‘\"'«"
_CLOSE_QUOTES = "”’\"'»"


def clean_quote(text: str) -> str:
    """A quote fit to be shown inside quotation marks: doubled marks collapsed, and the
    sentence's own outer marks dropped ('“And so?”' -> 'And so?'), so a renderer that
    wraps it in “…” never shows ““…””."""
    text = re.sub(r"([“”‘’\"])\1+", r"\1", " ".join(text.split()))
    if text[:1] in _OPEN_QUOTES:
        inner = text[1:]
        opens = sum(inner.count(q) for q in '“"')
        closes = sum(inner.count(q) for q in '”"')
        if inner[-1:] in _CLOSE_QUOTES and opens <= closes - 1:
            text = inner[:-1] if opens == closes - 1 else inner
        elif opens < closes or (opens == 0 and closes == 0):
            text = inner
    elif text[-1:] in "”" and text.count("“") < text.count("”"):
        text = text[:-1]
    return text.strip()
