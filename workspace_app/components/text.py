"""Text that goes into st.markdown: document text is escaped, model text is defanged.

Nothing here ever uses unsafe_allow_html; escaping keeps a book's `*`, `#`, `$` or
`:red[...]` from turning into formatting, LaTeX or colour directives.
"""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+\-|~$:!])")
_LIST_NUMBER = re.compile(r"^(\s*\d+)\.", re.M)


def escape_md(text: str) -> str:
    """Document text shown exactly as written (no markdown, no HTML, no LaTeX)."""
    return _LIST_NUMBER.sub(r"\1\\.", _MD_SPECIAL.sub(r"\\\1", text))


_MODEL_UNSAFE = re.compile(r"([<>$])")
_DIRECTIVE = re.compile(r":(?=[a-z-]+\[)")


def model_md(text: str) -> str:
    """Model output keeps its markdown (lists, emphasis) but no HTML, LaTeX or colours."""
    return _DIRECTIVE.sub(r"\\:", _MODEL_UNSAFE.sub(r"\\\1", text))


def paragraphs(text: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text)]
    return [p for p in parts if p]


def short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
