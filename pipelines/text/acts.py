"""What kind of deed a sentence tells of its subject, read off its main verb: a decision,
a realisation, a move, a feeling, a thought, a sight, words said.

Host B asks about that ("So what does the Time Traveller decide?", "Where does Weena go
from there?") instead of the same "What happens next?" before every line.
"""

from __future__ import annotations

from typing import Any

# Past and present forms as they stand in narration (the pipeline runs without lemmas).
_FORMS = {
    "decide": "decide decides decided determine determines determined resolve resolves "
    "resolved vow vows vowed swear swears swore choose chooses chose plan plans planned",
    "realise": "realise realises realised realize realizes realized understand understands "
    "understood discover discovers discovered learn learns learned learnt perceive "
    "perceives perceived recognise recognises recognised grasp grasps grasped",
    "go": "go goes went come comes came walk walks walked run runs ran travel travels "
    "travelled traveled return returns returned climb climbs climbed enter enters entered "
    "leave leaves left head heads headed march marches marched sail sails sailed arrive "
    "arrives arrived hurry hurries hurried creep creeps crept wander wanders wandered ride "
    "rides rode flee flees fled proceed proceeds proceeded set sets",
    # only "felt": "How is Ishmael feeling by now?" was not answered by "Ishmael loves to
    # sail forbidden seas" (a blind reader)
    "feel": "feel feels felt",
    "think": "think thinks thought wonder wonders wondered suppose supposes supposed believe "
    "believes believed imagine imagines imagined reflect reflects reflected fancy fancies "
    "fancied reckon reckons reckoned suspect suspects suspected conclude concludes concluded",
    "see": "see sees saw notice notices noticed watch watches watched observe observes "
    "observed spy spies spied behold beholds beheld glimpse glimpses glimpsed",
    "say": "say says said tell tells told cry cries cried answer answers answered reply "
    "replies replied whisper whispers whispered shout shouts shouted exclaim exclaims "
    "exclaimed declare declares declared",
}
ACT_OF_VERB = {form: act for act, forms in _FORMS.items() for form in forms.split()}
_MOVES_WITH = {"set": {"off", "out", "forth"}}  # "set" is a move only as "set off/out"
_NOT_TOLD_AS_DONE = {"would", "might", "could", "should", "may", "must", "can", "shall"}


def act_of(doc: Any, subject: str | None) -> str | None:
    """'decide', 'realise', 'go', 'feel', 'think', 'see' or 'say' when the sentence's main
    verb tells one of those of its named `subject`, as a thing that happened: not denied
    ("he did not go") and not only possible ("he might go")."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ not in ("VERB", "AUX") or not subject or "'s" in subject:
        return None
    doer = next((c for c in root.children if c.dep_ == "nsubj"), None)
    # "…, came the clear knowledge of what the meat might be": knowledge came, not he
    if doer is None or doer.text not in subject.split():
        return None
    children = list(root.children)
    if any(c.dep_ == "neg" or c.lower_ in _NOT_TOLD_AS_DONE for c in children):
        return None
    word = root.lower_
    act = ACT_OF_VERB.get(word)
    needs = _MOVES_WITH.get(word)
    if needs and not any(c.dep_ == "prt" and c.lower_ in needs for c in children):
        return None
    if act == "see" and word in ("see", "sees", "saw") and any(c.dep_ == "ccomp" for c in children):
        return "realise"  # "he saw that the doors were shut": he understood
    return act
