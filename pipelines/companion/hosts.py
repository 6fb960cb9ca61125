"""Ask the hosts: while an episode plays, the listener types a question; the two hosts
answer it in a short exchange grounded in the episode's chapters (with citations),
voiced with the episode's voices; the exchange is kept with the episode's transcript.

The answer is a grounded answer over the episode's chapters (`answers.qa`: the notes
first for a multi-chapter episode, the model when one is set, the text's own sentences
offline); the hosts share it out: host B relays the question, host A answers, host B
adds the rest or takes the episode back.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from pipelines.errors import FolioError
from pipelines.types import Citation, Episode, Scope, Turn

if TYPE_CHECKING:
    from pipelines.session import Session
    from pipelines.workspace.store import Workspace

PAUSE_S = 0.35
MAX_OFFLINE_WORDS = 70  # host A's and B's sentences together: about 25 s of speech
_MARK = re.compile(r"\s*\[\d+\]")
_NUMBER = re.compile(r"\[(\d+)\]")
_LEAD_IN = re.compile(r"^From [^:\n]{1,120}:\s*")  # the offline answer's "From chapter III:"


@dataclass
class HostExchange:
    question: str
    turns: list[Turn]
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True
    at_s: float | None = None  # where the episode was paused
    audio_path: str | None = None
    written_by: str = ""
    asked_at: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # answer_s, voice_s

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> HostExchange:
        data = dict(data)
        data["turns"] = [Turn(**t) for t in data.get("turns", [])]
        data["citations"] = [Citation(**c) for c in data.get("citations", [])]
        return cls(**data)


def episode_scope(episode: Episode) -> Scope:
    script = episode.script
    if not script.source_ids:
        raise FolioError("This episode does not say which chapters it is about.")
    return Scope(list(script.source_ids), list(script.chapter_ids) or None)


def _sentences(text: str) -> list[str]:
    from pipelines.text.sentences import sentence_texts

    return [s for s in sentence_texts(text) if s.strip()]


_CITED_UNIT = re.compile(r"(.+?)((?:\s*\[\d+\])+)\.?(?=\s|$)", re.S)


def _best_first(text: str, best_first: list[int]) -> list[str]:
    """An offline answer's cited pieces (each with its markers), the best-supported first:
    the answer is in reading order, and host A should say the piece that answers."""
    units = [m.group(0).strip() for m in _CITED_UNIT.finditer(text)]
    rank = {n: i for i, n in enumerate(best_first)}

    def place(unit: str) -> int:
        numbers = [int(n) for n in _NUMBER.findall(unit)]
        return min((rank.get(n, len(rank)) for n in numbers), default=len(rank))

    return sorted(units, key=place)  # stable: a lead-in stays before its own sentence


def exchange_turns(
    question: str,
    answer_text: str,
    supported: bool,
    hosts: list[str],
    best_first: list[int] | None = None,
) -> list[Turn]:
    """Host B relays the question, host A answers, host B adds the rest or hands back.

    Offline (`best_first` given) host A says the best-supported piece and host B adds the
    next one only while the reply stays short: it is voiced before it plays."""
    a, b = hosts[0], hosts[1] if len(hosts) > 1 else hosts[0]
    turns = [Turn(b, f"A listener asks: {question.rstrip('?')}?")]
    if not supported:
        turns.append(
            Turn(a, "The chapters in this episode don't say, so we won't guess at that one.")
        )
        turns.append(Turn(b, "Fair enough. Let's get back to the episode."))
        return turns
    text = _LEAD_IN.sub("", answer_text).strip()
    if best_first:
        units = _best_first(text, best_first) or [text]
        first = units[:1]
        rest = [u for u in units[1:2] if _words(first[0]) + _words(u) <= MAX_OFFLINE_WORDS]
    else:
        sentences = _sentences(text)
        first, rest = sentences[:2], sentences[2:4]
    turns.append(Turn(a, " ".join(first)))
    if rest:
        # no lower-casing of the added sentence: it may open with a name ("Mrs. Watchett")
        turns.append(Turn(b, "And there's this: " + " ".join(rest)))
        turns.append(Turn(a, "Right. Back to the episode."))
    else:
        turns.append(Turn(b, "Good question. Back to the episode."))
    return turns


def _words(text: str) -> int:
    return len(_MARK.sub("", text).split())


def _passages_of(turn_text: str, citations: list[Citation]) -> list[str]:
    numbers = {int(n) for n in _NUMBER.findall(turn_text)}
    return [c.passage_id for c in citations if c.number in numbers]


def ask_hosts(
    session: Session, episode: Episode, question: str, *, at_s: float | None = None
) -> HostExchange:
    """The hosts' short answer to a listener's question (not voiced yet)."""
    from pipelines.answers.qa import answer

    question = " ".join(question.split())
    if not question:
        raise FolioError("Type a question for the hosts first.")
    started = time.perf_counter()
    result = answer(session, question, episode_scope(episode))
    hosts = [h.name for h in episode.script.hosts] or ["Host A", "Host B"]
    turns = exchange_turns(question, result.text, result.supported, hosts, result.best_first)
    for turn in turns:  # citations stay as metadata: a voice never reads "[1]"
        turn.passage_ids = _passages_of(turn.text, result.citations)
        turn.text = _MARK.sub("", turn.text).strip()
    from pipelines.workspace.store import utc_now

    return HostExchange(
        question,
        turns,
        result.citations if result.supported else [],
        result.supported,
        at_s,
        written_by=result.written_by,
        asked_at=utc_now(),
        timings={"answer_s": round(time.perf_counter() - started, 3)},
    )


def voice_exchange(session: Session, episode: Episode, exchange: HostExchange) -> Path:
    """A WAV of the exchange in the episode's voices, kept beside the episode."""
    from pipelines.podcast.tts.base import AudioClip
    from pipelines.podcast.tts.registry import voices_for_hosts
    from pipelines.podcast.voicing import TurnCache, voice_turns
    from pipelines.types import Host, Script

    started = time.perf_counter()
    tts = session.tts()
    host_a, host_b = voices_for_hosts(tts, session.settings.tts)
    names = [h.name for h in episode.script.hosts] or ["Host A", "Host B"]
    voices = {names[0]: host_a, **({names[1]: host_b} if len(names) > 1 else {})}
    script = Script("listener question", [Host(n) for n in names], exchange.turns)
    clips = voice_turns(
        script, tts=tts, voices=voices, cache=TurnCache(session.workspace.cache_dir / "tts")
    ).clips
    rate = clips[0].sample_rate
    gap = np.zeros(int(rate * PAUSE_S), dtype=np.int16)
    parts: list[np.ndarray] = []
    for clip in clips:
        samples = clip.samples
        if clip.sample_rate != rate:
            from pipelines.podcast.tts.base import resample

            samples = resample(samples, clip.sample_rate / rate)
        parts += [samples, gap]
    folder = _folder(session.workspace, episode)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"question-{len(list(folder.glob('question-*.wav'))) + 1}.wav"
    from pipelines.workspace.store import atomic_write

    atomic_write(path, AudioClip(np.concatenate(parts), rate).to_wav_bytes())
    exchange.audio_path = str(path)
    exchange.timings["voice_s"] = round(time.perf_counter() - started, 3)
    return path


