"""Reader: one chapter as a book shows it (paragraphs, page markers, and beside each page
its figure and table captions and its footnotes); a chapter with sections shows theirs
after its own text; a citation opens it at the quoted sentence, marked inside its
paragraph."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pipelines.errors import FolioError
from pipelines.text.naming import heading
from pipelines.types import CAPTIONS_MARKER, Aside, Chapter, Source, SourceKind
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.companion import companion_panels
from workspace_app.components.text import (
    Block,
    escape_md,
    find_quote,
    numbered,
    page_range,
    reading_blocks,
    short,
)
from workspace_app.views.library import visible_chapters

CITED_KEY = "reader_cited"
# Scroll the cited passage into view once it is drawn. No document text goes in here.
SCROLL_JS = """<script>
(function () {
  let tries = 0;
  const find = () => {
    const el = document.querySelector(".st-key-CITED_KEY");
    if (el) { el.scrollIntoView({block: "center"}); return; }
    if (tries++ < 40) setTimeout(find, 100);
  };
  setTimeout(find, 150);
})();
</script>""".replace("CITED_KEY", CITED_KEY)


def _marked(text: str, span: tuple[int, int]) -> str:
    a, b = span
    quoted = escape_md(text[a:b].strip())
    return f"{escape_md(text[:a])}:orange-background[**{quoted}**] {escape_md(text[b:].lstrip())}"


def _cited_block(blocks: list[Block], quote: str) -> tuple[int, tuple[int, int]] | None:
    """The paragraph holding the quote (the first one, or its first words), and where."""
    for attempt in (quote, " ".join(quote.split()[:10]) + "…"):
        for n, block in enumerate(blocks):
            if block.kind != "page" and (span := find_quote(block.text, attempt)):
                return n, span
    return None


def _asides(chapter: Chapter) -> list[Aside]:
    """Captions and footnotes with their pages; captions stored before they kept their
    pages come from the block at the end of the text, shown after the last page."""
    if any(a.kind == "caption" for a in chapter.asides) or CAPTIONS_MARKER not in chapter.text:
        return chapter.asides
    tail = chapter.text.partition(CAPTIONS_MARKER)[2]
    old = [Aside("caption", line, chapter.page_end) for line in tail.split("\n") if line.strip()]
    return [*chapter.asides, *old]


def _with_asides(blocks: list[Block], asides: list[Aside]) -> list[Block]:
    """Each page's captions, then its footnotes, after the page's last paragraph."""
    out: list[Block] = []
    shown: set[int] = set()

    def close(page: int | None) -> None:
        for kind in ("caption", "footnote"):
            for n, a in enumerate(asides):
                if n not in shown and a.kind == kind and (page is None or a.page == page):
                    shown.add(n)
                    out.append(Block(kind, a.text, a.page))

    page = None
    for block in blocks:
        if block.kind == "page" and page is not None:
            close(page)
        page = block.page if block.kind == "page" else page
        out.append(block)
    close(page)
    close(None)  # anything whose page had no text of this chapter
    return out


def chapter_text(chapter: Chapter, quote: str | None) -> None:
    prose = replace(chapter, text=chapter.prose.rstrip())
    blocks = _with_asides(
        [b for b in reading_blocks(prose) if b.kind != "caption"], _asides(chapter)
    )
    cited = _cited_block(blocks, quote) if quote else None
    for n, block in enumerate(blocks):
        if block.kind == "page":
            st.caption(f"— {block.text} —")
        elif block.kind == "caption":
            with st.container(border=False, key=f"caption_{chapter.index}_{n}"):
                st.caption(escape_md(block.text))
        elif block.kind == "footnote":
            with st.container(border=False, key=f"footnote_{chapter.index}_{n}"):
                st.caption(f"Note: {escape_md(block.text)}")
        elif cited and cited[0] == n:
            with st.container(border=True, key=CITED_KEY):
                st.markdown(_marked(block.text, cited[1]))
        else:
            st.markdown(escape_md(block.text))
    if quote and cited is None:
        st.caption(f"The quoted words (“{escape_md(short(quote, 120))}”) are in this chapter.")
    if cited:
        st.html(SCROLL_JS, unsafe_allow_javascript=True)


def _sections(source: Source, chapter: Chapter, quote: str | None) -> None:
    """A chapter's sections after its own text: choosing "3 Method" reads all of it."""
    for child in source.descendants(chapter.index):
        depth = max(1, child.level - chapter.level)
        st.markdown(f"{'#' * min(6, 3 + depth)} {escape_md(heading(child.title, child.label))}")
        if child.text.strip():
            chapter_text(child, quote)


