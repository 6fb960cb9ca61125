"""Library (the sidebar): upload, the sources, and each source's chapter tree with boxes
that choose the scope for reading, asking, summaries and podcasts.

Chapters are numbered with `Chapter.index`, the numbers the CLI prints and takes, so
"chapter 5" means the same thing in the sidebar, the reader and `folio show`.
"""

from __future__ import annotations

import streamlit as st

from pipelines.errors import FolioError
from pipelines.types import Chapter, ChapterKind, Scope, Source, SourceKind
from pipelines.workspace import jobs, library
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.actions.ingest import start_ingest
from workspace_app.components import jobs as job_ui
from workspace_app.components.text import clean_authors, escape_md, numbered

UPLOAD_TYPES = ["pdf", "epub", "txt", "md", "markdown"]
HIDDEN_KINDS = {
    ChapterKind.FRONT_MATTER,
    ChapterKind.BACK_MATTER,
    ChapterKind.INDEX,
    ChapterKind.REFERENCES,
}
INDENT = "\u2003"


def visible_chapters(source: Source) -> list[Chapter]:
    """The chapters the sidebar and the reader list: front/back matter only when shown."""
    if state.show_matter(source.id):
        return list(source.chapters)
    shown = [c for c in source.chapters if c.kind not in HIDDEN_KINDS]
    return shown or list(source.chapters)


# -- adding files ------------------------------------------------------------------------
def uploader(ws: Workspace, where: str) -> None:
    """A file drop; the files are added in the background and the first new book opens."""
    limit = resources.settings().ingest.max_files_per_upload
    uploads = st.file_uploader(
        "Add PDFs, EPUBs or text files",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"uploader_{where}_{state.upload_nonce()}",
        help=f"Up to {limit} files at once. Each is split into its chapters and indexed.",
    )
    if uploads:
        try:
            library.check_upload([(f.name, f.size) for f in uploads], resources.settings().ingest)
        except FolioError as exc:
            st.error(str(exc))
            return
        state.active_jobs()["ingest"] = start_ingest(ws, [(f.name, f.getvalue()) for f in uploads])
        state.bump_upload_nonce()
        st.rerun()


def ingest_progress(ws: Workspace) -> None:
    """Progress of files being added, then the outcome of this session's last batch."""
    active = job_ui.running(ws, "ingest", "samples")
    if active:
        job_ui.watch(ws, [j.id for j in active])
    _opened_finished(ws)


def _opened_finished(ws: Workspace) -> None:
    seen = state.seen_jobs()
    for kind in ("ingest", "samples"):
        job_id = state.active_jobs().get(kind)
        if not job_id or job_id in seen:
            continue
        job = jobs.get_job(ws, job_id)
        if job is None or job.status == "running":
            continue
        seen.add(job_id)
        job_ui.show_failure(job)
        result = job.payload.get("result") or {}
        opened = None
        for item in result.get("files", []):
            if not item["ok"]:
                state.flash(f"{item['file']}: {item['error']}", where="sidebar")
            elif opened is None:
                opened = item
        if opened is not None:
            verb = "Added" if opened["created"] else "Already in the library:"
            _open_source(opened["source_id"])
            st.toast(f"{verb} {opened['title']}", icon="✅")
        elif result.get("sources"):
            _open_source(result["sources"][0])
            st.toast("The sample library is ready.", icon="✅")


def _open_source(source_id: str) -> None:
    """A book just added opens in the reader."""
    _work_on(source_id)
    state.go_to("Reader")


def _work_on(source_id: str) -> None:
    """Switch the source the open screen works on; the screen stays (Ask, Podcast …)."""
    state.select_source(source_id)
    state.clear_reader_target()


# -- scope callbacks --------------------------------------------------------------------
def _on_box(source_id: str, index: int) -> None:
    chosen = set(state.chosen_chapters(source_id))
    if state.widget_value(state.chapter_box_key(source_id, index)):
        chosen.add(index)
        state.show_chapter(source_id, index)
    else:
        chosen.discard(index)
    state.scope_chapters()[source_id] = sorted(chosen)
    state.select_source(source_id)


