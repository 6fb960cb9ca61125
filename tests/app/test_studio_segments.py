"""Issue #14.6: while an episode renders, each segment already voiced is playable in the
studio; the full MP3 replaces them when the render is done.

Real piper voices every turn. The turns of the second segment wait on a gate until the
test has seen the first segment's player, so "while the rest is still being made" is
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
    return [c.value for c in at.main.caption]


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def _render_job(home: Path) -> jobs.Job:
    found = jobs.list_jobs(Workspace(home), kind="render", limit=1)
    assert found, "the render job was started"
    return found[0]


def test_the_first_segment_plays_while_the_rest_renders(
    app, source_id, book_home, jobs_done, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, _ = book_home
    jobs_done(home, "render", timeout=300)  # an earlier test's render would show its segments
    gate = threading.Event()
    synthesize = PiperEngine.synthesize

    def gated(self, text, voice):
        if text.startswith(LATER):
            gate.wait(timeout=300)
        return synthesize(self, text, voice)

    monkeypatch.setattr(PiperEngine, "synthesize", gated)
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
        while not any(c.startswith("Segment 1 ready") for c in _captions(app)):
            assert time.monotonic() < deadline, "the first segment never became playable"
            assert _render_job(home).status == "running", _render_job(home).message
            time.sleep(0.3)
            _ok(app.run())

        assert "Segment 1 ready — The dinner" in _captions(app)
        assert not any(c.startswith("Segment 2") for c in _captions(app)), "still being made"
        players = [p for p in app.main.get("audio") if p.proto.url.endswith(".wav")]
        assert len(players) == 1, "one preview player: the first segment's"
        job = _render_job(home)
        assert job.status == "running"
        first = job.payload["segments"][0]
        assert (first["episode"], first["segment"]) == (1, 0)
        with wave.open(first["path"], "rb") as wav:  # a real WAV behind the player
            assert wav.getnframes() / wav.getframerate() > 2.0
        assert players[0].proto.url.endswith(".wav")
    finally:
        gate.set()

    jobs_done(home, "render", timeout=300)
    _ok(app.run())
    assert _render_job(home).status == "done", _render_job(home).message
    assert not any("ready" in c for c in _captions(app)), "the previews give way to the MP3"
    players = app.main.get("audio")
    assert players and players[0].proto.url.endswith(".mp3"), "the full episode's player"
