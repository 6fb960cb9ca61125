"""EPUB (2 and 3) -> Source whose chapters follow the book's own table of contents.

The zip is read member by member after checking declared sizes (zip bombs), every
href is resolved inside the archive (nothing may point above its root), and all XML
goes through `xhtml.parse_xml` / `parse_xhtml` (no entities, no DTDs, no network).

Chapters come from the EPUB 3 nav (else the NCX), in order. The spine documents are
laid end to end and cut at the positions the TOC entries point to, so several
entries into one file (`s04.xhtml#story-3`) each get just their own stretch, and a
file no entry points to stays with the chapter before it. Text in front of the first
entry becomes front matter; with no usable TOC each spine document is a chapter.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from lxml import etree

from pipelines.errors import IngestError
from pipelines.ingest import epub_toc
from pipelines.ingest.epub_toc import Doc, Draft, Escape, doc_title, resolve
from pipelines.ingest.xhtml import UnsafeXMLError, extract, local, parse_xhtml, parse_xml
from pipelines.settings import IngestSettings
from pipelines.types import Chapter, ChapterKind, Source, SourceKind, count_words

log = logging.getLogger(__name__)

CONTAINER = "META-INF/container.xml"
_DOC_TYPES = {"application/xhtml+xml", "text/html", "application/html"}
_NCX_TYPE = "application/x-dtbncx+xml"
# Font obfuscation is not DRM: the text stays readable.
_FONT_OBFUSCATION = {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
_MAX_MEMBERS = 20_000
_MAX_RATIO = 200  # real text/markup deflates ~3-10x; 200x+ on a large member is a bomb
_RATIO_FLOOR = 2 * 1024 * 1024
_PG_END = re.compile(r"^[ \t]*(?:\*{3}[ \t]*)?end of (?:the |this )?project gutenberg", re.I | re.M)


@dataclass
class _Package:
    title: str
    authors: list[str]
    spine: list[tuple[str, bool]]  # (archive path, linear)
    nav: str | None
    ncx: str | None


class _Archive:
    def __init__(self, data: bytes, file_name: str, limits: IngestSettings) -> None:
        self.file_name = file_name
        try:
            self.zf = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
            raise self.error(
                "it is not a readable zip archive (damaged or an incomplete download?)."
            ) from exc
        if len(infos) > _MAX_MEMBERS:
            raise self.error(f"it holds {len(infos)} files, far more than any book needs.")
        limit_mb = limits.max_epub_uncompressed_mb
        total = sum(i.file_size for i in infos)
        if total > limit_mb * 1024 * 1024:
            raise self.error(
                f"it would inflate to {total / 1e6:.0f} MB, over the {limit_mb} MB limit for "
                "EPUBs (FOLIO_INGEST__MAX_EPUB_UNCOMPRESSED_MB); it may be a zip bomb."
            )
        for info in infos:
            if info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(
                info.compress_size, 1
            ):
                raise self.error(
                    f"'{info.filename}' inflates {info.file_size // max(info.compress_size, 1)}"
                    " times its packed size; it looks like a zip bomb."
                )
        self.members = {i.filename: i for i in infos if not i.is_dir()}
        self._folded = {name.lower(): name for name in self.members}

    def error(self, reason: str) -> IngestError:
        return IngestError(self.file_name, reason)

    def has(self, path: str) -> bool:
        return path in self.members or path.lower() in self._folded

    def read(self, path: str) -> bytes:
        info = self.members.get(path) or self.members[self._folded[path.lower()]]
        if info.flag_bits & 0x1:
            raise self.error("it is password-protected (an encrypted zip); use an unlocked copy.")
        try:
            # zipfile never inflates past the declared size checked above, and checks the CRC
            return self.zf.read(info)
        except (zipfile.BadZipFile, EOFError, OSError) as exc:
            raise self.error(f"'{path}' inside it is damaged ({exc}).") from exc

    def xml(self, path: str, what: str) -> etree._Element:
        try:
            return parse_xml(self.read(path))
        except UnsafeXMLError as exc:
            raise _unsafe(self, path) from exc
        except etree.XMLSyntaxError as exc:
            raise self.error(f"its {what} ('{path}') is not well-formed XML ({exc}).") from exc


def _unsafe(archive: _Archive, path: str) -> IngestError:
    return archive.error(
        f"'{path}' declares XML entities, which books never need and attacks "
        "(entity expansion, external files) do; refusing to read it."
    )


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el.iter() if local(c.tag) == name]


def _rootfile(archive: _Archive) -> str:
    if not archive.has(CONTAINER):
        raise archive.error("it is a zip archive but not an EPUB (no META-INF/container.xml).")
    root = archive.xml(CONTAINER, "container file")
    paths = [el.get("full-path") or "" for el in _children(root, "rootfile")]
    opf = next((p for p in paths if p.lower().endswith(".opf")), paths[0] if paths else "")
    try:
        target = resolve("", opf) if opf else None
    except Escape as exc:
        raise archive.error(f"its container points outside the archive ('{opf}').") from exc
    if not target or not archive.has(target[0]):
        raise archive.error("it is a zip archive but not an EPUB (its package file is missing).")
    return target[0]


def _check_drm(archive: _Archive) -> None:
    if _is_encrypted(archive):
        raise archive.error(
            "it is DRM-protected (its content is encrypted). Use a DRM-free copy of the book "
            "(many stores offer one; public-domain books are DRM-free)."
        )


def _is_encrypted(archive: _Archive) -> bool:
    """Encrypted text (Adobe ADEPT, Apple FairPlay, Readium LCP ...) cannot be read;
    obfuscated or encrypted fonts alone do not matter."""
    if archive.has("META-INF/license.lcpl"):
        return True
    if not archive.has("META-INF/encryption.xml"):
        return False
    root = archive.xml("META-INF/encryption.xml", "encryption file")
    for data in _children(root, "encrypteddata"):
        algorithms = {m.get("Algorithm", "") for m in _children(data, "encryptionmethod")}
        if algorithms and algorithms <= _FONT_OBFUSCATION:
            continue
        refs = [r.get("URI", "") for r in _children(data, "cipherreference")]
        if any(not r.lower().endswith((".otf", ".ttf", ".woff", ".woff2")) for r in refs):
            return True
    return False


def _package(archive: _Archive, opf_path: str) -> _Package:
    root = archive.xml(opf_path, "package file")
    base = posixpath.dirname(opf_path)
    titles = [" ".join("".join(el.itertext()).split()) for el in _children(root, "title")]
    authors: list[str] = []
    for el in _children(root, "creator"):
        name = " ".join("".join(el.itertext()).split())
        if name and name not in authors:
            authors.append(name)
    manifest: dict[str, tuple[str, str, str]] = {}  # id -> (href, media type, properties)
    for item in _children(root, "item"):
        manifest[item.get("id", "")] = (
            item.get("href", ""),
            item.get("media-type", "").lower(),
            item.get("properties", ""),
        )

    def path_of(href: str) -> str | None:
        try:
            target = resolve(base, href)
        except Escape as exc:
            raise archive.error(f"it refers to a file outside the archive ('{href}').") from exc
        return target[0] if target and target[0] else None

    spine_el = next(iter(_children(root, "spine")), None)
    spine: list[tuple[str, bool]] = []
    for ref in _children(root, "itemref"):
        href, media, _ = manifest.get(ref.get("idref", ""), ("", "", ""))
        is_doc = media in _DOC_TYPES or href.lower().endswith((".xhtml", ".html", ".htm"))
        path = path_of(href) if href and is_doc else None
        if path and archive.has(path):
            spine.append((path, ref.get("linear", "yes").lower() != "no"))
        elif path:
            log.warning("epub %s: spine document %s is missing", archive.file_name, path)
    nav = next((h for h, _, props in manifest.values() if "nav" in props.split()), None)
    ncx_id = spine_el.get("toc") if spine_el is not None else None
    ncx = manifest.get(ncx_id or "", (None, "", ""))[0] or next(
        (h for h, media, _ in manifest.values() if media == _NCX_TYPE), None
    )
    return _Package(
        title=next((t for t in titles if t), ""),
        authors=authors,
        spine=spine,
        nav=path_of(nav) if nav else None,
        ncx=path_of(ncx) if ncx else None,
    )


def _load_docs(archive: _Archive, package: _Package, toc_docs: set[str]) -> list[Doc]:
    docs: list[Doc] = []
    seen: set[str] = set()
    for path, linear in package.spine:
        if path == package.nav or path in seen:
            continue  # the nav document is navigation, not text
        if not linear and path not in toc_docs:
            continue  # out of the reading flow and not in the TOC
        seen.add(path)
        try:
            content = extract(parse_xhtml(archive.read(path)))
        except UnsafeXMLError as exc:
            raise _unsafe(archive, path) from exc
        except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
            log.warning("epub %s: skipping unreadable %s (%s)", archive.file_name, path, exc)
            continue
        if content.is_toc and path not in toc_docs:
            continue  # a printed contents page duplicates the chapter list
        docs.append(Doc(path, content))
    return docs


def _toc(archive: _Archive, package: _Package, spine: set[str]) -> list[epub_toc.TocEntry]:
    """The EPUB 3 nav when it links into the spine, else the NCX, else nothing."""
    for path, is_nav in ((package.nav, True), (package.ncx, False)):
        if not path or not archive.has(path):
            continue
        try:
            data = archive.read(path)
            root = parse_xhtml(data) if is_nav else parse_xml(data)
        except UnsafeXMLError as exc:
            raise _unsafe(archive, path) from exc
        except (etree.XMLSyntaxError, etree.ParserError, ValueError) as exc:
            log.warning(
                "epub %s: unreadable table of contents %s (%s)", archive.file_name, path, exc
            )
            continue
        base = posixpath.dirname(path)
        read = epub_toc.from_nav if is_nav else epub_toc.from_ncx
        entries = read(root, base, spine)
        if epub_toc.linked_docs(entries):
            return entries
    return []


def parse(data: bytes, file_name: str, *, limits: IngestSettings | None = None) -> Source:
    archive = _Archive(data, file_name, limits or IngestSettings())
    opf_path = _rootfile(archive)
    _check_drm(archive)
    package = _package(archive, opf_path)
    if not package.spine:
        raise archive.error("its reading order (spine) lists no readable documents.")
    spine_paths = {path for path, _ in package.spine}
    entries = _toc(archive, package, spine_paths)
    docs = _load_docs(archive, package, epub_toc.linked_docs(entries))
    drafts = epub_toc.chapters(entries, docs) if entries else []
    if not any(d.href for d in drafts):
        log.info("epub %s: no usable table of contents; one chapter per file", file_name)
        drafts = _per_document(docs)
    drafts = _split_licence(drafts)
    title = package.title or PurePosixPath(file_name).stem
    log.info("epub %s: %d chapters from %d documents", file_name, len(drafts), len(docs))
    return Source(
        id="",
        title=title,
        kind=SourceKind.BOOK,
        file_name=file_name,
        format="epub",
        authors=package.authors,
        page_count=None,
        chapters=_number(drafts),
    )


def _per_document(docs: list[Doc]) -> list[Draft]:
    drafts = []
    for doc in docs:
        if count_words(doc.content.text) == 0:
            continue
        title = doc_title(doc)
        kind = epub_toc.classify(title, doc.content.doc_types, doc.path, doc.content.text)
        drafts.append(Draft(title, doc.content.text.strip(), kind=kind, href=doc.path))
    return drafts


def _split_licence(drafts: list[Draft]) -> list[Draft]:
    """Project Gutenberg books end with their licence inside the last chapter's file."""
    out: list[Draft] = []
    for draft in drafts:
        out.append(draft)
        match = _PG_END.search(draft.text)
        if match and match.start() > 0 and not draft.children and draft.kind.is_body:
            licence = Draft(
                "The Project Gutenberg License",
                draft.text[match.start() :].strip(),
                level=draft.level,
                kind=ChapterKind.BACK_MATTER,
                parent=draft.parent,
                href=draft.href,
            )
            draft.text = draft.text[: match.start()].strip()
            out.append(licence)
    return out


def _number(drafts: list[Draft]) -> list[Chapter]:
    index = {id(d): i for i, d in enumerate(drafts, start=1)}
    return [
        Chapter(
            index=i,
            title=d.title or f"Section {i}",
            text=d.text,
            level=d.level,
            kind=d.kind,
            parent=index.get(id(d.parent)) if d.parent is not None else None,
            href=d.href,
            anchor=d.anchor,
        )
        for i, d in enumerate(drafts, start=1)
    ]
