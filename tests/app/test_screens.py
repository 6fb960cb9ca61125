"""Each screen through AppTest, with the real workspace, index and offline backends.

The `app` fixture sets FOLIO_APP_RAISE=1, so a failing view raises and `app.exception`
holds it; every run goes through `_run`, which asserts there is none.
"""

from __future__ import annotations

import pytest

from pipelines.workspace import notebook
from pipelines.workspace.store import Workspace
from tests.sessions import session_of
from workspace_app import state

pytestmark = pytest.mark.slow


def _index(home, title: str) -> int:
    source = Workspace(home).list_sources()[0]
    return next(c.index for c in Workspace(home).get_source(source.id).chapters if c.title == title)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(parts)


def _run(at, timeout: float | None = None):
    """Run (or rerun) the script; no view may have failed."""
    at.run(timeout=timeout)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    return at


def _script_key(at) -> str:
    return f"{state.SCRIPT_TEXT}:{at.session_state[state.SCRIPT_VERSION]}:0"


def _seed(at, source_id: str, view: str, chapters: list[int] | None = None) -> None:
    at.session_state[state.SELECTED_SOURCE] = source_id
    at.session_state[state.SAMPLES_CHECKED] = True
    at.session_state[state.NAV] = view
    if chapters:
        at.session_state[state.SCOPE] = {source_id: chapters}


def test_library_shows_the_books_own_numbering_and_hides_front_matter(app, source_id, book_home):
    """Chapters are listed as the book numbers them ("I", not "3 · I"); the stable index
    stays underneath as the checkbox's key."""
    home, _ = book_home
    app.session_state[state.SELECTED_SOURCE] = source_id
    _run(app)
    labels = [c.label for c in app.sidebar.checkbox]
    assert "I" in labels and any(x.endswith("Epilogue") for x in labels)
    assert not any("·" in label for label in labels)
    assert (
        app.sidebar.checkbox(key=state.chapter_box_key(source_id, _index(home, "I"))).label == "I"
    )
    assert not any("Titlepage" in label for label in labels)
    app.sidebar.toggle(key=state.show_matter_key(source_id)).set_value(True)
    _ok(app.run())
    assert any(c.label.startswith("Titlepage") for c in app.sidebar.checkbox)


def test_select_all_and_no_spoiler_scope(app, source_id, book_home) -> None:
    home, _ = book_home
    app.session_state[state.SELECTED_SOURCE] = source_id
    _run(app)
    _ok(app.sidebar.button(key=f"all:{source_id[:16]}").click().run())
    chosen = app.session_state[state.SCOPE][source_id]
    assert _index(home, "I") in chosen and _index(home, "Epilogue") in chosen
    assert _index(home, "Titlepage") not in chosen
    assert app.sidebar.checkbox(key=state.chapter_box_key(source_id, _index(home, "II"))).value

    upto = _index(home, "III")
    _ok(app.sidebar.selectbox(key=state.upto_key(source_id)).set_value(upto).run())
    chosen = app.session_state[state.SCOPE][source_id]
    assert max(chosen) == upto and _index(home, "IV") not in chosen
    assert not app.sidebar.checkbox(key=state.chapter_box_key(source_id, _index(home, "IV"))).value


def test_reader_marks_the_cited_sentence_and_keeps_the_chapter(app, source_id, book_home) -> None:
    home, _ = book_home
    ws = Workspace(home)
    chapter = _index(home, "II")
    passage = next(p for p in ws.passages_for(source_ids=[source_id]) if p.chapter_index == chapter)
    quote = passage.text.split(". ")[1]
    _seed(app, source_id, "Reader")
    app.session_state[state.READER_TARGET] = {
        "source_id": source_id,
        "chapter": chapter,
        "passage_id": passage.id,
        "quote": quote,
    }
    app.session_state[state.READING] = {source_id: chapter}
    _run(app)
    assert any(h.value == "II" for h in app.subheader)
    marked = [m.value for m in app.main.markdown if ":orange-background[" in m.value]
    assert len(marked) == 1, "one paragraph, the one with the quote, is marked"
    assert quote.split()[0] in marked[0].split(":orange-background[", 1)[1]
    labels = app.main.selectbox(key=state.reader_chapter_key(source_id)).options
    assert labels[0] == "I", "the book's own numbering, no front matter"

    _ok(app.main.button(key="reader_next").click().run())
    assert any(h.value == "III" for h in app.subheader)
    assert not any(":orange" in m.value for m in app.main.markdown)

    app.session_state[state.NAV] = "Notes"
    _run(app)
    app.session_state[state.NAV] = "Reader"
    _run(app)
    assert any(h.value == "III" for h in app.subheader), "the reading position is kept"
    assert app.query_params.get("chapter") in ([str(_index(home, "III"))], str(_index(home, "III")))


