"""Pick the abstention thresholds of `pipelines.answers.abstention` on the dev split.

    .venv/bin/python eval/qa/tune_abstention.py features [--split dev] [--cache FILE]
    .venv/bin/python eval/qa/tune_abstention.py grid [--cache FILE] [--max-false 0.10]
    .venv/bin/python eval/qa/tune_abstention.py show [--cache FILE]

`features` ingests the documents once into a persistent workspace (--home, default
/tmp/folio-tune-home), then for every question retrieves in its scope, computes the
evidence features the verdict is made from, and the extractive answer the question
would get if it were answered (and whether that answer contains a gold string). All of
it goes to a JSON cache, so `grid` can try thousands of threshold settings without
running retrieval again: abstention on the unanswerable rows, false abstention and
containment on the answerable ones. Tune on dev only; test is for the final report.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SETS = Path(__file__).resolve().parent


def compute_features(split: str, home: Path, cache: Path) -> None:
    from pipelines.answers.extractive import extractive_answer
    from pipelines.answers.qa import _chapters_of, collect_evidence, describe_scope
    from pipelines.evaluation.qa_eval import contains_gold, read_questions, scope_for
    from pipelines.settings import Settings
    from pipelines.workspace import library
    from pipelines.workspace.store import Workspace

    settings = Settings(home=home)
    ws = Workspace(home, settings=settings)
    path = SETS / f"heldout_{split}.jsonl"
    sources: dict[str, Any] = {}
    out = []
    for row in read_questions(path):
        doc = (path.parent / row["doc"]).resolve()
        if str(doc) not in sources:
            sources[str(doc)] = library.add_file(ws, doc, settings=settings).source
        scope = scope_for(sources[str(doc)], row)
        evidence = collect_evidence(ws, row["question"], scope, settings=settings)
        text = ""
        if evidence.sentences:
            result = extractive_answer(
                row["question"],
                evidence,
                _chapters_of(ws, evidence.hits),
                describe_scope(ws, scope),
            )
            text = result.text
        out.append(
            {
                "id": row["id"],
                "type": row.get("type"),
                "scope": row.get("scope"),
                "question": row["question"],
                "answerable": row.get("answerable", True),
                "features": evidence.features,
                "term_rows": [t.as_dict() for t in evidence.term_rows],
                "supported": evidence.supported,
                "contained": bool(row.get("answers")) and contains_gold(text, row["answers"]),
                "answer": text[:300],
            }
        )
        print(
            f"{row['id']:8} {'A' if out[-1]['answerable'] else 'U'} "
            f"{'ans' if evidence.supported else 'abs'} {row['question'][:70]}",
            flush=True,
        )
    cache.write_text(json.dumps(out, indent=1), "utf-8")
    print(score(out, lambda r: r["supported"]))


def load(cache: Path) -> list[dict[str, Any]]:
    """The cached rows, their term features recomputed with the current code."""
    from pipelines.answers.abstention import TermRow, term_features
    from pipelines.answers.question_kinds import answer_type

    fields = set(TermRow.__dataclass_fields__)

    rows = json.loads(cache.read_text("utf-8"))
    for r in rows:
        terms = [TermRow(**{k: v for k, v in t.items() if k in fields}) for t in r["term_rows"]]
        size = int(r["features"]["scope_size"])
        r["features"].update(term_features(terms, size, answer_type(r["question"])))
    return rows


def score(rows: list[dict[str, Any]], decide: Any) -> dict[str, float]:
    ans = [r for r in rows if r["answerable"]]
    unans = [r for r in rows if not r["answerable"]]
    verdict = {r["id"]: bool(decide(r)) for r in rows}
    return {
        "abstention": round(sum(not verdict[r["id"]] for r in unans) / max(len(unans), 1), 3),
        "false_abstention": round(sum(not verdict[r["id"]] for r in ans) / max(len(ans), 1), 3),
        "containment": round(
            sum(verdict[r["id"]] and r["contained"] for r in ans) / max(len(ans), 1), 3
        ),
    }


GRID: dict[str, list[Any]] = {
    "MIN_SIMILARITY": [0.40, 0.45],
    "ABSENT_WORDS": [2, 3],
    "ABSENT_RESCUE": [0.55, 0.6, 0.65, 0.7],
    "MOSTLY_ABSENT": [3, 4, 9],
    "NAME_UNUSED": [False, True],
    "WIDE_SCOPE": [60, 100, 200],
    "MIN_FOCUS_FIRST": [0.0, 0.2, 0.4],
    "MIN_FOCUS_FIRST_WIDE": [0.0, 0.1, 0.3, 0.5],
    "FOCUS_RESCUE": [0.65, 0.7, 0.75, 1.0],
}


def grid(cache: Path, max_false: float) -> None:
    from pipelines.answers import abstention

    rows = load(cache)
    keys = [k for k in GRID if hasattr(abstention, k)]
    base = {k: getattr(abstention, k) for k in keys}
    results = []
    for values in itertools.product(*(GRID[k] for k in keys)):
        for k, v in zip(keys, values, strict=True):
            setattr(abstention, k, v)
        s = score(rows, lambda r: abstention.decide(r["features"]))
        if s["false_abstention"] <= max_false:
            results.append(
                (s["abstention"] + s["containment"], s, dict(zip(keys, values, strict=True)))
            )
    for k, v in base.items():
        setattr(abstention, k, v)
    print("current:", base, score(rows, lambda r: abstention.decide(r["features"])))
    for total, s, setting in sorted(results, key=lambda x: -x[0])[:15]:
        print(round(total, 3), s, setting)


def show(cache: Path) -> None:
    from pipelines.answers import abstention

    rows = load(cache)
    print(score(rows, lambda r: abstention.decide(r["features"])))
    for r in rows:
        ok = abstention.decide(r["features"])
        wrong = ok != r["answerable"]
        flag = "WRONG" if wrong else "ok   "
        if r["answerable"] and ok and not r["contained"]:
            flag = "miss "
        f = r["features"]
        print(
            f"{flag} {r['id']:7} {'A' if r['answerable'] else 'U'} {r['type']:6} "
            f"sim={f['similarity']:.2f} ss={f['sentence_similarity']:.2f} "
            f"ft={f['focus_top']:.2f} ff={f['focus_first']:.2f} pt={f['present_top']:.2f} "
            f"miss={f['scope_missing']:.0f} cue={f['cue']:.1f}/{f['cue_required']:.1f} "
            f"| {r['question'][:70]}"
        )
        n = f["scope_size"]
        print(
            "        "
            + " ".join(
                f"{t['term']}:{t['df']}{'*' if t['in_top'] else ''}"
                for t in r["term_rows"]
                if t["df"] < 0.1 * n
            )
            + f"  (n={n:.0f})"
        )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("step", choices=("features", "grid", "show"))
    p.add_argument("--split", default="dev")
    p.add_argument("--home", type=Path, default=Path("/tmp/folio-tune-home"))
    p.add_argument("--cache", type=Path, default=None)
    p.add_argument("--max-false", type=float, default=0.10)
    args = p.parse_args()
    cache = args.cache or Path(f"/tmp/folio-tune-{args.split}.json")
    if args.step == "features":
        compute_features(args.split, args.home, cache)
    elif args.step == "grid":
        grid(cache, args.max_false)
    else:
        show(cache)


if __name__ == "__main__":
    main()
