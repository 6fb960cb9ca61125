"""Passages, vectors and scoped hybrid retrieval.

    chunk_source(source, settings) -> list[Passage]
    index_source(ws, source, *, progress=None, settings=None) -> int
    index_vectors(ws, source_id, passages, *, progress=None, settings=None) -> int
    remove_source_index(ws, source_id) ; repair(ws) -> list[str]
    search(session, query, types.Scope(...), *, k=8, mode="hybrid") -> list[ScoredPassage]
    get_embedder(settings) -> Embedder

Heavy pieces (chroma, torch, ONNX Runtime) load on first use, not on import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pipelines.index.chunking import chunk_chapter, chunk_source

if TYPE_CHECKING:
    from pipelines.index.embedder import Embedder, get_embedder
    from pipelines.index.indexing import (
        index_source,
        index_vectors,
        remove_source_index,
        repair,
    )
    from pipelines.index.retrieval import search

__all__ = [
    "Embedder",
    "chunk_chapter",
    "chunk_source",
    "get_embedder",
    "index_source",
    "index_vectors",
    "remove_source_index",
    "repair",
    "search",
]

_LAZY = {
    "Embedder": "pipelines.index.embedder",
    "get_embedder": "pipelines.index.embedder",
    "index_source": "pipelines.index.indexing",
    "index_vectors": "pipelines.index.indexing",
    "remove_source_index": "pipelines.index.indexing",
    "repair": "pipelines.index.indexing",
    "search": "pipelines.index.retrieval",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(name)
