"""The dense index: one chroma collection of passage vectors, filtered by chapter/source.

On disk (PersistentClient under the workspace's vectors/) by default, or a Chroma
server when settings.vector_url is set. The collection carries OUR embedding
function, registered with chroma, whose config names only the embedder kind: a
reopened client (even in a new process) rebuilds it from that and never falls back
to chroma's default model (which would try to download). Vectors are always added
precomputed; chroma only holds ids, vectors and {source_id, chapter_id, chapter_index}.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from pipelines.errors import BackendError, ConfigError
from pipelines.settings import Settings
from pipelines.types import Passage
from pipelines.workspace.processes import pid_alive
from pipelines.workspace.store import Workspace

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402
from chromadb.utils.embedding_functions import register_embedding_function  # noqa: E402

log = logging.getLogger(__name__)
T = TypeVar("T")

COLLECTION = "passages"
EF_NAME = "folio-minilm"

_lock = threading.RLock()
_clients: dict[str, Any] = {}


@register_embedding_function
class FolioEmbeddingFunction(EmbeddingFunction[Documents]):
    """all-MiniLM-L6-v2 through pipelines.index.embedder; config = the embedder kind only."""

    def __init__(self, kind: str = "onnx-int8") -> None:
        self.kind = kind

    def __call__(self, input: Documents) -> Embeddings:
        from pipelines.index.embedder import get_embedder

        return list(get_embedder(self.kind).embed(list(input)))

    @staticmethod
    def name() -> str:
        return EF_NAME

    def get_config(self) -> dict[str, Any]:
        return {"kind": self.kind}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> FolioEmbeddingFunction:
        return FolioEmbeddingFunction(str(config.get("kind", "onnx-int8")))

    @staticmethod
    def validate_config(config: dict[str, Any]) -> None:
        from pipelines.index.embedder import KINDS

        if config.get("kind", "onnx-int8") not in KINDS:
            raise ValueError(f"unknown embedder kind {config.get('kind')!r}")

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]


def client(ws: Workspace, *, settings: Settings) -> Any:
    """A chroma client for this workspace (cached per path/URL for the process)."""
    url = settings.vector_url.strip()
    key = url or str(ws.vectors_dir.resolve())
    with _lock:
        if key not in _clients:
            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            if url:
                parsed = urlparse(url if "://" in url else f"http://{url}")
                if not parsed.hostname:
                    raise ConfigError(
                        f"FOLIO_VECTOR_URL '{url}' is not a URL like http://host:8000."
                    )
                ssl = parsed.scheme == "https"
                _clients[key] = chromadb.HttpClient(
                    host=parsed.hostname,
                    port=parsed.port or (443 if ssl else 8000),
                    ssl=ssl,
                    settings=chroma_settings,
                )
            else:
                _clients[key] = _open_local(ws, chroma_settings)
        return _clients[key]


# -- health of the on-disk index ---------------------------------------------------------
# Chroma's HNSW files can be left half-written by a process killed mid-write, and the next
# process to load them may crash outright (SIGSEGV). Every process that writes to the local
# index leaves a marker (locks/vector-writer-<pid>) that it removes when it exits. Before a
# process first opens the index, a marker of a dead process means "suspect": the index is
# opened, counted and queried in a child process, and if that child fails or dies the index
# is rebuilt from the embeddings kept in SQLite — no re-embedding, and no crash ever reaches
# the caller. The same rebuild happens when opening the index raises.
_written: set[str] = set()


def _locks_dir(ws: Workspace) -> Path:
    path = ws.home / "locks"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _start_time(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


def _writer_alive(marker: Path) -> bool:
    try:
        pid_text, _, started = marker.read_text().partition(" ")
        pid = int(pid_text)
    except (OSError, ValueError):
        return False
    if not pid_alive(pid):
        return False
    return not started or started == _start_time(pid)  # a reused pid is another process


def _mark_writer(ws: Workspace, settings: Settings) -> None:
    """Called before every write to the local index: this process is now a writer."""
    if settings.vector_url.strip():
        return
    key = str(ws.home.resolve())
    if key in _written:
        return
    marker = _locks_dir(ws) / f"vector-writer-{os.getpid()}"
    marker.write_text(f"{os.getpid()} {_start_time(os.getpid())}")
    _written.add(key)
    atexit.register(marker.unlink, missing_ok=True)


def _dead_writers(ws: Workspace) -> list[Path]:
    return [
        m
        for m in _locks_dir(ws).glob("vector-writer-*")
        if m.name != f"vector-writer-{os.getpid()}" and not _writer_alive(m)
    ]


PROBE = """
import sys
import numpy as np
from pipelines.index import vectors
client = vectors.chromadb.PersistentClient(
    path=sys.argv[1], settings=vectors.ChromaSettings(anonymized_telemetry=False))
