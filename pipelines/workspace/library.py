"""The library: adding, listing and removing sources as one unit of ingest + store + index.

The CLI and the app both call these functions; neither talks to the parsers or the
index directly.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines import ingest
from pipelines.errors import FolioError, IngestError, LimitError
from pipelines.settings import IngestSettings
from pipelines.types import Chapter, Source

if TYPE_CHECKING:
    from pipelines.session import Session

log = logging.getLogger(__name__)

# the repository's sample_sources/ (pipelines/workspace/library.py -> parents[2])
SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_sources"
SAMPLE_SUFFIXES = {".pdf", ".epub", ".txt", ".md"}

Progress = Callable[[int, int], None]


@dataclass
class AddResult:
    source: Source
    created: bool  # False when the same bytes were already in the workspace


def check_upload(files: list[tuple[str, int]], limits: IngestSettings) -> None:
    """Refuse an upload over the configured limits before any work starts.

    `files` are (name, size in bytes). Raises LimitError naming the limit and the file.
    """
    if len(files) > limits.max_files_per_upload:
        raise LimitError(
            f"That is {len(files)} files; add at most {limits.max_files_per_upload} at a time "
            "(FOLIO_INGEST__MAX_FILES_PER_UPLOAD)."
        )
    for name, size in files:
        if size > limits.max_file_mb * 1024 * 1024:
            raise LimitError(
                f"'{ingest.clean_file_name(name)}' is {size / 1e6:.0f} MB; the limit is "
                f"{limits.max_file_mb} MB (FOLIO_INGEST__MAX_FILE_MB)."
            )


def add_bytes(
    session: Session,
    data: bytes,
    file_name: str,
    *,
    progress: Progress | None = None,
) -> AddResult:
    """Parse, store and index one file. Re-adding the same bytes returns the existing source.

    The source, its chapters and its passages are written in one transaction; vectors
    follow, and `indexed_at` is set last, so a crash in between is repaired by
    `index.repair` on the next open instead of leaving an unsearchable source.
    """
    ws, settings = session.workspace, session.settings
    existing = hashlib.sha256(data).hexdigest()
    if ws.has_source(existing):
        if existing in ws.unindexed_source_ids():  # an earlier ingest was cut short
            from pipelines.index.indexing import finish_interrupted

            finish_interrupted(ws, settings=settings)
        return AddResult(ws.get_source(existing), created=False)
    source = ingest.parse_bytes(data, file_name, settings)
    from pipelines.index import chunk_source, index_vectors

    passages = chunk_source(source, settings=settings)
    try:
        ws.add_source(source, data, passages=passages)
    except sqlite3.IntegrityError:  # another process added the same file meanwhile
        return AddResult(ws.get_source(source.id), created=False)
    index_vectors(ws, source.id, passages, progress=progress, settings=settings)
    return AddResult(ws.get_source(source.id), created=True)


def add_file(session: Session, path: Path | str, *, progress: Progress | None = None) -> AddResult:
    path = Path(path)
    if not path.is_file():
        raise IngestError(path.name, "no such file.")
    return add_bytes(session, path.read_bytes(), path.name, progress=progress)


def remove_source(session: Session, source_id: str) -> None:
    """Remove the source, its chapters, passages and stored embeddings in one transaction.

    The vectors go too when this process already has the vector index loaded (the app);
    otherwise (a one-shot `folio remove`) only SQLite is touched, so removing is instant,
    and the vectors are dropped the next time the index syncs (`indexing._sync_removals`).
    Until then no search can reach them: every search is scoped to sources that exist.
    """
    session.workspace.remove_source(source_id)
    if "pipelines.index.vectors" in sys.modules:
        from pipelines.index.indexing import _sync_removals

        _sync_removals(session.workspace, session.settings)


def sample_files(folder: Path = SAMPLE_DIR) -> list[Path]:
    """The sample documents in `folder` (its README is not one)."""
    return [
        p
        for p in sorted(folder.glob("*"))
        if p.is_file() and p.suffix.lower() in SAMPLE_SUFFIXES and p.name.lower() != "readme.md"
    ]


def ensure_samples(
    session: Session,
    *,
    files: Iterable[Path] | None = None,
    progress: Progress | None = None,
) -> list[AddResult]:
    """Add the bundled sample sources (idempotent: same bytes are a no-op).

    Raises FolioError when there is nothing to add: being asked for the samples and
    adding none is a broken install, never a quiet success."""
    paths = list(files) if files is not None else sample_files()
    if not paths:
        raise FolioError(
            f"No sample documents found in {SAMPLE_DIR}; the checkout is incomplete "
            "(sample_sources/ should hold two books and a paper)."
        )
    return [add_file(session, p, progress=progress) for p in paths]


# -- views shared by the CLI (--json) and the app -------------------------------------
def source_summary(source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "authors": source.authors,
        "kind": str(source.kind),
        "format": source.format,
        "file_name": source.file_name,
        "pages": source.page_count,
        "chapters": len(source.chapters),
        "words": source.word_count,
        "added_at": source.added_at,
    }


def chapter_tree(chapters: list[Chapter]) -> list[dict[str, Any]]:
    """Nest chapters under their parents: the shape of `folio chapters --json`."""
    nodes: dict[int, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for c in chapters:
        node = {
            "index": c.index,
            "title": c.title,
            "level": c.level,
            "kind": str(c.kind),
            "pages": list(c.pages) if c.pages else None,
            "words": c.word_count,
            "children": [],
        }
        nodes[c.index] = node
        parent = nodes.get(c.parent) if c.parent is not None else None
        (parent["children"] if parent is not None else roots).append(node)
    return roots
