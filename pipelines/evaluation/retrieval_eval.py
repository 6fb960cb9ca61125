"""Retrieval quality on a JSONL set: recall@1/3/5 and MRR for dense, lexical and hybrid.

passages.jsonl: {"passage_id", "story", "section", "text"}; each story becomes one
source, each section one chapter, each passage one unit indexed exactly as given
(not re-chunked). queries.jsonl: {"query_id", "story", "question", "gold_passage_ids"};
each query is searched within its story only.

recall@k here is the share of queries with at least one gold passage in the top k
(gold lists often name overlapping neighbours that hold the same sentence). MRR uses
the first gold hit within the top `candidates`. The index lives in a temporary
workspace that is deleted afterwards; the user's workspace is never touched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from pipelines.settings import Settings
from pipelines.types import Chapter, ChapterKind, Passage, Source, SourceKind

log = logging.getLogger(__name__)

MODES = ("dense", "lexical", "hybrid")
KS = (1, 3, 5)
MRR_DEPTH = 20


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with Path(path).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def build_sources(rows: list[dict[str, Any]]) -> list[tuple[Source, list[Passage]]]:
    """One Source per story, one Chapter per section (in first-seen order)."""
    stories: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for row in rows:
        stories.setdefault(row["story"], {}).setdefault(row["section"], []).append(row)
    out = []
    for story, sections in stories.items():
        sid = hashlib.sha256(f"eval-story:{story}".encode()).hexdigest()
        source = Source(sid, story, SourceKind.DOCUMENT, f"{story}.txt", "text")
        passages: list[Passage] = []
        for index, (title, items) in enumerate(sections.items(), 1):
            text, offsets = "", []
            for item in items:
                start = len(text)
                text += item["text"] + "\n\n"
                offsets.append((item, start, start + len(item["text"])))
            chapter = Chapter(index=index, title=title, text=text, source_id=sid)
            chapter.kind = ChapterKind.CHAPTER
            source.chapters.append(chapter)
            passages += [
                Passage(str(it["passage_id"]), sid, chapter.id, index, it["text"], s, e)
                for it, s, e in offsets
            ]
        out.append((source, passages))
    return out


def evaluate_retrieval(
    passages_jsonl: Path, queries_jsonl: Path, *, settings: Settings
) -> dict[str, Any]:
    """Index the passages in a throwaway workspace and score every query in every mode."""
    from pipelines.index.indexing import index_vectors
    from pipelines.index.retrieval import search
    from pipelines.index.vectors import forget_clients
    from pipelines.session import Session
    from pipelines.types import Scope

    queries = read_jsonl(queries_jsonl)
    with tempfile.TemporaryDirectory(prefix="folio-eval-") as tmp:
        cfg = settings.model_copy(update={"home": Path(tmp), "vector_url": ""})
        session = Session.of(cfg)
        ws = session.workspace
        story_ids: dict[str, str] = {}
        t0 = time.perf_counter()
        for source, passages in build_sources(read_jsonl(passages_jsonl)):
            ws.add_source(source, b"", passages=passages)
            index_vectors(ws, source.id, passages, settings=cfg)
            story_ids[source.title] = source.id
        index_s = time.perf_counter() - t0
        result: dict[str, Any] = {}
        seconds: dict[str, float] = {}
        for mode in MODES:
            ranks: list[int | None] = []
            t0 = time.perf_counter()
            for q in queries:
                scope = Scope([story_ids[q["story"]]])
                hits = search(session, q["question"], scope, k=MRR_DEPTH, mode=mode)
                gold = set(q["gold_passage_ids"])
                ranks.append(next((r for r, h in enumerate(hits, 1) if h.passage.id in gold), None))
            seconds[mode] = time.perf_counter() - t0
            result[mode] = _metrics(ranks)
        forget_clients(ws)
    n = max(1, len(queries))
    result["queries"] = len(queries)
    result["queries_per_second"] = round(n / seconds["hybrid"], 2) if seconds["hybrid"] else 0.0
    result["index_seconds"] = round(index_s, 2)
    result["embedder"] = settings.index.embedder
    return result


def _metrics(ranks: list[int | None]) -> dict[str, float]:
    n = max(1, len(ranks))
    out = {f"recall@{k}": round(sum(1 for r in ranks if r and r <= k) / n, 4) for k in KS}
    out["mrr"] = round(sum(1.0 / r for r in ranks if r) / n, 4)
    return out
