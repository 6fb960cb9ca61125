"""SQLite schema and its migrations; `PRAGMA user_version` is the schema version.

To change the schema, append a migration; never edit one that has shipped, so an
older workspace always opens in a newer Folio.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: the first schema
    """
    CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        file_name TEXT NOT NULL,
        format TEXT NOT NULL,
        authors TEXT NOT NULL DEFAULT '[]',
        page_count INTEGER,
        word_count INTEGER NOT NULL DEFAULT 0,
        blob TEXT NOT NULL,
        added_at TEXT NOT NULL,
        indexed_at TEXT
    );
    CREATE TABLE chapters (
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        title TEXT NOT NULL,
        level INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL,
        parent INTEGER,
        page_start INTEGER,
        page_end INTEGER,
        href TEXT,
        anchor TEXT,
        words INTEGER NOT NULL DEFAULT 0,
        text TEXT NOT NULL,
        page_spans TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (source_id, idx)
    );
    CREATE TABLE passages (
        id TEXT PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        chapter_id TEXT NOT NULL,
        chapter_idx INTEGER NOT NULL,
        ord INTEGER NOT NULL,
        text TEXT NOT NULL,
        start INTEGER NOT NULL,
        end_ INTEGER NOT NULL,
        pages TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX passages_by_chapter ON passages(chapter_id);
    CREATE INDEX passages_by_source ON passages(source_id, chapter_idx, ord);
    CREATE TABLE summaries (
        key TEXT PRIMARY KEY,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE chats (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notebook TEXT NOT NULL,
        role TEXT NOT NULL,
        content TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    CREATE INDEX chats_by_notebook ON chats(notebook, id);
    CREATE TABLE notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        notebook TEXT NOT NULL,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL
    );
    CREATE TABLE episodes (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        payload TEXT NOT NULL,
        audio_path TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        stage TEXT NOT NULL DEFAULT '',
        done INTEGER NOT NULL DEFAULT 0,
        total INTEGER NOT NULL DEFAULT 0,
        message TEXT NOT NULL DEFAULT '',
        payload TEXT NOT NULL DEFAULT '{}',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 2: notes are listed per notebook
    """
    CREATE INDEX IF NOT EXISTS notes_by_notebook ON notes(notebook, id);
    """,
    # 3: vectors are derived data kept with their passages (float16, little-endian), so the
    # vector index can be rebuilt without re-embedding; removals waiting for the index
    """
    ALTER TABLE passages ADD COLUMN embedding BLOB;
    CREATE INDEX passages_unembedded ON passages(source_id) WHERE embedding IS NULL;
    CREATE TABLE vector_tombstones (
        source_id TEXT PRIMARY KEY,
        removed_at TEXT NOT NULL
    );
    """,
    # 4: chapter notes, one set per chapter and maker (a model, or the offline digest),
    # valid while the chapter's text is the one they were made from (text_sha)
    """
    CREATE TABLE chapter_notes (
        chapter_id TEXT NOT NULL,
        source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        maker TEXT NOT NULL,
        text_sha TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (chapter_id, maker)
    );
    """,
    # 5: a chapter's own number as the document prints it ("2.1", "IV"), and what is printed
    # beside its prose (footnotes and captions, each with its page), as JSON
    """
    ALTER TABLE chapters ADD COLUMN label TEXT;
    ALTER TABLE chapters ADD COLUMN asides TEXT NOT NULL DEFAULT '[]';
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(con: sqlite3.Connection) -> None:
    """Bring the database up to SCHEMA_VERSION, one migration per transaction."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        from pipelines.errors import FolioError

        raise FolioError(
            f"This workspace was written by a newer Folio (schema {version}); upgrade Folio."
        )
    for number in range(version, SCHEMA_VERSION):
        con.execute("BEGIN IMMEDIATE")
        try:
            # re-check under the write lock: another process may have migrated meanwhile
            if con.execute("PRAGMA user_version").fetchone()[0] > number:
                con.execute("ROLLBACK")
                continue
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    con.execute(statement)
            con.execute(f"PRAGMA user_version={number + 1}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
