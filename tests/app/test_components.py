"""Render helpers that need no app run: escaping and the reader's page cuts."""

from __future__ import annotations

from pipelines.types import Chapter, PageSpan
from workspace_app.components.text import escape_md, model_md
from workspace_app.views.reader import _pieces


def test_document_text_is_escaped() -> None:
    out = escape_md("# Title\n1. *bold* $x$ <b>hi</b> :red[x] [link](http://x)")
    assert out == (
        "\\# Title\n1\\. \\*bold\\* \\$x\\$ \\<b\\>hi\\</b\\> \\:red\\[x\\] \\[link\\](http\\://x)"
    )
    assert escape_md("plain words, here.") == "plain words, here."


def test_model_text_keeps_markdown_but_no_html_or_directives() -> None:
    out = model_md("**Yes** [1]. <script>x</script> $5 :red[alarm]")
    assert out == "**Yes** [1]. \\<script\\>x\\</script\\> \\$5 \\:red[alarm]"


def test_reader_cuts_the_text_at_pages_and_the_cited_passage() -> None:
    text = "a" * 100 + "b" * 100
    chapter = Chapter(
        index=1, title="One", text=text, page_start=3, page_end=4,
        page_spans=[PageSpan(0, 3), PageSpan(100, 4)],
    )  # fmt: skip
    pieces = _pieces(chapter, (50, 150))
    assert pieces == [(0, 50, 3), (50, 100, 3), (100, 150, 4), (150, 200, 4)]
