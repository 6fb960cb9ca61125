"""One effective Settings per open tab: the studio, Ask and Summaries use the same
Session object, and a choice saved in the workspace reaches all of them at once."""

from __future__ import annotations

import pytest

from pipelines.settings_file import save_choices
from workspace_app import state

pytestmark = pytest.mark.slow


def _run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _session(at):
    return at.session_state[state.TAB_SESSION][1]


def test_every_view_of_a_tab_sees_the_same_session(app, source_id, book_home) -> None:
    home, _ = book_home
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    seen = []
    for view in ("Ask", "Summaries", "Podcast", "Reader"):
        app.session_state[state.NAV] = view
        _run(app)
        seen.append(_session(app))
    assert all(s is seen[0] for s in seen), "one Session object across the tab's views"
    assert seen[0].workspace.home == home

    save_choices(home, "podcast", {"host_a": "Iris"})  # e.g. saved by `folio setup` or Settings
    app.session_state[state.NAV] = "Podcast"
    _run(app)
    changed = _session(app)
    assert changed is not seen[0] and changed.settings.podcast.host_a == "Iris"
    hosts = [t.value for t in app.main.text_input if t.label == "First host"]
    assert hosts == ["Iris"], "the studio offers the saved host name"
    for view in ("Ask", "Summaries"):
        app.session_state[state.NAV] = view
        _run(app)
        assert _session(app) is changed
