"""BM25 over the same passages, one index per source, persisted in the workspace.

Tokens: lowercased words, a stop list fit for books and papers (function words, the
words questions are made of: "what", "does", "according", "describe"...), Snowball
(Porter 2) stems from PyStemmer, with a plural-folding fallback when it is missing.
k1/b were picked on eval/retrieval and the held-out dev split.

Each source's index is built once, at indexing time (`prepare`), saved under
`<workspace>/lexical/<source id>/` (written to a temp folder and renamed, so readers never
see half an index) and loaded lazily on its first query in a process, then kept in
memory; a query builds one only when no current saved copy exists (a workspace from
before, or a failed save); it is keyed by a fingerprint of that source's
passages (count + highest rowid) and the tokenizer version, so a re-index or removal by
any process is noticed and the stale copy is rebuilt or dropped. Scoring covers the whole
source and is then masked to the chapters in scope, so BM25 statistics don't depend on
the scope chosen.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from pipelines.workspace.store import Workspace

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG

K1 = 1.2
B = 0.75
TOKENIZER_VERSION = 3  # bump when tokens change: saved indexes are then rebuilt
FOLDER = "lexical"

_lock = threading.RLock()
_cache: dict[tuple[str, str], _SourceIndex] = {}

STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves also may might must shall upon yet us let ever every many much whose whether
    thing things don didn doesn isn wasn weren aren won wouldn couldn shouldn hasn haven
    hadn according describe described describes mention mentioned mentions say says tell
    tells told happen happens happened kind sort""".split()
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_POSSESSIVE = re.compile(r"['’]s$")


