"""What the hosts say around the text's beats: host B's questions that the next line
answers, reactions that restate a fact, links back to someone met earlier; host A's
framing lines. Every line here is built from a beat's own words (names, terms, its
who-did-what clause); the only stock lines are the opener and the outro."""

from __future__ import annotations

import itertools
import re

from pipelines.text.digest import Beat
from pipelines.text.questions import WhyQuestion, why_question

# Each says what kind of answer is coming: a bare "And the abrupt ending?" about a term
# nobody had mentioned told a blind reader that host B had read the script.
_PAPER_QUESTIONS = {
    "problem": ["Where {does} {term} come in?", "What's the issue with {term}?"],
    "idea": ["So what's the idea behind {term}?", "What do they propose for {term}?"],
    "method": ["How {does} {term} work?", "What's the role of {term}?"],
    "result": ["What did they find about {term}?", "What came out about {term}?"],
    "limit": ["Is there a catch with {term}?", "What's the catch with {term}?"],
    "claim": ["What do they say about {term}?", "Where {does} {term} come in?"],
}
_STORY_QUESTIONS = [
    "What does {name} do next?",
    "And what happens with {name}?",
    "Then what does {name} do?",
    "How does {name} take that?",
]
# For "the Eloi" or "the Morlocks": one or many? These read right either way.
_GROUP_QUESTIONS = [
    "And what happens with {name}?",
    "What about {name}?",
    "Where does that leave {name}?",
    "What becomes of {name}?",
]
# What the next line tells its subject did (text/acts.py), asked of them by name.
_ACT_QUESTIONS = {
    "decide": ["So what {does} {name} decide?", "What's {poss} plan, then?"],
    "realise": ["What {does} {name} realise?", "What dawns on {name}?"],
    "go": ["Where {does} {name} go from there?", "Where {does} {name} head next?"],
    "feel": ["How {is} {name} feeling by now?", "How {does} {name} feel at this point?"],
    "think": ["What's going through {poss} mind?", "What {does} {name} make of it all?"],
    "see": ["What {does} {name} see?", "What catches {poss} eye?"],
    "say": ["What {does} {name} say?", "What {does} {name} have to say?"],
}
# A name heard for the first time: "And Cato?" would take him as known.
_TERM_QUESTIONS = ["Where {does} {term} come in?", "And where {does} {term} fit in?"]
_ABOUT_QUESTIONS = ["What about {term}?", "And {term}?", "Tell me about {term}."]
_INTERJECTIONS = ["Okay, so", "Hm. So", "Right, so", "Huh. So", "Wait, so", "Ah, so"]
# Where a later part starts, and nothing more: "the story turns" promised a turn the
# text might not take (a blind reader caught it).
_LATER_FRAMES = ["That brings us to {spoken}.", "Now for {spoken}.", "Next, {spoken}."]
# A paper part's first line, said as a person would rather than read as a label ("The
# problem:" sounded like headings read aloud to a blind reader). Each keeps the word of
# host B's question ("So what problem are they taking on?").
_PAPER_LEADS = {
    "problem": "The problem is that {lower}",
    "idea": "Here's their idea. {text}",
    "method": "Here's how it works. {text}",
    "result": "Here are the findings. {text}",
    "limit": "One limit, by their own account: {lower}",
}


def topic_taken_up(question: str, answer: str, skip: set[str]) -> bool:
    """Does the answer use at least one content word of the question?"""
    words = {w for w in re.findall(r"[a-z]{3,}", question.lower())} - skip - _STOP
    return any(re.search(rf"\b{re.escape(w)}", answer.lower()) for w in words)


