"""PDF ingestion on the real shared files, plus bad input made from them with pypdf."""

from __future__ import annotations

import io
import re
import time
import unicodedata

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from pipelines.errors import FolioError, IngestError, LimitError
from pipelines.ingest import parse_bytes
from pipelines.settings import IngestSettings, Settings
from pipelines.types import ChapterKind, Source, SourceKind
from tests.sources import FREE_CULTURE, TRACEMONKEY, TULLY


def norm(text: str) -> str:
    """Ligatures unfolded, whitespace collapsed: what a reader would search for."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def by_title(source: Source, title: str):
    return next(c for c in source.chapters if c.title == title)


@pytest.fixture(scope="module")
def free_culture() -> tuple[Source, float]:
    data = FREE_CULTURE.read_bytes()
    start = time.perf_counter()
    source = parse_bytes(data, FREE_CULTURE.name)
    return source, time.perf_counter() - start


@pytest.fixture(scope="module")
def tracemonkey() -> Source:
    return parse_bytes(TRACEMONKEY.read_bytes(), TRACEMONKEY.name)


@pytest.fixture(scope="module")
def tully() -> Source:
    return parse_bytes(TULLY.read_bytes(), TULLY.name)


def _pdf_bytes(writer: PdfWriter) -> bytes:
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- Free Culture: a book with a 3-level outline -------------------------------------------


def test_free_culture_outline_tree(free_culture: tuple[Source, float]) -> None:
    source, seconds = free_culture
    assert source.kind == SourceKind.BOOK
    assert source.title == "Free Culture"
    assert source.authors == ["Lawrence Lessig"]
    assert source.page_count == 352
    # 58 outline items, 5 of them external links with no page
    assert len(source.chapters) == 53
    assert not [c for c in source.chapters if c.title.startswith("*")]
    assert {c.level for c in source.chapters} == {0, 1, 2}
    assert [c.index for c in source.chapters] == list(range(1, 54))
    assert seconds < 60, f"Free Culture took {seconds:.1f}s"


def test_free_culture_page_ranges_match_the_pages(free_culture: tuple[Source, float]) -> None:
    source, _ = free_culture
    reader = PdfReader(str(FREE_CULTURE))
    intro = by_title(source, "INTRODUCTION")
    assert (intro.page_start, intro.page_end) == (17, 29)
    creators = by_title(source, "Chapter 1: Creators")
    assert (creators.page_start, creators.page_end) == (35, 44)
    assert "CHAPTER ONE: Creators" in reader.pages[34].extract_text()
    assert creators.text.startswith("CHAPTER ONE: Creators")
    piracy = by_title(source, '"PIRACY"')
    assert creators.parent == piracy.index and creators.level == 1
    # "Film" starts mid-page 67, under chapter 4 which begins on the same page
    pirates = by_title(source, '4: "Pirates"')
    film = by_title(source, "Film")
    assert film.parent == pirates.index and film.level == 2
    assert pirates.page_start == pirates.page_end == film.page_start == 67
    assert film.text.startswith("Film")
    assert "Film" not in pirates.text.splitlines()
    assert by_title(source, "INDEX").kind == ChapterKind.INDEX
    assert by_title(source, "NOTES").kind == ChapterKind.BACK_MATTER
    assert by_title(source, "COVER").kind == ChapterKind.FRONT_MATTER


def test_free_culture_page_spans(free_culture: tuple[Source, float]) -> None:
    source, _ = free_culture
    for chapter in source.chapters:
        pages = [s.page for s in chapter.page_spans]
        starts = [s.start for s in chapter.page_spans]
        assert pages == list(range(chapter.page_start, chapter.page_end + 1)), chapter.title
        assert starts == sorted(starts) and starts[0] == 0
    eldred = by_title(source, "13: Eldred")
    at = eldred.text.index("Eric Eldred")
    page = eldred.page_at(at)
    reader = PdfReader(str(FREE_CULTURE))
    assert "Eldred" in reader.pages[page - 1].extract_text()
    last = eldred.page_spans[-1]
    assert eldred.page_at(last.start + 1) == eldred.page_end


# --- papers without an outline --------------------------------------------------------------

TRACEMONKEY_SECTIONS = [
    "Front matter",
    "Abstract",
    "Categories and subject descriptors",  # the classification lines after the abstract
    "1. Introduction",
    "2. Overview: Example Tracing Run",
    "3. Trace Trees",
    "3.1 Traces",
    "3.2 Trace Trees",
    "3.3 Blacklisting",
    "4. Nested Trace Tree Formation",
    "4.1 Nesting Algorithm",
    "4.2 Blacklisting with Nesting",
    "5. Trace Tree Optimization",
    "5.1 Optimizations",
    "5.2 Register Allocation",
    "6. Implementation",
    "6.1 Calling Compiled Traces",
    "6.2 Trace Stitching",
    "6.3 Trace Recording",
    "6.4 Preemption",
    "6.5 Calling External Functions",
    "6.6 Correctness",
    "7. Evaluation",
    "8. Related Work",
    "9. Conclusions",
    "10. Future Work",
    "Acknowledgments",
    "References",
]


def test_tracemonkey_sections(tracemonkey: Source) -> None:
    source = tracemonkey
    assert source.kind == SourceKind.PAPER
    assert source.page_count == 14
    assert source.title == "Trace-based Just-in-Time Type Specialization for Dynamic Languages"
    assert [c.title for c in source.chapters] == TRACEMONKEY_SECTIONS
    traces = by_title(source, "3.1 Traces")
    assert traces.level == 1 and traces.parent == by_title(source, "3. Trace Trees").index
    intro = by_title(source, "1. Introduction")
    assert (intro.page_start, intro.page_end) == (1, 2)
    refs = by_title(source, "References")
    assert refs.kind == ChapterKind.REFERENCES and refs.page_start == refs.page_end == 14
    assert by_title(source, "Abstract").kind == ChapterKind.ABSTRACT
    evaluation = by_title(source, "7. Evaluation")
    assert (evaluation.page_start, evaluation.page_end) == (10, 12)


def test_tracemonkey_columns_are_not_interleaved(tracemonkey: Source) -> None:
    text = norm("\n".join(c.text for c in tracemonkey.chapters))
    # left column, page 1, with a hyphenated line break ("com-\npile")
    assert (
        "Dynamic languages such as JavaScript are more difficult to compile than statically "
        "typed ones. Since no concrete type information is available" in text
    )
    # left column, page 2
    assert (
        "If an exit becomes hot, the VM can record a branch trace starting at the exit to "
        "cover the new path. In this way, the VM records a trace tree" in text
    )
    # right column, page 2 (a figure caption)
    assert "The best case is a loop where the types at the loop edge are the same as" in text


def test_tully_sections(tully: Source) -> None:
    titles = [c.title for c in tully.chapters]
    numbered = [t for t in titles if re.match(r"\d+\. ", t)]
    assert [int(t.split(".")[0]) for t in numbered] == list(range(1, 12))
    assert titles[-2:] == ["Acknowledgments", "References"]
    assert tully.kind == SourceKind.PAPER
    assert tully.title == "Patient Experiences of Structured Heart Failure Programmes"
    # the metadata names the first author; the page under the title names all four
    assert tully.authors[0] == "Nuala E. Tully" and len(tully.authors) == 4
    # the unlabelled abstract is a readable part of its own, after the title page matter
    assert [c.kind for c in tully.chapters[:2]] == [ChapterKind.FRONT_MATTER, ChapterKind.ABSTRACT]
    abstract = tully.chapters[1].prose
    assert abstract.startswith("Objectives. Patient experiences of structured heart failure")
    assert "Structured rehabilitation programmes are" in abstract
    assert by_title(tully, "References").pages == (5, 6)
    # running headers ("2 Rehabilitation Research and Practice") are not sections
    assert not [t for t in titles if "Rehabilitation Research" in t]


def test_tully_columns_are_not_interleaved(tully: Source) -> None:
    text = norm("\n".join(c.text for c in tully.chapters))
    assert (
        "Neglected in the literature around the subject of heart failure is a description of "
        "the patient’s perspective on rehabilitation programmes." in text
    )
    # bottom of the left column continues at the top of the right column
    assert (
        "living with heart failure and to raise issues important to their lives. The focus" in text
    )
    assert (
        "The focus groups were transcribed verbatim and the resulting data was qualitatively "
        "analysed using content analysis [9]." in text
    )


# --- outlines that do not structure the document ---------------------------------------------


def test_single_entry_outline_counts_as_no_outline() -> None:
    writer = PdfWriter(clone_from=str(TULLY))
    writer.add_outline_item(title="Patient Experiences", page_number=0)
    source = parse_bytes(_pdf_bytes(writer), "tully-one-bookmark.pdf")
    assert "11. Discussion" in [c.title for c in source.chapters]


def test_cyclic_outline_and_external_links_are_not_fatal() -> None:
    writer = PdfWriter(clone_from=str(TULLY))
    first = writer.add_outline_item(title="Start", page_number=0)
    writer.add_outline_item(title="Middle", page_number=2)
    last = writer.add_outline_item(title="End", page_number=4).get_object()
    link = writer.add_outline_item(title="Website", page_number=None).get_object()
    link[NameObject("/A")] = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject("http://x")}
    )
    last[NameObject("/Next")] = first  # a cycle back to the start
    source = parse_bytes(_pdf_bytes(writer), "cyclic.pdf")
    titles = [c.title for c in source.chapters]
    assert "Website" not in titles
    assert titles[:3] == ["Start", "Middle", "End"]
    # the references the outline does not list are still back matter, not inside "End"
    assert [c.pages for c in source.chapters[:3]] == [(1, 2), (3, 4), (5, 5)]
    assert [(c.title, c.kind) for c in source.chapters[3:]] == [
        ("Acknowledgments", ChapterKind.BACK_MATTER),
        ("References", ChapterKind.REFERENCES),
    ]


# --- bad input ------------------------------------------------------------------------------


def test_password_protected_pdf_is_refused() -> None:
    writer = PdfWriter(clone_from=str(TULLY))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    with pytest.raises(IngestError, match="password-protected"):
        parse_bytes(_pdf_bytes(writer), "locked.pdf")


def test_owner_only_encryption_is_read() -> None:
    writer = PdfWriter(clone_from=str(TULLY))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    source = parse_bytes(_pdf_bytes(writer), "owner-only.pdf")
    assert "1. Introduction" in [c.title for c in source.chapters]


def test_truncated_pdf_is_a_clear_error() -> None:
    data = TRACEMONKEY.read_bytes()
    with pytest.raises(IngestError):
        parse_bytes(data[: len(data) // 2], "half.pdf")


def test_pdf_without_text_layer_says_so() -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=612, height=792)
    with pytest.raises(IngestError, match="no text layer"):
        parse_bytes(_pdf_bytes(writer), "scan.pdf")


def test_page_limit() -> None:
    settings = Settings(ingest=IngestSettings(max_pages=5))
    with pytest.raises(LimitError, match="MAX_PAGES"):
        parse_bytes(TULLY.read_bytes(), TULLY.name, settings=settings)


def test_garbage_after_pdf_header_is_an_ingest_error() -> None:
    with pytest.raises(FolioError):
        parse_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 100, "junk.pdf")


def test_page_groups_when_nothing_is_found() -> None:
    from pipelines.ingest.pdf_cuts import page_group_cuts

    cuts = page_group_cuts(23)
    assert [c.title for c in cuts] == ["Pages 1–10", "Pages 11–20", "Pages 21–23"]