names = [getattr(c, "name", c) for c in client.list_collections()]
col = client.get_collection(vectors.COLLECTION) if vectors.COLLECTION in names else None
n = col.count() if col is not None else 0
if n:
    col.query(query_embeddings=np.ones((1, 384), dtype=np.float32), n_results=min(n, 3))
    col.get(limit=3, include=["embeddings"])
"""


def probe(path: Path, timeout: float = 120.0) -> bool:
    """Open, count and query the on-disk index in a child process: True when it survives."""
    root = str(Path(__file__).resolve().parents[2])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([root, os.environ.get("PYTHONPATH", "")])}
    try:
        done = subprocess.run(
            [sys.executable, "-c", PROBE, str(path)],
            env=env,
            capture_output=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return False
    if done.returncode:
        log.warning("The vector index failed its check (exit %s)", done.returncode)
    return done.returncode == 0


@contextmanager
def _index_lock(ws: Workspace) -> Iterator[None]:
    import fcntl

    with open(_locks_dir(ws) / "vectors.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _open_local(ws: Workspace, chroma_settings: Any) -> Any:
    with _index_lock(ws):
        dead = _dead_writers(ws)
        if dead and any(ws.vectors_dir.iterdir()) and not probe(ws.vectors_dir):
            _wipe(ws)
        for marker in dead:
            marker.unlink(missing_ok=True)
        try:
            opened = _new_local(ws, chroma_settings)
        except Exception as exc:  # an index that cannot be opened is rebuilt
            log.warning("The vector index could not be opened (%s); rebuilding it", exc)
            _wipe(ws)
            opened = _new_local(ws, chroma_settings)
    return opened


def _new_local(ws: Workspace, chroma_settings: Any) -> Any:
    ws.vectors_dir.mkdir(parents=True, exist_ok=True)
    opened = chromadb.PersistentClient(path=str(ws.vectors_dir), settings=chroma_settings)
    opened.list_collections()
    return opened


def _wipe(ws: Workspace) -> None:
    """Throw the index away and mark every source for re-indexing, which refills it from
    the embeddings stored with the passages (embedding only what was never stored)."""
    from chromadb.api.client import SharedSystemClient

    log.warning("Rebuilding the vector index of %s from stored embeddings", ws.home)
    SharedSystemClient.clear_system_cache()
    shutil.rmtree(ws.vectors_dir, ignore_errors=True)
    ws.vectors_dir.mkdir(parents=True, exist_ok=True)
    with ws.transaction() as con:
        con.execute("UPDATE sources SET indexed_at=NULL")
    rebuilt.add(str(ws.home.resolve()))


rebuilt: set[str] = set()  # workspaces whose index this process rebuilt (for callers/tests)


def collection_name(ws: Workspace, settings: Settings) -> str:
    """One collection per workspace on a shared Chroma server (two workspaces may hold the
    same book, and removing it from one must not remove it from the other); on disk the
    folder is already the workspace's own."""
    return f"{COLLECTION}-{ws.workspace_id}" if settings.vector_url.strip() else COLLECTION


def collection(ws: Workspace, *, settings: Settings) -> Any:
    try:
        return client(ws, settings=settings).get_or_create_collection(
            collection_name(ws, settings),
            embedding_function=FolioEmbeddingFunction(settings.index.embedder),
            metadata={"hnsw:space": "cosine"},
        )
    except Exception as exc:
        if settings.vector_url.strip() and _is_connection_error(exc):
            raise BackendError(
                f"Could not reach the Chroma server at {settings.vector_url} ({type(exc).__name__}). "
                "Start it (`chroma run --path DIR --port PORT`) or unset FOLIO_VECTOR_URL."
            ) from exc
        raise


def _is_connection_error(exc: BaseException) -> bool:
    import httpx

    text = f"{type(exc).__name__} {exc}".lower()
    return isinstance(exc, httpx.HTTPError | ConnectionError | OSError) or "connect" in text


def forget_clients(ws: Workspace | None = None) -> None:
    """Drop cached clients (all, or this workspace's) before its folder is deleted."""
    with _lock:
        if ws is None:
            _clients.clear()
        else:
            _clients.pop(str(ws.vectors_dir.resolve()), None)


