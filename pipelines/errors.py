"""A small error hierarchy whose messages say what went wrong and how to fix it.

The CLI turns a FolioError into one line on stderr and exit code 1; the app into
`st.error`. Nothing else should need to catch them.
"""

from __future__ import annotations


class FolioError(Exception):
    """Base class: `str(err)` is a complete, user-facing sentence."""


class IngestError(FolioError):
    """A file could not be turned into a Source. Names the file and the reason."""

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"Could not add '{file_name}': {reason}")


class NotFoundError(FolioError):
    """A source, chapter, episode ... that the workspace does not have."""


class BackendError(FolioError):
    """An LLM or TTS backend failed (unreachable, wrong model, bad key)."""


class UnreachableError(BackendError):
    """The server did not answer at all (not listening, timed out, cut off): asking it
    again right away would fail the same way, or wait as long."""


class ConfigError(FolioError):
    """Settings are missing or contradictory; the message says which to set."""


class LimitError(FolioError):
    """An upload or request is over a configured limit."""