def _default_chapter(source: Source) -> int:
    chosen = state.chosen_chapters(source.id)
    if chosen:
        return chosen[0]
    body = [c for c in source.chapters if c.kind.is_body and c.word_count]
    return (body or source.chapters)[0].index


def _quote(ws: Workspace, source: Source, chapter: Chapter) -> str | None:
    target = state.reader_target()
    if not target or target.get("source_id") != source.id:
        return None
    if target.get("chapter") != chapter.index:
        return None
    if target.get("quote"):
        return str(target["quote"])
    if target.get("passage_id"):
        passage = ws.get_passages([target["passage_id"]]).get(target["passage_id"])
        if passage:
            return short(passage.text, 200)
    return None


def _chosen(source_id: str) -> None:
    state.show_chapter(source_id, state.widget_value(state.reader_chapter_key(source_id)))
    state.clear_reader_target()


def _step(source: Source, indexes: list[int], delta: int) -> None:
    current = state.reading_position(source.id)
    pos = indexes.index(current) if current in indexes else 0
    state.show_chapter(source.id, indexes[max(0, min(len(indexes) - 1, pos + delta))])
    state.clear_reader_target()


def draw(ws: Workspace) -> None:
    source_id = state.selected_source()
    if source_id is None:
        st.info("Choose a source in the library (the sidebar) to start reading.", icon="📖")
        return
    try:
        source = resources.source(ws, source_id)
    except FolioError as exc:
        st.error(str(exc))
        return
    if not source.chapters:
        st.warning("This source has no text to show.")
        return
    listed = [c.index for c in visible_chapters(source)]
    position = state.reading_position(source.id)
    if position is None or position not in [c.index for c in source.chapters]:
        position = _default_chapter(source)
        state.show_chapter(source.id, position)
    if position not in listed:  # e.g. a citation into front matter
        listed = sorted({*listed, position})
    st.caption(escape_md(source.title))
    key = state.bind(state.reader_chapter_key(source.id), position)
    st.selectbox(
        "Chapter",
        listed,
        format_func=lambda i: numbered(source.chapter(i)),
        key=key,
        on_change=_chosen,
        args=(source.id,),
    )
    chapter = source.chapter(position)
    st.subheader(escape_md(heading(chapter.title, chapter.label)), anchor=False)
    inside = source.descendants(chapter.index)
    words = chapter.word_count + sum(c.word_count for c in inside)
    facts = [f"{words:,} words"]
    if inside:
        facts.append(f"{len(inside)} sections")
    pages = (chapter.page_start, max((c.page_end or 0 for c in inside), default=0))
    if chapter.pages:
        facts.append(page_range((chapter.pages[0], max(chapter.pages[1], pages[1]))))
    st.caption(" · ".join(facts))
    if source.kind == SourceKind.BOOK and chapter.kind.is_body:
        companion_panels(source, chapter)
    quote = _quote(ws, source, chapter)
    if not chapter.text.strip() and not inside:
        st.info("This section has no text.")
    elif chapter.text.strip():
        chapter_text(chapter, quote)
    _sections(source, chapter, quote)
    with st.container(horizontal=True, gap="small"):
        st.button("← Previous", key="reader_prev", on_click=_step, args=(source, listed, -1))
        st.button("Next →", key="reader_next", on_click=_step, args=(source, listed, 1))
