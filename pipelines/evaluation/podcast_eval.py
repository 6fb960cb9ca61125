"""`folio eval podcast`: score two-host podcast scripts against hand-written key points.

Metrics (pure functions, defined in eval/podcast/README.md): junk, coherent, dangling,
distinct2, coverage, words, minutes; `script_details` shows a person where a script fails.
The runner (ingest, write with the current writer, score) is `folio eval podcast` in
pipelines/cli/eval_cmds.py.
"""

from __future__ import annotations

import json
import re
import statistics
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.errors import FolioError
from pipelines.text.keysentences import ENGLISH_STOP_WORDS
from pipelines.types import Script

WORDS_PER_MINUTE = 150
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)*")
# question scaffolding that names no topic ("What comes next?", "Why does that matter?")
_FILLER = set(
    "let lets start begin begins opening middle ending end half chapter chapters section part "
    "paper book story text say says said tell talk walk going goes come comes came coming "
    "happen happens happened matter matters mean means develop develops step stand stands "
    "listen set scene fit fits okay ok wait huh hmm oh interesting striking right really sure "
    "expect expected think know like just thing things bit lot way kind sort sum recap hold "
    "read reads line quote moving onto did does doing got get make happening stuff yes yeah".split()
).union(ENGLISH_STOP_WORDS)  # which has what, why, next, there, more, go, first, ...
_ROMAN = re.compile(r"(?=[MDCLXVI])M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})")
PRONOUNS = set("he she it they him her them his hers its their this these those that".split())
CONNECTIVES = set(
    "but and so then yet however thus therefore also still or nor hence moreover meanwhile".split()
)
# a framing lead-in before a quoted sentence ("The text says: ", "In the narrator's words: "):
# skipped when every word of it is a stop word or one of these (not "A little child says:")
_FRAMING = set(
    "text says say said reads read line listen quote recap words narrator author".split()
)
_FRAMING |= ENGLISH_STOP_WORDS
_LEAD_IN = re.compile(r"^([^:.!?\"“]{1,40}):\s+")
_QUOTES = "\"'“”‘’«»()[]—–- "