def test_ask_gives_a_cited_answer_saves_a_note_and_clears(app, source_id, book_home) -> None:
    home, _ = book_home
    ws = Workspace(home)
    notebook.clear_history(ws, source_id)
    _seed(app, source_id, "Ask", [_index(home, "I")])
    _run(app)
    assert "Scope: chapter I of The Time Machine" in _texts(app)
    assert app.main.button(key="suggest_0").label.endswith("?")
    _ok(app.chat_input(key=state.ASK_INPUT).set_value("What was the model machine made of?").run())
    assert "ivory" in _texts(app)
    cite = app.main.button(key=next(b.key for b in app.main.button if b.label == "[1]"))
    save = next(b for b in app.main.button if b.key and b.key.startswith("save_"))
    _ok(save.click().run())
    assert notebook.notes(ws, source_id)[0].title == "What was the model machine made of?"

    _ok(cite.click().run())
    assert app.session_state[state.NAV] == "Reader"
    assert app.session_state[state.READER_TARGET]["chapter"] == _index(home, "I")
    assert any(":orange-background[" in m.value for m in app.main.markdown)

    app.session_state[state.NAV] = "Notes"
    _run(app)
    assert "What was the model machine made of?" in _texts(app)

    app.session_state[state.NAV] = "Ask"
    _run(app)
    _ok(app.main.button(key="ask_clear").click().run())
    assert notebook.history(ws, source_id) == []


def test_ask_after_a_dont_say_answer_keeps_working(app, source_id, book_home) -> None:
    """Issue #12.1: the screen broke on every draw after a "don't say" answer."""
    home, _ = book_home
    notebook.clear_history(Workspace(home), source_id)
    _seed(app, source_id, "Ask", [_index(home, "I")])
    _run(app)
    chat = app.chat_input(key=state.ASK_INPUT)
    _ok(chat.set_value("What was the model machine made of?").run())
    _ok(app.chat_input(key=state.ASK_INPUT).set_value("What is the capital of France?").run())
    assert any("don't say" in w.value for w in app.main.warning)
    closest = [b for b in app.main.button if b.key and "_closest_" in b.key]
    assert closest, "the closest passages are offered"
    _ok(app.chat_input(key=state.ASK_INPUT).set_value("Who was Filby?").run())
    assert len(app.main.chat_message) == 6
    _ok(closest[0].click().run())
    assert app.session_state[state.NAV] == "Reader"


def test_a_failing_view_is_raised_under_test_and_apologised_for_otherwise(
    app, source_id, monkeypatch
) -> None:
    _seed(app, source_id, "Ask")
    app.session_state[state.PENDING_QUESTION] = 42  # not a string: the view fails
    app.run()
    assert app.exception, "under test the failure reaches AppTest"

    monkeypatch.delenv(state.RAISE_ENV)
    app.session_state[state.PENDING_QUESTION] = 42
    app.run()
    assert not app.exception
    assert any("Something went wrong" in e.value for e in app.main.error)


def test_summary_runs_in_the_background_and_shows_citations(
    app, source_id, book_home, jobs_done
) -> None:
    home, _ = book_home
    _seed(app, source_id, "Summaries")
    app.session_state[state.SUMMARY_CHAPTER] = _index(home, "I")
    _run(app)
    _ok(app.main.button(key="summary_go").click().run())
    jobs_done(home, "summary")
    _run(app)
    assert any(h.value.startswith("Summary") for h in app.subheader)
    assert any(b.label == "[1]" for b in app.main.button)
    assert "extractive" not in _texts(app)


def test_studio_choices_stick_and_the_script_is_one_editor(
    app, source_id, book_home, jobs_done
) -> None:
    home, _ = book_home
    _seed(app, source_id, "Podcast", [_index(home, "I")])
    _run(app)
    _ok(app.main.slider(key=state.studio_widget_key("minutes")).set_value(1.0).run())
    _ok(app.main.button(key="studio_write").click().run())
    jobs_done(home, "script")
    _run(app)
    drafts = app.session_state[state.SCRIPT_DRAFTS]
    assert drafts and drafts[0]["turns"]
    area = app.main.text_area(key=_script_key(app))
    assert len(app.main.text_area) <= 2, "one editor for the script (and the focus)"
    lines = [x for x in area.value.splitlines() if x and not x.startswith("##")]
    assert len(lines) == len(drafts[0]["turns"])
    host = drafts[0]["hosts"][0]["name"]
    edited = area.value.replace(lines[0], f"{host}: Welcome to Folio.", 1)
    _ok(area.input(edited).run())
    assert app.session_state[state.SCRIPT_DRAFTS][0]["turns"][0]["text"] == "Welcome to Folio."
    assert app.session_state[state.SCRIPT_DRAFTS][0]["turns"][1]["passage_ids"]

    app.session_state[state.NAV] = "Reader"
    _run(app)
    app.session_state[state.NAV] = "Podcast"
    _run(app)
    assert app.main.slider(key=state.studio_widget_key("minutes")).value == 1.0
    assert "Welcome to Folio." in app.main.text_area(key=_script_key(app)).value

    _ok(app.main.text_area(key=_script_key(app)).input("Nobody: hello").run())
    assert any("should start with a host's name" in e.value for e in app.main.error)


