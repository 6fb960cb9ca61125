"""Export a whole workspace to one archive and import it into another.

The archive (.tar.gz) holds a consistent snapshot of the metadata (SQLite's backup API,
never a raw copy of a live WAL database), the original files, and the episodes. Vectors
and caches are left out: they are rebuilt from the passages on import. Importing merges:
sources already present (same content hash) are kept, notes/chats/episodes are added
once, and nothing that is there is lost.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tarfile
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.errors import FolioError
from pipelines.workspace.schema import SCHEMA_VERSION, migrate
from pipelines.workspace.store import Workspace, utc_now

if TYPE_CHECKING:
    from pipelines.session import Session

FORMAT = "folio-archive"
MAX_MEMBER_BYTES = 4 * 1024**3
_TABLES_BY_KEY = {  # tables merged with INSERT OR IGNORE on their primary key
    "sources": "id",
    "chapters": "source_id, idx",
    "passages": "id",
    "summaries": "key",
    "episodes": "id",
}


class ArchiveError(FolioError):
    """An archive that cannot be imported; the message says why."""


def export_workspace(ws: Workspace, archive: Path) -> dict:
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="folio-export-") as tmp:
        snapshot = Path(tmp) / "folio.db"
        with ws.connect() as live, sqlite3.connect(snapshot) as copy:
            live.backup(copy)  # consistent even while others write
        with sqlite3.connect(snapshot) as con:
            counts = {
                t: con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("sources", "notes", "chats", "episodes")
            }
        manifest = {
            "format": FORMAT,
            "schema": SCHEMA_VERSION,
            "created_at": utc_now(),
            "home": str(ws.home.resolve()),
            "counts": counts,
        }
        (Path(tmp) / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(Path(tmp) / "manifest.json", "manifest.json")
            tar.add(snapshot, "folio.db")
            for folder in ("blobs", "episodes"):
                if (ws.home / folder).exists():
                    tar.add(ws.home / folder, folder)
        partial.replace(archive)
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = []
    for m in tar.getmembers():
        name = Path(m.name)
        if name.is_absolute() or ".." in name.parts or m.name.startswith(("/", "\\")):
            raise ArchiveError(f"The archive has an unsafe path ({m.name!r}); not imported.")
        if not (m.isfile() or m.isdir()):
            raise ArchiveError(f"The archive has a link or device ({m.name!r}); not imported.")
        if m.size > MAX_MEMBER_BYTES:
            raise ArchiveError(f"'{m.name}' in the archive is too large; not imported.")
        members.append(m)
    return members


def import_workspace(session: Session, archive: Path) -> dict:
    ws, settings = session.workspace, session.settings
    archive = Path(archive)
    try:
        tar = tarfile.open(archive, "r:*")  # noqa: SIM115 - closed by the with-block below
    except (OSError, tarfile.TarError) as exc:
        raise ArchiveError(f"'{archive.name}' is not a Folio archive ({exc}).") from exc
    with tar, tempfile.TemporaryDirectory(prefix="folio-import-") as tmp:
        members = _safe_members(tar)
        tar.extractall(tmp, members=members, filter="data")
        root = Path(tmp)
        try:
            manifest = json.loads((root / "manifest.json").read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise ArchiveError(f"'{archive.name}' has no readable manifest.") from exc
        if manifest.get("format") != FORMAT or not (root / "folio.db").exists():
            raise ArchiveError(f"'{archive.name}' is not a Folio archive.")
        with sqlite3.connect(root / "folio.db", isolation_level=None) as con:
            migrate(con)  # an archive from an older Folio is brought up to date first
        added = _merge(ws, root, Path(manifest.get("home", "")))
    from pipelines.index.indexing import finish_interrupted

    finish_interrupted(ws, settings=settings)  # vectors are rebuilt for the imported sources
    return added


def _merge(ws: Workspace, root: Path, old_home: Path) -> dict:
    for folder in ("blobs", "episodes"):
        src = root / folder
        if src.exists():
            shutil.copytree(src, ws.home / folder, dirs_exist_ok=True)
    with ws.transaction() as con:
        con.execute("ATTACH DATABASE ? AS incoming", (str(root / "folio.db"),))
        before = {
            t: con.execute(f"SELECT COUNT(*) FROM main.{t}").fetchone()[0]
            for t in ("sources", "notes", "chats", "episodes")
        }
        new_ids = [
            r[0]
            for r in con.execute(
                "SELECT id FROM incoming.sources WHERE id NOT IN (SELECT id FROM main.sources)"
            )
        ]
        for table in _TABLES_BY_KEY:
            con.execute(f"INSERT OR IGNORE INTO main.{table} SELECT * FROM incoming.{table}")
        # the archive has no vectors: imported sources are indexed again (finish_interrupted)
        con.executemany(
            "UPDATE main.sources SET indexed_at=NULL WHERE id=?", [(i,) for i in new_ids]
        )
        for table, columns in (
            ("notes", "notebook, title, body, payload, created_at"),
            ("chats", "notebook, role, content, payload, created_at"),
        ):
            con.execute(
                f"INSERT INTO main.{table}({columns}) SELECT {columns} FROM incoming.{table} AS i "
                f"WHERE NOT EXISTS (SELECT 1 FROM main.{table} AS m WHERE "
                + " AND ".join(f"m.{c.strip()} = i.{c.strip()}" for c in columns.split(","))
                + ")"
            )
        _rehome_episodes(con, old_home, ws)
        after = {t: con.execute(f"SELECT COUNT(*) FROM main.{t}").fetchone()[0] for t in before}
    return {t: after[t] - before[t] for t in before}


def _rehome_episodes(con: sqlite3.Connection, old_home: Path, ws: Workspace) -> None:
    """Episode rows name files under the exporting workspace; point them here."""
    if not str(old_home) or old_home == ws.home.resolve():
        return
    old, new = str(old_home / "episodes"), str(ws.home.resolve() / "episodes")
    for row in con.execute("SELECT id, audio_path, payload FROM main.episodes").fetchall():
        audio, payload = row[1] or "", row[2]
        if audio.startswith(old) or old in payload:
            con.execute(
                "UPDATE main.episodes SET audio_path=?, payload=? WHERE id=?",
                (audio.replace(old, new, 1), payload.replace(old, new), row[0]),
            )
