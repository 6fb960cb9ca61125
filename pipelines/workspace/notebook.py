"""Conversations and notes, kept per notebook in the workspace.

A notebook is a name (the app uses one per source selection, "default" otherwise);
chats can be cleared, and any answer can be saved as a note that outlives the chat.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from pipelines.types import Answer, Citation
from pipelines.workspace.store import Workspace, utc_now

DEFAULT_NOTEBOOK = "default"


@dataclass
class ChatEntry:
    id: int
    role: str  # "user" | "assistant"
    content: str
    payload: dict[str, Any]
    created_at: str


@dataclass
class Note:
    id: int
    title: str
    body: str
    payload: dict[str, Any]
    created_at: str


def answer_payload(answer: Answer) -> dict[str, Any]:
    """What is kept of an answer: enough to re-render it with its citations."""
    return {
        "citations": [asdict(c) for c in answer.citations],
        "supported": answer.supported,
        "scope": answer.scope_label,
        "notes": answer.notes,
        "backend": answer.backend,
        "written_by": answer.written_by,
        "closest": [
            {
                "passage_id": h.passage.id,
                "chapter_index": h.passage.chapter_index,
                "pages": h.passage.pages,
                "text": h.passage.text,
            }
            for h in (answer.closest if not answer.supported else [])
        ],
    }


def citations_from_payload(payload: dict[str, Any]) -> list[Citation]:
    return [Citation(**c) for c in payload.get("citations", [])]


def record_exchange(ws: Workspace, notebook: str, answer: Answer) -> int:
    """The question and its answer, written together (never a question without its answer).
    Returns the id of the answer's entry."""
    now = utc_now()
    with ws.transaction() as con:
        con.execute(
            "INSERT INTO chats(notebook, role, content, created_at) VALUES (?,?,?,?)",
            (notebook, "user", answer.question, now),
        )
        cur = con.execute(
            "INSERT INTO chats(notebook, role, content, payload, created_at) VALUES (?,?,?,?,?)",
            (notebook, "assistant", answer.text, json.dumps(answer_payload(answer)), now),
        )
        return int(cur.lastrowid or 0)


def history(ws: Workspace, notebook: str, limit: int = 200) -> list[ChatEntry]:
    with ws.connect() as con:
        rows = con.execute(
            "SELECT * FROM (SELECT * FROM chats WHERE notebook=? ORDER BY id DESC LIMIT ?) ORDER BY id",
            (notebook, limit),
        ).fetchall()
    return [
        ChatEntry(r["id"], r["role"], r["content"], json.loads(r["payload"]), r["created_at"])
        for r in rows
    ]


def clear_history(ws: Workspace, notebook: str) -> int:
    with ws.transaction() as con:
        return con.execute("DELETE FROM chats WHERE notebook=?", (notebook,)).rowcount


def save_note(
    ws: Workspace, notebook: str, title: str, body: str, payload: dict | None = None
) -> int:
    with ws.transaction() as con:
        cur = con.execute(
            "INSERT INTO notes(notebook, title, body, payload, created_at) VALUES (?,?,?,?,?)",
            (
                notebook,
                title.strip() or "Untitled note",
                body,
                json.dumps(payload or {}),
                utc_now(),
            ),
        )
        return int(cur.lastrowid or 0)


def save_answer_as_note(ws: Workspace, notebook: str, answer: Answer) -> int:
    return save_note(ws, notebook, answer.question, answer.text, answer_payload(answer))


def notes(ws: Workspace, notebook: str | None = None) -> list[Note]:
    sql, args = "SELECT * FROM notes", []
    if notebook is not None:
        sql, args = sql + " WHERE notebook=?", [notebook]
    with ws.connect() as con:
        rows = con.execute(sql + " ORDER BY id DESC", args).fetchall()
    return [
        Note(r["id"], r["title"], r["body"], json.loads(r["payload"]), r["created_at"])
        for r in rows
    ]


def delete_note(ws: Workspace, note_id: int) -> None:
    with ws.transaction() as con:
        con.execute("DELETE FROM notes WHERE id=?", (note_id,))
