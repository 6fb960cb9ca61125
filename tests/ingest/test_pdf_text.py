"""Words as the author wrote them: line-break hyphens, ligatures, TeX accents."""

from __future__ import annotations

import pytest

from pipelines.ingest.pdf_chars import normalise
from pipelines.ingest.pdf_outline import clean_title
from pipelines.ingest.pdf_text import join, keeps_hyphen, vocabulary


@pytest.mark.parametrize(
    ("before", "after", "kept"),
    [
        ("a usual contracting network by successive defor-", "mations of the input", False),
        ("we use a 64-", "component feature vector", True),
        ("the RNN-", "based encoders", True),
        ("com-", "pile than statically typed ones", False),
        ("see the long-", "Term Memory", True),  # the next line does not go on a word
    ],
)
def test_a_line_end_hyphen_is_dropped_only_where_it_broke_a_word(
    before: str, after: str, kept: bool
) -> None:
    assert keeps_hyphen(before, after) is kept


def test_the_document_decides_between_a_break_and_a_compound() -> None:
    vocab = vocabulary(["the state-of-the-art results", "a well-known measure"])
    assert keeps_hyphen("a well-", "known measure", vocab)
    assert not keeps_hyphen("a well-", "known measure", set())  # no evidence: a break


def test_join_keeps_each_lines_start_and_the_authors_hyphens() -> None:
    text, offsets = join(["a 64-", "component vector and defor-", "mations", "Next line"])
    assert text == "a 64-component vector and deformations\nNext line"
    assert offsets == [0, 5, 31, 39]


@pytest.mark.parametrize(
    ("char", "plain"), [("ﬁ", "fi"), ("ﬂ", "fl"), ("ﬃ", "ffi"), ("\ufffe", "-"), ("\u00ad", "-")]
)
def test_ligatures_and_pdfium_hyphens_are_plain_letters(char: str, plain: str) -> None:
    assert normalise(char) == plain


def test_outline_titles_lose_tex_markup_and_get_their_space() -> None:
    assert clean_title("3. The Lema{^i }tre--Tolman model") == "3. The Lemaître–Tolman model"
    assert clean_title("3.1Encoding module") == "3.1 Encoding module"
    assert clean_title("3.2Graph information module.") == "3.2 Graph information module"