def _light_stem(word: str) -> str:
    """Plural folding only ('whales' -> 'whale'): the fallback without PyStemmer."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ses", "s"), ("s", "")):
        if word.endswith(suffix):
            return word[: len(word) - len(suffix)] + repl
    return word


def _make_stemmer():  # type: ignore[no-untyped-def]
    try:
        import Stemmer  # PyStemmer: Snowball in C

        return Stemmer.Stemmer("english").stemWord, "snowball"
    except ImportError:  # pragma: no cover - PyStemmer is a dependency
        log.warning("PyStemmer is not installed (pip install PyStemmer); using plural folding")
        return _light_stem, "plural"


_stem, STEMMER = _make_stemmer()


def tokenize_one(text: str) -> list[str]:
    out = []
    for word in _TOKEN.findall(text.lower()):
        word = _POSSESSIVE.sub("", word).replace("'", "").replace("’", "")
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        out.append(_stem(word))
    return out


def tokenize(texts: list[str]) -> list[list[str]]:
    return [tokenize_one(t) for t in texts]


@dataclass
class _SourceIndex:
    fingerprint: tuple[int, int]
    ids: list[str]
    chapter_ids: np.ndarray  # chapter id of each passage, aligned with ids
    chapter_indexes: np.ndarray  # chapter number of each passage
    retriever: bm25s.BM25 | None  # None when the source has no passages


def _fingerprint(ws: Workspace, source_id: str) -> tuple[int, int]:
    with ws.connect() as con:
        row = con.execute(
            "SELECT COUNT(*), COALESCE(MAX(rowid), 0) FROM passages WHERE source_id=?",
            (source_id,),
        ).fetchone()
    return (int(row[0]), int(row[1]))


def index_dir(ws: Workspace, source_id: str) -> Path:
    return ws.home / FOLDER / source_id


def _meta(fingerprint: tuple[int, int]) -> dict[str, object]:
    return {
        "fingerprint": list(fingerprint),
        "tokenizer": TOKENIZER_VERSION,
        "stemmer": STEMMER,
        "k1": K1,
        "b": B,
    }


def _build(ws: Workspace, source_id: str, fingerprint: tuple[int, int]) -> _SourceIndex:
    passages = ws.passages_for(source_ids=[source_id])
    ids = [p.id for p in passages]
    chapters = np.array([p.chapter_id for p in passages], dtype=object)
    numbers = np.array([p.chapter_index for p in passages], dtype=np.int64)
    if not passages:
        return _SourceIndex(fingerprint, ids, chapters, numbers, None)
    retriever = bm25s.BM25(k1=K1, b=B)
    retriever.index(tokenize([p.text for p in passages]), show_progress=False)
    log.debug("Built BM25 for source %s over %d passages", source_id[:12], len(ids))
    return _SourceIndex(fingerprint, ids, chapters, numbers, retriever)


def _save(ws: Workspace, source_id: str, idx: _SourceIndex) -> None:
    """Write the index next to the workspace's other data; a failure only costs speed."""
    if idx.retriever is None:
        return
    final = index_dir(ws, source_id)
    tmp = final.parent / f".{source_id}.{uuid.uuid4().hex}"
    try:
        tmp.mkdir(parents=True)
        idx.retriever.save(str(tmp / "bm25"), show_progress=False)
        rows = {
            "ids": idx.ids,
            "chapter_ids": [str(c) for c in idx.chapter_ids],
            "chapter_indexes": [int(n) for n in idx.chapter_indexes],
        }
        (tmp / "passages.json").write_text(json.dumps(rows), "utf-8")
        (tmp / "meta.json").write_text(json.dumps(_meta(idx.fingerprint)), "utf-8")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except OSError as exc:
        log.warning("Could not save the BM25 index of %s: %s", source_id[:12], exc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _load(ws: Workspace, source_id: str, fingerprint: tuple[int, int]) -> _SourceIndex | None:
    folder = index_dir(ws, source_id)
    try:
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        if meta != json.loads(json.dumps(_meta(fingerprint))):
            return None
        rows = json.loads((folder / "passages.json").read_text("utf-8"))
        retriever = bm25s.BM25.load(str(folder / "bm25"), mmap=False, show_progress=False)
    except (OSError, ValueError, KeyError):
        return None
    chapters = np.array(rows["chapter_ids"], dtype=object)
    numbers = np.array(rows["chapter_indexes"], dtype=np.int64)
    return _SourceIndex(fingerprint, list(rows["ids"]), chapters, numbers, retriever)


def _index(ws: Workspace, source_id: str) -> _SourceIndex:
    key = (str(ws.db_path), source_id)
    fp = _fingerprint(ws, source_id)
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.fingerprint == fp:
            return cached
    loaded = _load(ws, source_id, fp)
    if loaded is None:
        loaded = _build(ws, source_id, fp)
        _save(ws, source_id, loaded)
    with _lock:
        _cache[key] = loaded
    return loaded


def _saved_is_current(ws: Workspace, source_id: str, fingerprint: tuple[int, int]) -> bool:
    try:
        meta = json.loads((index_dir(ws, source_id) / "meta.json").read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta == json.loads(json.dumps(_meta(fingerprint))))


def prepare(ws: Workspace, source_id: str) -> bool:
    """Build and save a source's index now, at indexing time, unless an up-to-date copy
    is already saved: queries then only ever load it. True when it built one."""
    fp = _fingerprint(ws, source_id)
    if _saved_is_current(ws, source_id, fp):
        return False
    built = _build(ws, source_id, fp)
    _save(ws, source_id, built)
    with _lock:
        _cache[(str(ws.db_path), source_id)] = built
    return True


def invalidate(ws: Workspace, source_id: str | None = None) -> None:
    """Forget a source's index (or every index of the workspace), in memory and on disk."""
    with _lock:
        for key in [k for k in _cache if k[0] == str(ws.db_path)]:
            if source_id is None or key[1] == source_id:
                del _cache[key]
        if source_id is None:
            shutil.rmtree(ws.home / FOLDER, ignore_errors=True)
        else:
            shutil.rmtree(index_dir(ws, source_id), ignore_errors=True)


def search(
    ws: Workspace, query: str, source_ids: list[str], chapter_ids: list[str] | None, n: int
) -> list[tuple[str, float]]:
    """(passage id, BM25 score) best first, ties by id; only passages with a match."""
    tokens = tokenize_one(query)
    if not tokens:
        return []
    allowed = list(set(chapter_ids)) if chapter_ids is not None else None
    hits: list[tuple[str, float]] = []
    for sid in sorted(set(source_ids)):
        idx = _index(ws, sid)
        if idx.retriever is None:
            continue
        known = [t for t in tokens if t in idx.retriever.vocab_dict]
        if not known:
            continue
        scores = idx.retriever.get_scores(known)
        mask = scores > 0
        if allowed is not None:
            mask &= np.isin(idx.chapter_ids, allowed)
        for i in np.flatnonzero(mask):
            hits.append((idx.ids[i], round(float(scores[i]), 6)))
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits[:n]


def term_presence(
    ws: Workspace,
    text: str,
    source_ids: list[str],
    chapter_ids: list[str] | None,
    *,
    through_scope: bool = False,
) -> tuple[dict[str, int], int]:
    """For each token of `text`: how many passages in scope contain it; and how many
    passages the scope has. Tells a question about something the text never mentions.

    `through_scope`: count every chapter up to the scope's last one instead (what a
    reader of the chosen chapters has met: the narrator named in chapter I is known in
    chapter VIII, where he is only "I"; a character first met in chapter V is not)."""
    tokens = list(dict.fromkeys(tokenize_one(text)))
    counts = dict.fromkeys(tokens, 0)
    allowed = list(set(chapter_ids)) if chapter_ids is not None else None
    size = 0
    for sid in sorted(set(source_ids)):
        idx = _index(ws, sid)
        if allowed is None:
            mask = np.ones(len(idx.ids), dtype=bool)
        else:
            mask = np.isin(idx.chapter_ids, allowed)
            if through_scope and mask.any():
                mask = idx.chapter_indexes <= idx.chapter_indexes[mask].max()
        size += int(mask.sum())
        if idx.retriever is None:
            continue
        for t in tokens:
            if t in idx.retriever.vocab_dict:
                counts[t] += int(((idx.retriever.get_scores([t]) > 0) & mask).sum())
    return counts, size