def _reopened_on_stale(fn: Callable[[], T], *, settings: Settings) -> T:
    """Run a chroma call; if another process changed the on-disk index under this
    process's cached copy (chroma then fails with "Error finding id"), reopen and retry.

    The app and the CLI share one workspace: each keeps its own in-memory HNSW copy, and
    only a fresh client sees what the other wrote.
    """
    try:
        return fn()
    except chromadb.errors.InternalError as exc:
        if settings.vector_url.strip():
            raise  # a server keeps one index; nothing stale to reopen
        log.info("Vector index changed on disk (%s); reopening it", exc)
        from chromadb.api.client import SharedSystemClient

        with _lock:
            _clients.clear()
            SharedSystemClient.clear_system_cache()
        return fn()


def add(
    ws: Workspace, passages: list[Passage], embeddings: np.ndarray, *, settings: Settings
) -> None:
    _reopened_on_stale(lambda: _add(ws, passages, embeddings, settings=settings), settings=settings)


def _add(
    ws: Workspace, passages: list[Passage], embeddings: np.ndarray, *, settings: Settings
) -> None:
    if not passages:
        return
    _mark_writer(ws, settings)
    col = collection(ws, settings=settings)
    step = max(1, min(5000, client(ws, settings=settings).get_max_batch_size()))
    for start in range(0, len(passages), step):
        batch = passages[start : start + step]
        col.upsert(
            ids=[p.id for p in batch],
            embeddings=np.asarray(embeddings[start : start + step], dtype=np.float32),
            metadatas=[
                {
                    "source_id": p.source_id,
                    "chapter_id": p.chapter_id,
                    "chapter_index": p.chapter_index,
                }
                for p in batch
            ],
        )


def scope_filter(source_ids: list[str], chapter_ids: list[str] | None) -> dict[str, Any]:
    clauses: list[dict[str, Any]] = [_in("source_id", source_ids)]
    if chapter_ids is not None:
        clauses.append(_in("chapter_id", chapter_ids))
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _in(field: str, values: list[str]) -> dict[str, Any]:
    values = sorted(set(values))
    return {field: values[0]} if len(values) == 1 else {field: {"$in": values}}


def query(
    ws: Workspace,
    embedding: np.ndarray,
    source_ids: list[str],
    chapter_ids: list[str] | None,
    n: int,
    *,
    settings: Settings,
) -> list[tuple[str, float]]:
    """(passage id, cosine similarity) best first, ties by id."""
    if not source_ids or (chapter_ids is not None and not chapter_ids):
        return []
    res = _reopened_on_stale(
        lambda: collection(ws, settings=settings).query(
            query_embeddings=np.asarray(embedding, dtype=np.float32).reshape(1, -1),
            n_results=n,
            where=scope_filter(source_ids, chapter_ids),
            include=["distances"],
        ),
        settings=settings,
    )
    hits = [
        (pid, round(1.0 - float(d), 6))  # rounding makes float noise ties resolve by id
        for pid, d in zip(res["ids"][0], res["distances"][0], strict=True)
    ]
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits


def ids_for_source(ws: Workspace, source_id: str, *, settings: Settings) -> set[str]:
    res = collection(ws, settings=settings).get(where={"source_id": source_id}, include=[])
    return set(res["ids"])


def count(ws: Workspace, *, settings: Settings) -> int:
    return int(collection(ws, settings=settings).count())


def delete_source(ws: Workspace, source_id: str, *, settings: Settings) -> None:
    _mark_writer(ws, settings)
    _reopened_on_stale(
        lambda: collection(ws, settings=settings).delete(where={"source_id": source_id}),
        settings=settings,
    )


def delete_ids(ws: Workspace, ids: list[str], *, settings: Settings) -> None:
    _mark_writer(ws, settings)
    col = collection(ws, settings=settings)
    for start in range(0, len(ids), 5000):
        col.delete(ids=ids[start : start + 5000])


def all_source_ids(ws: Workspace, *, settings: Settings) -> dict[str, list[str]]:
    """Passage ids by source id, over the whole collection (for orphan clean-up)."""
    col = collection(ws, settings=settings)
    out: dict[str, list[str]] = {}
    total = col.count()
    for offset in range(0, total, 5000):
        res = col.get(include=["metadatas"], limit=5000, offset=offset)
        for pid, meta in zip(res["ids"], res["metadatas"], strict=True):
            out.setdefault(str((meta or {}).get("source_id", "")), []).append(pid)
    return out
