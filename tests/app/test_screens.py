"""Each screen through AppTest, with the real workspace, index and offline backends."""

from __future__ import annotations

import pytest

from pipelines.workspace import notebook
from pipelines.workspace.store import Workspace
from workspace_app import state

pytestmark = pytest.mark.slow


def _index(home, title: str) -> int:
    source = Workspace(home).list_sources()[0]
    return next(c.index for c in Workspace(home).get_source(source.id).chapters if c.title == title)


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [e.value for e in at.error]
    return "\n".join(parts)


def _seed(at, source_id: str, view: str, chapters: list[int] | None = None) -> None:
    at.session_state[state.SELECTED_SOURCE] = source_id
    at.session_state[state.SAMPLES_CHECKED] = True
    at.session_state[state.NAV] = view
    if chapters:
        at.session_state[state.SCOPE] = {source_id: chapters}


def test_library_lists_the_book_and_hides_front_matter(app, source_id) -> None:
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.run()
    assert not app.exception
    labels = [c.label for c in app.sidebar.checkbox]
    assert "I" in labels and "Epilogue" in labels
    assert not any("Titlepage" in label for label in labels)
    app.sidebar.toggle(key=state.show_matter_key(source_id)).set_value(True).run()
    assert any("Titlepage" in c.label for c in app.sidebar.checkbox)


def test_select_all_and_no_spoiler_scope(app, source_id, book_home) -> None:
    home, _ = book_home
    app.session_state[state.SELECTED_SOURCE] = source_id
    app.run()
    app.sidebar.button(key=f"all:{source_id[:16]}").click().run()
    chosen = app.session_state[state.SCOPE][source_id]
    assert _index(home, "I") in chosen and _index(home, "Epilogue") in chosen
    assert _index(home, "Titlepage") not in chosen
    assert app.sidebar.checkbox(key=state.chapter_box_key(source_id, _index(home, "II"))).value

    upto = _index(home, "III")
    app.sidebar.selectbox(key=f"upto:{source_id[:16]}").set_value(upto).run()
    chosen = app.session_state[state.SCOPE][source_id]
    assert max(chosen) == upto and _index(home, "IV") not in chosen
    assert not app.sidebar.checkbox(key=state.chapter_box_key(source_id, _index(home, "IV"))).value


def test_reader_shows_a_chapter_and_highlights_a_cited_passage(app, source_id, book_home) -> None:
    home, _ = book_home
    ws = Workspace(home)
    chapter = _index(home, "II")
    passage = ws.passages_for(source_ids=[source_id])[0]
    passage = next(p for p in ws.passages_for(source_ids=[source_id]) if p.chapter_index == chapter)
    _seed(app, source_id, "Reader")
    app.session_state[state.READER_TARGET] = {
        "source_id": source_id,
        "chapter": chapter,
        "passage_id": passage.id,
    }
    app.session_state[state.reader_chapter_key(source_id)] = chapter
    app.run()
    assert not app.exception
    assert any(h.value == "II" for h in app.subheader)
    highlighted = [m.value for m in app.main.markdown if m.value.startswith(":orange-background[")]
    assert highlighted and "Cited passage" in _texts(app)
    app.main.button(key="reader_next").click().run()
    assert any(h.value == "III" for h in app.subheader)
    assert not any(m.value.startswith(":orange") for m in app.main.markdown)


def test_ask_gives_a_cited_answer_saves_a_note_and_clears(app, source_id, book_home) -> None:
    home, _ = book_home
    ws = Workspace(home)
    notebook.clear_history(ws, source_id)
    _seed(app, source_id, "Ask", [_index(home, "I")])
    app.run()
    assert "Scope: chapter I of The Time Machine" in _texts(app)
    assert app.main.button(key="suggest_0").label.endswith("?")
    app.chat_input(key=state.ASK_INPUT).set_value("What was the model machine made of?").run()
    assert not app.exception
    assert "ivory" in _texts(app)
    cite = app.main.button(key=next(b.key for b in app.main.button if b.label == "[1]"))
    save = next(b for b in app.main.button if b.key and b.key.startswith("save_"))
    save.click().run()
    assert notebook.notes(ws, source_id)[0].title == "What was the model machine made of?"

    cite.click().run()
    assert app.session_state[state.NAV] == "Reader"
    assert app.session_state[state.READER_TARGET]["chapter"] == _index(home, "I")

    app.session_state[state.NAV] = "Notes"
    app.run()
    assert "What was the model machine made of?" in _texts(app)

    app.session_state[state.NAV] = "Ask"
    app.run()
    app.main.button(key="ask_clear").click().run()
    assert notebook.history(ws, source_id) == []


def test_ask_says_plainly_when_the_chapters_do_not_say(app, source_id, book_home) -> None:
    home, _ = book_home
    notebook.clear_history(Workspace(home), source_id)
    _seed(app, source_id, "Ask", [_index(home, "I")])
    app.run()
    app.chat_input(key=state.ASK_INPUT).set_value("What is the boiling point of mercury?").run()
    assert any("don't say" in w.value for w in app.main.warning)
    assert not any(b.label == "[1]" for b in app.main.button)


def test_summary_runs_in_the_background_and_shows_citations(
    app, source_id, book_home, jobs_done
) -> None:
    home, _ = book_home
    _seed(app, source_id, "Summaries")
    app.session_state["summary_chapter"] = _index(home, "I")
    app.run()
    app.main.button(key="summary_go").click().run()
    jobs_done(home, "summary")
    app.run()
    assert not app.exception
    assert any(h.value.startswith("Summary") for h in app.subheader)
    assert any(b.label == "[1]" for b in app.main.button)


def test_studio_writes_an_editable_script(app, source_id, book_home, jobs_done) -> None:
    home, _ = book_home
    _seed(app, source_id, "Podcast", [_index(home, "I")])
    app.run()
    app.main.slider(key="studio_minutes").set_value(1.0)
    app.main.button(key="studio_write").click().run()
    jobs_done(home, "script")
    app.run()
    assert not app.exception
    drafts = app.session_state[state.SCRIPT_DRAFTS]
    assert drafts and drafts[0]["turns"]
    turns = len(drafts[0]["turns"])
    version = app.session_state[state.SCRIPT_VERSION]
    app.main.text_area(key=f"turn_text:{version}:0:0").input("Welcome to Folio.").run()
    assert app.session_state[state.SCRIPT_DRAFTS][0]["turns"][0]["text"] == "Welcome to Folio."
    app.main.button(key=f"turn_del:{version}:0:1").click().run()
    assert len(app.session_state[state.SCRIPT_DRAFTS][0]["turns"]) == turns - 1
    assert app.main.button(key="studio_render") is not None


def test_settings_test_connection_fails_in_plain_words_and_hides_the_key(app, source_id) -> None:
    _seed(app, source_id, "Settings")
    app.run()
    app.main.radio(key="set_llm_backend").set_value("openai").run()
    app.main.text_input(key="set_llm_base_url").input("http://127.0.0.1:9/v1").run()
    app.main.text_input(key="set_llm_model").input("tiny").run()
    app.main.text_input(key="set_llm_key").input("sk-very-secret-123").run()
    app.main.button(key="llm_test").click().run()
    assert not app.exception
    assert app.main.error, "an unreachable server is reported"
    assert "Traceback" not in _texts(app)
    assert "sk-very-secret-123" not in _texts(app)
    assert app.main.text_input(key="set_llm_key").value == ""
    assert "typed in this session" in _texts(app)