# -- junk: rules that recognise a turn by its shape -------------------------------------
# Each rule: name -> regexes; a turn is junk when any regex of any rule matches (or one of
# the two shape functions below says so). Names end up in --details.
JUNK_PATTERNS: dict[str, list[re.Pattern[str]]] = {
    # bibliography entries: arXiv ids, "In Proceedings of", "et al." + year, "vol. 3",
    # "pp. 1-12", "28(1):134", "2010;12(3)", "[12] A. Gal", an entry ending ", 2006.",
    # "Surname, I.," or "I. Surname, I. Surname" author lists
    "reference": [
        re.compile(r"\barXiv(?: preprint)?(?: arXiv)?:?\s*\d{4}\.\d{4,5}|\barXiv preprint\b"),
        re.compile(r"\bIn Proc(?:eedings of|\.)\s|\bProc\. (?:of|\d)"),
        re.compile(r"\bet al\.?,?\s*\(?(?:1[89]|20)\d\d[a-z]?\b"),
        re.compile(
            r"\b[Vv]ol\.\s*\d+|\b(?:pp\.|pages)\s*\d+\s*[-–]\s*\d+|\b(?:19|20)\d\d;\s*\d+\s*\(\d+\)"
        ),
        re.compile(r"(?:^|:\s)\s*\[\d{1,3}\]\s+[A-Z]|\b\d+\(\d+\):\d+"),
        re.compile(r"(?:[A-Za-z)\]]|\d{3,}|-\d\d), (?:19|20)\d\d[a-z]?\.?$"),
        re.compile(r"\b[A-Z][a-z]+,\s(?:[A-Z]\.\s?){1,3}(?:,|and\b|&)"),
        re.compile(r"(?:\b[A-Z]\.\s){1,2}[A-Z][a-z]+,\s(?:[A-Z]\.\s){1,2}[A-Z][a-z]+"),
    ],
    # DOIs, URLs, ISBNs
    "link": [re.compile(r"\b(?:doi:\s*)?10\.\d{4,9}/\S+|https?://|\bwww\.\w|\bISBN\b", re.I)],
    # a figure/table caption: "Figure 3:", "Table 2." at the start of a sentence
    "caption": [
        re.compile(r"(?:^|[.!?:]\s+)[\"“‘']?(?:Figure|FIGURE|Fig\.|Table|TABLE)\s+\d+[.:]")
    ],
    # page furniture: page numbers, running headers ("INTRODUCTION 7", "2 FREE CULTURE"),
    # printer's marks, journal headers, licence / Project Gutenberg text
    "furniture": [
        re.compile(r"\bPage \d+\b|\bArticle ID\b|PASS PAGES|\.qxd\b|\b\d{1,2}:\d\d\s?[AP]M\b"),
        re.compile(r"(?:^|\s)\d{1,3}\s+[A-Z]{3,}(?:\s+[A-Z]{2,})+(?=\s|$)"),
        re.compile(r"\b[A-Z]{3,}(?:\s+[A-Z]{2,})*\s+\d{1,3}(?=\s|$)"),
        re.compile(r"^\W*\d{1,4}\W*$"),
        re.compile(
            r"Project Gutenberg|gutenberg\.org|\bThis e-?Book is\b|All rights reserved|"
            r"Copyright\s*(?:©|\(c\)|c©)|Creative Commons Attribution|Transcriber['’]s Note|"
            r"[Pp]ermission to make digital or hard copies",
            re.I,
        ),
    ],
}
_NUMBER = re.compile(r"[(\[]?[-+±]?\d[\d.,:/%x×]*[)\]]?[.,;:]?")
_SYMBOLS = set("=<>+*/^_|{}[]~∑∏∫√∂∇≤≥≠≈∞±×÷·→←⇒∈⊂∪∩∀∃") | set("αβγδεθλμπρστφχψω")
_CITATION = re.compile(r"\[\d{1,3}(?:[,–-]\s*\d{1,3})*\]")


def _is_table(text: str) -> bool:
    """Runs of numbers (4+ in a row, or 5+ making a third of the tokens), or 10+ words with
    almost no function words (column headings, diagram labels, lists of names)."""
    tokens = text.split()
    numeric = [bool(_NUMBER.fullmatch(t)) for t in tokens]
    run = best = 0
    for is_number in numeric:
        run = run + 1 if is_number else 0
        best = max(best, run)
    if best >= 4 or (sum(numeric) >= 5 and sum(numeric) >= 0.35 * len(tokens)):
        return True
    plain = [w.lower() for w in _WORD.findall(text)]
    return len(plain) >= 10 and sum(w in ENGLISH_STOP_WORDS for w in plain) < 0.1 * len(plain)


def _is_equation(text: str) -> bool:
    """Many maths/code symbols (4+ and 4% of the characters, citations [12] not counted)."""
    chars = [c for c in _CITATION.sub("", text) if not c.isspace()]
    symbols = sum(c in _SYMBOLS for c in chars)
    return symbols >= 4 and symbols >= 0.04 * len(chars)


JUNK_SHAPES: dict[str, Callable[[str], bool]] = {"table": _is_table, "equation": _is_equation}


def junk_reasons(text: str) -> list[str]:
    """The names of the junk rules a turn's text matches (empty: it reads as prose)."""
    reasons = [n for n, pats in JUNK_PATTERNS.items() if any(p.search(text) for p in pats)]
    return reasons + [name for name, shape in JUNK_SHAPES.items() if shape(text)]


# -- words --------------------------------------------------------------------------------
def lemma(word: str) -> str:
    """Lowercase, drop a possessive 's and a plural -s (not -ss): a crude lemma."""
    word = word.lower().replace("’", "'")
    word = word[:-2] if word.endswith("'s") else word
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def topic_words(text: str, hosts: Collection[str] = ()) -> set[str]:
    """Content words: not stop words or question filler, not host names or Roman numerals."""
    out = set()
    for word in _WORD.findall(text):
        if word.isupper() and _ROMAN.fullmatch(word):
            continue
        w = lemma(word)
        if w not in _FILLER and word.lower() not in _FILLER and w not in hosts and w.isalpha():
            out.add(w)
    return out