def _select_all(source: Source) -> None:
    state.set_chosen_chapters(source.id, [c.index for c in source.chapters if c.kind.is_body])
    state.select_source(source.id)


def _clear(source: Source) -> None:
    state.set_chosen_chapters(source.id, [])


def _reading_upto(source: Source) -> None:
    upto = state.widget_value(state.upto_key(source.id))
    if upto is None:
        return
    ids = set(Scope.upto(source, upto).chapter_ids or [])
    state.set_chosen_chapters(source.id, [c.index for c in source.chapters if c.id in ids])
    state.select_source(source.id)
    state.show_chapter(source.id, upto)


def _remove(ws: Workspace, source_id: str) -> None:
    try:
        library.remove_source(resources.session(), source_id)
    except FolioError as exc:
        state.flash(str(exc), where="sidebar")
        return
    state.set_chosen_chapters(source_id, [])
    if state.selected_source() == source_id:
        state.select_source(None)
    state.clear_reader_target()


# -- one source ---------------------------------------------------------------------------
def _facts(source: Source) -> str:
    bits = [str(source.kind)]
    if source.page_count:
        bits.append(f"{source.page_count} pages")
    bits.append(f"{len(source.chapters)} sections")
    bits.append(f"{source.word_count:,} words")
    return " · ".join(bits)


def source_panel(ws: Workspace, source: Source) -> None:
    key = source.id[:16]
    authors = clean_authors(source.authors)
    st.caption(escape_md(_facts(source) + (f" — {', '.join(authors)}" if authors else "")))
    st.toggle("Show front and back matter", key=state.show_matter_key(source.id))
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Select all chapters",
            key=f"all:{key}",
            on_click=_select_all,
            args=(source,),
            type="tertiary",
        )
        st.button("Clear", key=f"clear:{key}", on_click=_clear, args=(source,), type="tertiary")
    chosen = set(state.chosen_chapters(source.id))
    for chapter in visible_chapters(source):
        box = state.bind(state.chapter_box_key(source.id, chapter.index), chapter.index in chosen)
        kind = "" if chapter.kind.is_body else str(chapter.kind).replace("_", " ")
        tag = f" :gray[({kind})]" if kind else ""
        st.checkbox(
            f"{INDENT * chapter.level}{escape_md(numbered(chapter))}{tag}",
            key=box,
            on_change=_on_box,
            args=(source.id, chapter.index),
        )
    body = [c for c in source.chapters if c.kind.is_body and c.kind != ChapterKind.PART]
    if source.kind == SourceKind.BOOK and len(body) > 1:
        st.selectbox(
            "I'm reading chapter…",
            [c.index for c in body],
            format_func=lambda i: numbered(source.chapter(i)),
            index=None,
            key=state.upto_key(source.id),
            on_change=_reading_upto,
            args=(source,),
            help="Choose where you are: the scope becomes the chapters up to it (no spoilers).",
        )
    with st.popover("Remove…", key=f"remove_pop:{key}"):
        st.markdown(f"Remove **{escape_md(source.title)}**, its summaries and its index?")
        st.button(
            "Yes, remove it",
            key=f"remove:{key}",
            type="primary",
            on_click=_remove,
            args=(ws, source.id),
        )


def draw(ws: Workspace) -> None:
    st.subheader("Library", anchor=False)
    uploader(ws, "sidebar")
    ingest_progress(ws)
    for kind, message in state.pop_flash("sidebar"):
        getattr(st, kind)(message)
    sources = [resources.source(ws, s.id) for s in ws.list_sources()]
    if not sources:
        st.caption("No sources yet.")
        return
    for source in sources:
        with st.expander(
            escape_md(source.title),
            expanded=state.selected_source() == source.id,
            # a new key when the selection changes: the chosen source opens, others close
            key=f"source:{source.id[:16]}:{state.selected_source() == source.id}",
        ):
            if state.selected_source() != source.id:
                st.button(
                    "Work on this source",
                    key=f"select:{source.id[:16]}",
                    on_click=_work_on,
                    args=(source.id,),
                    type="primary",
                )
            source_panel(ws, source)
    st.caption(f"{len(sources)} sources · {ws.home}")
