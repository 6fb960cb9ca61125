"""Does the evidence answer the question? The verdict made from `evidence._features`.

Kept apart from the feature code so `eval/qa/tune_abstention.py` can replay it over
cached features while it grid-searches the thresholds below.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class TermRow:
    """One word of the question (stemmed, as the lexical index has it) and where it is."""

    term: str
    df: int  # passages of the scope that hold it
    in_first: bool  # in the best evidence unit
    in_top: bool  # in one of the best three units (what the answer is made of)
    in_hits: bool  # in one of the retrieved passages the units come from
    pos: str = ""  # its part of speech in the question (spaCy: NOUN, PROPN, VERB ...)
    known: int = 0  # passages holding it in every chapter up to the scope's last one

    @property
    def absent(self) -> bool:
        """The scope never uses it (a name met in an earlier chapter does not count: the
        narrator named in chapter I is only "I" in chapter VIII)."""
        return self.df == 0 and not (self.pos == "PROPN" and self.known > 0)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


FOCUS_SHARE = 0.1  # a question word in fewer than this share of the scope's passages is specific


_NOUNS = frozenset({"NOUN", "PROPN", "NUM"})


def term_features(rows: list[TermRow], scope_size: int, kind: str | None) -> dict[str, float]:
    """How much of the question's specific content (its words that are rare in the scope,
    weighted by idf) the best evidence holds. A near-miss is worded in the text's own
    vocabulary but its specific word ("real name", "second journey", "marry") is not in
    the sentences that match the rest."""
    n = max(scope_size, 1)
    idf = {r.term: math.log(1 + (n + 1) / (r.df + 0.5)) for r in rows}
    focus = [r for r in rows if r.df < FOCUS_SHARE * n]
    present = [r for r in focus if r.df > 0]

    def share(selected: list[TermRow], where: str) -> float:
        total = sum(idf[r.term] for r in selected)
        if not total:
            return 1.0
        return sum(idf[r.term] for r in selected if getattr(r, where)) / total

    rarest = min(present, key=lambda r: r.df, default=None)
    nouns = [r for r in rows if r.pos in _NOUNS]
    focus_nouns = [r for r in nouns if 0 < r.df < FOCUS_SHARE * n]
    return {
        "absent": float(sum(1 for r in rows if r.absent)),
        "missing_nouns": float(sum(1 for r in nouns if r.absent)),
        "missing_other": float(sum(1 for r in rows if r.absent and r.pos not in _NOUNS)),
        # "What was the real Princess's name?" where the scope never names anything
        "name_unused": float(kind == "name" and any(r.term == "name" and r.df == 0 for r in rows)),
        "focus_nouns_top": round(share(focus_nouns, "in_top"), 4),
        "focus_nouns_first": round(share(focus_nouns, "in_first"), 4),
        "nouns_not_top": float(sum(1 for r in nouns if r.df > 0 and not r.in_top)),
        "focus_terms": float(len(focus)),
        "focus_top": round(share(focus, "in_top"), 4),
        "focus_first": round(share(focus, "in_first"), 4),
        "focus_hits": round(share(focus, "in_hits"), 4),
        "present_top": round(share(present, "in_top"), 4),
        "spec_top": round(share(rows, "in_top"), 4),
        "focus_missing_top": float(sum(1 for r in present if not r.in_top)),
        "rarest_in_top": 1.0 if rarest is None or rarest.in_top else 0.0,
    }


# Decision thresholds, picked on eval/qa/heldout_dev.jsonl (abstention on its 32
# unanswerable questions, most of them near-misses worded in the text's own vocabulary,
# with false abstention on the answerable ones held to 10%).
# questions that need such a thing in the text, and how strong a cue (question_kinds):
# 1.0 = a number next to the thing counted / a date; 0.5 = a proper name not in the
# question (1.0 for names, "named X", took 5 of 7 answerable name questions on dev)
CUE_REQUIRED = {"number": 1.0, "time": 1.0, "name": 0.5}
MIN_SIMILARITY = 0.40  # best sentence/passage cosine, alone enough ...
RESCUE_SIMILARITY, RESCUE_COVERAGE = 0.30, 0.5  # ... or this with half the question's words
ABSENT_WORDS, ABSENT_RESCUE = 2, 0.55  # this many question words the scope never uses: abstain
# unless a sentence is at least this similar ("Does dropout resemble ensembling?" on a paper
# that mentions neither)
MOSTLY_ABSENT = 3  # at least this many, and more than half the question's words: abstain
LATER_GAIN = 0.05  # no-spoiler mode: a later chapter's sentence this much more similar
NAME_UNUSED = True  # "What was X's name?" on a scope that never says "name": abstain
WIDE_SCOPE = 100  # passages: a scope this big (a whole book) has its own threshold below
MIN_FOCUS_FIRST, MIN_FOCUS_FIRST_WIDE = 0.0, 0.0  # idf share of the question's rare words
# in the best unit (the topic's own words do not count) ...
FOCUS_RESCUE = 1.0  # ... unless a sentence is at least this similar


def decide(f: Mapping[str, float]) -> bool:
    """Whether the evidence answers the question (features from `_features`)."""
    if f["units"] == 0 or f.get("missing_names", 0.0) > 0:
        return False
    ss = f["sentence_similarity"]
    if f["similarity"] < MIN_SIMILARITY and not (
        f["similarity"] >= RESCUE_SIMILARITY and f["coverage"] >= RESCUE_COVERAGE
    ):
        return False
    if f.get("outside_gain", -1.0) >= LATER_GAIN:
        return False  # the answer is in a chapter the reader has not reached
    absent = f["absent"]
    if absent >= ABSENT_WORDS and ss < ABSENT_RESCUE:
        return False  # about something the text does not discuss
    if absent >= MOSTLY_ABSENT and absent > f["question_terms"] / 2:
        return False  # most of its words are not the text's: similar-sounding is not enough
    if NAME_UNUSED and f["name_unused"]:
        return False
    least = MIN_FOCUS_FIRST_WIDE if f["scope_size"] >= WIDE_SCOPE else MIN_FOCUS_FIRST
    if f["focus_first"] < least and ss < FOCUS_RESCUE:
        return False  # the best sentence matches the topic, not what is specific to the question
    return f["cue"] >= f["cue_required"]  # a number/date/name asked for must be there
