"""Render helpers that need no app run: escaping, the reader's cleanup of PDF text, quotes."""

from __future__ import annotations

from pipelines.types import Chapter, PageSpan
from workspace_app.components.script_editor import script_to_text, text_to_script
from workspace_app.components.text import (
    clean_authors,
    escape_md,
    find_quote,
    model_md,
    page_range,
    reading_blocks,
)


def test_document_text_is_escaped() -> None:
    out = escape_md("# Title\n1. *bold* $x$ <b>hi</b> :red[x] [link](http://x)")
    assert out == (
        "\\# Title\n1\\. \\*bold\\* \\$x\\$ \\<b\\>hi\\</b\\> \\:red\\[x\\] \\[link\\](http\\://x)"
    )
    assert escape_md("plain words, here.") == "plain words, here."


def test_model_text_keeps_markdown_but_no_html_or_directives() -> None:
    out = model_md("**Yes** [1]. <script>x</script> $5 :red[alarm]")
    assert out == "**Yes** [1]. \\<script\\>x\\</script\\> \\$5 \\:red[alarm]"


PDF_TEXT = (
    "2. Network Architecture\n"
    "The network has three layers that are stacked one on top of\n"
    "the other, and each of them learns a different representa-\n"
    "tion of the input.\n"
    "Figure 2. The three layers of the network and how they\n"
    "connect.\n"
    "The first layer reads the raw input and passes it on to the\n"
    "second one.\n"
    "Journal of Examples 4\n"
    "The second layer is where most of the learning happens in\n"
    "practice, as the experiments show.\n"
    "5\n"
)


def test_reader_turns_pdf_lines_into_paragraphs_with_pages_and_captions_apart() -> None:
    page_two = PDF_TEXT.index("Journal")
    chapter = Chapter(
        index=3, title="2. Network Architecture", text=PDF_TEXT, page_start=3, page_end=4,
        page_spans=[PageSpan(0, 3), PageSpan(page_two, 4)],
    )  # fmt: skip
    blocks = [(b.kind, b.text) for b in reading_blocks(chapter)]
    assert blocks[0] == ("page", "page 3")
    assert blocks[1][0] == "text" and "representation of the input." in blocks[1][1]
    assert not any("Network Architecture" in t for k, t in blocks if k == "text")
    assert ("caption", "Figure 2. The three layers of the network and how they connect.") in blocks
    assert ("page", "page 4") in blocks
    assert not any("Journal of Examples" in t or t == "5" for _, t in blocks)
    assert blocks[-1] == (
        "text",
        "The second layer is where most of the learning happens in practice, as the "
        "experiments show.",
    )
    assert page_range((4, 4)) == "page 4" and page_range((3, 5)) == "pages 3–5"


def test_a_quote_is_found_across_line_breaks_ligatures_and_a_cut_end() -> None:
    para = "Before it. The programmes bolstered the conﬁdence of participants by\nproviding a benchmark. After."
    start, end = find_quote(para, "The programmes bolstered the confidence of participants by…")
    assert para[start:end] == (
        "The programmes bolstered the conﬁdence of participants by\nproviding a benchmark."
    )
    assert find_quote(para, "words that are not there at all") is None


def test_emails_are_not_part_of_author_names() -> None:
    assert clean_authors(["Helen M. Burke <helenburke1@rcsi.ie>", "Jo Bloggs, jo@x.org"]) == [
        "Helen M. Burke",
        "Jo Bloggs",
    ]


def test_the_script_text_round_trips_and_keeps_passages() -> None:
    from pipelines.types import Host, Script, Turn

    script = Script(
        title="T",
        hosts=[Host("Ada"), Host("Ben")],
        turns=[
            Turn("Ada", "One.", ["p1"], 0),
            Turn("Ben", "Two?", [], 0),
            Turn("Ada", "Three.", ["p3"], 1),
        ],
        segments=["Start", "Next"],
    )
    text = script_to_text(script)
    assert text == "## Start\nAda: One.\nBen: Two?\n\n## Next\nAda: Three."
    again = text_to_script(text.replace("Three.", "Three, edited."), script)
    assert [t.text for t in again.turns] == ["One.", "Two?", "Three, edited."]
    assert again.turns[2].passage_ids == ["p3"] and again.turns[2].segment == 1
