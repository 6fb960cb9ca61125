"""What a question asks for, and which sentences can answer it.

A question asks for a kind of thing (a person, a name, a time, a number, a material, a
reason, a definition), and a sentence that contains such a thing is a better answer
than one that only repeats the question's words. A sentence that is itself a question,
a scrap of dialogue ("“And Irene Adler?”") or an echo of the question is never an
answer. Classic extractive-QA heuristics, kept small and general.
"""

from __future__ import annotations

import re

from pipelines.text.sentences import terms

_MATERIALS = frozenset(
    (
        "ivory brass metal metallic steel iron gold silver copper bronze nickel tin lead wood "
        "wooden timber glass crystal crystalline quartz stone marble clay leather paper cloth "
        "silk cotton wool plastic rubber bone porcelain concrete brick"
    ).split()
)
_TIME_WORDS = frozenset(
    (
        "year years century centuries day days night nights morning evening hour hours minute "
        "minutes week weeks month months ago when then until after before since during dawn "
        "dusk noon midnight spring summer autumn winter yesterday tomorrow today "
        "january february march april may june july august september october november december "
        "monday tuesday wednesday thursday friday saturday sunday"
    ).split()
)
_NUMBER_WORDS = frozenset(
    (
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty thirty forty score sixth seventh "
        "eighth ninth tenth "
        "fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions "
        "billion dozen half first second third fourth fifth percent twice thrice several"
    ).split()
)
_REASON = re.compile(
    r"\b(because|since|so that|in order to|due to|owing to|as a result|therefore|thus|hence|"
    r"for fear|caused?|causes|reasons?|consequently|that is why|led to|leads to|"
    r"to avoid|to prevent|so as to|allows?|enables?|on account of|for want of|"
    r"to blame|blamed?|the cause|made (?:me|him|her|them|us) (?:think|believe|feel|decide)|"
    r"out of (?:pity|fear|gratitude|kindness|spite|curiosity)|in the first place)\b"
    # 'for' and 'so' as conjunctions: "..., for she is a seamstress", "..., so I will stay"
    r"|[,;:—]\s*[\"“‘]?(?:for|so)\s+(?:I|he|she|it|they|we|you|there)\b(?!\s*[,.;!?])"
    r"|\bso \w+ that\b",  # "so high that I can see all the misery"
    re.I,
)
_DEFINING = re.compile(
    r"\b(is|are|was|were) (a|an|the|one|called|known|defined|used)\b|\b(called|known as|"
    r"refers? to|means?|defined as|consists? of|that is)\b",
    re.I,
)
_PLACE_WORDS = frozenset(
    "in at near under over beside inside outside into across behind between from".split()
)
_NAME = re.compile(r"(?<![.!?“\"]\s)(?<!^)\b[A-Z][a-z]{2,}")
_PROPER = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*")
_DIGITS = re.compile(r"\b\d[\d,.]*\b")
_YEAR = re.compile(r"\b1\d{3}\b|\b20\d{2}\b")

_TYPES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(r"\bmade (of|from|out of)\b|\bmaterials?\b|\bconsist(s|ed)? of\b", re.I),
        "material",
    ),
    (
        re.compile(
            r"\bnames?\b|\bnamed\b|\bwhat (is|was|are|were) .+ called\b|\bcalled what\b|\bwhich "
            r"(man|woman|person|character|dog|animal|ship|place|town|city|country)\b",
            re.I,
        ),
        "name",
    ),
    (re.compile(r"^\s*who\b|\bwho (is|was|were|are)\b|\bwhose\b", re.I), "person"),
    (
        re.compile(
            r"^\s*when\b|\bwhat (year|time|day|date|month)\b|\bhow long\b|\bhow old\b", re.I
        ),
        "time",
    ),
    (re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|fraction)\b", re.I), "number"),
    (
        re.compile(
            r"(?:^|[,;]\s*)why\b|\bwhat (caused|causes|made)\b|\breason\b|\bpurpose\b|"
            r"\bwhat .* (for|used for)\?$",
            re.I,
        ),
        "reason",
    ),
    (re.compile(r"^\s*where\b", re.I), "place"),
    (
        re.compile(
            r"^\s*(what|who) (is|are|was|were) (a |an |the )?[\w\- ]{1,40}\??$|"
            r"\bwhat does .+ mean\b|\bdefin",
            re.I,
        ),
        "definition",
    ),
]

