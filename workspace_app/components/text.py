"""Text that goes into st.markdown, and the display-side cleanup of a chapter's text.

Document text is escaped and model text is defanged: nothing here ever uses
unsafe_allow_html, and escaping keeps a book's `*`, `#`, `$` or `:red[...]` from turning
into formatting, LaTeX or colour directives.

`reading_blocks` turns the text a PDF gives (one line per printed line, running headers
and page numbers, figure captions in the middle of sentences) into paragraphs a person
can read, with the captions set apart. The stored text is not changed; citations keep
pointing at it.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

from pipelines.text.naming import heading
from pipelines.types import Chapter

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-|~$:!])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)\.", re.M)


def escape_md(text: str) -> str:
    """Document text shown exactly as written (no markdown, no HTML, no LaTeX)."""
    return _LIST_NUMBER.sub(r"\1\\.", _MD_SPECIAL.sub(r"\\\1", text))


_MODEL_UNSAFE = re.compile(r"([<>$])")
_DIRECTIVE = re.compile(r":(?=[a-z-]+\[)")


def model_md(text: str) -> str:
    """Model output keeps its markdown (lists, emphasis) but no HTML, LaTeX or colours."""
    return _DIRECTIVE.sub(r"\\:", _MODEL_UNSAFE.sub(r"\\\1", text))


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in parts if p]


def short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


# -- names --------------------------------------------------------------------------------
_EMAIL = re.compile(r"\s*[<(\[]?\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b[>)\]]?\s*")


def clean_authors(authors: list[str]) -> list[str]:
    """Author names without the email addresses some files put in the same field."""
    names = []
    for author in authors:
        name = _EMAIL.sub(" ", author).strip(" ,;")
        if name and name not in names:
            names.append(" ".join(name.split()))
    return names


def numbered(chapter: Chapter) -> str:
    """'2. Network Architecture', 'II: The Law of Club and Fang': the chapter as the
    document numbers it (the stable index stays underneath, as the widget's value)."""
    return heading(chapter.title, chapter.label)


def page_range(pages: tuple[int, int] | None) -> str:
    if not pages:
        return ""
    first, last = pages
    return f"page {first}" if first == last else f"pages {first}–{last}"


# -- a chapter's text as a reader sees it -----------------------------------------------------
@dataclass
class Block:
    kind: str  # "text" | "caption" | "page" (a marker: the page that starts here)
    text: str
    page: int | None = None


_CAPTION = re.compile(r"^(?:Figure|Fig\.|Table|Listing|Chart)\s+[\dIVX]+[.:]")
_LIST_START = re.compile(r"^(?:\(?[ivx]+\)|\(?\d{1,2}[.)]|[•◦▪·*–-])\s")
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"”’)\]]*$")


def _is_running_line(line: str, page: int | None) -> bool:
    """A page number alone, or a short header/footer line carrying the page number."""
    bare = line.strip()
    if not bare:
        return True
    if re.fullmatch(r"[-–—\s]*\d{1,4}[-–—\s]*", bare):
        return True
    if page is None or len(bare) > 90 or _ENDS_SENTENCE.search(bare):
        return False
    return bool(re.match(rf"^{page}\s+\D", bare) or re.search(rf"\D\s+{page}$", bare))


def _drop_running_lines(lines: list[str], page: int | None) -> list[str]:
    """Headers and footers sit in the first and last two lines of a printed page."""
    keep = list(lines)
    for _ in range(2):
        if keep and _is_running_line(keep[0], page):
            keep.pop(0)
        if keep and _is_running_line(keep[-1], page):
            keep.pop()
    return keep


def _join(lines: list[str]) -> str:
    text = ""
    for line in lines:
        line = line.strip()
        if not text:
            text = line
        elif re.search(r"\w-$", text) and line[:1].islower():
            text = text[:-1] + line  # a word broken across lines
        else:
            text = f"{text} {line}"
    return text


