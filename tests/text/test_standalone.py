"""A sentence that opens on 'This'/'These' stands alone when the word after it names the
thing: the demonstrative becomes 'The' ("These Eloi were mere fatted cattle…" is the
central point of The Time Machine VII, and was never told because of its first word)."""

from __future__ import annotations

from pipelines.text.nlp import get_nlp
from pipelines.text.standalone import resolve_start


def _resolved(text: str) -> object:
    doc = get_nlp()(text)
    return resolve_start(text, text.split()[0].lower(), None, doc, None, False)


def test_a_demonstrative_before_a_name_or_noun_becomes_the() -> None:
    assert _resolved("These Eloi were mere fatted cattle, which the Morlocks preyed upon.") == (
        "The Eloi were mere fatted cattle, which the Morlocks preyed upon."
    )
    assert _resolved("This approach works on every loop.") == "The approach works on every loop."


def test_a_bare_demonstrative_with_nothing_before_stays_unresolved() -> None:
    assert _resolved("This was what he had feared all along.") is None
