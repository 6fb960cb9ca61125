"""The whole path in a real browser: upload a book, tick a chapter, ask and see a cited
answer, open the citation in the reader, write and render a short podcast, play it and
download the MP3. Screenshots of each step go to test-artifacts/e2e/.

Streamlit draws over a websocket, so every step waits for an element, never a fixed time.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from tests.sources import TIME_MACHINE

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}
LONG = 240_000  # ms: ingest and audio rendering on a small shared CPU


def _shot(page, artifacts: Path, name: str) -> None:
    page.wait_for_timeout(300)  # let the last delta paint (not a wait for content)
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=False)


def _idle(page, timeout: int = LONG) -> None:
    """Wait until Streamlit has finished the current run (the status widget is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
    )


def _nav(page, view: str) -> None:
    nav = page.get_by_test_id("stMain").get_by_test_id("stButtonGroup").first
    nav.get_by_text(view, exact=False).first.click()
    _idle(page)


def test_read_ask_listen(app_url: str, page, artifacts: Path) -> None:
    page.set_default_timeout(60_000)
    page.goto(app_url)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Library", exact=True).wait_for()
    _shot(page, artifacts, "01-first-run")

    # upload the book (several files are accepted; one is enough here)
    sidebar.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(TIME_MACHINE)
    )
    sidebar.get_by_text("The Time Machine", exact=False).first.wait_for(timeout=LONG)
    sidebar.get_by_test_id("stAlertContentSuccess").first.wait_for(timeout=LONG)
    _idle(page)
    _shot(page, artifacts, "02-uploaded")

    # open the book in the library and tick chapter I
    book = sidebar.locator("[data-testid='stExpander']").filter(has_text="The Time Machine")
    if not book.get_by_text("Select all chapters").is_visible():
        book.locator("summary").first.click()
    box = book.get_by_test_id("stCheckbox").filter(has=page.get_by_text("I", exact=True)).first
    box.wait_for()
    box.click()
    _idle(page)
    _shot(page, artifacts, "03-chapter-ticked")

    # ask, and see a cited answer
    _nav(page, "Ask")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Scope:").first.wait_for()
    chat = main.get_by_test_id("stChatInputTextArea")
    chat.fill("What was the model machine made of?")
    chat.press("Enter")
    cite = main.get_by_role("button", name="[1]").first
    cite.wait_for(timeout=LONG)
    _idle(page)
    assert main.get_by_test_id("stChatMessage").count() >= 2
    _shot(page, artifacts, "04-cited-answer")

    # a citation opens the reader at the passage
    cite.click()
    page.locator(".st-key-reader_cited").wait_for()
    _idle(page)
    page.wait_for_function(  # scrolled to the passage: it is on screen
        "() => { const r = document.querySelector('.st-key-reader_cited')"
        ".getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"
    )
    _shot(page, artifacts, "05-reader-citation")

    page.set_viewport_size(NARROW)
    _shot(page, artifacts, "06-reader-narrow")
    page.set_viewport_size(WIDE)

    if importlib.util.find_spec("pipelines.podcast.episodes") is None:
        pytest.skip("pipelines.podcast.episodes (audio rendering) is not there yet")

    # a short podcast: half a minute, brief format
    _nav(page, "Podcast")
    thumb = main.get_by_role("slider").first
    thumb.focus()
    thumb.press("Home")  # 0.5 minutes
    _idle(page)
    main.get_by_role("button", name="Write script").click()
    main.get_by_role("button", name="Render audio").wait_for(timeout=LONG)
    _idle(page)
    _shot(page, artifacts, "07-script")
    main.get_by_role("button", name="Render audio").click()
    main.locator("audio").first.wait_for(state="attached", timeout=LONG)
    _idle(page)
    duration = page.wait_for_function(
        "() => { const a = document.querySelector('audio');"
        " return a && a.readyState >= 1 && isFinite(a.duration) && a.duration > 0"
        " ? a.duration : null; }",
        timeout=60_000,
    ).json_value()
    assert duration > 1
    page.evaluate("() => document.querySelector('audio').play().catch(() => null)")
    _shot(page, artifacts, "08-episode")

    with page.expect_download() as download_info:
        main.get_by_role("button", name="Download MP3").first.click()
    saved = artifacts / "episode.mp3"
    download_info.value.save_as(str(saved))
    head = saved.read_bytes()[:3]
    assert saved.stat().st_size > 1000 and (
        head == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3")
    )

    page.set_viewport_size(NARROW)
    _shot(page, artifacts, "09-studio-narrow")
