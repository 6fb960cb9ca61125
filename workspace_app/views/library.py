"""Library (the sidebar): upload, the sources, and each source's chapter tree with boxes
that choose the scope for reading, asking, summaries and podcasts."""

from __future__ import annotations

from typing import Any

import streamlit as st

from pipelines.errors import FolioError
from pipelines.text.naming import chapter_name
from pipelines.types import ChapterKind, Source, SourceKind
from pipelines.workspace import library
from pipelines.workspace.jobs import Report
from pipelines.workspace.store import Workspace
from workspace_app import resources, state
from workspace_app.components import jobs as job_ui
from workspace_app.components.text import escape_md

UPLOAD_TYPES = ["pdf", "epub", "txt", "md", "markdown"]
HIDDEN_KINDS = {ChapterKind.FRONT_MATTER, ChapterKind.BACK_MATTER, ChapterKind.INDEX}
INDENT = "\u2003"


# -- ingest -------------------------------------------------------------------------------
def _ingest_work(ws: Workspace, files: list[tuple[str, bytes]], settings) -> Any:
    def work(report: Report) -> dict[str, Any]:
        results = []
        for n, (name, data) in enumerate(files):
            report(f"adding {name}", n, len(files))
            try:
                added = library.add_bytes(
                    ws,
                    data,
                    name,
                    settings=settings,
                    progress=lambda done, total, name=name: report(f"indexing {name}", done, total),
                )
                results.append(
                    {
                        "file": name,
                        "ok": True,
                        "created": added.created,
                        "source_id": added.source.id,
                        "title": added.source.title,
                    }
                )
            except FolioError as exc:
                results.append({"file": name, "ok": False, "error": str(exc)})
        report("done", len(files), len(files))
        return {"files": results}

    return work


def start_ingest(ws: Workspace, files: list[tuple[str, bytes]]) -> str:
    names = [name for name, _ in files]
    label = names[0] if len(names) == 1 else f"{len(names)} files"
    work = _ingest_work(ws, files, resources.settings())
    return job_ui.start(ws, "ingest", work, {"label": f"Adding {label}", "files": names})


def start_samples(ws: Workspace) -> str | None:
    """First run only: add the bundled samples when the library is empty."""
    if ws.list_sources() or job_ui.latest(ws, "samples") is not None:
        return None
    settings = resources.settings()

    def work(report: Report) -> dict[str, Any]:
        results = library.ensure_samples(
            ws, settings=settings, progress=lambda done, total: report("indexing", done, total)
        )
        return {"sources": [r.source.id for r in results]}

    return job_ui.start(ws, "samples", work, {"label": "Adding the sample library"})


def _uploader(ws: Workspace) -> None:
    limit = ws.settings.ingest.max_files_per_upload
    uploads = st.file_uploader(
        "Add PDFs, EPUBs or text files",
        type=UPLOAD_TYPES,
        accept_multiple_files=True,
        key=f"uploader_{state.upload_nonce()}",
        help=f"Up to {limit} files at once. Each is split into its chapters and indexed.",
    )
    if uploads:
        try:
            library.check_upload([(f.name, f.size) for f in uploads], ws.settings)
        except FolioError as exc:
            st.error(str(exc))
            return
        start_ingest(ws, [(f.name, f.getvalue()) for f in uploads])
        state.bump_upload_nonce()
        st.rerun()


def _ingest_reports(ws: Workspace) -> None:
    """Progress of running ingest work, then per-file results of the last batch."""
    active = job_ui.running(ws, "ingest", "samples")
    if active:
        job_ui.watch(ws, [j.id for j in active])
    seen = state.seen_jobs()
    for job in job_ui.jobs.list_jobs(ws, kind="ingest", limit=3):
        if job.status == "running" or job.id in seen:
            continue
        job_ui.show_failure(job)
        for item in (job.payload.get("result") or {}).get("files", []):
            if item["ok"]:
                verb = "Added" if item["created"] else "Already in the library:"
                st.success(f"{verb} {item['title']}", icon="✅")
                if state.selected_source() is None:
                    state.select_source(item["source_id"])
            else:
                st.error(item["error"], icon="⚠️")
        st.button(
            "Dismiss", key=f"dismiss_{job.id}", on_click=seen.add, args=(job.id,), type="tertiary"
        )


# -- scope callbacks --------------------------------------------------------------------
def _on_box(source_id: str, index: int) -> None:
    chosen = set(state.chosen_chapters(source_id))
    if st.session_state.get(state.chapter_box_key(source_id, index)):
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
    from pipelines.types import Scope

    upto = st.session_state.get(f"upto:{source.id[:16]}")
    if upto is None:
        return
    ids = set(Scope.upto(source, upto).chapter_ids or [])
    state.set_chosen_chapters(source.id, [c.index for c in source.chapters if c.id in ids])
    state.select_source(source.id)


def _remove(ws: Workspace, source_id: str) -> None:
    try:
        library.remove_source(ws, source_id, settings=resources.settings())
    except FolioError as exc:
        state.flash_error(str(exc))
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


def render_source(ws: Workspace, source: Source) -> None:
    key = source.id[:16]
    authors = f" — {', '.join(source.authors)}" if source.authors else ""
    st.caption(f"{_facts(source)}{authors}")
    show_all = st.toggle("Show front and back matter", key=state.show_matter_key(source.id))
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
    for chapter in source.chapters:
        if chapter.kind in HIDDEN_KINDS and not show_all:
            continue
        box = state.chapter_box_key(source.id, chapter.index)
        if box not in st.session_state:
            st.session_state[box] = chapter.index in chosen
        kind = "" if chapter.kind.is_body else str(chapter.kind).replace("_", " ")
        tag = f" :gray[({kind})]" if kind else ""
        st.checkbox(
            f"{INDENT * chapter.level}{escape_md(chapter.title)}{tag}",
            key=box,
            on_change=_on_box,
            args=(source.id, chapter.index),
        )
    body = [c for c in source.chapters if c.kind.is_body and c.kind != ChapterKind.PART]
    if source.kind == SourceKind.BOOK and len(body) > 1:
        st.selectbox(
            "I'm reading chapter…",
            [c.index for c in body],
            format_func=lambda i: chapter_name(source.chapter(i).title),
            index=None,
            key=f"upto:{key}",
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


def render(ws: Workspace) -> None:
    st.subheader("Library")
    _uploader(ws)
    _ingest_reports(ws)
    if error := state.pop_flash_error():
        st.error(error)
    sources = [resources.source(ws, s.id) for s in ws.list_sources()]
    if not sources:
        if not job_ui.running(ws, "ingest", "samples"):
            st.info("The library is empty. Add a PDF, EPUB or text file to begin.")
        return
    for source in sources:
        with st.expander(
            escape_md(source.title),
            expanded=state.selected_source() == source.id,
            key=f"source:{source.id[:16]}",
        ):
            if state.selected_source() != source.id:
                st.button(
                    "Work on this source",
                    key=f"select:{source.id[:16]}",
                    on_click=state.select_source,
                    args=(source.id,),
                    type="primary",
                )
            render_source(ws, source)
    st.caption(f"{len(sources)} sources · {ws.home}")