_SUBJECT = re.compile(
    r"^\s*(?:who|what)\s+(?:is|was|are|were)\s+(?:a |an |the )?(?P<x>.+?)\s*\??\s*$", re.I
)
_NAME_OF = re.compile(
    r"^\s*what\s+(?:is|was|were|are)\s+(?:the\s+name\s+of\s+)?(?P<x>.+?)(?:['’]s?\s+names?)?"
    r"\s*(?:called)?\s*\??\s*$",
    re.I,
)


def answer_type(question: str) -> str | None:
    for pattern, kind in _TYPES:
        if pattern.search(question):
            return kind
    return None


def subject_of(question: str) -> str:
    """'Who is Irene Adler?' -> 'Irene Adler'; "What is Judge Miller's dog's name?" ->
    "Judge Miller's dog"; '' when the question has no such subject."""
    kind = answer_type(question)
    if kind == "name":
        m = _NAME_OF.match(question)
        if m and "name" in question.lower():
            x = m.group("x")
            x = re.sub(r"^(the )?name of (the )?", "", x, flags=re.I)
            return x.strip(" ?")
        return ""
    m = _SUBJECT.match(question)
    if not m or len(m.group("x").split()) > 6:
        return ""
    return m.group("x").strip(" ?")


def has_cue(kind: str | None, text: str, question: str = "") -> bool:
    """Whether `text` contains the kind of thing the question asks for."""
    return cue_strength(kind, text, question) > 0


def cue_strength(kind: str | None, text: str, question: str = "") -> float:
    """0 (none), 0.5 (the kind of thing asked for) or 1 (a defining/naming sentence)."""
    if kind is None:
        return 0.0
    words = set(re.findall(r"[a-z]+", text.lower()))
    if kind == "material":
        return 1.0 if words & _MATERIALS else 0.0
    if kind in ("person", "name", "definition"):
        subject = subject_of(question) if question else ""
        if subject and _describes(subject, text):
            return 1.0
        new_names = _new_names(text, question)
        if kind == "name" and new_names and re.search(r"\b(named|called|name)\b", text, re.I):
            return 1.0
        if kind == "definition":
            return 0.5 if _DEFINING.search(text) else 0.0
        return 0.5 if new_names else 0.0
    if kind == "time":
        return 1.0 if words & _TIME_WORDS or _YEAR.search(text) else 0.0
    if kind == "number":
        if not (words & _NUMBER_WORDS or _DIGITS.search(text)):
            return 0.0
        return 1.0 if _counts_asked_thing(text, question) else 0.5
    if kind == "reason":
        return 1.0 if _REASON.search(text) else 0.0
    if kind == "place":
        return 0.5 if words & _PLACE_WORDS and _NAME.search(text) else 0.0
    return 0.0


def _counts_asked_thing(text: str, question: str) -> bool:
    """'four dimensions' for 'How many dimensions ...': a number right before a word asked."""
    asked = set(terms(question))
    if re.search(r"\bhow much\b", question, re.I) and _MONEY.search(text):
        return True
    counted = re.search(r"\bhow many\s+([\w-]+)", question, re.I)
    if counted and terms(counted.group(1)):
        asked = set(terms(counted.group(1)))  # "How many GPUs ...": GPUs must be counted
    tokens = re.findall(r"\d[\d,.]*\d|\d|[a-z]+", text.lower())
    # the word counted as asked; or, when the text words it differently, a figure next to
    # a word with its first letters ("failures (2 in our ...)" for "How many failed attempts")
    loose = not asked & set(terms(text))
    stems = {_stem4(a) for a in asked}
    for i, tok in enumerate(tokens):
        if tok in _NUMBER_WORDS or tok[0].isdigit():
            near = terms(" ".join(tokens[max(0, i - 2) : i] + tokens[i + 1 : i + 4]))
            if asked & set(near):
                return True
            if loose and tok[0].isdigit() and stems & {_stem4(t) for t in near}:
                return True
    return False


def _stem4(word: str) -> str:
    return word[:4] if len(word) >= 5 else word


_MONEY = re.compile(
    r"[$£€]\s?\d|\b\d[\d,.]*\s?(dollars?|pounds?|cents?|shillings?|pence|guineas?|euros?)\b"
    r"|\b(dollars?|pounds?|shillings?|guineas?|doubloons?)\b",
    re.I,
)


