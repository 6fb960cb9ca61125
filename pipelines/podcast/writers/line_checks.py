"""What can be wrong with a model-written script, in words a model can act on.

Per line: markup a voice would read, references/tables/captions, a number or a name the
text never has, a "quotation" that is not word for word. Over the script: one host
twice in a row, a question nobody answers, the wrong length, host B hardly speaking.
The writer sends these back to the model to repair; nothing here cuts anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.notes.model_notes import normalise_quote
from pipelines.podcast.writers.dialogue import Line
from pipelines.text.prose import non_prose_reason
from pipelines.types import count_words

LENGTH_LOW, LENGTH_HIGH = 0.85, 1.15
HOST_B_SHARE = 0.30
_MARKUP = re.compile(r"[\[\]{}<>\\|#*_~]|https?://|www\.")
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
# a capitalised word inside a sentence (not after . ! ? or a quote that opens a sentence)
_NAME = re.compile(
    r"(?<![.!?:]\s)(?<![.!?:][\"”’]\s)(?<!^)(?<![\"“‘'])\b([A-Z][a-z]{2,}(?:['’]s)?)\b"
)
_QUOTED = re.compile(r"[\"“]([^\"”]{20,})[\"”]")
_SENTENCE = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z0-9])")
# what a spoken line must never be; the other shapes of non-prose ("furniture" words such
# as "licence", title-cased runs, long words) are normal in speech
_NOT_SPEECH = {"reference", "caption", "equation"}
_ALWAYS_OK = {"I'm", "I've", "I'd", "I'll", "Okay", "Yeah", "Wow", "God", "Sir", "Mr", "Mrs"}


@dataclass(frozen=True)
class Problem:
    line: int  # 0-based index; -1 for the whole script
    reason: str
    kind: str = "line"  # line: the line's own words | structure | shape (the whole script)


class Checker:
    """Checks lines against the chosen text (and the words any line may use)."""

    def __init__(self, source_words: str, hosts: tuple[str, str], *, one_host: bool) -> None:
        self.hosts = hosts
        self.one_host = one_host
        self._lower = " ".join(source_words.split()).lower()
        self._numbers = _numbers_in(source_words)
        self._quotable = normalise_quote(source_words)
        self._known = set(re.findall(r"[a-z]+", self._lower)) | {h.lower() for h in hosts}

    def line_problem(self, text: str) -> str | None:
        """Why one line must not be voiced as it is, or None."""
        if _MARKUP.search(text):
            return "it contains markup or symbols a voice would read out"
        reason = non_prose_reason(text)
        if reason in _NOT_SPEECH:
            return f"it reads like a {reason}, not speech"
        for number in _NUMBER.findall(text):
            plain = number.replace(",", "").rstrip(".")
            if plain not in self._numbers and not _harmless_number(plain):
                return f"the number {number} is not in the text"
        for name in _NAME.findall(text):
            bare = re.sub(r"['’]s$", "", name)
            if bare in _ALWAYS_OK or bare.lower() in self._known:
                continue
            return f"the name '{bare}' is not in the text"
        for quoted in _QUOTED.findall(text):
            said = normalise_quote(quoted)
            if len(said.split()) >= 6 and said not in self._quotable:
                return "the quotation is not word for word from the text (quote exactly or paraphrase without quotation marks)"
        return None

    def failing_sentences(self, text: str) -> list[str]:
        return [s for s in _SENTENCE.split(text) if self.line_problem(s)]

    def problems(self, lines: list[Line], words: int) -> list[Problem]:
        found = [
            Problem(i, reason)
            for i, line in enumerate(lines)
            if (reason := self.line_problem(line.text))
        ]
        found += self.structure(lines)
        found += self.shape(lines, words)
        return found

    def structure(self, lines: list[Line]) -> list[Problem]:
        a, b = self.hosts
        found: list[Problem] = []
        for i, line in enumerate(lines):
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if self.one_host:
                if line.speaker != a:
                    found.append(Problem(i, f"only {a} speaks in a brief", "structure"))
                continue
            if nxt is not None and nxt.speaker == line.speaker:
                found.append(
                    Problem(
                        i + 1,
                        f"{line.speaker} speaks twice in a row (lines {i + 1} and {i + 2})",
                        "structure",
                    )
                )
            if line.text.rstrip().endswith("?") and (nxt is None or nxt.speaker == line.speaker):
                found.append(
                    Problem(
                        i,
                        "this question is not answered by the other host in the next line",
                        "structure",
                    )
                )
        return found

    def shape(self, lines: list[Line], words: int) -> list[Problem]:
        said = sum(count_words(line.text) for line in lines)
        found: list[Problem] = []
        if words and not LENGTH_LOW <= said / words <= LENGTH_HIGH:
            verb = "extend it with more substance from the notes" if said < words else "tighten it"
            found.append(
                Problem(
                    -1,
                    f"the script has {said} words but must have about {words} "
                    f"(between {round(words * 0.9)} and {round(words * 1.1)}): {verb}",
                    "shape",
                )
            )
        if not self.one_host and said:
            share = sum(count_words(x.text) for x in lines if x.speaker == self.hosts[1]) / said
            if share < HOST_B_SHARE:
                found.append(
                    Problem(
                        -1,
                        f"{self.hosts[1]} says only {share:.0%} of the words: give "
                        f"{self.hosts[1]} more substance (reactions, views, connections), "
                        "at least a third",
                        "shape",
                    )
                )
        return found


def _numbers_in(text: str) -> set[str]:
    """Every number of the text, as written ("2,000" -> 2000) and in its comma-separated
    parts, since extracted PDF text runs numbers together ("December 17,1903")."""
    found: set[str] = set()
    for number in _NUMBER.findall(text):
        found.add(number.replace(",", "").rstrip("."))
        found.update(part.rstrip(".") for part in number.split(",") if part)
    return found


def _harmless_number(number: str) -> bool:
    """Small counts a speaker says without the text ("two things", "3 reasons")."""
    try:
        return float(number) <= 10 and "." not in number
    except ValueError:
        return False
