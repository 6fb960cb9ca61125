"""Small EPUBs built in memory for the EPUB tests."""

from __future__ import annotations

import io
import zipfile

# --- synthetic books ------------------------------------------------------------------

XHTML = (
    '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
    'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>{title}</title>'
    "<style>p {{ color: red }}</style></head><body>{body}</body></html>"
)
CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)


def make_epub(
    docs: dict[str, str],
    *,
    nav: str | None = None,
    ncx: str | None = None,
    spine: list[str] | None = None,
    extra: dict[str, bytes | str] | None = None,
    opf_prefix: str = '<?xml version="1.0"?>',
    title: str = "A Test Book",
) -> bytes:
    """A small EPUB: `docs` maps OEBPS-relative hrefs to XHTML bodies (or whole files)."""
    items, refs = [], []
    for i, href in enumerate(spine or list(docs)):
        items.append(f'<item id="d{i}" href="{href}" media-type="application/xhtml+xml"/>')
        refs.append(f'<itemref idref="d{i}"/>')
    if nav is not None:
        items.append(
            '<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>'
        )
    if ncx is not None:
        items.append('<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>')
    spine_toc = ' toc="ncx"' if ncx is not None else ""
    opf = (
        f'{opf_prefix}<package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<dc:title>{title}</dc:title><dc:creator>Ann Author</dc:creator></metadata>"
        f"<manifest>{''.join(items)}</manifest>"
        f"<spine{spine_toc}>{''.join(refs)}</spine></package>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        zf.writestr("META-INF/container.xml", CONTAINER)
        zf.writestr("OEBPS/content.opf", opf)
        for href, body in docs.items():
            content = body if body.startswith("<?xml") else XHTML.format(title=href, body=body)
            zf.writestr(f"OEBPS/{href}", content)
        if nav is not None:
            zf.writestr("OEBPS/nav.xhtml", XHTML.format(title="nav", body=nav))
        if ncx is not None:
            zf.writestr("OEBPS/toc.ncx", ncx)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def nav_of(items: str) -> str:
    return f'<nav epub:type="toc"><h1>Contents</h1><ol>{items}</ol></nav>'


STORY = "<p>" + "Words of the story go on and on here. " * 10 + "</p>"
