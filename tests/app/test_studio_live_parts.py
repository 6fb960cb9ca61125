"""While an episode renders, the part already voiced is playable in the studio (and the
parts after it, played one after another); the full MP3 replaces them when the render is
done.

Real piper voices every turn. The turns of the second segment wait on a gate until the
test has seen the first part's player, so "while the rest is still being made" is
checked deterministically, not by racing the render.
"""

from __future__ import annotations

import threading
import time
import wave
from pathlib import Path

import pytest

from pipelines.podcast.script_doc import script_to_dict
from pipelines.podcast.tts.piper_engine import PiperEngine
from pipelines.settings_file import save_choices
from pipelines.types import Host, Script, Turn
from pipelines.workspace import jobs
from pipelines.workspace.store import Workspace
from workspace_app import state

pytestmark = pytest.mark.slow

LATER = "In the second part"  # every turn of segment 2 starts so; they wait on the gate


def _script() -> Script:
    opening = [
        Turn("Ada", "Welcome. Today we look at the Time Traveller's dinner guests.", [], 0),
        Turn("Ben", "They listen to his theory of the fourth dimension with doubt.", [], 0),
    ]
    later = [
        Turn("Ada", f"{LATER}, the machine itself stands on the table.", [], 1),
        Turn("Ben", f"{LATER}, the model vanishes and the guests are not convinced.", [], 1),
    ]
    return Script(
        title="Segments while rendering",
        hosts=[Host("Ada"), Host("Ben")],
        turns=opening + later,
        segments=["The dinner", "The model"],
    )


def _captions(at) -> list[str]:
    return [c.value.replace("\\", "") for c in at.main.caption]  # as shown, unescaped


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def _render_job(home: Path) -> jobs.Job:
    found = jobs.list_jobs(Workspace(home), kind="render", limit=1)
    assert found, "the render job was started"
    return found[0]


def test_the_first_part_plays_while_the_rest_renders(
    app, source_id, book_home, jobs_done, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = book_home
    jobs_done(home, "render", timeout=300)  # an earlier test's render would show its segments
    gate = threading.Event()
    stream = PiperEngine.stream

    def gated(self, text, voice):
        if text.startswith(LATER):
            gate.wait(timeout=300)
        return stream(self, text, voice)

    monkeypatch.setattr(PiperEngine, "stream", gated)
    save_choices(home, "tts", {"engine": "piper"})  # the voice this test holds back
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    app.session_state[state.NAV] = "Podcast"
    app.session_state[state.SCRIPT_DRAFTS] = [script_to_dict(_script())]
    # a script an earlier test wrote in this workspace is not loaded over this draft
    written = jobs.list_jobs(Workspace(home), kind="script")
    app.session_state[state.SEEN_JOBS] = {j.id for j in written}
    _ok(app.run())
    try:
        _ok(app.main.button(key="studio_render").click().run())
        deadline = time.monotonic() + 240
        while not any(c.startswith("Part 1 ·") for c in _captions(app)):
            assert time.monotonic() < deadline, "the first part never became playable"
            assert _render_job(home).status == "running", _render_job(home).message
            time.sleep(0.3)
            _ok(app.run())

        first_caption = next(c for c in _captions(app) if c.startswith("Part 1 ·"))
        assert first_caption.startswith("Part 1 · 0:00–") and first_caption.endswith("The dinner")
        job = _render_job(home)
        assert job.status == "running"
        parts = job.payload["parts"]
        assert all(p["segment"] == 0 for p in parts), "the second segment is still being made"
        players = [p for p in app.main.get("audio") if p.proto.url.endswith(".wav")]
        shown = [c for c in _captions(app) if c.startswith("Part ")]
        # the job may voice another part after the page was drawn, never fewer
        assert 1 <= len(players) == len(shown) <= len(parts), "one player per part voiced"
        first = parts[0]
        assert (first["episode"], first["part"], first["start_s"]) == (1, 0, 0)
        with wave.open(first["path"], "rb") as wav:  # a real WAV behind the player
            assert wav.getnframes() / wav.getframerate() > 1.5
    finally:
        gate.set()

    jobs_done(home, "render", timeout=300)
    _ok(app.run())
    assert _render_job(home).status == "done", _render_job(home).message
    assert not any(c.startswith("Part ") for c in _captions(app)), "the parts give way to the MP3"
    players = app.main.get("audio")
    assert players and players[0].proto.url.endswith(".mp3"), "the full episode's player"
