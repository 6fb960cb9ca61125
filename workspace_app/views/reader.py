"""Reader: one chapter's text with page markers; a citation opens it at the passage."""

from __future__ import annotations

import streamlit as st

from pipelines.errors import FolioError
from pipelines.text.naming import chapter_name
from pipelines.types import Chapter, Source
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components.text import escape_md, paragraphs

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


def _pieces(chapter: Chapter, cited: tuple[int, int] | None) -> list[tuple[int, int, int | None]]:
    """Cut the text at page starts and the cited range: (start, end, page or None)."""
    text_len = len(chapter.text)
    cuts = {0, text_len} | {s.start for s in chapter.page_spans if 0 < s.start < text_len}
    if cited:
        cuts |= {max(0, min(cited[0], text_len)), max(0, min(cited[1], text_len))}
    ordered = sorted(cuts)
    return [(a, b, chapter.page_at(a)) for a, b in zip(ordered, ordered[1:], strict=False) if b > a]


def _render_run(chapter: Chapter, pieces, last_page: list[int | None], highlight: bool) -> None:
    for start, end, page in pieces:
        if page is not None and page != last_page[0]:
            st.caption(f"— page {page} —")
            last_page[0] = page
        for para in paragraphs(chapter.text[start:end]):
            body = escape_md(para)
            st.markdown(f":orange-background[{body}]" if highlight else body)


def render_chapter_text(chapter: Chapter, cited: tuple[int, int] | None) -> None:
    pieces = _pieces(chapter, cited)
    last_page: list[int | None] = [None]
    if not cited:
        _render_run(chapter, pieces, last_page, False)
        return
    before = [p for p in pieces if p[1] <= cited[0]]
    inside = [p for p in pieces if p[0] >= cited[0] and p[1] <= cited[1]]
    after = [p for p in pieces if p[0] >= cited[1]]
    _render_run(chapter, before, last_page, False)
    with st.container(border=True, key=CITED_KEY):
        st.caption("Cited passage")
        _render_run(chapter, inside, last_page, True)
    _render_run(chapter, after, last_page, False)
    st.html(SCROLL_JS, unsafe_allow_javascript=True)


def _default_chapter(source: Source) -> int:
    chosen = state.chosen_chapters(source.id)
    if chosen:
        return chosen[0]
    body = [c for c in source.chapters if c.kind.is_body and c.word_count]
    return (body or source.chapters)[0].index


def _cited_range(ws: Workspace, source: Source, chapter: Chapter) -> tuple[int, int] | None:
    target = state.reader_target()
    if not target or target.get("source_id") != source.id:
        return None
    if target.get("chapter") != chapter.index or not target.get("passage_id"):
        return None
    passage = ws.get_passages([target["passage_id"]]).get(target["passage_id"])
    return (passage.start, passage.end) if passage else None


def _step(source: Source, delta: int) -> None:
    key = state.reader_chapter_key(source.id)
    indexes = [c.index for c in source.chapters]
    current = st.session_state.get(key, indexes[0])
    pos = indexes.index(current) if current in indexes else 0
    st.session_state[key] = indexes[max(0, min(len(indexes) - 1, pos + delta))]
    state.clear_reader_target()


def render(ws: Workspace) -> None:
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
    indexes = [c.index for c in source.chapters]
    key = state.reader_chapter_key(source.id)
    if st.session_state.get(key) not in indexes:
        st.session_state[key] = _default_chapter(source)
    st.caption(escape_md(source.title))
    st.selectbox(
        "Chapter",
        indexes,
        format_func=lambda i: f"{i}. {source.chapter(i).title}",
        key=key,
        on_change=state.clear_reader_target,
    )
    chapter = source.chapter(st.session_state[key])
    st.subheader(escape_md(chapter.title), anchor=False)
    pages = f" · pages {chapter.pages[0]}–{chapter.pages[1]}" if chapter.pages else ""
    st.caption(f"{chapter_name(chapter.title)} · {chapter.word_count:,} words{pages}")
    if not chapter.text.strip():
        st.info("This section has no text of its own (its sub-sections carry it).")
    else:
        render_chapter_text(chapter, _cited_range(ws, source, chapter))
    with st.container(horizontal=True, gap="small"):
        st.button("← Previous", key="reader_prev", on_click=_step, args=(source, -1))
        st.button("Next →", key="reader_next", on_click=_step, args=(source, 1))
