"""The reading companion through AppTest: the reader's "previously on", who's who and
explain panels (chapters 1..N only), the quiz view, and asking an episode's hosts."""

from __future__ import annotations

import pytest

from pipelines.companion.quiz import chapter_quiz
from pipelines.podcast.episodes import render_episode
from pipelines.types import Host, Script, Turn
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from workspace_app import state

pytestmark = pytest.mark.slow


def _run(at, timeout: float | None = None):
    """Run the app (or, given a widget just clicked or set, the app it belongs to)."""
    app = at.run(timeout=timeout)  # a widget's run() runs its AppTest and returns it
    assert not app.exception, [e.value for e in app.exception]
    return app


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [s.value for s in at.success] + [e.value for e in at.error]
    return "\n".join(parts)


def _index(home, title: str) -> int:
    ws = Workspace(home)
    source = ws.get_source(ws.list_sources()[0].id)
    return next(c.index for c in source.chapters if c.title == title)


def _reader(app, source_id: str, chapter: int, panel: str) -> None:
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    app.session_state[state.NAV] = "Reader"
    app.session_state[state.READING] = {source_id: chapter}
    app.session_state[state.COMPANION] = panel


def test_whos_who_panel_knows_only_the_chapters_read(app, source_id, book_home) -> None:
    home, _ = book_home
    _reader(app, source_id, _index(home, "IV"), "Who's who")
    _run(app, timeout=300)
    shown = _texts(app)
    assert "Who's who up to “IV”" in shown and "Filby" in shown
    assert "Weena" not in shown and "Morlock" not in shown
    app.session_state[state.READING] = {source_id: _index(home, "V")}
    app.session_state[state.reader_chapter_key(source_id)] = _index(home, "V")
    _run(app, timeout=300)
    assert "Weena" in _texts(app)
    opened = next(b for b in app.main.button if b.key and b.key.startswith("who_open_person"))
    _run(opened.click())
    assert app.session_state[state.READER_TARGET]["passage_id"]


def test_previously_on_panel_recaps_with_citations(app, source_id, book_home) -> None:
    home, _ = book_home
    _reader(app, source_id, _index(home, "III"), "Previously on")
    _run(app, timeout=300)
    shown = _texts(app)
    assert "Previously, before “III”" in shown and "**I.**" in shown  # bold, not escaped
    assert any(b.label == "[1]" for b in app.main.button)


def test_explain_panel_glosses_hard_words_offline(app, source_id, book_home) -> None:
    home, _ = book_home
    _reader(app, source_id, _index(home, "I"), "Explain")
    _run(app, timeout=300)
    app.main.text_area(key=state.EXPLAIN_INPUT).set_value(
        "The Time Traveller was expounding a recondite matter to us."
    )
    _run(app.main.button(key="explain_go").click(), timeout=300)
    shown = _texts(app)
    assert "recondite" in shown and "difficult to penetrate" in shown


def test_quiz_checks_answers_and_offers_flashcards(app, source_id, book_home) -> None:
    home, _ = book_home
    chapter = _index(home, "II")
    ws = Workspace(home)
    quiz = chapter_quiz(session_of(ws), ws.get_source(source_id), chapter)
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    app.session_state[state.NAV] = "Quiz"
    app.session_state[state.quiz_chapter_key(source_id)] = chapter
    _run(app, timeout=300)
    assert f"{len(quiz.items)} questions on “II”" in _texts(app)
    chapter_id = ws.get_source(source_id).chapter(chapter).id
    _run(
        app.main.text_input(key=state.quiz_answer_key(chapter_id, 0)).set_value(
            quiz.items[0].answer
        )
    )
    assert f"Right: {quiz.items[0].answer}" in _texts(app)
    _run(app.main.text_input(key=state.quiz_answer_key(chapter_id, 1)).set_value("nobody at all"))
    assert f"The answer is: {quiz.items[1].answer}" in _texts(app)
    assert any(b.label == "[1]" for b in app.main.button)  # the passage it comes from


def test_ask_the_hosts_in_the_player(app, source_id, book_home) -> None:
    home, _ = book_home
    ws = Workspace(home)
    source = ws.get_source(source_id)
    script = Script(
        "Chapter three, briefly",
        [Host("Ada"), Host("Ben")],
        [
            Turn("Ada", "The Time Traveller comes back to his dinner guests."),
            Turn("Ben", "And he begins the story of his journey."),
        ],
        source_ids=[source.id],
        chapter_ids=[source.chapter(_index(home, "III")).id],
    )
    episode = render_episode(session_of(ws, tts__engine="espeak"), script)
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.session_state[state.SAMPLES_CHECKED] = True
    app.session_state[state.NAV] = "Podcast"
    _run(app, timeout=300)
    box = app.main.text_input(key=state.hosts_input_key(episode.id))
    _run(box.set_value("Who came in and walked towards the garden door?"), timeout=300)
    shown = _texts(app)
    assert "You asked: Who came in" in shown and "Watchett" in shown
    assert "**Ben:** A listener asks" in shown
    from pipelines.companion.hosts import exchanges_of

    assert exchanges_of(ws, episode.id)[-1].question.startswith("Who came in")  # kept
