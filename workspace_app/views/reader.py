"""Reader: one chapter as a book shows it (paragraphs, page markers, captions apart); a
citation opens it at the quoted sentence, marked inside its paragraph."""

from __future__ import annotations

import streamlit as st

from pipelines.errors import FolioError
from pipelines.types import Chapter, Source
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
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


def chapter_text(chapter: Chapter, quote: str | None) -> None:
    blocks = reading_blocks(chapter)
    cited = _cited_block(blocks, quote) if quote else None
    for n, block in enumerate(blocks):
        if block.kind == "page":
            st.caption(f"— {block.text} —")
        elif block.kind == "caption":
            with st.container(border=False, key=f"caption_{n}"):
                st.caption(escape_md(block.text))
        elif cited and cited[0] == n:
            with st.container(border=True, key=CITED_KEY):
                st.markdown(_marked(block.text, cited[1]))
        else:
            st.markdown(escape_md(block.text))
    if quote and cited is None:
        st.caption(f"The quoted words (“{escape_md(short(quote, 120))}”) are in this chapter.")
    if cited:
        st.html(SCROLL_JS, unsafe_allow_javascript=True)


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
    st.subheader(escape_md(chapter.title), anchor=False)
    facts = [f"Chapter {chapter.index}", f"{chapter.word_count:,} words"]
    if chapter.pages:
        facts.append(page_range(chapter.pages))
    st.caption(" · ".join(facts))
    if not chapter.text.strip():
        st.info("This section has no text of its own (its sub-sections carry it).")
    else:
        chapter_text(chapter, _quote(ws, source, chapter))
    with st.container(horizontal=True, gap="small"):
        st.button("← Previous", key="reader_prev", on_click=_step, args=(source, listed, -1))
        st.button("Next →", key="reader_next", on_click=_step, args=(source, listed, 1))
