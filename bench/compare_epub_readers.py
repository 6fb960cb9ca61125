"""Why Folio reads EPUB packages itself rather than with ebooklib: ebooklib (installed by
hand, `pip install ebooklib`; it is no dependency) against Folio's reader on the shared
books, and on three small EPUB shapes real books have. Prints what each does.

pip install ebooklib && .venv/bin/python bench/compare_epub_readers.py
"""

from __future__ import annotations

import io
import time
import warnings

from common import ROOT, SOURCES

BOOKS = [
    "books/melville_moby-dick_idpf.epub",
    "books/wells_the-time-machine_se.epub",
    "books/carroll_alice-in-wonderland_pg19033_epub2.epub",
    "books/curry_childrens-literature_idpf.epub",
]


def main() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from ebooklib import epub

    from pipelines.ingest import epub as folio_epub
    from tests.ingest.epub_builder import make_epub

    warnings.simplefilter("ignore")
    for name in BOOKS:
        data = (SOURCES / name).read_bytes()
        start = time.perf_counter()
        book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
        package_ms = (time.perf_counter() - start) * 1000
        chapters = folio_epub.parse(data, name).chapters
        print(f"{name}: ebooklib reads the package in {package_ms:.0f} ms "
              f"({len(book.toc)} top-level TOC entries); Folio: {len(chapters)} chapters")  # fmt: skip
    shapes = {
        "a spine file missing from the zip": make_epub(
            {"a.xhtml": "<p>Some words.</p>"}, spine=["a.xhtml", "gone.xhtml"]
        ),
        'a nav marked role="doc-toc" only': make_epub(
            {"a.xhtml": "<p>Words.</p>"},
            nav='<nav role="doc-toc"><ol><li><a href="a.xhtml">A</a></li></ol></nav>',
        ),
        "a nav with <ul> lists and <span> labels": make_epub(
            {"a.xhtml": "<p>Words.</p>"},
            nav='<nav epub:type="toc"><ul><li><span>Part</span>'
            '<ul><li><a href="a.xhtml">A</a></li></ul></li></ul></nav>',
        ),
    }
    for shape, data in shapes.items():
        try:
            epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
            theirs = "reads it"
        except Exception as exc:  # what a caller would have to catch
            theirs = f"fails: {type(exc).__name__}: {exc}"
        ours = [c.title for c in folio_epub.parse(data, "shape.epub").chapters]
        print(f"{shape}: ebooklib {theirs}; Folio reads chapters {ours}")


if __name__ == "__main__":
    main()
