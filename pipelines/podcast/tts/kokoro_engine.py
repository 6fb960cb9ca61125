"""Kokoro-82M (Apache-2.0) through kokoro-onnx: the offline default when its files are in
Folio's model cache (`make voices`, see kokoro_files.py). Two real voices, a woman and a
man, instead of one voice pitched up.

Measured on 2 cores (docs/voices.md): one ONNX Runtime thread voices at a real-time factor
of ~0.65, and two turns at once finish no sooner than one after the other, so the engine
asks the render to voice one turn at a time (`max_workers = 1`): the first turn is then
ready as early as it can be. Text is voiced sentence by sentence (`stream`), so the
render can offer the first sentence while the rest of the turn is being made.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from pipelines.errors import BackendError
from pipelines.podcast.tts import kokoro_files
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, shift_pitch

log = logging.getLogger(__name__)

HOST_A = "af_heart"  # the voice Kokoro's authors rate best; a woman, American
HOST_B = "am_michael"  # a man, American: median pitch ~an octave below host A
HOST_SPEED = 0.9  # Kokoro speaks ~200 words a minute at 1.0; podcast budgets assume ~150
SENTENCE_PAUSE_S = 0.25  # what kokoro-onnx puts between its own batches
CLAUSE_PAUSE_S = 0.1
LONG_SENTENCE_WORDS = 24  # longer ones are voiced in two pieces, cut at a comma
ENGLISH_VOICES = (
    "af_alloy af_aoede af_bella af_heart af_jessica af_kore af_nicole af_nova af_river "
    "af_sarah af_sky am_adam am_echo am_eric am_fenrir am_liam am_michael am_onyx am_puck "
    "am_santa bf_alice bf_emma bf_isabella bf_lily bm_daniel bm_fable bm_george bm_lewis"
).split()
# a sentence ends at . ! ? (then a space); abbreviations are already spelled out by the
# speech text (pipelines.text.speech) before anything reaches an engine
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")

_lock = threading.Lock()
_loaded: dict[Path, Any] = {}  # one model per folder per process


_ACCENTS = {"a": "American", "b": "British"}
_PEOPLE = {"f": "woman", "m": "man"}


def language(voice: str) -> str:
    """kokoro-onnx's espeak language for a voice: British for bf_/bm_, else American."""
    return "en-gb" if voice.startswith("b") else "en-us"


def split_sentences(text: str) -> list[str]:
    """Sentences; one over LONG_SENTENCE_WORDS words is cut at the comma (or semicolon)
    nearest its middle, so no piece keeps a listener waiting long."""
    pieces: list[str] = []
    for sentence in (s.strip() for s in _SENTENCE_END.split(text.strip())):
        words = sentence.split()
        cuts = [i for i, w in enumerate(words[4:-4], 5) if w.endswith((",", ";"))]
        if len(words) > LONG_SENTENCE_WORDS and cuts:
            cut = min(cuts, key=lambda i: abs(i - len(words) / 2))
            pieces += [" ".join(words[:cut]), " ".join(words[cut:])]
        elif sentence:
            pieces.append(sentence)
    return pieces


def _load(folder: Path) -> Any:
    with _lock:
        if folder in _loaded:
            return _loaded[folder]
        model, voices = kokoro_files.find_model(folder), kokoro_files.find_voices(folder)
        if model is None or voices is None:
            raise BackendError(
                f"The Kokoro voice is not installed: {kokoro_files.missing(folder)}."
            )
        try:
            import onnxruntime as ort
            from kokoro_onnx import Kokoro
        except ImportError as exc:
            raise BackendError(
                "The Kokoro voice needs kokoro-onnx: pip install kokoro-onnx==0.6.1"
            ) from exc
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # measured fastest on 2 cores, see the module doc
        opts.inter_op_num_threads = 1
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = ort.InferenceSession(
            str(model), sess_options=opts, providers=["CPUExecutionProvider"]
        )
        # phonemizer warns on every sentence whose word count changed (it does for "1871")
        logging.getLogger("phonemizer").setLevel(logging.ERROR)
        _loaded[folder] = Kokoro.from_session(session, str(voices))
        log.info("Loaded Kokoro from %s", folder)
        return _loaded[folder]


class KokoroEngine(TTSEngine):
    name = "kokoro"
    max_workers = 1

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or kokoro_files.kokoro_dir()

    def available(self) -> str | None:
        try:
            import kokoro_onnx  # noqa: F401
        except ImportError:
            return "pip install kokoro-onnx==0.6.1"
        return kokoro_files.missing(self.folder)

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec(HOST_A, HOST_SPEED), VoiceSpec(HOST_B, HOST_SPEED)

    def voices(self) -> list[str]:
        """Every English voice: American first (af_, am_), then British (bf_, bm_)."""
        path = kokoro_files.find_voices(self.folder)
        if path is None:
            return list(ENGLISH_VOICES)
        with np.load(path) as table:
            names = [n for n in table.files if n.startswith(kokoro_files.ENGLISH_PREFIXES)]
        return sorted(names) or list(ENGLISH_VOICES)

    def warm_up(self) -> None:
        """Load the model and voice one word: ONNX Runtime's first run costs ~1 s more."""
        next(self.stream("Ready.", self.default_voices()[0]))

    def describe_voice(self, voice: str) -> str:
        """'af_heart' -> 'Heart — American woman'."""
        kind, _, name = voice.partition("_")
        if len(kind) != 2 or kind[0] not in _ACCENTS or kind[1] not in _PEOPLE or not name:
            return voice
        return f"{name.capitalize()} — {_ACCENTS[kind[0]]} {_PEOPLE[kind[1]]}"

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        pieces = list(self.stream(text, voice))
        return AudioClip(np.concatenate([p.samples for p in pieces]), pieces[0].sample_rate)

    def stream(self, text: str, voice: VoiceSpec) -> Iterator[AudioClip]:
        model = _load(self.folder)
        if voice.voice not in model.voices:
            raise BackendError(
                f"Kokoro has no voice '{voice.voice}'; choose one of: {', '.join(self.voices())}."
            )
        speed = min(2.0, max(0.5, voice.speed))
        sentences = split_sentences(text)
        if not sentences:
            raise BackendError("There is no text to voice.")
        for n, sentence in enumerate(sentences, 1):
            try:
                audio, rate = model.create(
                    sentence, voice.voice, speed=speed, lang=language(voice.voice)
                )
            except (ValueError, RuntimeError) as exc:  # no phonemes, an ONNX failure
                raise BackendError(f"Kokoro could not voice {sentence[:60]!r}: {exc}") from exc
            if n < len(sentences):  # the pause a reader makes, after every piece but the last
                pause = CLAUSE_PAUSE_S if sentence.endswith((",", ";")) else SENTENCE_PAUSE_S
                audio = np.concatenate([audio, np.zeros(int(pause * rate), dtype=audio.dtype)])
            samples = (np.clip(audio, -1.0, 1.0) * 32767).astype(np.int16)
            yield shift_pitch(AudioClip(samples, rate), voice.pitch)
