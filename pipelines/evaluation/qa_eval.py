"""`folio eval qa`: answer a question set over real documents and score the answers.

Input lines: {"doc": path, "question", "answers": [...], "answerable": optional bool,
"type": optional label (who, what, why, when, how-many, near-miss ...),
"scope": "chapter" | "whole" | "upto" (default: "chapter" when a chapter is named,
else "whole"), "chapter": a title or a 1-based chapter number, "evidence": optional
verbatim spans of the text that answer the question, "split": optional}.

Each doc is ingested (into a temporary workspace unless one is given) and each question
answered in its scope: the chapter (chapter), chapters 1..chapter (upto), or the whole
document. Scores: answer containment (a gold string in the answer), abstention on the
unanswerable questions, false abstention on the answerable ones, citations per answer,
invented citations (ones pointing outside the scope), latency. With `evidence`, the
gold passages are those in scope whose text contains a normalised span, and recall@5 /
MRR of each retrieval leg (lexical, dense, hybrid) are computed from the same set.
Everything is reported overall, by question type and by split.
"""

from __future__ import annotations

import json
import re
import statistics
import string
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.errors import FolioError
from pipelines.types import Answer, Scope, Source
from pipelines.workspace import library
from pipelines.workspace.store import Workspace

if TYPE_CHECKING:
    from pipelines.session import Session

_PUNCT = re.compile(f"[{re.escape(string.punctuation)}“”‘’—–]")
LEGS = ("lexical", "dense", "hybrid")
RANK_DEPTH = 20


_INVISIBLE = re.compile("[\u2060\u00ad\ufeff\u200b]")


