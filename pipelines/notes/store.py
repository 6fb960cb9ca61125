"""Chapter notes kept in the workspace: one set per chapter and maker, valid while the
chapter's text is the one they were made from."""

from __future__ import annotations

import hashlib
import json

from pipelines.notes.schema import ChapterNotes
from pipelines.types import Chapter
from pipelines.workspace.store import Workspace, utc_now

# A maker whose way of making notes changed: its older notes are made again.
# "offline digest" 2: the cast is found by `notes.names` (spaCy's entity tags missed most).
MAKER_REVISIONS = {"offline digest": "2"}


def text_sha(chapter: Chapter, maker: str = "") -> str:
    revision = MAKER_REVISIONS.get(maker, "")
    text = chapter.text + (f"\n#revision {revision}" if revision else "")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load(ws: Workspace, chapter: Chapter, maker: str) -> ChapterNotes | None:
    """The stored notes of `chapter` by `maker`, or None when there are none or the
    chapter's text has changed since they were made."""
    with ws.connect() as con:
        row = con.execute(
            "SELECT text_sha, payload FROM chapter_notes WHERE chapter_id=? AND maker=?",
            (chapter.id, maker),
        ).fetchone()
    if row is None or row["text_sha"] != text_sha(chapter, maker):
        return None
    return ChapterNotes.model_validate(json.loads(row["payload"]))


def save(ws: Workspace, chapter: Chapter, maker: str, notes: ChapterNotes) -> None:
    with ws.transaction() as con:
        con.execute(
            "INSERT OR REPLACE INTO chapter_notes"
            "(chapter_id, source_id, maker, text_sha, payload, created_at) VALUES (?,?,?,?,?,?)",
            (
                chapter.id,
                chapter.source_id,
                maker,
                text_sha(chapter, maker),
                notes.model_dump_json(),
                utc_now(),
            ),
        )


def forget(ws: Workspace, source_id: str) -> int:
    """Drop every stored note of a source (they are re-made on demand)."""
    with ws.transaction() as con:
        return con.execute("DELETE FROM chapter_notes WHERE source_id=?", (source_id,)).rowcount
