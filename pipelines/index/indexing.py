"""Keeping the index in step with the workspace: passages in SQLite, vectors in chroma.

Indexing order (see library.add_bytes): passages reach SQLite with the source, then
vectors go to chroma, and `indexed_at` is set last; repair() finishes whatever a crash
interrupted, and re-embeds sources whose vectors went missing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from pipelines.errors import FolioError
from pipelines.index import lexical, vectors
from pipelines.index.chunking import chunk_source
from pipelines.index.embedder import get_embedder
from pipelines.settings import Settings
from pipelines.types import Passage, Source
from pipelines.workspace.store import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
EMBED_STEP = 64  # passages embedded between progress reports


def index_vectors(
    ws: Workspace,
    source_id: str,
    passages: list[Passage],
    *,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> int:
    """Embed passages already stored in SQLite, replace the source's vectors, mark indexed."""
    settings = settings or ws.settings
    embedder = get_embedder(settings)
    total = len(passages)
    if progress:
        progress(0, total)
    vectors.delete_source(ws, source_id, settings)  # drop vectors of an older chunking
    for start in range(0, total, EMBED_STEP):
        batch = passages[start : start + EMBED_STEP]
        vectors.add(ws, batch, embedder.embed([p.text for p in batch]), settings)
        if progress:
            progress(min(start + EMBED_STEP, total), total)
    lexical.invalidate(ws, source_id)
    ws.set_indexed(source_id)
    log.info("Indexed %d passages of source %s with %s", total, source_id[:12], embedder.name)
    return total


def store_passages(ws: Workspace, source_id: str, passages: list[Passage]) -> None:
    """Replace a source's passages in SQLite in one transaction."""
    with ws.transaction() as con:
        con.execute("DELETE FROM passages WHERE source_id=?", (source_id,))
        con.execute("UPDATE sources SET indexed_at=NULL WHERE id=?", (source_id,))
        Workspace._insert_passages(con, passages)
    lexical.invalidate(ws, source_id)


def index_source(
    ws: Workspace,
    source: Source,
    *,
    progress: Progress | None = None,
    settings: Settings | None = None,
) -> int:
    """Chunk, store passages, embed, add vectors, mark indexed. The source must be stored."""
    settings = settings or ws.settings
    if not ws.has_source(source.id):
        raise FolioError(f"Source {source.id[:12]} is not in this workspace; add it first.")
    passages = chunk_source(source, settings)
    store_passages(ws, source.id, passages)
    return index_vectors(ws, source.id, passages, progress=progress, settings=settings)


def remove_source_index(ws: Workspace, source_id: str, settings: Settings | None = None) -> None:
    """Forget a source's passages and vectors (the source itself stays: ws.remove_source)."""
    settings = settings or ws.settings
    if ws.has_source(source_id):
        store_passages(ws, source_id, [])  # also clears indexed_at: repair can redo it
    vectors.delete_source(ws, source_id, settings)
    lexical.invalidate(ws, source_id)


_repair_lock = threading.Lock()


def finish_interrupted(ws: Workspace, settings: Settings | None = None) -> list[str]:
    """Index sources whose ingest was cut short (stored, never marked indexed).

    A cheap query on every search: a crash between storing a source and embedding it
    is healed the next time anyone searches, never leaving a source that finds nothing.
    """
    pending = ws.unindexed_source_ids()
    if not pending:
        return []
    with _repair_lock:
        done = []
        for sid in ws.unindexed_source_ids():
            log.warning("Source %s was never fully indexed; indexing it now", sid[:12])
            index_source(ws, ws.get_source(sid), settings=settings)
            done.append(sid)
        return done


def repair(
    ws: Workspace, *, progress: Progress | None = None, settings: Settings | None = None
) -> list[str]:
    """Index every source left unindexed or with vectors missing; drop orphan vectors.

    Returns the ids of the sources it (re)indexed.
    """
    settings = settings or ws.settings
    fixed: list[str] = []
    unindexed = set(ws.unindexed_source_ids())
    for source in ws.list_sources():
        sid = source.id
        if sid in unindexed:
            log.warning("Source %s was never fully indexed; indexing it now", sid[:12])
            index_source(ws, ws.get_source(sid), progress=progress, settings=settings)
            fixed.append(sid)
            continue
        passages = ws.passages_for(source_ids=[sid])
        have = vectors.ids_for_source(ws, sid, settings)
        if {p.id for p in passages} != have:
            log.warning("Vectors of source %s are out of step; re-embedding", sid[:12])
            if not passages:
                index_source(ws, ws.get_source(sid), progress=progress, settings=settings)
            else:
                index_vectors(ws, sid, passages, progress=progress, settings=settings)
            fixed.append(sid)
    _drop_orphans(ws, settings)
    return fixed


def _drop_orphans(ws: Workspace, settings: Settings) -> None:
    with ws.connect() as con:
        stored = int(con.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
    if vectors.count(ws, settings) <= stored:
        return  # every vector was matched to a passage source by source above
    known = {s.id for s in ws.list_sources()}
    for sid, ids in vectors.all_source_ids(ws, settings).items():
        if sid not in known:
            log.warning("Dropping %d vectors of removed source %s", len(ids), sid[:12])
            vectors.delete_ids(ws, ids, settings)