def _names(text: str) -> list[str]:
    """Capitalised name-like words that do not start a sentence (and are not 'I')."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group()
        if not word[0].isupper() or word == "I" or word.startswith(("I'", "I’")):
            continue
        if word.isupper() and _ROMAN.fullmatch(word):
            continue
        before = text[: match.start()].rstrip(_QUOTES)
        if before and before[-1] not in ".!?:;…":
            found.append(word)
    return found


def _first_word(text: str) -> str:
    body = text.strip()
    lead = _LEAD_IN.match(body)
    if lead and all({w.lower(), lemma(w)} & _FRAMING for w in _WORD.findall(lead[1])):
        body = body[lead.end() :]
    body = body.lstrip(_QUOTES)
    match = _WORD.match(body)
    return re.sub(r"['’]s$", "", match.group().lower()) if match else ""


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"'”’)").endswith("?")


# -- the metrics ----------------------------------------------------------------------------
def junk_turns(script: Script) -> dict[int, list[str]]:
    """Turn index -> junk rules matched, for every turn that reads as non-prose."""
    return {i: r for i, t in enumerate(script.turns) if (r := junk_reasons(t.text))}


def question_turns(script: Script) -> list[int]:
    """Turns ending in '?', by either host, except the opener and the last two (outro)."""
    return [i for i in range(1, len(script.turns) - 2) if _is_question(script.turns[i].text)]


def incoherent_questions(script: Script) -> list[int]:
    """Questions with no topic word, or none of whose topic words the next turn uses."""
    hosts = {lemma(h.name) for h in script.hosts}
    bad = []
    for i in question_turns(script):
        asked = topic_words(script.turns[i].text, hosts)
        if not asked & {lemma(w) for w in _WORD.findall(script.turns[i + 1].text)}:
            bad.append(i)
    return bad


def read_lines(script: Script) -> list[int]:
    """Turns that are not questions, except the first and the last."""
    return [i for i in range(1, len(script.turns) - 1) if not _is_question(script.turns[i].text)]


def dangling_turns(script: Script) -> list[int]:
    """Read lines opening (after quotes and a framing "The text says:") on a connective, or
    on a pronoun when the previous turn has no name-like word it could refer to."""
    bad = []
    for i in read_lines(script):
        first = _first_word(script.turns[i].text)
        if first in CONNECTIVES or (first in PRONOUNS and not _names(script.turns[i - 1].text)):
            bad.append(i)
    return bad


def distinct2(script: Script) -> float:
    """Distinct word bigrams / all word bigrams (within turns, lowercased)."""
    bigrams = []
    for turn in script.turns:
        words = [w.lower() for w in _WORD.findall(turn.text)]
        bigrams += list(zip(words, words[1:], strict=False))
    return len(set(bigrams)) / len(bigrams) if bigrams else 0.0


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "'").replace("‘", "'")
    return re.sub(r"[“”]", '"', text)


def _stem_pattern(stem: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in re.split(r"[\s\-–—]+", _fold(stem).strip()) if p]
    return re.compile(r"(?<![a-z0-9])" + r"[\s\-–—]+".join(parts))


def covered(point: dict[str, Any], text: str) -> bool:
    """A point is covered when every stem of at least one of its groups starts a word of
    `text` (case-insensitive; a space or hyphen in a stem matches spaces or dashes)."""
    folded = _fold(text)
    return any(
        group and all(_stem_pattern(s).search(folded) for s in group) for group in point["any"]
    )


def spoken_text(script: Script) -> str:
    """All the turns' text, minus the script's title and segment titles (a title the host
    announces must not count as covering a point)."""
    text = _fold("\n".join(t.text for t in script.turns))
    titles = set()
    for title in [script.title, *script.segments]:
        for piece in re.split(r" – |: ", title):
            titles.add(_fold(piece).strip(' “”".'))
        titles.add(_fold(title).strip(' “”".'))
    for title in sorted((t for t in titles if len(t) > 3), key=len, reverse=True):
        text = text.replace(title, " ")
    return text


def missed_points(script: Script, points: list[dict[str, Any]]) -> list[str]:
    text = spoken_text(script)
    return [p["point"] for p in points if not covered(p, text)]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


METRICS = ("junk", "coherent", "dangling", "distinct2", "coverage", "words", "minutes")


def score_script(script: Script, points: list[dict[str, Any]]) -> dict[str, Any]:
    """The metrics of one script; a share whose denominator is empty is None."""
    asked, words = len(question_turns(script)), script.word_count
    return {
        "junk": _share(len(junk_turns(script)), len(script.turns)),
        "coherent": _share(asked - len(incoherent_questions(script)), asked),
        "dangling": _share(len(dangling_turns(script)), len(read_lines(script))),
        "distinct2": round(distinct2(script), 3),
        "coverage": _share(len(points) - len(missed_points(script, points)), len(points)),
        "words": words,
        "minutes": round(words / WORDS_PER_MINUTE, 2),
    }


def mean_scores(rows: list[dict[str, Any]]) -> dict[str, float | None]:
    """The mean of each metric over the scripts that have it."""
    values = {k: [r[k] for r in rows if r.get(k) is not None] for k in METRICS}
    return {k: round(statistics.fmean(v), 3) if v else None for k, v in values.items()}


def script_details(name: str, script: Script, points: list[dict[str, Any]]) -> str:
    """Markdown for a person: metrics, missed key points, every turn with its flags."""
    junk, dangling = junk_turns(script), set(dangling_turns(script))
    incoherent = set(incoherent_questions(script))
    metrics = ", ".join(f"{k} {v}" for k, v in score_script(script, points).items())
    lines = [f"## {name}: {script.title}", "", metrics, "", "Missed key points:"]
    lines += [f"- {p}" for p in missed_points(script, points)] or ["- (none)"]
    lines += ["", "Script:"]
    for i, turn in enumerate(script.turns):
        flags = [f"JUNK:{'+'.join(junk[i])}"] if i in junk else []
        flags += ["DANGLING"] * (i in dangling) + ["INCOHERENT"] * (i in incoherent)
        mark = f" **[{' '.join(flags)}]**" if flags else ""
        lines.append(f"{i + 1}. {turn.speaker}{mark}: {turn.text}")
    return "\n".join(lines) + "\n\n"


# -- key-point files (the format is in eval/podcast/README.md) -------------------------------
@dataclass
class KeyPoints:
    name: str  # the file's stem; --scripts DIR holds NAME.json
    doc: str  # relative to the sources folder
    chapter: str  # a chapter title, or "whole" for the body of the document
    minutes: float
    split: str
    points: list[dict[str, Any]]


def load_key_points(path: Path) -> KeyPoints:
    try:
        data = json.loads(Path(path).read_text("utf-8"))
        points = [
            {"point": str(p["point"]), "any": [list(g) for g in p["any"]]} for p in data["points"]
        ]
        chapter, minutes = str(data.get("chapter") or "whole"), float(data.get("minutes", 5))
        return KeyPoints(
            Path(path).stem, str(data["doc"]), chapter, minutes, str(data.get("split", "")), points
        )
    except (OSError, json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise FolioError(f"{path} is not a key-point file ({exc}).") from exc


def key_point_files(folder: Path, split: str | None = None) -> list[KeyPoints]:
    files = [load_key_points(p) for p in sorted(Path(folder).glob("*.json"))]
    files = [k for k in files if split is None or k.split == split]
    if not files:
        raise FolioError(f"No key-point files{f' of split {split}' if split else ''} in {folder}.")
    return files