class HostLines:
    """Phrases the hosts' lines, varying them and never repeating one."""

    def __init__(self, paper: bool) -> None:
        self.paper = paper
        self.used: set[str] = set()
        self.asked: set[str] = set()  # terms host B has asked about once already
        # Who tells the story ("Ishmael"): every line is about him, so "What about
        # Ishmael?" or "Back to Ishmael, then?" asks nothing.
        self.tellers: set[str] = set()
        self.heard = ""  # what the episode has said so far (the writer keeps it up to date)
        self.story = itertools.cycle(_STORY_QUESTIONS)
        self.groups = itertools.cycle(_GROUP_QUESTIONS)
        self.terms = itertools.cycle(_TERM_QUESTIONS)
        self.interjections = itertools.cycle(_INTERJECTIONS)
        self.frames = itertools.cycle(_LATER_FRAMES)
        self.abouts = itertools.cycle(_ABOUT_QUESTIONS)
        self.turn = 0
        self.later = itertools.cycle(["Further on,", "Next,"])
        self.paper_cycles = {k: itertools.cycle(v) for k, v in _PAPER_QUESTIONS.items()}

    def _fresh(self, line: str) -> str | None:
        if line in self.used:
            return None
        self.used.add(line)
        return line

    def question(self, beat: Beat, *, new_name: str | None, returning: str | None) -> str | None:
        """A question that `beat` (read next) answers, or None when none fits."""
        if beat.term and re.match(_VAGUE, beat.term.removeprefix("the ")):
            beat = Beat(**{**beat.__dict__, "term": None})  # "the several participants"
        if new_name and re.search(r"[^s]s$", new_name):  # "the Morlocks"
            return self._fresh(f"Wait, who are the {new_name}?")
        if new_name:
            return self._fresh(f"Wait, who's {new_name}?") or self._fresh(f"Who is {new_name}?")
        if returning and returning.lower() not in self.tellers:
            return self._fresh(f"Back to {returning}, then?")
        if beat.role == "dialogue" and beat.subject:
            return self._fresh(f"What does {beat.subject} say?")
        if self.paper and beat.term and beat.role == "result" and beat.has_number:
            line = self._fresh(f"What do the numbers say about {beat.term}?")
            if line:
                return line
        if (
            self.paper
            and _specific(beat.term)
            and beat.role in ("result", "limit", "claim")
            and str(beat.term).lower() not in self.asked
        ):
            self.asked.add(str(beat.term).lower())
            cycle = self.paper_cycles.get(beat.role, self.paper_cycles["claim"])
            for _ in range(3):
                line = self._fresh(next(cycle).format(term=beat.term, does=_does(beat.term)))
                if line:
                    return line
        acted = self.act_question(beat)
        if acted:
            return acted
        if not self.paper and beat.subject and _leads_with(beat) and not beat.quoted:
            # (a quote is no deed)
            group = beat.subject.startswith("the ") and beat.subject[4:5].isupper()
            cycle = self.groups if group else self.story
            for _ in range(len(_STORY_QUESTIONS)):
                line = self._fresh(next(cycle).format(name=beat.subject))
                if line:
                    return line
        named = bool(beat.term and beat.term[:1].isupper())  # a story asks about names only
        about_subject = beat.term and beat.term.lower() in (
            str(beat.subject).lower(),
            f"the {beat.subject}".lower(),
        )
        if _specific(beat.term) and named and not about_subject and beat.term not in self.asked:
            self.asked.add(str(beat.term))
            if _mentioned(
                str(beat.term), self.heard
            ):  # "And Weena?", not "Where does Weena come in?"
                line = self._fresh(f"And {beat.term}?")
                if line:
                    return line
            for _ in range(len(_TERM_QUESTIONS)):
                line = self._fresh(next(self.terms).format(term=beat.term, does=_does(beat.term)))
                if line:
                    return line
        return None

    def act_question(self, beat: Beat) -> str | None:
        """'So what does the Time Traveller decide?' before a line that opens on him
        deciding; None when the line tells no such deed of its subject."""
        if self.paper or not beat.act or not beat.subject or beat.quoted or not _leads_with(beat):
            return None
        name = beat.subject
        does = _does(name)  # "the Morlocks" do
        values = {
            "name": name,
            "does": does,
            "is": "is" if does == "does" else "are",
            "poss": name + ("'" if name.endswith("s") else "'s"),
        }
        for template in _ACT_QUESTIONS[beat.act]:
            line = self._fresh(template.format(**values))
            if line:
                return line[:1].upper() + line[1:]
        return None

    def host_b(
        self, previous: Beat, beat: Beat, *, new_name: str | None, returning: str | None
    ) -> str | None:
        """Host B between two beats: 'who is X?' the first time X comes up, 'back to X'
        after a while; else a reaction that restates what was just said, followed (or
        replaced) by a question that the next line answers."""
        self.turn += 1
        if new_name or returning:
            return self.question(beat, new_name=new_name, returning=returning)
        acted = self.act_question(beat)
        if acted:
            return acted
        if beat.subject and beat.subject == previous.subject and not self.paper:
            term = None if beat.term in (beat.subject, f"the {beat.subject}") else beat.term
            beat = Beat(
                **{**beat.__dict__, "subject": None, "term": term}
            )  # ask about something else
        reaction = self.reaction(previous)
        question = (
            None
            if reaction and self.turn % 2
            else self.question(beat, new_name=None, returning=None)
        )
        return " ".join(x for x in (reaction, question) if x) or None

    def why(self, beat: Beat) -> WhyQuestion | None:
        """'Why does Ishmael always go to sea as a sailor?' when `beat` gives its own
        reason ('…, because they pay him'): host B asks, host A answers with the reason."""
        if beat.quoted or beat.role == "dialogue":
            return None
        found = why_question(beat.text)
        if found is None:
            return None
        if self._fresh(found.question) is None:  # asked already: the text gives another
            again = self._fresh(f"{found.question[:-1]}, besides that?")
            return WhyQuestion(again, found.answer) if again else None
        return found

    def reaction(self, beat: Beat) -> str | None:
        """'So Manuel sold Buck to a stranger. Wow.': a fact of the last line, restated."""
        gist = beat.gist
        if not gist or len(gist.split()) < 3 or len(gist.split()) > 0.8 * beat.words:
            return None
        if self.heard and beat.text[:40] not in self.heard:
            return None  # a line that was not said after all (a check held it back)
        if gist.split()[0].lower() in ("he", "she", "it", "they", "this", "that", "there"):
            return None
        line = f"{next(self.interjections)} {lower_first(gist, beat.names).rstrip('.!')}."
        return self._fresh(line)

    def about(self, beat: Beat) -> str | None:
        """'What about the two rogues?': when nothing else fits, a question naming what
        the next line is about, rather than a nod: only something the listener has heard
        of already ("What about qualitative research?" out of nowhere told a blind reader
        that host B had read the script)."""
        first = re.split(r"(?<=[.!?])\s", beat.text, maxsplit=1)[0].lower()
        for term in (beat.term, beat.subject, beat.topic):
            term = _as_said(term, first)
            if not term or not _specific(term) or term.lower() in self.asked:
                continue
            if term.lower() in self.tellers:
                continue
            if not _mentioned(term, self.heard):
                continue
            self.asked.add(str(term).lower())
            for _ in range(len(_ABOUT_QUESTIONS)):
                line = self._fresh(next(self.abouts).format(term=term))
                if line:
                    return line
        return None

    def moving_on(self) -> str:
        """'Further on,': host A's lead-in when she goes on to a later passage with
        no line of host B's between (no stock "Mm-hm.")."""
        return next(self.later)

    def framing(self, beat: Beat, spoken: str, first: bool, opening: str | None = None) -> str:
        """Host A's lead-in for a segment's first beat."""
        if self.paper:
            return ""  # see paper_lead
        whole = spoken.removeprefix("the opening of ")  # not "the opening ... starts"
        said = whole[:1].upper() + whole[1:]
        if first and opening:
            return f'{said} opens with the words "{opening}"'
        if first and beat.subject:
            return f"{said} opens with {beat.subject}."
        if first:
            return f"{said} opens like this."
        return ""  # the segment's own transition said where we are

    def b_tells(self, beat: Beat, text: str) -> str:
        """Host B's own share of the text: a paper's finding is theirs, not his ("They
        also report that neither group had any criticism…"); a story's line as it is."""
        if not self.paper or "authors" in text.lower() or not text[:1].isupper():
            return text
        return f"They also report that {lower_first(text, beat.names)}"

    def paper_lead(self, beat: Beat, text: str) -> str:
        """'The problem is that heart failure…': a paper part's first line."""
        template = _PAPER_LEADS.get(beat.role)
        if not template or not text[:1].isupper():
            return text
        return template.format(text=text, lower=lower_first(text, beat.names))

    def later_frame(self, spoken: str) -> str:
        """'That brings us to the middle of chapter seven.': where a later part starts."""
        line = next(self.frames).format(spoken=spoken)
        return line[:1].upper() + line[1:]

    def description(self, name: str, descriptions: dict[str, str]) -> str:
        described = descriptions.get(name)
        return f"{name} is {described}." if described else ""


