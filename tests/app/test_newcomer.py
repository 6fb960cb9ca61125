"""What a newcomer tripped on, each through AppTest on a real workspace: an edited script
line survives a reload, "Work on this source" keeps the screen you are on, one upload
box on the first screen, and one suggested question per person however they are named."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from pipelines.podcast.script_doc import script_to_dict
from pipelines.types import Host, Script, Turn
from pipelines.workspace import jobs, library
from pipelines.workspace.store import Workspace
from tests.app.conftest import APP
from tests.ingest.epub_builder import make_epub
from tests.sessions import session_of
from workspace_app import state

pytestmark = pytest.mark.slow

# Written for this test in the manner of Wilde's novel: one man is "Lord Henry" to the
# narrator and "Harry" to his friend.
PORTRAIT = """The studio was filled with the odour of roses, and Lord Henry lay on the divan smoking.

In the centre of the room stood the portrait of a young man, and Basil was looking at it. "It is your best work," said Lord Henry. "You must send it to the Grosvenor."

"I shall not send it anywhere," answered Basil. "No, Harry, I have put too much of myself into it. You know, Harry, that I keep my secrets."

Then Lord Henry laughed. "You are so like a painter, my dear fellow."

"Oh, Harry," said Basil, "you don't understand. When I first saw Dorian I felt that his nature would absorb mine. Promise me, Harry, that you will leave him alone."

Then Dorian came in from the garden. When Lord Henry looked at the lad and smiled, Dorian blushed.

"Youth is the one thing worth having," said Lord Henry, and Dorian thought that Harry was right.
"""


@pytest.fixture
def two_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str, str]]:
    home = tmp_path / "home"
    ws = Workspace(home)
    portrait = tmp_path / "the-portrait.epub"  # a book: "Who is …?" is asked of books
    paragraphs = "".join(f"<p>{p}</p>" for p in PORTRAIT.split("\n\n"))
    portrait.write_bytes(
        make_epub({"ch1.xhtml": f"<h1>Chapter I</h1>{paragraphs}"}, title="The Portrait")
    )
    lamp = tmp_path / "the-lamp.txt"
    lamp.write_text(
        "The lighthouse keeper was called Elin. Every night Elin lit the great lamp.\n\n"
        "One winter the glass cracked, and Elin mended it with the glass of her window."
    )
    first = library.add_file(session_of(ws), portrait).source.id
    second = library.add_file(session_of(ws), lamp).source.id
    monkeypatch.setenv("FOLIO_HOME", str(home))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    st.cache_resource.clear()
    yield home, first, second
    st.cache_resource.clear()


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def _app(source_id: str, view: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[state.SELECTED_SOURCE] = source_id
    at.session_state[state.SAMPLES_CHECKED] = True
    at.session_state[state.NAV] = view
    return at


def test_an_edited_script_line_survives_a_reload(two_sources: tuple[Path, str, str]) -> None:
    home, source_id, _ = two_sources
    script = Script(
        title="The portrait",
        hosts=[Host("Ada"), Host("Ben")],
        turns=[
            Turn("Ada", "Today: a painter, a portrait and a talker.", [], 0),
            Turn("Ben", "Who is the talker?", [], 0),
        ],
        segments=["The studio"],
        source_ids=[source_id],
    )
    jobs.start_job(  # a script the studio wrote earlier, finished
        Workspace(home), "script", lambda report: {"scripts": [script_to_dict(script)]},
        background=False,
    )  # fmt: skip
    at = _run(_app(source_id, "Podcast"))
    key = f"{state.SCRIPT_TEXT}:{at.session_state[state.SCRIPT_VERSION]}:0"
    area = at.main.text_area(key=key)
    assert "Who is the talker?" in area.value
    _ok(area.input(area.value.replace("Who is the talker?", "Who talks so much?")).run())

    again = _run(_app(source_id, "Podcast"))  # a reload: a new session
    key = f"{state.SCRIPT_TEXT}:{again.session_state[state.SCRIPT_VERSION]}:0"
    text = again.main.text_area(key=key).value
    assert "Ben: Who talks so much?" in text and "Who is the talker?" not in text


def test_work_on_this_source_keeps_the_screen(two_sources: tuple[Path, str, str]) -> None:
    _, first, second = two_sources
    at = _run(_app(first, "Ask"))
    _ok(at.sidebar.button(key=f"select:{second[:16]}").click().run())
    assert at.session_state[state.SELECTED_SOURCE] == second
    assert at.session_state[state.NAV] == "Ask", "still on Ask, now about the other source"
    shown = [m.value for m in at.main.markdown] + [c.value for c in at.main.caption]
    assert any(text.startswith("Asking about") and "Elin" in text for text in shown), shown


def test_one_question_per_person_however_named(two_sources: tuple[Path, str, str]) -> None:
    _, source_id, _ = two_sources
    at = _run(_app(source_id, "Ask"))
    asked = [b.label for b in at.main.button if b.key and b.key.startswith("suggest_")]
    who = [q for q in asked if q.startswith("Who is")]
    assert "Who is Lord Henry?" in who, asked
    assert "Who is Harry?" not in who, "Harry is Lord Henry"
    assert len(who) == len(set(who)) == 2  # Lord Henry, and one other person (Basil or Dorian)


def test_the_first_screen_has_one_upload_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOLIO_HOME", str(tmp_path))
    monkeypatch.setenv(state.RAISE_ENV, "1")
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    _run(at)
    assert any(t.value == "Welcome to Folio" for t in at.title)
    uploaders = [e for e in at.get("file_uploader")]
    assert len(uploaders) == 1, "the library's box only; the welcome text points to it"
    words = " ".join(" ".join(m.value for m in at.main.markdown).split())
    assert "drop a PDF, an EPUB or a text file in the library on the left" in words
    st.cache_resource.clear()
