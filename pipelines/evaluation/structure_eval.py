"""`folio eval structure`: how a paper's parts come out of its PDF, against a hand-written
truth file per paper (eval/structure/NAME.json):

    {"file": "x.pdf", "split": "dev" | "heldout", "title": "...", "authors": ["..."],
     "abstract": "its first words", "sections": ["1. Introduction", "1.1 Scope", ...],
     "footnote": "a footnote's first words", "caption": "a caption's first words",
     "reference": "words of the first reference"}

Per file: title and authors right (names compared without accents, case or marks), the
abstract a readable part of its own that starts with its first words, the share of the
section titles found in order (with the document's own numbers), the footnote kept out of
the body and shown as a footnote, the caption kept out of the body and starting a caption,
and the first reference in the references, never inside a section.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipelines.types import ChapterKind, Source

PASS = 0.9  # a file's sections count as right from this share found in order


@dataclass
class Truth:
    file: str
    split: str = "dev"
    title: str = ""
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    sections: list[str] = field(default_factory=list)
    footnote: str | None = None
    caption: str | None = None
    reference: str | None = None


@dataclass
class FileScore:
    file: str
    split: str
    title: bool
    authors: bool
    abstract: bool
    sections: float
    footnote: bool | None
    caption: bool | None
    references: bool | None
    problems: list[str] = field(default_factory=list)

    @property
    def front_right(self) -> bool:
        return self.title and self.authors and self.abstract


def norm(text: str) -> str:
    """Lower case, no accents or marks, words separated by single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def load_truths(folder: Path) -> list[Truth]:
    truths = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        truths.append(Truth(**data))
    return truths


def _same_title(found: str, want: str) -> bool:
    a, b = norm(found), norm(want)
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) >= 12 and longer.startswith(shorter) and len(shorter) >= 0.6 * len(longer)


def _in_order(found: list[str], want: list[str]) -> float:
    """The share of `want` found in `found` in the same order (longest common subsequence)."""
    if not want:
        return 1.0
    rows = [[0] * (len(found) + 1) for _ in range(len(want) + 1)]
    for i, w in enumerate(want):
        for j, f in enumerate(found):
            rows[i + 1][j + 1] = (
                rows[i][j] + 1 if _same_title(f, w) else max(rows[i][j + 1], rows[i + 1][j])
            )
    return rows[-1][-1] / len(want)


def _surname(name: str) -> str:
    words = norm(name).split()
    return words[-1] if words else ""


def score(source: Source, truth: Truth) -> FileScore:
    problems: list[str] = []
    title = norm(source.title) == norm(truth.title)
    if not title:
        problems.append(f"title {source.title!r}")
    found_names = {_surname(a) for a in source.authors}
    authors = len(source.authors) == len(truth.authors) and all(
        _surname(a) in found_names for a in truth.authors
    )
    if not authors:
        problems.append(f"authors {source.authors}")
    abstracts = [c for c in source.chapters if c.kind == ChapterKind.ABSTRACT]
    abstract = any(norm(truth.abstract) in norm(c.prose)[:400] for c in abstracts)
    if not abstract:
        problems.append("abstract " + (repr(abstracts[0].prose[:80]) if abstracts else "missing"))
    body = [c for c in source.chapters if c.kind in (ChapterKind.CHAPTER, ChapterKind.PART)]
    sections = _in_order([c.title for c in body], truth.sections)
    if sections < 1:
        problems.append(f"sections {[c.title for c in body]}")
    prose = " ".join(norm(c.prose) for c in source.chapters)
    footnote = caption = references = None
    if truth.footnote:
        want = norm(truth.footnote)
        notes = " | ".join(norm(a.text) for c in source.chapters for a in c.footnotes)
        footnote = want in notes and want not in prose
        if not footnote:
            problems.append("footnote " + ("in the body" if want in prose else "not a footnote"))
    if truth.caption:
        want = norm(truth.caption)
        caps = [norm(a.text) for c in source.chapters for a in c.asides if a.kind == "caption"]
        caption = any(c.startswith(want) for c in caps) and want not in prose
        if not caption:
            problems.append("caption " + ("in the body" if want in prose else "not a caption"))
    if truth.reference:
        want = norm(truth.reference)
        refs = " ".join(norm(c.text) for c in source.chapters if c.kind == ChapterKind.REFERENCES)
        in_body = any(want in norm(c.text) for c in source.chapters if c.kind.is_body)
        references = want in refs and not in_body
        if not references:
            problems.append("references " + ("inside a section" if in_body else "not found"))
    return FileScore(
        truth.file, truth.split, title, authors, abstract, round(sections, 3),
        footnote, caption, references, problems,
    )  # fmt: skip


def summary(scores: list[FileScore]) -> dict:
    def rate(values: list[bool | None]) -> float | None:
        known = [v for v in values if v is not None]
        return round(sum(known) / len(known), 3) if known else None

    return {
        "files": len(scores),
        "title": rate([s.title for s in scores]),
        "authors": rate([s.authors for s in scores]),
        "abstract": rate([s.abstract for s in scores]),
        "title_authors_abstract": rate([s.front_right for s in scores]),
        "sections_in_order": round(sum(s.sections for s in scores) / len(scores), 3)
        if scores
        else None,
        "sections_files_right": rate([s.sections >= PASS for s in scores]),
        "footnotes_apart": rate([s.footnote for s in scores]),
        "captions_apart": rate([s.caption for s in scores]),
        "references_apart": rate([s.references for s in scores]),
    }


def as_dict(score: FileScore) -> dict:
    return asdict(score)
