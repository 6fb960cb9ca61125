"""Check the held-out QA sets (heldout_dev.jsonl, heldout_test.jsonl) against the real texts.

Run from the repository root:  .venv/bin/python eval/qa/check_set.py [files...]

Per question it checks the schema, that every chapter title is one Folio lists (exactly),
that every evidence span (8-25 words) occurs in the text of its scope after normalising
(lowercase, curly quotes -> straight, invisible joiners dropped, whitespace collapsed) and lies
inside one of Folio's passages there (so `folio eval qa` finds a gold passage for it), and
that a gold answer string occurs in that scope as the scorer would see it. Over the whole set
it checks the size and mix the set promises (documents, why/how share, unanswerable share,
whole-book share, types) and that dev/test are disjoint and split evenly per (doc, type).
Prints a counts table; exits 1 if anything fails.
"""

from __future__ import annotations

import json
import re
import string
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_FILES = [HERE / "heldout_dev.jsonl", HERE / "heldout_test.jsonl"]
TYPES = {"who", "what", "why", "how", "when", "number", "name", "yesno"}
SCOPES = {"chapter", "whole", "upto"}
PAPERS = {"tracemonkey-pldi-09.pdf", "tully2010_heart-failure-programmes_hindawi_cc-by.pdf"}

# Aggregate requirements.
MIN_QUESTIONS = 170
MIN_BOOKS = 4
MIN_WHY_HOW = 0.30
MIN_UNANSWERABLE = 0.20
MIN_WHOLE = 0.25
REQUIRED_TYPES = {"who", "what", "why", "how", "when", "number", "name"}

