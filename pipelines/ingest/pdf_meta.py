"""A PDF's title and authors: from its metadata when that is real, else from its first pages.

Metadata is often junk: a file name, "Microsoft Word - draft.docx", an editor's window
title ("*The Project Gutenberg eBook of Drac - Notepad"), a licence banner, or the user
name of whoever made the file ("Administrator", "anonymous"). Then the title is read
from the first pages (a Gutenberg `Title:` line or banner, else the largest type on the
title page) and the authors from a `by ...` / `Author:` line, or, for a paper, the name
lines under the title on page 1 (e-mail addresses and affiliations left out).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pipelines.ingest.pdf_chars import Line

_JUNK_TITLE = re.compile(
    r"^(untitled|title|document\d*|microsoft word.*|slide \d+|"
    r".*\.(dvi|pdf|docx?|odt|rtf|txt|tex|ps|indd|qxd|html?|epub))$",
    re.I,
)
_EDITOR = re.compile(
    r"\s[-–—]\s*(notepad(\+\+)?|wordpad|microsoft word|word|libreoffice( writer)?|"
    r"openoffice( writer)?|google docs|pages|textedit|gedit|vim?|emacs|sublime text|"
    r"visual studio code|adobe acrobat.*)\s*$",
    re.I,
)
_BANNER = re.compile(
    r"^\W*the project gutenberg e-?book,?\s+(of\s+)?(?P<title>.+?)(,?\s+by\s+(?P<author>.+?))?\W*$",
    re.I,
)
_JUNK_AUTHOR = re.compile(
    r"^(anonymous|unknown|administrator|admin|user|owner|author|root|guest|editor|"
    r"microsoft office user|windows user|office user|default|pc|home|\w+\.\w+|"
    r"project gutenberg.*|.*\b(corporation|inc|ltd|llc|gmbh)\.?)$",
    re.I,
)
_AFFILIATION = re.compile(
    r"\b(universit|institut|college|school|department|dept|laborator|lab\b|corporation|"
    r"inc\b|ltd|gmbh|research|center|centre|hospital|faculty|academy|google|microsoft|ibm)",
    re.I,
)
_EMAIL = re.compile(r"[<(\[{]?[\w.+,-]*@[\w.-]+\w[>)\]}]?")
_NAME = re.compile(
    r"^(?:[A-Z][\w'’-]*\.?|[A-Z]\.(?:\s?[A-Z]\.)*|van|von|de|der|da|di|del|la|le|bin|ibn)"
    r"(?:\s+(?:[A-Z][\w'’-]*\.?|[A-Z]\.|van|von|de|der|da|di|del|la|le|bin|ibn)){1,4}$"
)
_PLACE = re.compile(r"^(usa|uk|china|germany|france|italy|japan|canada|india|spain)$", re.I)
_SMALL = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def metadata_title(raw: str) -> tuple[str, str]:
    """(title, author) from the /Title entry; '' for junk. A Gutenberg banner gives both."""
    title = " ".join(raw.split()).removeprefix("Microsoft Word - ").strip()
    if not title or _EDITOR.search(title) or title.startswith("*"):
        return "", ""
    if m := _BANNER.match(title):
        return m["title"].strip(" ,"), (m["author"] or "").strip()
    if "gutenberg" in title.lower() or _JUNK_TITLE.match(title):
        return "", ""
    if sum(ch.isalpha() for ch in title) < 3 or ("_" in title and " " not in title):
        return "", ""
    return title, ""


def authors(raw: str) -> list[str]:
    """Names from an /Author entry or a byline: split on ; , and &, junk and e-mails out."""
    raw = _EMAIL.sub("", raw)
    raw = re.sub(r"[{(\[]?\bet al\.?[})\]]?", "", raw)
    names = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*|\s*,\s+(?=\S+\s+\S)", raw)
    out = []
    for name in names:
        name = name.strip(" ,.*")
        if name and not _JUNK_AUTHOR.match(name) and sum(ch.isalpha() for ch in name) >= 2:
            out.append(_unshout(name))
    return out


def _unshout(text: str) -> str:
    """'ALICE'S ADVENTURES IN WONDERLAND' -> "Alice's Adventures in Wonderland"."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters or not all(ch.isupper() for ch in letters):
        return text
    words = text.lower().split()
    out = []
    for i, word in enumerate(words):
        if i and word in _SMALL:
            out.append(word)
        else:
            out.append(re.sub(r"(^|[-(“\"])(\w)", lambda m: m[1] + m[2].upper(), word))
    return " ".join(out)


def printed_on(title: str, page_text: str) -> bool:
    """Whether a metadata title is what the page prints (its words, in order, and no
    more than a few of them missing)."""
    words = re.findall(r"\w+", title.lower())
    if not words:
        return False
    page = " ".join(re.findall(r"\w+", page_text.lower()))
    return " ".join(words) in page


