"""How much a sentence weighs as a beat, and what part of an argument it plays: the
scoring rules of the digest (pipelines/text/digest.py), apart from the rules that make a
sentence stand alone."""

from __future__ import annotations

import re
from typing import Any

PAPER_CUES = {
    "problem": re.compile(
        r"\b(problem|challenge|difficult|expensive|slow|bottleneck|suffer|lack|hard to|"
        r"cannot|unable|costly|risk|burden|prevalen|mortality)\w*",
        re.I,
    ),
    "idea": re.compile(
        r"\b(we (present|propose|introduce|describe|show|argue)|this paper|our (approach|"
        r"technique|method|system)|the aim|we (aimed|sought)|objective)\b",
        re.I,
    ),
    "method": re.compile(
        r"\b(works by|we use|consists of|is built|records?|compiles?|algorithm|implemented|"
        r"design|trials?|we (searched|included|analy[sz]ed)|method|examined|conducted|"
        r"interview|focus group|recruited|survey|questionnaire|measured)\w*",
        re.I,
    ),
    "result": re.compile(
        r"(\d+(\.\d+)?\s?(%|percent|times|x\b|fold)|\bspeedup|faster|reduc\w+|improv\w+|"
        r"\bsignificant\w*|\boutperform\w*|\bresults? (show|suggest))",
        re.I,
    ),
    "limit": re.compile(
        r"\b(limitations? (of|to) (this|the|our|these)|(this|our|the) (study|studies|work)'?s? "
        r"(is|are|was|were|has|have) limit|is limited by|future work|further (research|work|study)|"
        r"small (size|sample|number)|"
        r"generalis|generaliz|drawback|caution|cannot be|not yet|bias)\w*",
        re.I,
    ),
}

CITES = re.compile(r"\[\d+(?:\s*[-–,]\s*\d+)*\]|\bet al\b|\(\w+,? (?:19|20)\d\d\)")


def goes_on_citing(text: str, previous: Any) -> bool:
    """'Evangelista et al. [17] found… There was also a positive dose-response…': the
    second sentence still reports the cited study, though it cites nothing itself."""
    opening = " ".join(text.split()[:4])
    cited_before = previous is not None and CITES.search(previous.text)
    return bool(cited_before and re.search(r"\balso\b", opening, re.I))


def paper_role(text: str) -> str:
    """The part of a paper's argument a sentence plays, by its cue words."""
    for role in ("idea", "result", "problem", "limit", "method"):
        if PAPER_CUES[role].search(text):
            return role
    return "claim"


# A turning point: someone decides what to do next ("I determined to make myself arms").
# Picked on the dev split; "realised"/"discovered" as turning points lost a dev point.
DECISION_BONUS = 0.2
_DECISION = re.compile(
    r"\b(determined|decided|resolved|made up (?:his|her|my|their) minds?|vowed|swore|"
    r"planned|set out) to\b",
    re.I,
)


def bonus(doc: Any, subject: str | None, role: str, is_paper: bool) -> float:
    """What a beat's role adds to its centrality: a paper's idea and findings, a story's
    named doers and decisions."""
    if is_paper:
        return {"idea": 0.35, "result": 0.3, "problem": 0.25, "method": 0.15, "limit": 0.15}.get(
            role, 0.0
        )
    total = 0.0
    if subject:
        total += 0.2  # someone named does something: what a story is made of
    if _DECISION.search(doc.text):
        total += DECISION_BONUS
    if any(t.pos_ == "VERB" and t.dep_ == "ROOT" for t in doc):
        total += 0.1
    if role == "dialogue":
        total -= 0.05
    return total
