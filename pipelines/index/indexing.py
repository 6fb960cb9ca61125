"""Keeping the index in step with the workspace: passages and their embeddings in SQLite,
vectors in chroma.

Indexing order (see library.add_bytes): passages reach SQLite with the source, so chapters
and lexical search work at once; then the passages still without an embedding are
embedded in length-sorted windows (similar lengths batch with little padding), each
window's embeddings are stored with their passages (float16) and added to the vector
index, and `indexed_at` is set last. A crash loses at most one window: the next run
(or search) pushes the stored embeddings back into the index and embeds only the rest.
A source being indexed by a live process is left to it (`jobs.claim`); its progress is
the "index" job's done/total in the jobs table, or `vector_progress`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import numpy as np

from pipelines.errors import FolioError
from pipelines.index import lexical, vectors
from pipelines.index.chunking import chunk_source
from pipelines.index.embedder import get_embedder
from pipelines.settings import Settings
from pipelines.types import Passage, Source
from pipelines.workspace import jobs
from pipelines.workspace.store import Workspace

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
WINDOW = 128  # passages embedded, stored and added to the vector index per step
INDEX_JOB = "index"
_DTYPE = np.dtype("<f2")


def encode(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=_DTYPE).tobytes()


def decode(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=_DTYPE).astype(np.float32)


def vectors_complete(ws: Workspace, source_id: str) -> bool:
    """True once every passage of the source is in the vector index (one indexed query).
    Before that, dense search sees only part of the source: say lexical search was used."""
    return ws.is_indexed(source_id)


def vector_progress(ws: Workspace, source_id: str) -> tuple[int, int]:
    """(passages embedded, passages) of a source: the figure for a progress bar."""
    return ws.embedding_counts(source_id)


def stored_embeddings(ws: Workspace, source_id: str) -> dict[str, np.ndarray]:
    with ws.connect() as con:
        rows = con.execute(
            "SELECT id, embedding FROM passages WHERE source_id=? AND embedding IS NOT NULL",
            (source_id,),
        ).fetchall()
    return {r["id"]: decode(r["embedding"]) for r in rows}


def index_vectors(
    ws: Workspace,
    source_id: str,
    passages: list[Passage],
    *,
    progress: Progress | None = None,
    settings: Settings,
) -> int:
    """Embed what has no stored embedding yet, fill the vector index, mark indexed.

    Returns how many passages the source has in the index, or 0 when another live
    worker is already indexing this source (it finishes the job).
    """
    job = jobs.claim(ws, INDEX_JOB, source_id, total=len(passages))
    if job is None:
        log.info("Source %s is being indexed by another worker", source_id[:12])
        return 0
    try:
        total = _fill(ws, source_id, passages, job, progress, settings)
    except BaseException as exc:
        jobs.release(ws, job, ok=False, message=f"{type(exc).__name__}: {exc}")
        raise
    jobs.release(ws, job)
    return total


def _fill(
    ws: Workspace,
    source_id: str,
    passages: list[Passage],
    job: str,
    progress: Progress | None,
    settings: Settings,
) -> int:
    total = len(passages)
    stored = stored_embeddings(ws, source_id)
    ready = [p for p in passages if p.id in stored]
    todo = [p for p in passages if p.id not in stored]
    done = len(ready)

    def report() -> None:
        jobs.progress(ws, job, "vectors", done, total)
        if progress:
            progress(done, total)

    report()
    lexical.prepare(
        ws, source_id
    )  # word search is ready before the first vector; queries only load it
    _sync_removals(ws, settings)
    vectors.delete_source(ws, source_id, settings=settings)  # vectors of an older chunking
    for start in range(0, len(ready), 2048):  # what a crash left stored: no re-embedding
        batch = ready[start : start + 2048]
        vectors.add(ws, batch, np.stack([stored[p.id] for p in batch]), settings=settings)
    if todo:
        embedder = get_embedder(settings)
        todo.sort(key=lambda p: len(p.text))  # length buckets: little padding per batch
        for start in range(0, len(todo), WINDOW):
            batch = todo[start : start + WINDOW]
            emb = np.asarray(embedder.embed([p.text for p in batch]), dtype=_DTYPE)
            ws.store_embeddings([(p.id, emb[i].tobytes()) for i, p in enumerate(batch)])
            vectors.add(ws, batch, emb.astype(np.float32), settings=settings)
            done += len(batch)
            report()
    ws.set_indexed(source_id)
    log.info("Indexed %d passages of source %s (%d embedded now)", total, source_id[:12], len(todo))
    return total


def _sync_removals(ws: Workspace, settings: Settings) -> None:
    """Drop the vectors of sources removed since the index last synced (removing a source
    only touches SQLite, so `folio remove` never has to load the vector index)."""
    with ws.connect() as con:
        rows = con.execute(
            "SELECT t.source_id, s.id IS NOT NULL AS back FROM vector_tombstones t"
            " LEFT JOIN sources s ON s.id = t.source_id"
        ).fetchall()
    for row in rows:
        if not row["back"]:  # re-added meanwhile: its indexer replaces its vectors anyway
            vectors.delete_source(ws, row["source_id"], settings=settings)
        with ws.transaction() as con:
            con.execute("DELETE FROM vector_tombstones WHERE source_id=?", (row["source_id"],))


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
    settings: Settings,
) -> int:
    """Chunk, store passages, embed, add vectors, mark indexed. The source must be stored."""
    if not ws.has_source(source.id):
        raise FolioError(f"Source {source.id[:12]} is not in this workspace; add it first.")
    passages = chunk_source(source, settings)
    store_passages(ws, source.id, passages)
    return index_vectors(ws, source.id, passages, progress=progress, settings=settings)


def remove_source_index(ws: Workspace, source_id: str, *, settings: Settings) -> None:
    """Forget a source's passages and vectors (the source itself stays: ws.remove_source)."""
    if ws.has_source(source_id):
        store_passages(ws, source_id, [])  # also clears indexed_at: repair can redo it
    vectors.delete_source(ws, source_id, settings=settings)
    lexical.invalidate(ws, source_id)


