"""EPUB hostile and broken input: refused with a clear message naming the file, fast."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from pipelines.errors import IngestError
from pipelines.ingest import parse_bytes
from pipelines.settings import IngestSettings, Settings
from tests.ingest.epub_builder import STORY, make_epub, nav_of
from tests.sources import MOBY_DICK

# --- hostile and broken input -------------------------------------------------------

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>"
)
XXE = '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def _refused(data: bytes, name: str, settings: Settings | None = None) -> IngestError:
    start = time.monotonic()
    with pytest.raises(IngestError) as info:
        parse_bytes(data, name, settings)
    assert time.monotonic() - start < 2.0
    assert name in str(info.value)
    return info.value


def test_billion_laughs_in_opf_is_refused() -> None:
    data = make_epub({"a.xhtml": STORY}, opf_prefix=BILLION_LAUGHS, title="&lol9;")
    assert "entities" in str(_refused(data, "laughs-opf.epub"))


def test_billion_laughs_in_chapter_is_refused() -> None:
    chapter = (
        BILLION_LAUGHS
        + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>&lol9;</p></body></html>'
    )
    assert "entities" in str(_refused(make_epub({"a.xhtml": chapter}), "laughs.epub"))


def test_external_entity_is_refused_and_never_read() -> None:
    chapter = (
        XXE + '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>x &xxe; y</p></body></html>'
    )
    err = _refused(make_epub({"a.xhtml": chapter, "b.xhtml": STORY}), "xxe.epub")
    assert "root:" not in str(err)


@pytest.mark.parametrize("href", ["../../etc/passwd", "/etc/passwd", "file:///etc/passwd"])
def test_hrefs_leaving_the_archive_are_refused(href: str) -> None:
    data = make_epub({"a.xhtml": STORY}, spine=[href])
    err = _refused(data, "escape.epub")
    assert "outside the archive" in str(err) and "root:" not in str(err)


def test_toc_link_leaving_the_archive_is_ignored() -> None:
    data = make_epub(
        {"a.xhtml": f"<h1>Only</h1>{STORY}"},
        nav=nav_of(
            '<li><a href="../../../etc/passwd">Evil</a></li><li><a href="a.xhtml">Only</a></li>'
        ),
    )
    s = parse_bytes(data, "toc-escape.epub")
    assert [c.title for c in s.chapters] == ["Only"]


def test_zip_bomb_over_the_limit_is_refused_before_inflating() -> None:
    small = Settings(ingest=IngestSettings(max_epub_uncompressed_mb=1))
    data = make_epub({"a.xhtml": STORY}, extra={"OEBPS/big.bin": b"\0" * (2 * 1024 * 1024)})
    assert len(data) < 100_000
    assert "zip bomb" in str(_refused(data, "bomb.epub", small))


def test_extreme_compression_ratio_is_refused() -> None:
    data = make_epub({"a.xhtml": STORY}, extra={"OEBPS/zeros.bin": b"\0" * (8 * 1024 * 1024)})
    assert "zip bomb" in str(_refused(data, "ratio.epub"))


def test_zip_that_is_not_an_epub() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("notes.txt", "just a zip")
    err = _refused(buf.getvalue(), "archive.epub")
    assert "not an EPUB" in str(err)


def test_truncated_epub() -> None:
    data = MOBY_DICK.read_bytes()
    err = _refused(data[: len(data) // 2], "moby-half.epub")
    assert "damaged" in str(err) or "incomplete" in str(err)


def test_epub_without_text() -> None:
    data = make_epub({"a.xhtml": "<div><img src='x.png' alt=''/></div>"})
    assert "no readable text" in str(_refused(data, "blank.epub"))


def test_epub_without_spine_documents() -> None:
    assert "spine" in str(_refused(make_epub({}), "nospine.epub"))


def test_drm_encrypted_epub() -> None:
    encryption = (
        '<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        '<enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '<enc:CipherData><enc:CipherReference URI="OEBPS/a.xhtml"/></enc:CipherData>'
        "</enc:EncryptedData></encryption>"
    )
    data = make_epub({"a.xhtml": STORY}, extra={"META-INF/encryption.xml": encryption})
    assert "DRM" in str(_refused(data, "locked.epub"))


def test_font_obfuscation_is_not_drm() -> None:
    encryption = (
        '<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" '
        'xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData>'
        '<enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/>'
        '<enc:CipherData><enc:CipherReference URI="OEBPS/font.otf"/></enc:CipherData>'
        "</enc:EncryptedData></encryption>"
    )
    data = make_epub({"a.xhtml": STORY}, extra={"META-INF/encryption.xml": encryption})
    assert parse_bytes(data, "fonts.epub").chapters[0].word_count > 50
