"""The plain one-request baseline for podcast scripts: the whole chosen text and one short
instruction, sent to the same model Folio uses. Every comparison of Folio's writer is
made side by side with this, through the same endpoint."""

from __future__ import annotations

from pipelines.llm.base import LLM, Message
from pipelines.podcast.request import PodcastRequest
from pipelines.podcast.writers.dialogue import parse_lines, reply_tokens
from pipelines.types import Chapter, Host, Script, Source, Turn

INSTRUCTION = (
    "Write a podcast script for two hosts, {a} (a summarizer) and {b} (a questioner), "
    "about the text below: an intro, a main part and a conclusion, about {words} words. "
    "One line per turn, written as 'Name: what they say'."
)


def baseline_messages(
    source: Source, chapters: list[Chapter], request: PodcastRequest, words: int
) -> list[Message]:
    a, b = request.hosts
    body = "\n\n".join(f"{c.title}\n\n{c.text}" for c in chapters if c.word_count)
    return [
        Message(
            "user",
            INSTRUCTION.format(a=a, b=b, words=words) + f"\n\n{source.title}\n\n{body}",
        )
    ]


def baseline_script(
    llm: LLM, source: Source, chapters: list[Chapter], request: PodcastRequest, words: int
) -> Script:
    """The model's reply as a Script, with no plan, checks or repair."""
    reply = llm.complete(
        baseline_messages(source, chapters, request, words),
        max_tokens=reply_tokens(words),
        temperature=0.7,
    )
    lines = parse_lines(reply, request.hosts)
    return Script(
        title=f"{source.title} (baseline)",
        hosts=[Host(name=h) for h in request.hosts],
        turns=[Turn(line.speaker, line.text, [], 0) for line in lines],
        segments=["Episode"],
        source_ids=[source.id],
        chapter_ids=[c.id for c in chapters],
        settings={"writer": "baseline", "model": llm.describe()},
    )
