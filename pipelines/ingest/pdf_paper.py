"""A paper's parts around its sections: the abstract as its own readable part, the front
matter before it, and the back matter after the last section.

- The abstract starts at an "Abstract" heading, at a run-in "Abstract—…" / "Abstract. …",
  or, unlabelled (REVTeX, some journals), at the last paragraph set apart in the front
  matter before the first section. Keywords, index terms and classification lines after
  it are front matter again.
- The references start at their heading even where the outline does not list it, or, with
  no heading, at the first "[1]" entry of a list near the end. Acknowledgements, author
  statements and appendices are back matter, and so is everything after the references:
  none of it is ever inside the last section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.ingest.pdf_chars import Line
from pipelines.ingest.pdf_cuts import Cut, shift_parents
from pipelines.ingest.pdf_pages import Page
from pipelines.types import ChapterKind, count_words

_ABSTRACT_HEAD = re.compile(r"^\W*a\s?b\s?s\s?t\s?r\s?a\s?c\s?t\W*$", re.I)
_ABSTRACT_RUN_IN = re.compile(r"^\W*(abstract|summary)\s*[.:—–-]+\s*\S", re.I)
_KEYWORDS = re.compile(
    r"^(key\s?words?|index terms|ccs concepts|categories and subject descriptors|"
    r"general terms|pacs( numbers)?|acm reference format|jel classification|"
    r"mathematics subject classification|arxiv eprint)\b",
    re.I,
)
_REFS_HEAD = re.compile(
    r"^(?:\d{1,2}\.?\s+|[IVX]{1,5}\.\s+)?(references|bibliography|literature cited|"
    r"works cited|references and notes|reference list)\W*$",
    re.I,
)
_ACK_HEAD = re.compile(r"^(acknowledge?ments?|acknowledgements?)(\W*$|[.:—–-]\s*\S)", re.I)
_FIRST_REF = re.compile(r"^\[1\]\s+\S")
_NEXT_REF = re.compile(r"^\[\d{1,3}\]\s+\S")
_BACK_TITLES = re.compile(
    r"^(\W*[A-Z]\.?\s+)?(appendix|appendices|supplementary|supporting information|"
    r"author('s|s'|s)? (details|contributions?|statements?|information|biograph)|"
    r"competing interests?|conflicts? of interest|declarations?|funding|data availability|"
    r"additional information|ethics|abbreviations|acknowledge?ments?|biograph)",
    re.I,
)


@dataclass
class _At:
    page: int
    index: int  # line index on the page
    line: Line
    offset: int


def _lines(pages: list[Page], upto: tuple[int, int] | None = None) -> list[_At]:
    out: list[_At] = []
    for p, page in enumerate(pages):
        for i, (line, offset) in enumerate(zip(page.lines, page.offsets, strict=False)):
            if upto is not None and (p, offset) >= upto:
                return out
            out.append(_At(p, i, line, offset))
    return out


def _insert(cuts: list[Cut], cut: Cut) -> int:
    """Put a top-level cut in reading order; an existing cut at the same place takes its
    kind instead. Returns its position."""
    for n, c in enumerate(cuts):
        if (c.page, c.offset) == (cut.page, cut.offset):
            c.kind = cut.kind
            return n
        if (c.page, c.offset) > (cut.page, cut.offset):
            shift_parents(cuts, n)
            cuts.insert(n, cut)
            return n
    cuts.append(cut)
    return len(cuts) - 1


def _first_body(cuts: list[Cut]) -> Cut | None:
    quiet = (ChapterKind.FRONT_MATTER, ChapterKind.ABSTRACT)
    return next((c for c in cuts if c.kind not in quiet), None)


def with_abstract(cuts: list[Cut], pages: list[Page]) -> list[Cut]:
    """Front matter, then the abstract, then keywords, before the first section."""
    first = _first_body(cuts)
    upto = (first.page, first.offset) if first is not None else None
    front = _lines(pages, upto)
    if not front:
        return cuts
    has_abstract = any(c.kind == ChapterKind.ABSTRACT for c in cuts)
    start = None if has_abstract else _abstract_start(front)
    if start is not None:
        _insert(cuts, Cut("Abstract", start.page, start.offset, kind=ChapterKind.ABSTRACT))
    abstract = next((c for c in cuts if c.kind == ChapterKind.ABSTRACT), None)
    if abstract is not None:
        after = [a for a in front if (a.page, a.offset) > (abstract.page, abstract.offset)]
        keywords = next((a for a in after if _KEYWORDS.match(a.line.text)), None)
        if keywords is not None:
            title = _KEYWORDS.match(keywords.line.text)[0].strip().capitalize()  # type: ignore[index]
            _insert(cuts, Cut(title, keywords.page, keywords.offset, kind=ChapterKind.FRONT_MATTER))
    head = cuts[0] if cuts else None
    if head is not None and (head.page, head.offset) > (0, 0):
        before = _lines(pages, (head.page, head.offset))
        if count_words(" ".join(a.line.text for a in before)):
            shift_parents(cuts, 0)
            cuts.insert(0, Cut("Front matter", 0, 0, kind=ChapterKind.FRONT_MATTER))
    return cuts


def _abstract_start(front: list[_At]) -> _At | None:
    for n, a in enumerate(front):
        text = a.line.text.strip()
        if _ABSTRACT_HEAD.match(text) and n + 1 < len(front):
            return a
        if _ABSTRACT_RUN_IN.match(text):
            return a
    # unlabelled: the last block of paragraph lines before the first section
    blocks: list[list[_At]] = []
    for a in front:
        prev = blocks[-1][-1] if blocks else None
        if prev is not None and len(a.line.text) <= 3:
            continue  # a piece of a formula between two lines of the paragraph
        same = (
            prev is not None
            and prev.page == a.page
            and abs(prev.line.size - a.line.size) < 0.4
            and -1 <= prev.line.y - a.line.y < 1.7 * max(a.line.size, 1.0)
        )
        if same:
            blocks[-1].append(a)
        else:
            blocks.append([a])
    for block in reversed(blocks):
        text = " ".join(a.line.text for a in block)
        if _KEYWORDS.match(block[0].line.text) or "@" in text:
            continue
        if len(block) >= 3 and count_words(text) >= 40 and text.rstrip().endswith("."):
            return block[0]
    return None


def with_back_matter(cuts: list[Cut], pages: list[Page]) -> list[Cut]:
    """References found where the outline or the headings missed them; what follows
    the sections marked back matter."""
    lines = _lines(pages)
    if not any(c.kind == ChapterKind.REFERENCES for c in cuts):
        ref = _references_start(lines)
        if ref is not None:
            title = "References" if _FIRST_REF.match(ref.line.text) else ref.line.text.strip()
            _insert(cuts, Cut(title, ref.page, ref.offset, kind=ChapterKind.REFERENCES))
    if not any(_ACK_HEAD.match(c.title) for c in cuts):
        ack = next((a for a in lines if _ACK_HEAD.match(a.line.text) and _standalone(a)), None)
        last = cuts[-1] if cuts else None
        if ack is not None and (
            last is None or (ack.page, ack.offset) > (cuts[0].page, cuts[0].offset)
        ):
            _insert(cuts, Cut(_ACK_HEAD.match(ack.line.text)[1], ack.page, ack.offset,  # type: ignore[index]
                              kind=ChapterKind.BACK_MATTER))  # fmt: skip
    _mark_back_matter(cuts)
    return cuts


def _standalone(a: _At) -> bool:
    return len(a.line.text) < 40 or a.line.bold


def _references_start(lines: list[_At]) -> _At | None:
    for a in lines[len(lines) // 10 :]:  # past a contents list on the first page
        if _REFS_HEAD.match(a.line.text.strip()):
            return a
    tail = lines[len(lines) // 3 :]
    for n, a in enumerate(tail):
        if _FIRST_REF.match(a.line.text):
            following = tail[n + 1 : n + 12]
            if sum(1 for b in following if _NEXT_REF.match(b.line.text)) >= 2:
                return a
    return None


def _mark_back_matter(cuts: list[Cut]) -> None:
    after_refs = False
    back: set[int] = set()
    for n, c in enumerate(cuts):
        if c.kind == ChapterKind.REFERENCES:
            after_refs = True
            continue
        if c.parent is not None and c.parent in back and c.kind in (None, ChapterKind.CHAPTER):
            c.kind = ChapterKind.BACK_MATTER
        appendix = c.level == 0 and (
            bool(_BACK_TITLES.match(c.title)) or bool(c.label and re.fullmatch(r"[A-H]", c.label))
        )
        if c.kind in (None, ChapterKind.CHAPTER, ChapterKind.PART) and (
            appendix or (after_refs and c.level == 0)
        ):
            c.kind = ChapterKind.BACK_MATTER
        if c.kind == ChapterKind.BACK_MATTER:
            back.add(n)
