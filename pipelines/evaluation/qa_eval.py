"""`folio eval qa`: answer a question set over real documents and score the answers.

Input lines: {"doc": path, "chapter": optional title, "question", "answers": [...],
"answerable": optional bool}. Each doc is ingested (into a temporary workspace unless
one is given), each question answered in scope (the chapter whose title matches, else
the whole doc).
"""

from __future__ import annotations

import json
import re
import statistics
import string
import tempfile
import time
from pathlib import Path
from typing import Any

from pipelines.errors import FolioError
from pipelines.settings import Settings
from pipelines.types import Source
from pipelines.workspace import library
from pipelines.workspace.store import Workspace

_PUNCT = re.compile(f"[{re.escape(string.punctuation)}“”‘’—–]")


def normalise(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


def contains_gold(answer: str, golds: list[str]) -> bool:
    haystack = f" {normalise(answer)} "
    return any(f" {normalise(g)} " in haystack for g in golds if normalise(g))


def _read_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["doc"], row["question"]  # noqa: B018 - both are required
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise FolioError(f"{path}:{n} is not a question line ({exc}).") from exc
        rows.append(row)
    return rows


def _scope_for(source: Source, chapter_title: str | None):
    from pipelines.types import Scope

    if chapter_title:
        wanted = normalise(chapter_title)
        exact = [c for c in source.chapters if normalise(c.title) == wanted]
        loose = [c for c in source.chapters if wanted and wanted in normalise(c.title)]
        match = (exact or loose)[:1]
        if match:
            return Scope(source_ids=[source.id], chapter_ids=[match[0].id])
    return Scope(source_ids=[source.id])


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def evaluate_qa(
    questions_path: Path, *, workspace: Workspace | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    from pipelines.answers.qa import answer

    questions_path = Path(questions_path)
    rows = _read_questions(questions_path)
    with tempfile.TemporaryDirectory(prefix="folio-eval-") as tmp:
        ws = workspace or Workspace(Path(tmp), settings=settings)
        sources: dict[str, Source] = {}
        latencies: list[float] = []
        contained = answerable = abstained = unanswerable = false_abstain = 0
        citations: list[int] = []
        for row in rows:
            doc = Path(row["doc"])
            if not doc.is_absolute():
                doc = (questions_path.parent / doc).resolve()
            key = str(doc)
            if key not in sources:
                sources[key] = library.add_file(ws, doc, settings=settings).source
            scope = _scope_for(sources[key], row.get("chapter"))
            golds = [str(a) for a in row.get("answers", [])]
            is_answerable = bool(row.get("answerable", bool(golds)))
            started = time.perf_counter()
            result = answer(ws, str(row["question"]), scope, settings=settings)
            latencies.append((time.perf_counter() - started) * 1000)
            if result.supported:
                citations.append(len(result.citations))
            if is_answerable:
                answerable += 1
                contained += contains_gold(result.text, golds)
                false_abstain += not result.supported
            else:
                unanswerable += 1
                abstained += not result.supported
    return {
        "questions": len(rows),
        "answer_containment": contained / answerable if answerable else None,
        "abstention_rate": abstained / unanswerable if unanswerable else None,
        "false_abstention_rate": false_abstain / answerable if answerable else None,
        "citations_per_answer": statistics.fmean(citations) if citations else 0.0,
        "latency_ms": {"p50": _percentile(latencies, 0.5), "p95": _percentile(latencies, 0.95)},
    }
