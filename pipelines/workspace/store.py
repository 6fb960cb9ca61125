"""The workspace on disk: SQLite metadata (WAL) and original files stored by content hash.

Layout of a workspace folder:
    folio.db      sources, chapters, passages, chats, notes, summaries, episodes, jobs
    blobs/        original files, named by sha256
    vectors/      the on-disk vector index (owned by pipelines.index.vectors)
    episodes/     rendered podcasts
    cache/        re-creatable data (TTS turn cache, exported models)

Every write runs in one IMMEDIATE transaction, so a crash leaves either the whole
change or none of it. Connections are short-lived and per call, which makes the
workspace safe to share between threads (Streamlit) and processes (app + CLI).
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pipelines.errors import NotFoundError
from pipelines.types import Aside, Chapter, ChapterKind, PageSpan, Passage, Source, SourceKind
from pipelines.workspace.schema import migrate

BUSY_TIMEOUT_MS = 30_000


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def atomic_write(path: Path, data: bytes) -> None:
    """Write via a temp file + rename so readers never see a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class Workspace:
    """A Folio workspace folder. Cheap to construct; opens SQLite per operation."""

    def __init__(self, home: Path | str) -> None:
        self.home = Path(home).expanduser()
        for sub in ("blobs", "vectors", "episodes", "cache"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        self.db_path = self.home / "folio.db"
        with self.connect() as con:
            con.execute("PRAGMA journal_mode=WAL")
            migrate(con)

    # -- connections -------------------------------------------------------------
    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        con = sqlite3.connect(self.db_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        con.row_factory = sqlite3.Row
        con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA foreign_keys=ON")
        con.execute("PRAGMA synchronous=NORMAL")
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write: BEGIN IMMEDIATE takes the write lock up front (no upgrade deadlock)."""
        with self.connect() as con:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # -- blobs ---------------------------------------------------------------------
    @property
    def vectors_dir(self) -> Path:
        return self.home / "vectors"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def episodes_dir(self) -> Path:
        return self.home / "episodes"

    @property
    def workspace_id(self) -> str:
        """A stable random id of this workspace (names its collection on a shared server)."""
        path = self.home / "workspace.id"
        if not path.exists():
            import uuid

            tmp = self.home / f".workspace.id.{uuid.uuid4().hex}"
            tmp.write_text(uuid.uuid4().hex)
            try:
                os.link(tmp, path)  # atomic, and the first writer wins
            except FileExistsError:
                pass
            finally:
                tmp.unlink(missing_ok=True)
        return path.read_text().strip()

    def blob_path(self, source_id: str, file_name: str) -> Path:
        suffix = Path(file_name).suffix.lower()[:10]
        return self.home / "blobs" / source_id[:2] / f"{source_id}{suffix}"

    # -- sources -------------------------------------------------------------------
    def has_source(self, source_id: str) -> bool:
        with self.connect() as con:
            row = con.execute("SELECT 1 FROM sources WHERE id=?", (source_id,)).fetchone()
        return row is not None

    def add_source(
        self, source: Source, data: bytes, passages: list[Passage] | None = None
    ) -> None:
        """Store the original bytes, the source and its chapters (and passages) atomically."""
        blob = self.blob_path(source.id, source.file_name)
        if not blob.exists():
            atomic_write(blob, data)
        source.added_at = source.added_at or utc_now()
        with self.transaction() as con:
            con.execute(
                "INSERT INTO sources(id, title, kind, file_name, format, authors, page_count,"
                " word_count, blob, added_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    source.id,
                    source.title,
                    str(source.kind),
                    source.file_name,
                    source.format,
                    json.dumps(source.authors),
                    source.page_count,
                    source.word_count,
                    str(blob.relative_to(self.home)),
                    source.added_at,
                ),
            )
            con.executemany(
                "INSERT INTO chapters(source_id, idx, title, level, kind, parent, page_start,"
                " page_end, href, anchor, words, text, page_spans, label, asides)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [_chapter_row(source.id, c) for c in source.chapters],
            )
            if passages is not None:
                self._insert_passages(con, passages)

    def list_sources(self) -> list[Source]:
        with self.connect() as con:
            rows = con.execute("SELECT * FROM sources ORDER BY added_at, rowid").fetchall()
        return [_source_from_row(r) for r in rows]

    def get_source(self, source_id: str, *, with_chapters: bool = True) -> Source:
        with self.connect() as con:
            row = con.execute("SELECT * FROM sources WHERE id=?", (source_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"No source with id {source_id[:12]} in this workspace.")
            source = _source_from_row(row)
            if with_chapters:
                rows = con.execute(
                    "SELECT * FROM chapters WHERE source_id=? ORDER BY idx", (source_id,)
                ).fetchall()
                source.chapters = [_chapter_from_row(r) for r in rows]
        return source

    def resolve_source(self, ref: str) -> Source:
        """Find a source by id prefix, list position (1-based), or a word of its title."""
        sources = self.list_sources()
        ref = ref.strip()
        if not sources:
            raise NotFoundError(
                "The workspace has no sources yet; add one with `folio ingest FILE`."
            )
        if ref.isdigit() and 1 <= int(ref) <= len(sources) and len(ref) < 6:
            return self.get_source(sources[int(ref) - 1].id)
        by_id = [s for s in sources if s.id.startswith(ref.lower())]
        if len(by_id) == 1:
            return self.get_source(by_id[0].id)
        needle = ref.lower()
        for matches in _title_matches(sources, needle):
            if len(matches) == 1:
                return self.get_source(matches[0].id)
            if len(matches) > 1:
                names = ", ".join(f"'{s.title}'" for s in matches[:5])
                raise NotFoundError(
                    f"'{ref}' matches several sources ({names}); use more of the title or the id."
                )
        raise NotFoundError(f"No source matches '{ref}'. `folio sources` lists ids and titles.")

    def get_chapter(self, source_id: str, index: int) -> Chapter:
        with self.connect() as con:
            row = con.execute(
                "SELECT * FROM chapters WHERE source_id=? AND idx=?", (source_id, index)
            ).fetchone()
        if row is None:
            raise NotFoundError(
                f"Chapter {index} does not exist; `folio chapters SOURCE` lists the numbers."
            )
        return _chapter_from_row(row)

    def remove_source(self, source_id: str) -> None:
        """Delete metadata, passages and cached summaries; the blob goes last."""
        source = self.get_source(source_id, with_chapters=False)
        with self.transaction() as con:
            # chapters, passages (and their embeddings), summaries cascade through foreign
            # keys; the vector index drops the source's vectors when it next syncs
            con.execute("DELETE FROM sources WHERE id=?", (source_id,))
            con.execute(
                "INSERT OR REPLACE INTO vector_tombstones(source_id, removed_at) VALUES (?,?)",
                (source_id, utc_now()),
            )
        blob = self.blob_path(source.id, source.file_name)
        blob.unlink(missing_ok=True)

    # -- passages ----------------------------------------------------------------
    @staticmethod
    def _insert_passages(con: sqlite3.Connection, passages: list[Passage]) -> None:
        con.executemany(
            "INSERT OR REPLACE INTO passages(id, source_id, chapter_id, chapter_idx, ord, text,"
            " start, end_, pages) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    p.id,
                    p.source_id,
                    p.chapter_id,
                    p.chapter_index,
                    i,
                    p.text,
                    p.start,
                    p.end,
                    json.dumps(p.pages),
                )
                for i, p in enumerate(passages)
            ],
        )

    def add_passages(self, passages: list[Passage]) -> None:
        with self.transaction() as con:
            self._insert_passages(con, passages)

    def passages_for(
        self, *, source_ids: list[str] | None = None, chapter_ids: list[str] | None = None
    ) -> list[Passage]:
        sql = "SELECT * FROM passages"
        args: list[str] = []
        clauses = []
        if source_ids is not None:
            clauses.append(f"source_id IN ({','.join('?' * len(source_ids))})")
            args += source_ids
        if chapter_ids is not None:
            clauses.append(f"chapter_id IN ({','.join('?' * len(chapter_ids))})")
            args += chapter_ids
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY source_id, chapter_idx, ord"
        with self.connect() as con:
            rows = con.execute(sql, args).fetchall()
        return [_passage_from_row(r) for r in rows]

    def get_passages(self, ids: list[str]) -> dict[str, Passage]:
        out: dict[str, Passage] = {}
        with self.connect() as con:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                rows = con.execute(
                    f"SELECT * FROM passages WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
                out.update({r["id"]: _passage_from_row(r) for r in rows})
        return out

    def set_indexed(self, source_id: str, indexed: bool = True) -> None:
        with self.transaction() as con:
            con.execute(
                "UPDATE sources SET indexed_at=? WHERE id=?",
                (utc_now() if indexed else None, source_id),
            )

    # -- embeddings (derived data kept with the passages) -------------------------------
    def store_embeddings(self, pairs: list[tuple[str, bytes]]) -> None:
        """(passage id, float16 bytes) in one transaction."""
        with self.transaction() as con:
            con.executemany(
                "UPDATE passages SET embedding=? WHERE id=?", [(b, pid) for pid, b in pairs]
            )

    def embedding_counts(self, source_id: str) -> tuple[int, int]:
        """(passages with a stored embedding, all passages) of a source."""
        with self.connect() as con:
            row = con.execute(
                "SELECT COUNT(embedding), COUNT(*) FROM passages WHERE source_id=?", (source_id,)
            ).fetchone()
        return int(row[0]), int(row[1])

    def is_indexed(self, source_id: str) -> bool:
        with self.connect() as con:
            row = con.execute("SELECT indexed_at FROM sources WHERE id=?", (source_id,)).fetchone()
        return row is not None and row[0] is not None

    def unindexed_source_ids(self) -> list[str]:
        with self.connect() as con:
            rows = con.execute("SELECT id FROM sources WHERE indexed_at IS NULL").fetchall()
        return [r["id"] for r in rows]


def _title_matches(sources: list[Source], needle: str) -> Iterator[list[Source]]:
    """Candidate lists from the strictest match to the loosest: the first non-empty wins."""

    def words(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    def bare(text: str) -> str:
        return re.sub(r"^(the|a|an)\s+", "", text.lower().strip())

    yield [s for s in sources if s.title.lower() == needle]
    yield [s for s in sources if bare(s.title).startswith(bare(needle))]
    yield [s for s in sources if set(words(needle)) <= set(words(s.title))]
    yield [s for s in sources if needle in s.title.lower() or needle in s.file_name.lower()]


# -- row mapping -------------------------------------------------------------------
def _chapter_row(source_id: str, c: Chapter) -> tuple:
    return (
        source_id,
        c.index,
        c.title,
        c.level,
        str(c.kind),
        c.parent,
        c.page_start,
        c.page_end,
        c.href,
        c.anchor,
        c.word_count,
        c.text,
        json.dumps([[s.start, s.page] for s in c.page_spans]),
        c.label,
        json.dumps([[a.kind, a.text, a.page] for a in c.asides]),
    )


def _chapter_from_row(r: sqlite3.Row) -> Chapter:
    return Chapter(
        index=r["idx"],
        title=r["title"],
        text=r["text"],
        level=r["level"],
        kind=ChapterKind(r["kind"]),
        parent=r["parent"],
        page_start=r["page_start"],
        page_end=r["page_end"],
        href=r["href"],
        anchor=r["anchor"],
        page_spans=[PageSpan(start=s, page=p) for s, p in json.loads(r["page_spans"] or "[]")],
        source_id=r["source_id"],
        label=r["label"],
        asides=[Aside(k, t, p) for k, t, p in json.loads(r["asides"] or "[]")],
    )


def _source_from_row(r: sqlite3.Row) -> Source:
    return Source(
        id=r["id"],
        title=r["title"],
        kind=SourceKind(r["kind"]),
        file_name=r["file_name"],
        format=r["format"],
        authors=json.loads(r["authors"] or "[]"),
        page_count=r["page_count"],
        added_at=r["added_at"],
    )


def _passage_from_row(r: sqlite3.Row) -> Passage:
    return Passage(
        id=r["id"],
        source_id=r["source_id"],
        chapter_id=r["chapter_id"],
        chapter_index=r["chapter_idx"],
        text=r["text"],
        start=r["start"],
        end=r["end_"],
        pages=json.loads(r["pages"] or "[]"),
    )
