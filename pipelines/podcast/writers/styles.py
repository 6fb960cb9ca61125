"""How each episode format sounds: who the hosts are and how they talk. The same words
go to the planner and to the dialogue writer, so a debate is planned as a debate."""

from __future__ import annotations

from pipelines.podcast.request import PodcastFormat, PodcastRequest


def format_brief(request: PodcastRequest) -> str:
    a, b = request.hosts
    match request.kind:
        case PodcastFormat.BRIEF:
            return (
                f"It is a one-host brief: {a} alone tells the listener, crisply and warmly, "
                "what matters most."
            )
        case PodcastFormat.DEBATE:
            return (
                f"It is a friendly debate between two hosts who have both read it closely: "
                f"{a} argues for one reading of the text (or for its claims), {b} argues the "
                "other side, and each grounds every point in the text; they end by saying "
                "where they agree and where they still differ."
            )
        case _:
            return (
                f"It is a deep dive by two hosts who have both read it closely: {a} guides "
                f"the listener through it; {b} is a curious, opinionated co-host who reacts, "
                "asks what a listener would ask, connects ideas, pushes back where the text "
                "allows and says why things matter."
            )


def voice_rules(request: PodcastRequest) -> list[str]:
    """Rules for lines a listener hears once, in order."""
    a, b = request.hosts
    rules = [
        "Write for the ear: short spoken sentences, contractions, natural reactions. "
        "Explain in your own words instead of reading the text out; quote only short, "
        "striking lines, word for word.",
        "Name people and things so a listener who hears each line once can follow; "
        "introduce a name before using it.",
        "No headings, stage directions, sound effects, markup, lists or emoji. Never read "
        "out references, citations, tables or figure captions.",
        "Stay faithful: every fact, name, number and quotation comes from the material "
        "given; where the text leaves something open, say so instead of inventing.",
    ]
    if request.kind.one_host:
        rules.append(f"Only {a} speaks.")
    else:
        rules += [
            "The hosts alternate: never two lines in a row by the same host. Every "
            "question is answered in the very next line, by the other host.",
            f"{b} speaks at least a third of the words: not only questions, but reactions, "
            "a view of their own, connections and the occasional disagreement.",
        ]
    return rules