_repair_lock = threading.Lock()


def resume(
    ws: Workspace, source_id: str, *, progress: Progress | None = None, settings: Settings
) -> int:
    """Finish indexing one stored source, keeping its passages and stored embeddings."""
    passages = ws.passages_for(source_ids=[source_id])
    if not passages:  # cut short before its passages were stored (or never chunked)
        return index_source(ws, ws.get_source(source_id), progress=progress, settings=settings)
    return index_vectors(ws, source_id, passages, progress=progress, settings=settings)


def finish_interrupted(ws: Workspace, *, settings: Settings, wait: bool = True) -> list[str]:
    """Index sources whose indexing was cut short and that no live process is indexing.

    A cheap query on every search. With wait=False the work runs in a background thread
    and this returns at once (search then answers from what is indexed so far).
    """
    if not settings.vector_url.strip():
        vectors.client(ws, settings=settings)  # a damaged index is rebuilt here, first
    pending = [
        sid for sid in ws.unindexed_source_ids() if jobs.running_for(ws, INDEX_JOB, sid) is None
    ]
    if not pending:
        return []
    if not wait:
        threading.Thread(
            target=_finish_quietly, args=(ws, pending, settings), name="folio-index", daemon=True
        ).start()
        return pending
    with _repair_lock:
        for sid in pending:
            log.warning("Source %s was not fully indexed; finishing it now", sid[:12])
            resume(ws, sid, settings=settings)
        return pending


def _finish_quietly(ws: Workspace, pending: list[str], settings: Settings) -> None:
    try:
        with _repair_lock:
            for sid in pending:
                resume(ws, sid, settings=settings)
    except Exception:  # the next search tries again
        log.exception("Background indexing failed")


def repair(ws: Workspace, *, progress: Progress | None = None, settings: Settings) -> list[str]:
    """Index every source left unindexed or with vectors missing; drop orphan vectors.

    Returns the ids of the sources it (re)indexed.
    """
    fixed: list[str] = []
    unindexed = set(ws.unindexed_source_ids())
    for source in ws.list_sources():
        sid = source.id
        if sid in unindexed:
            log.warning("Source %s was never fully indexed; indexing it now", sid[:12])
            resume(ws, sid, progress=progress, settings=settings)
            fixed.append(sid)
            continue
        passages = ws.passages_for(source_ids=[sid])
        have = vectors.ids_for_source(ws, sid, settings=settings)
        _backfill(ws, sid, have, settings)
        if {p.id for p in passages} != have:
            log.warning("Vectors of source %s are out of step; re-embedding", sid[:12])
            if not passages:
                index_source(ws, ws.get_source(sid), progress=progress, settings=settings)
            else:
                index_vectors(ws, sid, passages, progress=progress, settings=settings)
            fixed.append(sid)
    _sync_removals(ws, settings)
    _drop_orphans(ws, settings=settings)
    return fixed


def _backfill(ws: Workspace, source_id: str, have: set[str], settings: Settings) -> None:
    """A workspace from before embeddings were stored: copy them out of the vector index."""
    embedded, total = ws.embedding_counts(source_id)
    if embedded == total or not have:
        return
    res = vectors.collection(ws, settings=settings).get(ids=sorted(have), include=["embeddings"])
    ws.store_embeddings(
        [(pid, encode(e)) for pid, e in zip(res["ids"], res["embeddings"], strict=True)]
    )


def _drop_orphans(ws: Workspace, *, settings: Settings) -> None:
    with ws.connect() as con:
        stored = int(con.execute("SELECT COUNT(*) FROM passages").fetchone()[0])
    if vectors.count(ws, settings=settings) <= stored:
        return  # every vector was matched to a passage source by source above
    known = {s.id for s in ws.list_sources()}
    for sid, ids in vectors.all_source_ids(ws, settings=settings).items():
        if sid not in known:
            log.warning("Dropping %d vectors of removed source %s", len(ids), sid[:12])
            vectors.delete_ids(ws, ids, settings=settings)