def clean_title(title: str) -> str:
    return _unshout(" ".join(title.split()).strip(" ;:,"))[:200]


def title_from_pages(pages: Sequence[Sequence[Line]]) -> tuple[str, str]:
    """(title, author) printed in the first pages of a book: Gutenberg `Title:`/`Author:`
    lines or banner first, else the largest type on the first page with text."""
    title = author = ""
    for lines in pages[:3]:
        for ln in lines:
            text = " ".join(ln.text.split())
            if not title and (m := re.match(r"^title:\s*(.+)$", text, re.I)):
                title = m[1]
            elif not author and (m := re.match(r"^author:\s*(.+)$", text, re.I)):
                author = m[1]
            elif not title and (m := _BANNER.match(text)):
                title, author = m["title"], author or (m["author"] or "")
    first = next((lines for lines in pages[:3] if lines), [])
    if not title:
        title = largest_type(first)
    if not author:
        author = _byline(pages[:3]) or ", ".join(paper_authors(first, title)[:3])
    return clean_title(title), author


def _byline(pages: Sequence[Sequence[Line]]) -> str:
    for lines in pages:
        for ln in lines[:40]:
            if m := re.match(r"^by\s+(.{3,80})$", " ".join(ln.text.split()), re.I):
                return m[1]
    return ""


def largest_type(lines: Sequence[Line]) -> str:
    """The longest run of lines set in the largest type near the top of a page."""
    lines = [ln for ln in lines[:40] if sum(ch.isalpha() for ch in ln.text) >= 3]
    if not lines:
        return ""
    if max(ln.size for ln in lines) <= 0:
        return " ".join(lines[0].text.split())[:200]
    biggest = max(ln.size for ln in lines)
    runs: list[list[Line]] = []
    for i, ln in enumerate(lines):
        if abs(ln.size - biggest) < 0.5:
            if runs and runs[-1][-1] is lines[i - 1] and runs[-1][-1].bold == ln.bold:
                runs[-1].append(ln)
            else:
                runs.append([ln])
    best = max(runs, key=lambda run: sum(len(ln.text) for ln in run))
    return " ".join(ln.text for ln in best)[:200]


def _without_marks(line: Line) -> str:
    """The line with its raised affiliation marks ("Roisin^a", "Vaswani^1,*") cut out,
    and its wide gaps (an author grid) read as commas."""
    text = line.text
    cuts = [(a, b, " , ") for a, b in line.raised] + [(o, o, " , ") for o, _, _ in line.gaps]
    for a, b, repl in sorted(cuts, reverse=True):
        text = text[:a] + repl + text[b:]
    return text


def _name_parts(text: str) -> tuple[list[str], list[str]]:
    text = re.sub(r"[∗*†‡§¶#$+☯✉⋆♯]|\d", " ", text)
    text = re.sub(
        r"\b((student|senior|life)\s+)?(member|fellow)\b,?(\s+ieee\b)?", ",", text, flags=re.I
    )
    text = re.sub(r"\s+,", ",", text)
    parts = [p.strip(" ,") for p in re.split(r",|\s+and\s+|&|;", text, flags=re.I)]
    parts = [" ".join(p.split()) for p in parts if p.strip(" ,")]
    parts = [_unshout(p) for p in parts if p.lower() not in ("and", "member ieee", "ieee")]
    parts = [
        re.sub(r",?\s+(member|fellow|senior member),?\s+ieee$", "", p, flags=re.I) for p in parts
    ]
    return parts, [p for p in parts if _NAME.match(p)]


def paper_authors(lines: Sequence[Line], title: str) -> list[str]:
    """The name lines under the title on page 1 of a paper, up to the abstract: names
    split on commas and "and", marks and affiliations, e-mails and places left out."""
    lettered = [ln for ln in lines[:60] if sum(ch.isalpha() for ch in ln.text) >= 3]
    if not lettered or not title:
        return []
    biggest = max(ln.size for ln in lettered)
    in_title = [
        i
        for i, ln in enumerate(lines[:60])
        if abs(ln.size - biggest) < 0.5
        and ln.text.strip()
        and ln.text.strip().lower() in title.lower()
    ]
    if not in_title:
        return []
    start = in_title[-1] + 1
    found: list[str] = []
    name_size = None
    for ln in lines[start : start + 30]:
        text = _without_marks(ln)
        if re.match(r"^\s*(abstract|summary|keywords|a b s t r a c t)\b", ln.text, re.I):
            break
        if _EMAIL.search(ln.text) or _AFFILIATION.search(text):
            continue
        parts, names = _name_parts(text)
        if (
            parts
            and len(names) >= 0.7 * len(parts)
            and (name_size is None or abs(ln.size - name_size) < 0.6)
        ):
            found.extend(n for n in names if n not in found)
            name_size = ln.size
        elif len(ln.text) > 90 and found:
            break  # prose: the abstract or the body
    return found
