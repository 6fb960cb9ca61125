"""The dense index: one chroma collection of passage vectors, filtered by chapter/source.

On disk (PersistentClient under the workspace's vectors/) by default, or a Chroma
server when settings.vector_url is set. The collection carries OUR embedding
function, registered with chroma, whose config names only the embedder kind: a
reopened client (even in a new process) rebuilds it from that and never falls back
to chroma's default model (which would try to download). Vectors are always added
precomputed; chroma only holds ids, vectors and {source_id, chapter_id, chapter_index}.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlparse

import numpy as np

from pipelines.errors import BackendError, ConfigError
from pipelines.settings import Settings
from pipelines.types import Passage
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


def client(ws: Workspace, settings: Settings | None = None) -> Any:
    """A chroma client for this workspace (cached per path/URL for the process)."""
    settings = settings or ws.settings
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
                ws.vectors_dir.mkdir(parents=True, exist_ok=True)
                _clients[key] = chromadb.PersistentClient(
                    path=str(ws.vectors_dir), settings=chroma_settings
                )
        return _clients[key]


def collection_name(ws: Workspace, settings: Settings) -> str:
    """One collection per workspace on a shared Chroma server (two workspaces may hold the
    same book, and removing it from one must not remove it from the other); on disk the
    folder is already the workspace's own."""
    return f"{COLLECTION}-{ws.workspace_id}" if settings.vector_url.strip() else COLLECTION


def collection(ws: Workspace, settings: Settings | None = None) -> Any:
    settings = settings or ws.settings
    try:
        return client(ws, settings).get_or_create_collection(
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


def _reopened_on_stale(fn: Callable[[], T], ws: Workspace, settings: Settings | None) -> T:
    """Run a chroma call; if another process changed the on-disk index under this
    process's cached copy (chroma then fails with "Error finding id"), reopen and retry.

    The app and the CLI share one workspace: each keeps its own in-memory HNSW copy, and
    only a fresh client sees what the other wrote.
    """
    try:
        return fn()
    except chromadb.errors.InternalError as exc:
        if (settings or ws.settings).vector_url.strip():
            raise  # a server keeps one index; nothing stale to reopen
        log.info("Vector index changed on disk (%s); reopening it", exc)
        from chromadb.api.client import SharedSystemClient

        with _lock:
            _clients.clear()
            SharedSystemClient.clear_system_cache()
        return fn()


def add(
    ws: Workspace, passages: list[Passage], embeddings: np.ndarray, settings: Settings | None = None
) -> None:
    _reopened_on_stale(lambda: _add(ws, passages, embeddings, settings), ws, settings)


def _add(
    ws: Workspace, passages: list[Passage], embeddings: np.ndarray, settings: Settings | None = None
) -> None:
    if not passages:
        return
    col = collection(ws, settings)
    step = max(1, min(5000, client(ws, settings).get_max_batch_size()))
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
    settings: Settings | None = None,
) -> list[tuple[str, float]]:
    """(passage id, cosine similarity) best first, ties by id."""
    if not source_ids or (chapter_ids is not None and not chapter_ids):
        return []
    res = _reopened_on_stale(
        lambda: collection(ws, settings).query(
            query_embeddings=np.asarray(embedding, dtype=np.float32).reshape(1, -1),
            n_results=n,
            where=scope_filter(source_ids, chapter_ids),
            include=["distances"],
        ),
        ws,
        settings,
    )
    hits = [
        (pid, round(1.0 - float(d), 6))  # rounding makes float noise ties resolve by id
        for pid, d in zip(res["ids"][0], res["distances"][0], strict=True)
    ]
    hits.sort(key=lambda h: (-h[1], h[0]))
    return hits


def ids_for_source(ws: Workspace, source_id: str, settings: Settings | None = None) -> set[str]:
    res = collection(ws, settings).get(where={"source_id": source_id}, include=[])
    return set(res["ids"])


def count(ws: Workspace, settings: Settings | None = None) -> int:
    return int(collection(ws, settings).count())


def delete_source(ws: Workspace, source_id: str, settings: Settings | None = None) -> None:
    _reopened_on_stale(
        lambda: collection(ws, settings).delete(where={"source_id": source_id}), ws, settings
    )


def delete_ids(ws: Workspace, ids: list[str], settings: Settings | None = None) -> None:
    col = collection(ws, settings)
    for start in range(0, len(ids), 5000):
        col.delete(ids=ids[start : start + 5000])


def all_source_ids(ws: Workspace, settings: Settings | None = None) -> dict[str, list[str]]:
    """Passage ids by source id, over the whole collection (for orphan clean-up)."""
    col = collection(ws, settings)
    out: dict[str, list[str]] = {}
    total = col.count()
    for offset in range(0, total, 5000):
        res = col.get(include=["metadatas"], limit=5000, offset=offset)
        for pid, meta in zip(res["ids"], res["metadatas"], strict=True):
            out.setdefault(str((meta or {}).get("source_id", "")), []).append(pid)
    return out