def _reflow(text: str, page: int | None) -> list[tuple[str, str]]:
    """PDF lines -> ("text" | "caption", paragraph) in reading order."""
    lines = _drop_running_lines(text.split("\n"), page)
    lengths = [len(x.strip()) for x in lines if len(x.strip()) > 20]
    full = statistics.median(lengths) if lengths else 60
    groups: list[list[str]] = []
    kinds: list[str] = []
    for line in lines:
        bare = line.strip()
        if not bare:
            if groups and groups[-1]:
                groups.append([])
                kinds.append("text")
            continue
        prev = groups[-1][-1].strip() if groups and groups[-1] else ""
        starts = (
            not groups
            or not prev
            or _CAPTION.match(bare)
            or _LIST_START.match(bare)
            or (_ENDS_SENTENCE.search(prev) and len(prev) < 0.85 * full)
        )
        if starts:
            groups.append([])
            kinds.append("caption" if _CAPTION.match(bare) else "text")
        groups[-1].append(bare)
    out = [(k, _join(g)) for k, g in zip(kinds, groups, strict=True) if g]
    return _set_captions_apart(out)


def _set_captions_apart(blocks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A caption that cut a paragraph in two goes after it, and the paragraph is rejoined."""
    text: list[tuple[str, str]] = []
    captions: list[tuple[str, str]] = []
    for kind, para in blocks:
        if kind == "caption":
            captions.append((kind, para))
            continue
        if captions and text and not _ENDS_SENTENCE.search(text[-1][1]):
            text[-1] = ("text", _join([text[-1][1], para]))
            continue
        text.extend(captions)
        captions = []
        text.append((kind, para))
    return text + captions


def _strip_heading(text: str, title: str) -> str:
    """The chapter's own heading at the top of its text (the page shows it already)."""
    first, _, rest = text.lstrip().partition("\n")
    squash = re.sub(r"\W+", "", first).lower()
    if squash and squash == re.sub(r"\W+", "", title).lower():
        return rest
    return text


def reading_blocks(chapter: Chapter) -> list[Block]:
    """The chapter as paragraphs, captions and page markers, ready to draw."""
    text = _strip_heading(chapter.text, chapter.title)
    cut = len(chapter.text) - len(text)
    if chapter.page_start is None:  # EPUB and text files have real paragraphs
        return [Block("text", p) for p in paragraphs(text)]
    starts = sorted({s.start - cut for s in chapter.page_spans if 0 < s.start - cut < len(text)})
    bounds = [0, *starts, len(text)]
    blocks: list[Block] = []
    last_page = None
    for a, b in zip(bounds, bounds[1:], strict=False):
        page = chapter.page_at(a + cut)
        if page is not None and page != last_page:
            blocks.append(Block("page", f"page {page}", page))
            last_page = page
        blocks.extend(Block(kind, para, page) for kind, para in _reflow(text[a:b], page))
    return blocks


# -- finding a quote in a paragraph ---------------------------------------------------------------
def _letters(text: str) -> tuple[str, list[int]]:
    chars, where = [], []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFKC", ch):  # "ﬁ" -> "fi"
            if part.isalnum():
                chars.append(part.lower())
                where.append(i)
    return "".join(chars), where


def find_quote(paragraph: str, quote: str) -> tuple[int, int] | None:
    """Where `quote` is in `paragraph`, ignoring spacing, punctuation, line breaks and a
    trailing '…' (quotes are shortened); None when it is not there."""
    quote = quote.strip()
    cut = quote.endswith(("…", "..."))
    words = quote.rstrip("….").split()
    if cut and len(words) > 3:
        words = words[:-1]  # the last word may have been cut short
    needle, _ = _letters(" ".join(words))
    if len(needle) < 8:
        return None
    hay, where = _letters(paragraph)
    at = hay.find(needle)
    if at < 0:
        return None
    start, end = where[at], where[at + len(needle) - 1] + 1
    while start > 0 and paragraph[start - 1] in "“\"‘'«(":  # the quote opens with its mark
        start -= 1
    stop = re.search(r"[.!?][\"”’)]*(?=\s|$)", paragraph[end - 1 :])
    if stop and stop.end() < 60:  # mark the whole sentence the quote was cut from
        end = end - 1 + stop.end()
    return start, end