def normalise(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", _INVISIBLE.sub("", text).lower()).split())


def contains_gold(answer: str, golds: list[str]) -> bool:
    haystack = f" {normalise(answer)} "
    return any(f" {normalise(g)} " in haystack for g in golds if normalise(g))


def read_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["doc"], row["question"]  # noqa: B018 - both are required
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise FolioError(f"{path}:{n} is not a question line ({exc}).") from exc
        rows.append(row)
    return rows


def _split_of(path: Path, row: dict[str, Any]) -> str:
    if row.get("split"):
        return str(row["split"])
    stem = path.stem.lower()
    for name in ("dev", "test", "train"):
        if stem.endswith(name) or f"_{name}" in stem or f"-{name}" in stem:
            return name
    return stem


def _chapter_match(source: Source, chapter: Any):  # type: ignore[no-untyped-def]
    if chapter is None or chapter == "":
        return None
    if isinstance(chapter, int) or (isinstance(chapter, str) and chapter.strip().isdigit()):
        n = int(chapter)
        by_index = [c for c in source.chapters if c.index == n]
        if by_index and not any(normalise(c.title) == str(n) for c in source.chapters):
            return by_index[0]
    wanted = normalise(str(chapter))
    exact = [c for c in source.chapters if normalise(c.title) == wanted]
    loose = [c for c in source.chapters if wanted and wanted in normalise(c.title)]
    match = exact or loose
    return match[0] if match else None


def scope_for(source: Source, row: dict[str, Any]) -> Scope:
    """The scope a question line asks about (whole document when its chapter is unknown)."""
    chapter = _chapter_match(source, row.get("chapter"))
    kind = str(row.get("scope") or ("chapter" if chapter is not None else "whole"))
    if chapter is None or kind == "whole":
        return Scope(source_ids=[source.id])
    if kind == "upto":
        return Scope.upto(source, chapter.index)
    return Scope(source_ids=[source.id], chapter_ids=[chapter.id])


def question_type(row: dict[str, Any]) -> str:
    if row.get("type"):
        return str(row["type"])
    from pipelines.answers.question_kinds import answer_type

    if not _answerable(row):
        return "unanswerable"
    return answer_type(str(row["question"])) or "other"


def _answerable(row: dict[str, Any]) -> bool:
    return bool(row.get("answerable", bool(row.get("answers"))))


def _evidence_spans(row: dict[str, Any]) -> list[str]:
    ev = row.get("evidence") or []
    spans = [ev] if isinstance(ev, str) else [str(e) for e in ev]
    return [s for s in (normalise(x) for x in spans) if s]


def gold_passages(ws: Workspace, scope: Scope, spans: list[str]) -> set[str]:
    """Passages in scope whose normalised text contains one of the normalised spans."""
    if not spans:
        return set()
    passages = ws.passages_for(source_ids=list(scope.source_ids), chapter_ids=scope.chapter_ids)
    return {p.id for p in passages if any(s in f" {normalise(p.text)} " for s in spans)}


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _invented(result: Answer, ws: Workspace, scope: Scope) -> int:
    """Citations that point at no passage of the scope (a wrong or made-up source)."""
    if not result.citations:
        return 0
    found = ws.get_passages([c.passage_id for c in result.citations])
    allowed = set(scope.chapter_ids) if scope.chapter_ids is not None else None
    bad = 0
    for c in result.citations:
        p = found.get(c.passage_id)
        outside = p is None or p.source_id not in scope.source_ids
        if p is None or outside or (allowed is not None and p.chapter_id not in allowed):
            bad += 1
        elif c.quote and normalise(c.quote.rstrip("…"))[:80] not in normalise(p.text):
            bad += 1  # a quote that is not in the passage it cites
    return bad


def _ranks(session: Session, question: str, scope: Scope, gold: set[str]) -> dict:
    from pipelines.index.retrieval import search

    out = {}
    for leg in LEGS:
        hits = search(session, question, scope, k=RANK_DEPTH, mode=leg)
        out[leg] = next((r for r, h in enumerate(hits, 1) if h.passage.id in gold), None)
    return out


def summarise(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Scores of a group of per-question records (see `evaluate_qa`)."""
    recs = list(records)
    ans = [r for r in recs if r["answerable"]]
    unans = [r for r in recs if not r["answerable"]]
    supported = [r for r in recs if r["supported"]]
    out: dict[str, Any] = {
        "questions": len(recs),
        "answerable": len(ans),
        "unanswerable": len(unans),
        "answer_containment": _mean(r["contained"] for r in ans),
        "abstention_rate": _mean(not r["supported"] for r in unans),
        "false_abstention_rate": _mean(not r["supported"] for r in ans),
        "citations_per_answer": round(statistics.fmean(r["citations"] for r in supported), 3)
        if supported
        else 0.0,
        "invented_citations": sum(r["invented_citations"] for r in recs),
        "latency_ms": {
            "p50": round(_percentile([r["latency_ms"] for r in recs], 0.5), 1),
            "p95": round(_percentile([r["latency_ms"] for r in recs], 0.95), 1),
        },
    }
    ranked = [r for r in recs if r.get("ranks")]
    if ranked:
        out["retrieval"] = {"questions": len(ranked)}
        for leg in LEGS:
            ranks = [r["ranks"][leg] for r in ranked]
            out["retrieval"][leg] = {
                "recall@5": round(sum(1 for x in ranks if x and x <= 5) / len(ranks), 4),
                "mrr": round(sum(1.0 / x for x in ranks if x) / len(ranks), 4),
            }
    return out


def _mean(values: Iterable[bool]) -> float | None:
    vals = [bool(v) for v in values]
    return round(sum(vals) / len(vals), 4) if vals else None


def evaluate_qa(
    questions_path: Path | list[Path],
    session: Session,
    *,
    details: Path | None = None,
    retrieval: bool = True,
) -> dict[str, Any]:
    """Answer every question of one or more JSONL files and score the answers.

    Returns overall scores plus `by_type`, `by_scope` and `by_split`; `details` (a JSONL path) gets
    one line per question: the answer, its verdict and the passages it cites.
    """
    from pipelines.answers.qa import answer

    paths = [
        Path(p) for p in (questions_path if isinstance(questions_path, list) else [questions_path])
    ]
    records: list[dict[str, Any]] = []
    ws = session.workspace
    sources: dict[str, Source] = {}
    for path in paths:
        for row in read_questions(path):
            doc = Path(row["doc"])
            if not doc.is_absolute():
                doc = (path.parent / doc).resolve()
            key = str(doc)
            if key not in sources:
                sources[key] = library.add_file(session, doc).source
            scope = scope_for(sources[key], row)
            golds = [str(a) for a in row.get("answers", [])]
            is_answerable = _answerable(row)
            started = time.perf_counter()
            result = answer(session, str(row["question"]), scope)
            latency = (time.perf_counter() - started) * 1000
            record: dict[str, Any] = {
                "split": _split_of(path, row),
                "type": question_type(row),
                "doc": doc.name,
                "scope": row.get("scope") or ("chapter" if scope.chapter_ids else "whole"),
                "chapter": row.get("chapter"),
                "question": row["question"],
                "answerable": is_answerable,
                "gold": golds,
                "supported": result.supported,
                "contained": is_answerable and contains_gold(result.text, golds),
                "citations": len(result.citations),
                "invented_citations": _invented(result, ws, scope),
                "latency_ms": round(latency, 1),
                "answer": result.text,
                "cited": [
                    {
                        "n": c.number,
                        "passage": c.passage_id,
                        "chapter": c.chapter_title,
                        "page": c.page,
                        "quote": c.quote,
                    }
                    for c in result.citations
                ],
            }
            spans = _evidence_spans(row)
            if retrieval and is_answerable and spans:
                gold = gold_passages(ws, scope, spans)
                record["gold_passages"] = sorted(gold)
                if gold:
                    record["ranks"] = _ranks(session, str(row["question"]), scope, gold)
            records.append(record)
    if details is not None:
        Path(details).write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8"
        )
    out = summarise(records)
    out["by_type"] = {
        t: summarise(r for r in records if r["type"] == t)
        for t in sorted({r["type"] for r in records})
    }
    out["by_scope"] = {
        sc: summarise(r for r in records if r["scope"] == sc)
        for sc in sorted({str(r["scope"]) for r in records})
    }
    splits = sorted({r["split"] for r in records})
    if len(splits) > 1:
        out["by_split"] = {s: summarise(r for r in records if r["split"] == s) for s in splits}
    return out
