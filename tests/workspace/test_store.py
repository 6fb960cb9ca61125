"""The workspace on disk: atomic writes, migrations, concurrency-safe connections."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from pipelines.errors import FolioError, NotFoundError
from pipelines.types import Chapter, ChapterKind, PageSpan, Passage, Source, SourceKind
from pipelines.workspace.schema import SCHEMA_VERSION
from pipelines.workspace.store import Workspace


def make_source(source_id: str = "ab" * 32, title: str = "A Book") -> Source:
    chapters = [
        Chapter(index=1, title="Title page", text="A Book", kind=ChapterKind.FRONT_MATTER),
        Chapter(index=2, title="Part One", text="", kind=ChapterKind.PART),
        Chapter(
            index=3,
            title="Chapter 1",
            text="It was a dark night. " * 20,
            level=1,
            parent=2,
            page_start=3,
            page_end=4,
            page_spans=[PageSpan(0, 3), PageSpan(200, 4)],
        ),
    ]
    for c in chapters:
        c.source_id = source_id
    return Source(
        id=source_id,
        title=title,
        kind=SourceKind.BOOK,
        file_name="book.pdf",
        format="pdf",
        authors=["Someone"],
        page_count=4,
        chapters=chapters,
    )


def test_source_round_trips_with_chapters_pages_and_blob(workspace: Workspace) -> None:
    source = make_source()
    workspace.add_source(source, b"%PDF-1.4 original bytes")
    again = Workspace(workspace.home).get_source(source.id)
    assert again.title == "A Book" and again.authors == ["Someone"]
    assert [c.title for c in again.chapters] == ["Title page", "Part One", "Chapter 1"]
    chapter = again.chapter(3)
    assert chapter.parent == 2 and chapter.level == 1 and chapter.pages == (3, 4)
    assert chapter.page_at(10) == 3 and chapter.page_at(250) == 4
    blob = workspace.blob_path(source.id, source.file_name)
    assert blob.read_bytes() == b"%PDF-1.4 original bytes"


def test_failed_write_leaves_nothing_behind(workspace: Workspace) -> None:
    source = make_source()
    bad = Passage(
        id="p1",
        source_id="missing-source",
        chapter_id="x",
        chapter_index=1,
        text="t",
        start=0,
        end=1,
    )
    with pytest.raises(sqlite3.IntegrityError):
        workspace.add_source(source, b"bytes", passages=[bad])  # FK violation mid-transaction
    assert workspace.list_sources() == []
    with workspace.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM chapters").fetchone()[0] == 0


def test_remove_cascades_to_chapters_and_passages(workspace: Workspace) -> None:
    source = make_source()
    passage = Passage(
        id="p1",
        source_id=source.id,
        chapter_id=source.chapters[2].id,
        chapter_index=3,
        text="It was",
        start=0,
        end=6,
        pages=[3],
    )
    workspace.add_source(source, b"bytes", passages=[passage])
    assert workspace.get_passages(["p1"])["p1"].pages == [3]
    workspace.remove_source(source.id)
    assert workspace.list_sources() == []
    assert workspace.get_passages(["p1"]) == {}
    assert not workspace.blob_path(source.id, source.file_name).exists()
    with pytest.raises(NotFoundError):
        workspace.get_source(source.id)


def test_resolve_source_by_prefix_number_and_title(workspace: Workspace) -> None:
    workspace.add_source(make_source("ab" * 32, "The Time Machine"), b"1")
    workspace.add_source(make_source("cd" * 32, "Moby-Dick"), b"2")
    assert workspace.resolve_source("abab").title == "The Time Machine"
    assert workspace.resolve_source("2").title == "Moby-Dick"
    assert workspace.resolve_source("moby").title == "Moby-Dick"
    with pytest.raises(NotFoundError, match="folio sources"):
        workspace.resolve_source("war and peace")


def test_schema_version_and_newer_workspace_refused(workspace: Workspace) -> None:
    with workspace.connect() as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    with pytest.raises(FolioError, match="newer Folio"):
        Workspace(workspace.home)


def test_concurrent_writers_do_not_surface_locks(workspace: Workspace) -> None:
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            ws = Workspace(workspace.home)
            for i in range(10):
                with ws.transaction() as con:
                    con.execute(
                        "INSERT INTO notes(notebook, title, body, created_at) VALUES (?,?,?,?)",
                        (f"nb{n}", f"t{i}", "body", "now"),
                    )
        except BaseException as exc:  # pragma: no cover - the assertion reports it
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with workspace.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 40
