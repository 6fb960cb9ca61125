"""A listenable two-host script with no model: host A explains from the text's key
sentences, host B asks varied questions and reacts. Every sentence read from the
book is cited by its passage, and no line is said twice."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from pipelines.podcast.material import Material, Segment, body_words, segment_budgets
from pipelines.text.keysentences import KeySentence, in_reading_order, rank_key_sentences
from pipelines.types import Host, Script, Turn, count_words

if TYPE_CHECKING:
    from pipelines.podcast.request import PodcastRequest

QUESTION_WORDS = 9  # a typical question from host B, used when planning the budget

_OPENERS = [
    "Let's start with {title}. What's going on there?",
    "Next up: {title}. Where does it begin?",
    "So, {title}. What should we listen for?",
    "Moving on to {title}. Set the scene for me.",
    "Now {title}. What happens here?",
    "Let's get into {title}. What's the first thing that stands out?",
    "And {title}. Walk me through it.",
    "Then comes {title}. What do we find?",
]
_FOLLOW_UPS = [
    "And what about {topic}?",
    "Wait, tell me more about {topic}.",
    "Where does {topic} come in?",
    "How does {topic} fit into this?",
    "Okay. And then?",
    "Huh. What comes next?",
    "Interesting. Why does that matter?",
    "That's a striking detail. Is there more?",
    "So how does it develop from there?",
    "I didn't expect that. Go on.",
    "Right. What's the next step?",
    "Hold on, what does the text say next?",
]
_DEBATE = [
    "I'm not convinced. What does the text actually say about {topic}?",
    "Couldn't you read that the other way? Show me {topic}.",
    "That sounds one-sided. What's the evidence on {topic}?",
    "Let me push back. Where does {topic} come from?",
    "Is that really the whole story?",
    "Devil's advocate: isn't that overstated?",
]
_LEADS = [
    "",
    "The text says: ",
    "Here's the line: ",
    "",
    "It reads: ",
    "And then: ",
    "Listen to this: ",
    "",
]
_STOP = set(ENGLISH_STOP_WORDS) | set(
    [
        "said",
        "upon",
        "like",
        "seemed",
        "seem",
        "seems",
        "came",
        "come",
        "comes",
        "went",
        "goes",
        "made",
        "make",
        "makes",
        "felt",
        "feel",
        "thought",
        "think",
        "saw",
        "seen",
        "look",
        "looked",
        "began",
        "begin",
        "little",
        "great",
        "good",
        "much",
        "many",
        "upon",
        "shall",
        "just",
        "also",
        "still",
        "even",
        "ever",
        "quite",
        "rather",
        "really",
        "thing",
        "things",
        "something",
        "nothing",
        "time",
        "times",
        "know",
        "knew",
        "known",
        "took",
        "take",
        "taken",
        "found",
        "find",
        "gave",
        "give",
        "told",
        "tell",
        "turned",
        "turn",
        "went",
        "away",
    ]
)


def _topic(sentence: str, salient: Counter[str]) -> str | None:
    """Something for host B to ask about: a name, else the word of the sentence that recurs
    most in the segment (recurring words are what a passage is about)."""
    names = re.findall(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,}(?:\s[A-Z][a-z]+)?)", sentence)
    names = [n for n in names if n.lower() not in _STOP]
    if names:
        return names[0]
    words = [w for w in re.findall(r"[a-z]{4,}", sentence.lower()) if w not in _STOP]
    best = max(words, key=lambda w: (salient[w], len(w)), default=None)
    return f"the {best}" if best and salient[best] >= 3 else None


def _salient_words(segment: Segment) -> Counter[str]:
    return Counter(
        w
        for p in segment.passages
        for w in re.findall(r"[a-z]{4,}", p.text.lower())
        if w not in _STOP and not w.endswith("ly")
    )


class _Lines:
    """Cycles through templates without ever producing the same line twice."""

    def __init__(self, templates: list[str]) -> None:
        self.cycle = itertools.cycle(templates)
        self.size = len(templates)
        self.used: set[str] = set()

    def next(self, **values: str) -> str:
        for _ in range(self.size * 2):
            template = next(self.cycle)
            if "{topic}" in template and not values.get("topic"):
                continue
            line = template.format(**values)
            if line not in self.used:
                self.used.add(line)
                return line
        return ""


def _pick(segment: Segment, budget: int, used: set[str], focus: str) -> list[KeySentence]:
    ranked = rank_key_sentences(segment.passages, limit=40, exclude=used, query=focus or None)
    picked: list[KeySentence] = []
    spent = QUESTION_WORDS  # the segment opener
    for sentence in ranked:
        cost = count_words(sentence.text) + QUESTION_WORDS // 2
        if spent + cost > budget * 1.05 and picked:
            continue
        picked.append(sentence)
        used.add(sentence.text)
        spent += cost
        if spent >= budget * 0.95:
            break
    return in_reading_order(picked)


def write(
    material: Material,
    request: PodcastRequest,
    *,
    words_per_minute: int,
    previously: str = "",
    llm: Any = None,  # unused: the offline writer needs no model
) -> Script:
    """Compose, measure, and re-plan the body's budget until the script lands near the
    target (the fixed intro, questions and recap make a first plan over- or undershoot)."""
    hosts, minutes, fmt, focus = request.hosts, request.minutes, request.format, request.focus
    target = round(minutes * words_per_minute)
    body = body_words(target)
    best: Script | None = None
    for _ in range(4):
        script = _compose(material, hosts, body, fmt, focus, previously)
        if best is None or abs(script.word_count - target) < abs(best.word_count - target):
            best = script
        if abs(script.word_count - target) <= 0.07 * target or script.word_count == 0:
            break
        body = max(25, body + target - script.word_count)  # words move ~1:1 with the body
    assert best is not None
    return best


def _compose(
    material: Material,
    hosts: tuple[str, str],
    body: int,
    fmt: str,
    focus: str,
    previously: str,
) -> Script:
    a, b = hosts
    one_host = fmt == "brief"
    source = material.source
    turns: list[Turn] = []
    opener, follow = _Lines(_OPENERS), _Lines(_DEBATE if fmt == "debate" else _FOLLOW_UPS)
    leads = itertools.cycle(_LEADS)

    intro = f"Welcome to Folio. I'm {a}" + ("." if one_host else f", here with {b}.")
    intro += f" Today: {material.label} of {source.title}"
    intro += f" by {', '.join(source.authors)}." if source.authors else "."
    if focus:
        intro += f" We'll focus on {focus.rstrip('.')}."
    if previously:
        intro += f" Last time, we covered {previously}."
    turns.append(Turn(speaker=a, text=intro, segment=0))

    used: set[str] = set()
    segment_titles = ["Introduction"]
    spoken_titles: list[str] = []
    budgets = segment_budgets(material.segments, body)
    for segment, budget in zip(material.segments, budgets, strict=True):
        sentences = _pick(segment, budget, used, focus)
        if not sentences:
            continue
        segment_titles.append(segment.title)
        spoken_titles.append(segment.spoken)
        number = len(segment_titles) - 1
        first = sentences[0]
        salient = _salient_words(segment)
        if one_host:
            turns.append(Turn(speaker=a, text=f"On to {segment.spoken}.", segment=number))
        else:
            turns.append(
                Turn(
                    speaker=b,
                    text=opener.next(title=segment.spoken),
                    passage_ids=[first.passage.id],
                    segment=number,
                )
            )
        for i, sentence in enumerate(sentences):
            if i > 0 and not one_host:
                line = follow.next(topic=_topic(sentence.text, salient) or "")
                if line:
                    turns.append(
                        Turn(
                            speaker=b, text=line, passage_ids=[sentence.passage.id], segment=number
                        )
                    )
            speaker = a
            text = next(leads) + sentence.text
            if turns[-1].speaker == a and turns[-1].segment == number:
                turns[-1].text += " " + sentence.text  # one host or no question: keep talking
                turns[-1].passage_ids.append(sentence.passage.id)
                continue
            turns.append(
                Turn(speaker=speaker, text=text, passage_ids=[sentence.passage.id], segment=number)
            )

    turns.extend(_closing(spoken_titles, turns, a, b, one_host))
    return Script(
        title=f"{source.title}: {material.label.strip('“”')}",
        hosts=[Host(name=a)] + ([] if one_host else [Host(name=b)]),
        turns=turns,
        segments=[*segment_titles, "Recap"],
        source_ids=[source.id],
        chapter_ids=[c.id for c in material.chapters],
    )


def _closing(titles: list[str], turns: list[Turn], a: str, b: str, one_host: bool) -> list[Turn]:
    """A recap naming what was covered and its recurring words (never a repeated sentence)."""
    titles = titles or ["the text"]
    covered = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + f" and {titles[-1]}"
    words = Counter(
        w
        for t in turns
        if t.passage_ids and t.speaker == a  # what was read from the text, not the questions
        for w in re.findall(r"[a-z]{5,}", t.text.lower())
        if w not in _STOP
    )
    keywords = [w for w, _ in words.most_common(3)]
    recap = f"So, to recap: we went through {covered}."
    if keywords:
        recap += f" The words that kept coming back were {', '.join(keywords)}."
    segment = len(titles) + 1
    closing: list[Turn] = []
    if not one_host:
        closing.append(Turn(speaker=b, text="Before we go, can you sum it up?", segment=segment))
    closing.append(Turn(speaker=a, text=recap, segment=segment))
    outro = (
        "Thanks for listening to Folio."
        if one_host
        else f"That's it from {a} and {b}. Thanks for listening to Folio."
    )
    closing.append(
        Turn(speaker=b if not one_host else a, text=outro + " Happy reading.", segment=segment)
    )
    return closing