_QUOTES = str.maketrans(
    {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
)
_INVISIBLE = re.compile("[\u2060\u00ad\ufeff\u200b]")


def norm_text(text: str) -> str:
    """Evidence matching: lowercase, straight quotes, no invisible joiners, collapsed whitespace."""
    text = _INVISIBLE.sub("", text).translate(_QUOTES).lower()
    return " ".join(text.split())


# The scorer's normalisation (pipelines/evaluation/qa_eval.py), restated so the check stands alone.
_PUNCT = re.compile(f"[{re.escape(string.punctuation)}“”‘’—–]")


def norm_score(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split())


class Sources:
    def __init__(self) -> None:
        self._cache: dict[Path, object] = {}
        self._passages: dict[Path, list] = {}

    def source(self, path: Path):
        if path not in self._cache:
            from pipelines.ingest import parse_file

            source, _ = parse_file(path)
            for chapter in source.chapters:
                chapter.source_id = chapter.source_id or source.id
            self._cache[path] = source
        return self._cache[path]

    def chapters(self, path: Path):
        return list(self.source(path).chapters)

    def passages(self, path: Path):
        """Folio's own passages (pipelines.index.chunking), as `folio eval qa` sees them."""
        if path not in self._passages:
            from pipelines.index.chunking import chunk_source

            self._passages[path] = chunk_source(self.source(path))
        return self._passages[path]


def load(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            row = json.loads(line)
            row["_file"], row["_line"] = path.name, n
            rows.append(row)
    return rows


def check_row(row: dict, sources: Sources, base: Path) -> list[str]:
    errs: list[str] = []
    where = f"{row['_file']}:{row['_line']} {row.get('id')}"

    def err(msg: str) -> None:
        errs.append(f"{where}: {msg}")

    for key in ("id", "doc", "question", "answers", "answerable", "type", "scope"):
        if key not in row:
            err(f"missing field {key!r}")
    if errs:
        return errs
    if row["type"] not in TYPES:
        err(f"type {row['type']!r} not in {sorted(TYPES)}")
    if row["scope"] not in SCOPES:
        err(f"scope {row['scope']!r} not in {sorted(SCOPES)}")
    doc = (base / row["doc"]).resolve()
    if not doc.is_file():
        err(f"doc does not resolve: {doc}")
        return errs

    answers, evidence = row["answers"], row.get("evidence", [])
    if row["answerable"]:
        if not 1 <= len(answers) <= 4:
            err(f"answerable needs 1-4 gold strings, has {len(answers)}")
        if not evidence:
            err("answerable question without evidence")
        for a in answers:
            if not 1 <= len(norm_score(a).split()) <= 4:
                err(f"gold {a!r} is not 1-4 words")
    else:
        if answers or evidence:
            err("unanswerable question must have no answers and no evidence")

    chapters = sources.chapters(doc)
    titles = [c.title for c in chapters]
    title = row.get("chapter")
    if row["scope"] == "whole":
        if title:
            err("scope 'whole' must not name a chapter")
        scope_chapters = chapters
    else:
        if not title:
            err(f"scope {row['scope']!r} needs a chapter title")
            return errs
        if title not in titles:
            err(f"chapter title {title!r} is not one Folio lists")
            return errs
        if titles.count(title) > 1:
            err(f"chapter title {title!r} is ambiguous in this document")
        idx = titles.index(title)
        scope_chapters = [chapters[idx]] if row["scope"] == "chapter" else chapters[: idx + 1]

    scope_text = norm_text("\n".join(c.text for c in scope_chapters))
    for span in evidence:
        words = len(span.split())
        if not 8 <= words <= 25:
            err(f"evidence has {words} words (want 8-25): {span[:60]!r}")
        if norm_text(span) not in scope_text:
            err(f"evidence not found in scope: {span!r}")
    try:
        passages = [
            p for p in sources.passages(doc) if p.chapter_id in {c.id for c in scope_chapters}
        ]
    except Exception as exc:  # chunking unavailable: report, don't hide the other checks
        err(f"could not chunk the document into passages ({exc})")
        passages = []
    for span in evidence:
        # `folio eval qa` takes as gold the passages whose scorer-normalised text holds the span.
        want = f" {norm_score(_INVISIBLE.sub('', span))} "
        if passages and not any(
            want in f" {norm_score(_INVISIBLE.sub('', p.text))} " for p in passages
        ):
            err(f"evidence is not inside any single passage of the scope: {span!r}")
    if row["answerable"] and answers:
        hay = f" {norm_score(_INVISIBLE.sub('', chr(10).join(c.text for c in scope_chapters)))} "
        if not any(f" {norm_score(a)} " in hay for a in answers if norm_score(a)):
            err(f"no gold string occurs in the scope text: {answers}")
    return errs


def table(rows: list[dict]) -> str:
    docs = sorted({Path(r["doc"]).name for r in rows})
    cols = ["total", "dev", "test", "chapter", "whole", "upto", "unans", "why/how"]
    lines = [f"{'document':<56}" + "".join(f"{c:>8}" for c in cols)]

    def counts(sel: list[dict]) -> list[int]:
        return [
            len(sel),
            sum(r["_file"].startswith("heldout_dev") for r in sel),
            sum(r["_file"].startswith("heldout_test") for r in sel),
            sum(r["scope"] == "chapter" for r in sel),
            sum(r["scope"] == "whole" for r in sel),
            sum(r["scope"] == "upto" for r in sel),
            sum(not r["answerable"] for r in sel),
            sum(r["type"] in ("why", "how") for r in sel),
        ]

    for d in docs:
        sel = [r for r in rows if Path(r["doc"]).name == d]
        lines.append(f"{d:<56}" + "".join(f"{n:>8}" for n in counts(sel)))
    tot = counts(rows)
    lines.append(f"{'ALL':<56}" + "".join(f"{n:>8}" for n in tot))
    lines.append(f"{'share of ALL':<56}" + "".join(f"{n / max(1, tot[0]):>8.0%}" for n in tot))
    lines.append("")
    type_counts = Counter(r["type"] for r in rows)
    by_type_unans = Counter(r["type"] for r in rows if not r["answerable"])
    lines.append("type      " + "".join(f"{t:>8}" for t in sorted(TYPES)))
    lines.append("all       " + "".join(f"{type_counts[t]:>8}" for t in sorted(TYPES)))
    lines.append("unans     " + "".join(f"{by_type_unans[t]:>8}" for t in sorted(TYPES)))
    return "\n".join(lines)


def check_set(rows: list[dict]) -> list[str]:
    errs: list[str] = []
    n = len(rows)
    ids = Counter(r["id"] for r in rows)
    errs += [f"duplicate id {i}" for i, c in ids.items() if c > 1]
    qs = Counter((r["doc"], r["question"].strip().lower()) for r in rows)
    errs += [f"duplicate question {q[1]!r}" for q, c in qs.items() if c > 1]
    existing = HERE / "questions.jsonl"
    if existing.is_file():
        lines = existing.read_text("utf-8").splitlines()
        old = {json.loads(line)["question"].strip().lower() for line in lines if line.strip()}
        errs += [
            f"{r['id']}: question copied from questions.jsonl"
            for r in rows
            if r["question"].strip().lower() in old
        ]

    if n < MIN_QUESTIONS:
        errs.append(f"only {n} questions (need >= {MIN_QUESTIONS})")
    names = {Path(r["doc"]).name for r in rows}
    papers = names & PAPERS
    books = names - PAPERS
    if len(books) < MIN_BOOKS:
        errs.append(f"only {len(books)} books (need >= {MIN_BOOKS})")
    if papers != PAPERS:
        errs.append(f"missing papers: {sorted(PAPERS - papers)}")
    share = lambda k: k / max(1, n)  # noqa: E731
    why_how = sum(r["type"] in ("why", "how") for r in rows)
    unans = [r for r in rows if not r["answerable"]]
    whole = sum(r["scope"] == "whole" for r in rows)
    if share(why_how) < MIN_WHY_HOW:
        errs.append(f"why/how share {share(why_how):.0%} < {MIN_WHY_HOW:.0%}")
    if share(len(unans)) < MIN_UNANSWERABLE:
        errs.append(f"unanswerable share {share(len(unans)):.0%} < {MIN_UNANSWERABLE:.0%}")
    if not {Path(r["doc"]).name for r in unans} >= PAPERS:
        errs.append("unanswerable near-misses must include both papers")
    if share(whole) < MIN_WHOLE:
        errs.append(f"whole-document share {share(whole):.0%} < {MIN_WHOLE:.0%}")
    missing_types = REQUIRED_TYPES - {r["type"] for r in rows}
    if missing_types:
        errs.append(f"types never used: {sorted(missing_types)}")
    if not any(r["scope"] == "upto" for r in rows):
        errs.append("no 'upto' questions")

    # Split: both files present, disjoint, ~50/50, even within each (doc, type) stratum.
    dev = [r for r in rows if r["_file"].startswith("heldout_dev")]
    test = [r for r in rows if r["_file"].startswith("heldout_test")]
    if dev and test:
        if abs(len(dev) - len(test)) > max(2, n // 20):
            errs.append(f"dev/test sizes unbalanced: {len(dev)} vs {len(test)}")
        strata: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        for r in rows:
            strata[(Path(r["doc"]).name, r["type"])][
                0 if r["_file"].startswith("heldout_dev") else 1
            ] += 1
        for key, (a, b) in sorted(strata.items()):
            if abs(a - b) > 1:
                errs.append(f"stratum {key} split {a}/{b} (differs by more than 1)")
    return errs


def main(argv: list[str]) -> int:
    files = [Path(a) for a in argv] or DEFAULT_FILES
    rows: list[dict] = []
    for f in files:
        rows += load(f)
    sources = Sources()
    errors: list[str] = []
    for row in rows:
        errors += check_row(row, sources, HERE)
    errors += check_set(rows)
    print(table(rows))
    print()
    if errors:
        print(f"FAIL: {len(errors)} problem(s)")
        for e in errors:
            print("  -", e)
        return 1
    print(
        f"OK: {len(rows)} questions, evidence spans and chapter titles verified against the texts."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
