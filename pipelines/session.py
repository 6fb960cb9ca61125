"""A Session: one resolved Settings, the workspace it points at, and the backends it
chose, built once at the edge (a CLI command, an app tab) and passed to the engine.

Engine entry points take a Session first (`answer(session, question, scope)`), so what
the Settings screen or `folio setup` chose is what every step uses; no engine module
builds a Settings of its own. Backends are built on first use and kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.settings import Settings
from pipelines.workspace.store import Workspace

if TYPE_CHECKING:
    from pipelines.index.embedder import Embedder
    from pipelines.llm.base import LLM
    from pipelines.podcast.tts.base import TTSEngine


@dataclass
class Session:
    settings: Settings
    workspace: Workspace
    _llm: LLM | None = field(default=None, repr=False)
    _tts: TTSEngine | None = field(default=None, repr=False)

    @classmethod
    def open(
        cls,
        home: Path | str | None = None,
        *,
        overrides: dict[str, Any] | None = None,
        llm: LLM | None = None,
    ) -> Session:
        """Resolve the settings for `home` (environment > saved choices > defaults) and
        open its workspace."""
        from pipelines.settings_file import resolve_settings

        settings = resolve_settings(home, overrides)
        return cls(settings, Workspace(settings.home), _llm=llm)

    @classmethod
    def of(cls, settings: Settings, *, llm: LLM | None = None) -> Session:
        """A session over settings already resolved (tests, evaluation workspaces)."""
        return cls(settings, Workspace(settings.home), _llm=llm)

    @property
    def ws(self) -> Workspace:
        return self.workspace

    @property
    def llm(self) -> LLM:
        """The chosen language model backend (built on first use)."""
        if self._llm is None:
            from pipelines.llm.registry import get_llm

            self._llm = get_llm(self.settings.llm)
        return self._llm

    def tts(self) -> TTSEngine:
        """The chosen speech engine, with its offline fallback (built on first use)."""
        if self._tts is None:
            from pipelines.podcast.tts.registry import get_tts

            self._tts = get_tts(self.settings.tts)
        return self._tts

    @property
    def embedder(self) -> Embedder:
        from pipelines.index.embedder import get_embedder

        return get_embedder(self.settings.index)

    def using(self, *, llm: LLM | None = None, settings: Settings | None = None) -> Session:
        """The same workspace with another model or settings (a copy; this one is kept)."""
        changed = replace(self, settings=settings or self.settings)
        if settings is not None and settings.llm != self.settings.llm:
            changed._llm = None
        if settings is not None and settings.tts != self.settings.tts:
            changed._tts = None
        if llm is not None:
            changed._llm = llm
        return changed