def _folder(ws: Workspace, episode: Episode) -> Path:
    if episode.audio_path:
        return Path(episode.audio_path).parent / "listener"
    return ws.episodes_dir / episode.id / "listener"


def save_exchange(ws: Workspace, episode: Episode, exchange: HostExchange) -> None:
    """Keep the exchange in the episode's record and append it to its text transcript."""
    with ws.transaction() as con:
        row = con.execute("SELECT payload FROM episodes WHERE id=?", (episode.id,)).fetchone()
        if row is None:
            raise FolioError(f"No episode {episode.id} in this workspace.")
        payload = json.loads(row["payload"])
        payload.setdefault("listener_questions", []).append(exchange.to_dict())
        con.execute("UPDATE episodes SET payload=? WHERE id=?", (json.dumps(payload), episode.id))
    if episode.transcript_path:
        txt = Path(episode.transcript_path).with_suffix(".txt")
        if txt.is_file():
            where = (
                f" (at {int(exchange.at_s // 60)}:{int(exchange.at_s % 60):02d})"
                if exchange.at_s
                else ""
            )
            lines = [f"\n[Listener question{where}]"]
            lines += [f"{t.speaker}: {t.text}" for t in exchange.turns]
            lines += [f"  [{c.number}] {c.chapter_title}: “{c.quote}”" for c in exchange.citations]
            with txt.open("a", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")


def exchanges_of(ws: Workspace, episode_id: str) -> list[HostExchange]:
    with ws.connect() as con:
        row = con.execute("SELECT payload FROM episodes WHERE id=?", (episode_id,)).fetchone()
    if row is None:
        return []
    payload = json.loads(row["payload"])
    return [HostExchange.from_dict(d) for d in payload.get("listener_questions", [])]
