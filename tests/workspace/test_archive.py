"""Export a workspace to one archive, import it elsewhere: everything comes back and
search works again (vectors rebuilt); hostile archives are refused."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest

from pipelines.index import search
from pipelines.podcast.episodes import list_episodes, render_episode
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.script import write_script
from pipelines.types import Scope
from pipelines.workspace import library, notebook
from pipelines.workspace.archive import ArchiveError, export_workspace, import_workspace
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from tests.sources import ALICE, TULLY

pytestmark = pytest.mark.slow


def test_round_trip_into_a_fresh_and_into_a_used_workspace(tmp_path: Path) -> None:
    old = Workspace(tmp_path / "old")
    alice = library.add_file(session_of(old), ALICE).source
    notebook.save_note(old, "alice", "Rabbit", "He had a watch.")
    chapter = next(c for c in alice.chapters if c.kind == "chapter")
    script = write_script(session_of(old), PodcastRequest(alice.id, [chapter.index], minutes=0.5))
    render_episode(session_of(old), script)
    archive = tmp_path / "folio.tar.gz"
    manifest = export_workspace(old, archive)
    assert manifest["counts"]["sources"] == 1 and not list((tmp_path).glob("*.partial"))

    new = Workspace(tmp_path / "new")
    added = import_workspace(session_of(new), archive)
    assert added["sources"] == 1 and added["notes"] == 1 and added["episodes"] == 1
    source = new.get_source(alice.id)
    assert len(source.chapters) == len(alice.chapters)
    assert new.blob_path(source.id, source.file_name).read_bytes() == ALICE.read_bytes()
    assert search(session_of(new), "white rabbit watch", Scope([alice.id]), k=3)  # vectors rebuilt
    episode = list_episodes(new)[0]
    assert Path(episode.audio_path).is_file() and str(new.home) in episode.audio_path

    used = Workspace(tmp_path / "used")
    library.add_file(session_of(used), TULLY)
    notebook.save_note(used, "mine", "Keep me", "already here")
    import_workspace(session_of(used), archive)
    again = import_workspace(session_of(used), archive)  # importing twice duplicates nothing
    assert again == {"sources": 0, "notes": 0, "chats": 0, "episodes": 0}
    assert len(used.list_sources()) == 2 and len(notebook.notes(used)) == 2


def _tar_with(name: str, *, link: bool = False) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        info = tarfile.TarInfo(name)
        if link:
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
        else:
            data = b"x"
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "link"), [("../escape.txt", False), ("/etc/evil", False), ("blobs/x", True)]
)
def test_hostile_archives_are_refused_and_change_nothing(
    tmp_path: Path, name: str, link: bool
) -> None:
    ws = Workspace(tmp_path / "home")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(_tar_with(name, link=link))
    with pytest.raises(ArchiveError, match="not imported"):
        import_workspace(session_of(ws), bad)
    assert ws.list_sources() == [] and not (tmp_path / "escape.txt").exists()
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(ArchiveError, match="not a Folio archive"):
        import_workspace(session_of(ws), junk)