def _mentioned(term: str, heard: str) -> bool:
    return bool(re.search(rf"\b{re.escape(term.lower().removeprefix('the '))}\b", heard.lower()))


def _leads_with(beat: Beat) -> bool:
    """The line opens on its subject doing something ("Weena had been hugely delighted"):
    what "What does Weena do next?" needs. "Only forty times had that silent revolution
    occurred … the Time Traveller had traversed" is no answer to one about him."""
    if not beat.subject:
        return False
    at = beat.text.lower().find(beat.subject.lower().removeprefix("the "))
    return at >= 0 and len(beat.text[:at].split()) <= 4  # within its first five words


def _as_said(term: str | None, sentence: str) -> str | None:
    """The term as the sentence says it ("heart failure", not "the heart failure"), or
    None when the sentence doesn't say it or it is no thing a listener can picture."""
    if not term or re.match(_VAGUE, term):
        return None
    bare = term.removeprefix("the ")
    titled = bare[:1].isupper()  # "the Emperor" keeps its "the"
    if (
        bare != term
        and not titled
        and sentence.startswith(bare.lower())
        and not re.match(_VAGUE, bare)
    ):
        return bare  # "Heart failure is…": no "the" in front of it
    return term if bare.lower() in sentence else None


_VAGUE = re.compile(
    r"(?i)(the )?(he|she|it|they|his|her|its|their|this|that|these|those|much|many|some|most|"
    r"all|such|other|any|each|every|no|one|neither|either|both|few|several|another|"
    r"something|nothing|anything|everything)\b"
)


