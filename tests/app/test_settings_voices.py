"""Settings offers every English Kokoro voice by name, previews the chosen two with the
real engine, and the studio records with them."""

from __future__ import annotations

import pytest

from pipelines.podcast.script_doc import script_to_dict
from pipelines.types import Host, Script, Turn
from pipelines.workspace import jobs
from pipelines.workspace.store import Workspace
from workspace_app import state

pytestmark = pytest.mark.slow


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_kokoro_voices_are_listed_previewed_and_used(app, source_id, book_home, jobs_done) -> None:
    home, _ = book_home
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    app.session_state[state.NAV] = "Settings"
    _ok(app.run())
    _ok(app.main.selectbox(key=state.setting_key("tts", "engine")).set_value("kokoro").run())
    host_a = app.main.selectbox(key="set_tts_voice_a")
    assert len(host_a.options) == 28
    assert "Heart — American woman" in host_a.options and "George — British man" in host_a.options
    assert (
        host_a.value == "af_heart"
        and app.main.selectbox(key="set_tts_voice_b").value == "am_michael"
    )
    _ok(host_a.set_value("bf_emma").run())
    _ok(app.main.selectbox(key="set_tts_voice_b").set_value("bm_george").run())

    _ok(app.main.button(key="tts_preview").click().run())
    previews = app.main.get("audio")
    assert len(previews) == 2, "one preview per host"
    captions = [c.value for c in app.main.caption]
    assert any("bf_emma" in c for c in captions) and any("bm_george" in c for c in captions)

    app.session_state[state.NAV] = "Podcast"
    draft = Script(
        title="Voices",
        hosts=[Host("Ada"), Host("Ben")],
        turns=[Turn("Ada", "Good evening.", [], 0), Turn("Ben", "Good evening to you.", [], 0)],
        segments=["Hello"],
    )
    app.session_state[state.SCRIPT_DRAFTS] = [script_to_dict(draft)]
    app.session_state[state.SEEN_JOBS] = {j.id for j in jobs.list_jobs(Workspace(home))}
    _ok(app.run())
    assert app.main.selectbox(key="studio_voice:voice_a").value == "bf_emma"
    _ok(app.main.button(key="studio_render").click().run())
    jobs_done(home, "render", timeout=300)
    _ok(app.run())
    from pipelines.podcast.episodes import get_episode

    episode = get_episode(Workspace(home), app.session_state[state.LATEST_EPISODE])
    assert episode.settings["tts_engine"] == "kokoro" and not episode.settings["render_notes"]
    assert [v["voice"] for v in episode.settings["voices"].values()] == ["bf_emma", "bm_george"]
