"""The studio's glue for listening while an episode renders (views/studio.py LIVE_JS), in
Debian's chromium: when one part ends the next plays, and when the listener reaches the
last part voiced so far, the next one plays as soon as it appears.

The page is the studio's own markup for the parts (a container keyed `studio_live` with
one <audio> per part) with short real WAVs, so the test drives the script itself, not
the timing of a render (the render side is tests/podcast/test_live.py and test_render.py).
"""

from __future__ import annotations

import base64

import pytest

from pipelines.podcast.tts.base import AudioClip
from workspace_app.views.studio import LIVE_JS, LIVE_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _wav_uri(seconds: float) -> str:
    import numpy as np

    t = np.arange(int(seconds * 8000)) / 8000
    clip = AudioClip((6000 * np.sin(2 * np.pi * 300 * t)).astype(np.int16), 8000)
    return "data:audio/wav;base64," + base64.b64encode(clip.to_wav_bytes()).decode()


def _audio(n: int) -> str:
    return f'<audio id="part{n}" muted preload="auto" src="{_wav_uri(0.6)}"></audio>'


def test_parts_play_one_after_another_and_wait_for_the_next(page) -> None:
    page.set_content(f'<div class="st-key-{LIVE_KEY}">{_audio(1)}{_audio(2)}</div>{LIVE_JS}')
    page.wait_for_function("() => window.folioLiveParts === true")
    page.evaluate("() => { const a = document.getElementById('part1'); a.muted = true; a.play(); }")
    page.wait_for_function(
        "() => document.getElementById('part2').currentTime > 0", timeout=10_000
    )  # the second followed the first by itself
    page.wait_for_function("() => document.getElementById('part2').ended", timeout=10_000)
    third = _audio(3)
    page.evaluate(
        "(html) => document.querySelector('.st-key-studio_live')"
        ".insertAdjacentHTML('beforeend', html)",
        third,
    )
    page.evaluate("() => { document.getElementById('part3').muted = true; }")
    page.wait_for_function(
        "() => document.getElementById('part3').currentTime > 0", timeout=10_000
    )  # it played as soon as it was there
    played_first = page.evaluate("() => document.getElementById('part1').ended")
    assert played_first