def _does(term: str | None) -> str:
    """'does' for one thing, 'do' for several ('the programmes')."""
    last = (term or "").split()[-1:] or [""]
    return "do" if re.search(r"[^s]s$", last[0]) else "does"


def _specific(term: str | None) -> bool:
    """A term worth a question: a name, or a phrase of two words or more ('trace trees')."""
    if not term:
        return False
    words = [w for w in term.split() if w.lower() not in ("the", "a", "an")]
    return len(words) >= 2 or term[:1].isupper()


def lower_first(text: str, names: list[str]) -> str:
    """'Supervised exercise sessions ...' -> 'supervised ...' mid-sentence; names stay."""
    first = text.split(" ", 1)[0]
    bare = re.sub(r"['’]s$", "", first)
    if first in ("The", "A", "An"):
        return first.lower() + text[len(first) :]
    if first == "I" or any(n.split()[0] == bare for n in names) or first.isupper():
        return text
    return first[:1].lower() + first[1:] + text[len(first) :]


_STOP = {
    "the", "and", "what", "who", "does", "how", "with", "about", "then", "that", "this", "there",
    "wait", "back", "come", "comes", "say", "says", "take", "next", "happens", "where", "work",
    "numbers", "idea", "behind", "problem", "catch", "fall", "short", "propose", "walk",
    "through", "actually", "pay", "off", "place", "first",
}  # fmt: skip