def test_voices_chosen_in_settings_are_the_episodes_voices(
    app, source_id, book_home, jobs_done
) -> None:
    """Issue #12.2: espeak en-gb / en-us+f3 chosen in Settings were rendered as piper."""
    home, _ = book_home
    _seed(app, source_id, "Settings", [_index(home, "I")])
    _run(app)
    _ok(app.main.selectbox(key=state.setting_key("tts", "engine")).set_value("espeak").run())
    _ok(app.main.selectbox(key="set_tts_voice_a").set_value("en-gb").run())
    _ok(app.main.selectbox(key="set_tts_voice_b").set_value("en-us+f3").run())

    app.session_state[state.NAV] = "Podcast"
    _run(app)
    assert app.main.selectbox(key="studio_voice:voice_a").value == "en-gb"
    assert app.main.selectbox(key="studio_voice:voice_b").value == "en-us+f3"
    app.session_state[state.NAV] = "Settings"
    _run(app)
    assert app.main.selectbox(key="set_tts_voice_a").value == "en-gb", "kept across screens"

    app.session_state[state.NAV] = "Podcast"
    _run(app)
    _ok(app.main.slider(key=state.studio_widget_key("minutes")).set_value(0.5).run())
    _ok(app.main.button(key="studio_write").click().run())
    jobs_done(home, "script")
    _run(app)
    _ok(app.main.button(key="studio_render").click().run())
    jobs_done(home, "render", timeout=300)
    _run(app)
    from pipelines.podcast.episodes import get_episode

    episode = get_episode(Workspace(home), app.session_state[state.LATEST_EPISODE])
    assert episode.settings["tts_engine"] == "espeak"
    voices = [v["voice"] for v in episode.settings["voices"].values()]
    assert voices == ["en-gb", "en-us+f3"]
    assert "Voices\\: Ada — en\\-gb, Ben — en\\-us\\+f3 (espeak)" in _texts(app)
    assert app.main.get("audio"), "the player is on the page"


def test_a_reload_opens_the_same_place_and_settings(app, source_id, book_home) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    home, _ = book_home
    _seed(app, source_id, "Settings", [_index(home, "II"), _index(home, "III")])
    app.session_state[state.READING] = {source_id: _index(home, "III")}
    _run(app)
    _ok(app.main.selectbox(key=state.setting_key("tts", "engine")).set_value("espeak").run())
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in app.query_params.items()}
    assert params["source"] == source_id[:16]

    again = AppTest.from_file(APP, default_timeout=120)  # a reload: a new session
    for key, value in params.items():
        again.query_params[key] = value
    _run(again)
    assert again.session_state[state.SELECTED_SOURCE] == source_id
    assert again.session_state[state.SCOPE][source_id] == [_index(home, "II"), _index(home, "III")]
    assert again.main.selectbox(key=state.setting_key("tts", "engine")).value == "espeak"
    again.session_state[state.NAV] = "Reader"
    _run(again)
    assert any(h.value == "III" for h in again.subheader)


def test_first_run_screen_offers_the_samples(tmp_path, monkeypatch) -> None:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    monkeypatch.setenv("FOLIO_HOME", str(tmp_path))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    _run(at)
    assert any(t.value == "Welcome to Folio" for t in at.title)
    assert at.main.button(key="welcome_samples").label == "Add the sample library"
    assert "Add a book or a paper" in _texts(at)
    st.cache_resource.clear()


def test_a_ticked_story_means_its_parts_too(tmp_path, monkeypatch) -> None:
    """Issue #11.4: a story whose text lives in its parts is asked about as a whole."""
    from streamlit.testing.v1 import AppTest

    from pipelines.workspace import library
    from tests.app.conftest import APP
    from tests.sources import CHILDRENS_LIT

    ws = Workspace(tmp_path)
    source = library.add_file(session_of(ws), CHILDRENS_LIT).source
    story = next(c for c in source.chapters if "FOUR-LEAVED CLOVER" in c.title)
    parts = [c.index for c in source.expand([story.index])]
    assert len(parts) == 5  # the story and its parts I-IV
    monkeypatch.setenv("FOLIO_HOME", str(tmp_path))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    app = AppTest.from_file(APP, default_timeout=120)
    _seed(app, source.id, "Ask", [story.index])
    _run(app)
    assert f"chapters {parts[0]}–{parts[-1]} of" in _texts(app)  # the scope names all five