def _describes(subject: str, text: str) -> bool:
    """'Irene Adler, the well-known adventuress' / 'X was a ...' / 'named X'."""
    # "guard in a TraceMonkey trace" is about a guard: the phrase after "in/on/at" only
    # says where to look
    subject = re.split(r"\s+(?:in|on|at|from|during|within|according to)\s+", subject)[0]
    head = re.escape(subject.split("'")[0].split("’")[0].strip())
    last = re.escape(subject.split()[-1]) if subject.split() else head
    pattern = (
        rf"\b(?:{head}|{last})\b[’'”\"]?,?[’'”\"]?\s+(?:is|was|who|being|had been|has been)?\s*"
        rf"(?:just |simply |merely |essentially |really |only )?"
        rf"(?:a|an|the|one of|his|her|their|my|our)\b"
        rf"|\b(?:named|called|known as|name (?:is|was)|(?:we|they|I) call)\s+(?:{head}|{last})\b"
        rf"|\b(?:{head}|{last})\b\s*(?:—|–|-|\()"
    )
    return bool(re.search(pattern, text, re.I))


def _new_names(text: str, question: str) -> list[str]:
    asked = {w.lower() for w in re.findall(r"[A-Za-z]+", question)}
    names = []
    for m in _PROPER.finditer(text):
        name = m.group(0)
        start = m.start()
        before = text[:start].rstrip()
        sentence_start = not before or before[-1] in ".!?“\"‘'—:"
        words = name.split()
        if sentence_start and len(words) == 1:
            continue  # "The", "He" ... at the start of a sentence or a quotation
        if any(w.lower() in asked for w in words):
            continue  # "Captain Ahab" for a question about Ahab
        names.append(name)
    return names


def entity(question: str, texts: list[str]) -> str:
    """The proper name the best sentences give for a who/name question, else ''."""
    counts: dict[str, float] = {}
    for rank, text in enumerate(texts):
        for name in _new_names(text, question):
            counts[name] = counts.get(name, 0.0) + 1.0 / (1 + rank)
    if not counts:
        return ""
    return max(counts.items(), key=lambda kv: (kv[1], len(kv[0])))[0]


# ---- sentences that are never an answer -------------------------------------------

_QUOTES = "\"“”‘’'«»"
_SAID = re.compile(
    r"^[^“\"]*[“\"](?P<q>[^”\"]*)[”\"]\s*,?\s*(?:said|asked|cried|replied|answered|"
    r"he|she|I|they)\b[^.!?]{0,40}[.!?]?$",
    re.I,
)


_ASKED = re.compile(r"^\s*[“\"‘][^”\"’]*\?[”\"’]\s*,?\s*(?P<rest>[^“\"]*)$")


def is_question(text: str) -> bool:
    """A question, or a question line of dialogue: '“What have you been up to?” said
    the Doctor.'"""
    if text.rstrip(_QUOTES + " )").endswith("?"):
        return True
    m = _ASKED.match(text)
    return bool(m and len(m.group("rest").split()) <= 8 and _SPEECH.search(m.group("rest")))


def is_dialogue_fragment(text: str) -> bool:
    """A short line of speech with nothing in it: '“And Irene Adler?”', '“Yes,” said he.'"""
    stripped = text.strip()
    bare = stripped.strip(_QUOTES + " ")
    if stripped[:1] in '“"‘' and len(bare.split()) <= 4:
        return True
    m = _SAID.match(stripped)
    return bool(m and len(m.group("q").split()) <= 4)


_SPEECH = re.compile(
    r"\b(said|says|asked|cried|replied|answered|remarked|exclaimed|suggested|observed|"
    r"added|continued|returned|interrupted|muttered|whispered|shouted|repeated|began)\b",
    re.I,
)


def echoes(text: str, question: str) -> bool:
    """The sentence says nothing the question didn't: under two new content words."""
    asked = set(terms(question))
    new = [t for t in terms(text) if t not in asked]
    return len(set(new)) < 2


def never_an_answer(text: str, question: str) -> bool:
    return (
        is_question(text)
        or is_dialogue_fragment(text)
        or echoes(text, question)
        or len(text.split()) < MIN_ANSWER_WORDS  # "Get off, Queequeg!"
        or is_cut_off(text)
    )


def is_cut_off(text: str) -> bool:
    """Starts mid-sentence: 'said I, “call that his face?'."""
    return text.lstrip(_QUOTES + " ")[:1].islower()


MIN_ANSWER_WORDS = 5


def named_in(name: str, text: str) -> bool:
    """The text gives `name` as a name: 'named Buck', 'called the Eloi', 'her name was Weena'."""
    return bool(
        re.search(
            rf"\b(?:named|called|name (?:is|was)|known as|christened)\s+(?:the\s+)?{re.escape(name)}",
            text,
            re.I,
        )
    )
