"""The whole path in a real browser: the first-run screen (with its connect-a-model
card), upload a book (it opens), tick
a chapter, ask and see a cited answer, a "don't say" answer and another question, open a
citation in the reader (sentence marked), reload (same place), the reading companion
(who's who so far, previously on, explain a passage, a chapter quiz), choose voices in
Settings, write and render a short podcast (the episode has those voices), play it, ask
the hosts a question (answered, voiced, then the episode resumes) and download the MP3. Screenshots of each step go to test-artifacts/e2e/.

Streamlit draws over a websocket, so every step waits for an element, never a fixed time.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.sources import TIME_MACHINE, TULLY

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

WIDE = {"width": 1280, "height": 800}
NARROW = {"width": 390, "height": 844}
LONG = 240_000  # ms: ingest and audio rendering on a small shared CPU
WAIT = 30_000  # ms: a redraw after a click, on a busy machine


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


def _companion(page, panel: str) -> None:
    """Open a reading-companion panel (a pill above the chapter's text)."""
    pills = page.get_by_test_id("stMain").get_by_test_id("stButtonGroup").last
    pills.get_by_text(panel, exact=False).first.click()
    _idle(page)


def _pick(page, label: str, option: str) -> None:
    """Choose `option` in the Streamlit selectbox labelled `label` (type it, then Enter).
    Tried again when a rerun redrew the box under the click (a choice made while the
    app was still redrawing after the previous one)."""
    box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").filter(has_text=label)
    for attempt in range(3):
        _idle(page)
        box.first.click()
        field = box.first.locator("input")
        field.fill(option)
        choice = page.get_by_role("option", name=option, exact=True).first
        try:
            choice.wait_for(timeout=WAIT)
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
            continue
        if attempt == 0:
            field.press("Enter")
        else:  # Enter takes the first match: with "II" typed, that may be "III"
            choice.click(timeout=WAIT)
        _idle(page)
        if _shown(box) == option:
            return
    raise AssertionError(f"could not choose {option!r} in {label!r}: shows {_shown(box)!r}")


def _shown(box) -> str:
    """The value a Streamlit selectbox shows (its searchable input's value, else text)."""
    field = box.first.locator("input")
    value = field.input_value() if field.count() else ""
    html = box.first.inner_html()
    return value or next((v for v in re.findall(r'value="([^"]*)"', html) if v), "")


def _no_failure(page) -> None:
    assert page.get_by_text("Something went wrong").count() == 0, "a screen failed"


def test_read_ask_listen(app_url: str, page, artifacts: Path) -> None:
    page.set_default_timeout(60_000)
    page.goto(app_url)
    sidebar = page.get_by_test_id("stSidebar")
    main = page.get_by_test_id("stMain")
    sidebar.get_by_text("Library", exact=True).wait_for()
    main.get_by_text("Welcome to Folio").wait_for()
    main.get_by_role("button", name="Add the sample library").wait_for()
    _idle(page)
    # the card that says what writes answers now (offline: the text's own sentences)
    # and connects a model; scanning is left to the AppTests (other servers may run here)
    card = main.locator(".st-key-welcome_connect_card")
    card.get_by_text("offline: the text's own sentences").first.wait_for()
    expect(card.get_by_role("button", name="Look for servers")).to_be_visible()
    _shot(page, artifacts, "01-first-run")

    # upload the book: when it is in, it opens in the reader by itself
    sidebar.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(TIME_MACHINE)
    )
    main.get_by_test_id("stSelectbox").filter(has_text="Chapter").wait_for(timeout=LONG)
    _idle(page)
    expect(main.get_by_text("The Time Machine").first).to_be_visible(timeout=WAIT)
    _no_failure(page)
    _shot(page, artifacts, "02-uploaded-opens-the-book")

    # tick chapter I in the library (listed by the book's own numbering)
    book = sidebar.locator("[data-testid='stExpander']").filter(has_text="The Time Machine")
    if not book.get_by_text("Select all chapters").is_visible():
        book.locator("summary").first.click()
    box = book.get_by_test_id("stCheckbox").filter(has=page.get_by_text("I", exact=True))
    box.first.wait_for()
    box.first.click()
    _idle(page)
    _shot(page, artifacts, "03-chapter-ticked")

    # ask, see a cited answer; then a question the chapter doesn't answer; then ask again
    _nav(page, "Ask")
    main.get_by_text("Scope:").first.wait_for()
    chat = main.get_by_test_id("stChatInputTextArea")
    chat.fill("What was the model machine made of?")
    chat.press("Enter")
    cite = main.get_by_role("button", name="[1]").first
    cite.wait_for(timeout=LONG)
    _idle(page)
    assert main.get_by_test_id("stChatMessage").count() >= 2
    _shot(page, artifacts, "04-cited-answer")

    chat.fill("What is the capital of France?")
    chat.press("Enter")
    main.get_by_text("don't say").first.wait_for(timeout=LONG)
    _idle(page)
    _no_failure(page)
    chat.fill("Who was Filby?")
    chat.press("Enter")
    # the answer itself, not only its empty bubble (a screenshot once caught the bubble)
    page.wait_for_function(
        """() => {
            const m = document.querySelectorAll('[data-testid="stChatMessage"]');
            return m.length >= 6 && /Filby/.test(m[m.length - 1].innerText)
                && m[m.length - 1].innerText.length > 60;
        }""",
        timeout=LONG,
    )
    _idle(page)
    _no_failure(page)
    _shot(page, artifacts, "05-dont-say-then-ask-again")

    # a citation opens the reader at the passage, with the quoted sentence marked
    main.get_by_role("button", name="[1]").first.click()
    page.locator(".st-key-reader_cited").wait_for()
    _idle(page)
    page.wait_for_function(  # scrolled to the passage: it is on screen
        "() => { const r = document.querySelector('.st-key-reader_cited')"
        ".getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"
    )
    marks = page.locator(".st-key-reader_cited [style*='background']")
    expect(marks.first).to_be_visible(timeout=WAIT)  # the cited sentence is highlighted
    _shot(page, artifacts, "06-reader-citation")

    page.set_viewport_size(NARROW)
    _shot(page, artifacts, "07-reader-narrow")
    page.set_viewport_size(WIDE)

    # a reload opens the same book, the same ticked chapter and the same chapter
    page.reload()
    main.get_by_test_id("stSelectbox").filter(has_text="Chapter").wait_for(timeout=LONG)
    _idle(page)
    assert "source=" in page.url and "chapters=" in page.url
    expect(main.get_by_role("heading", name="I", exact=True)).to_be_visible(timeout=WAIT)
    ticked = book.get_by_test_id("stCheckbox").filter(has=page.get_by_text("I", exact=True))
    expect(ticked.first.locator("input")).to_be_checked(timeout=WAIT)
    _shot(page, artifacts, "08-after-reload")

    # the reading companion at chapter II: who's who so far, previously on, explain
    _pick(page, "Chapter", "II")
    main.get_by_role("heading", name="II", exact=True).wait_for()
    _companion(page, "Who's who")
    main.get_by_text("Who's who up to", exact=False).first.wait_for(timeout=LONG)
    main.locator(".st-key-companion_people").get_by_text("Filby").first.wait_for(timeout=WAIT)
    assert main.get_by_text("Weena").count() == 0  # not met yet
    _idle(page)
    _shot(page, artifacts, "08a-whos-who")
    _companion(page, "Previously on")
    main.get_by_text("Previously, before", exact=False).first.wait_for(timeout=LONG)
    main.locator(".st-key-companion_recap").get_by_role("button", name="[1]").wait_for()
    _idle(page)
    _shot(page, artifacts, "08b-previously-on")
    _companion(page, "Explain")
    box = main.get_by_placeholder("Copy a sentence or two", exact=False)
    box.wait_for(timeout=WAIT)
    box.fill("The Time Traveller was expounding a recondite matter to us.")
    box.press("Control+Enter")
    _idle(page)
    main.get_by_role("button", name="Explain", exact=True).click()
    main.get_by_text("difficult to penetrate", exact=False).first.wait_for(timeout=LONG)
    _idle(page)
    _no_failure(page)
    _shot(page, artifacts, "08c-explain")

    # a chapter quiz: answer a question, see it checked with its passage
    _nav(page, "Quiz")
    main.get_by_text("questions on", exact=False).first.wait_for(timeout=LONG)
    answer = main.get_by_placeholder("Type your answer", exact=False).first
    answer.fill("I do not know")
    answer.press("Enter")
    main.get_by_text("The answer is:", exact=False).or_(
        main.get_by_text("Right:", exact=False)
    ).first.wait_for(timeout=LONG)
    _idle(page)
    expect(main.get_by_role("button", name="Anki deck")).to_be_visible(timeout=WAIT)
    _no_failure(page)
    _shot(page, artifacts, "08d-quiz")
    _nav(page, "Reader")

    # voices chosen in Settings are the voices of the episode
    _nav(page, "Settings")
    _pick(page, "Speech engine", "espeak")
    _pick(page, "First host's voice", "en-gb")
    _pick(page, "Second host's voice", "en-us+f3")
    _shot(page, artifacts, "09-settings-voices")

    # a short podcast: half a minute
    _nav(page, "Podcast")
    thumb = main.get_by_role("slider").first
    thumb.wait_for(timeout=LONG)
    for _ in range(3):  # a key press can land before the slider is ready on a busy machine
        thumb.focus()
        thumb.press("Home")  # 0.5 minutes
        _idle(page)
        if main.get_by_text("0.5").count():
            break
    expect(main.get_by_text("0.5").first).to_be_visible(timeout=WAIT)
    _nav(page, "Reader")
    _nav(page, "Podcast")
    expect(main.get_by_text("0.5").first).to_be_visible(timeout=WAIT)  # kept across screens
    main.get_by_role("button", name="Write script").click()
    main.get_by_role("button", name="Render audio").wait_for(timeout=LONG)
    _idle(page)
    _shot(page, artifacts, "10-script")
    main.get_by_role("button", name="Render audio").click()
    main.get_by_test_id("stProgress").first.wait_for(timeout=LONG)
    _shot(page, artifacts, "11-recording-progress")
    main.locator("audio").first.wait_for(state="attached", timeout=LONG)
    _idle(page)
    duration = page.wait_for_function(
        "() => { const a = document.querySelector('audio');"
        " return a && a.readyState >= 1 && isFinite(a.duration) && a.duration > 0"
        " ? a.duration : null; }",
        timeout=60_000,
    ).json_value()
    assert duration > 1
    # the episode card names the voices it was made with (it may still be redrawing)
    main.get_by_text("en-gb", exact=False).first.wait_for(state="visible", timeout=LONG)
    main.get_by_text("en-us+f3", exact=False).first.wait_for(state="visible", timeout=LONG)
    page.evaluate("() => document.querySelector('audio').play().catch(() => null)")
    page.wait_for_function(  # the new episode's player is brought into view
        "() => { const r = document.querySelector('.st-key-studio_player')"
        ".getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }"
    )
    _shot(page, artifacts, "12-episode")

    # ask the hosts while it plays: their answer is shown and voiced, the episode pauses,
    # and when the answer ends the episode goes on from where it was
    page.evaluate("() => { const a = document.querySelector('audio'); a.currentTime = 1.5; }")
    ask = main.get_by_placeholder("Ask the hosts", exact=False).first
    ask.fill("Who came in and walked towards the garden door?")
    ask.press("Enter")
    main.get_by_text("You asked:", exact=False).first.wait_for(timeout=LONG)
    reply = main.locator("[class*='st-key-hosts_reply_'] audio").first
    reply.wait_for(state="attached", timeout=LONG)
    _idle(page)
    page.wait_for_function(  # the reply's audio is there and the episode is paused
        "() => { const r = document.querySelector(\"[class*='st-key-hosts_reply_'] audio\");"
        " const e = document.querySelector(\"[class*='st-key-episode_audio_'] audio\");"
        " return r && r.dataset.folioWired && e && e.paused; }",
        timeout=WAIT,
    )
    page.evaluate(  # the answer finishes playing (headless chromium may not play sound)
        "() => document.querySelector(\"[class*='st-key-hosts_reply_'] audio\")"
        ".dispatchEvent(new Event('ended'))"
    )
    resumed = page.wait_for_function(
        "() => document.body.dataset.folioResumedAt", timeout=WAIT
    ).json_value()
    assert float(resumed) > 0  # back where the listener paused, not at the start
    _no_failure(page)
    _shot(page, artifacts, "12a-ask-the-hosts")

    with page.expect_download() as download_info:
        main.get_by_role("button", name="Download MP3").first.click()
    saved = artifacts / "episode.mp3"
    download_info.value.save_as(str(saved))
    head = saved.read_bytes()[:3]
    assert saved.stat().st_size > 1000 and (
        head == b"ID3" or head[:2] in (b"\xff\xfb", b"\xff\xf3")
    )
    expect(main.get_by_role("button", name="Subtitles (VTT)").first).to_be_visible(timeout=WAIT)

    page.set_viewport_size(NARROW)
    _shot(page, artifacts, "13-studio-narrow")
    page.set_viewport_size(WIDE)

    # a PDF paper reads like a page: paragraphs, page markers, no running headers
    sidebar.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(TULLY))
    main.get_by_role("heading", name="Patient Experiences", exact=False).or_(
        main.get_by_text("Patient Experiences of Structured", exact=False)
    ).first.wait_for(timeout=LONG)
    _idle(page)
    _pick(page, "Chapter", "4. Experience of Programmes")
    main.get_by_text("— page 3 —").wait_for()
    assert main.get_by_text("Rehabilitation Research and Practice 3").count() == 0
    assert main.get_by_text("pages 2–3").count() == 1
    _no_failure(page)
    _shot(page, artifacts, "14-pdf-reader")
    main.get_by_text("— page 3 —").scroll_into_view_if_needed()
    _shot(page, artifacts, "15-pdf-page-marker")
