"""One small registry for backends picked by name (LLM backends, TTS engines).

Built-ins register exactly the way a plugin would, declaring what they can do:

    from pipelines.llm.registry import LLMS
    LLMS.register("my-engine", lambda settings: MyEngine(settings), offline=False)

`offline`: works with no network (an online one may fail and hand over to a fallback).
`fallback`: may stand in when the chosen entry cannot run. Callers ask the registry for
`fallback()` — never for a name — so whichever entry declares it is used.
Factories must be cheap: no network and no model loading until first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pipelines.errors import ConfigError

T = TypeVar("T")


def normalise(name: str) -> str:
    """' OpenAI ' -> 'openai', 'llama_cpp' -> 'llama-cpp': one spelling per entry."""
    return name.strip().lower().replace("_", "-")


@dataclass(frozen=True)
class Entry(Generic[T]):
    name: str
    factory: T
    offline: bool
    fallback: bool


class Registry(Generic[T]):
    """Names -> factories with declared capabilities.

    `kind` ("LLM backend") and `setting` ("FOLIO_LLM__BACKEND") only shape the messages.
    """

    def __init__(self, kind: str, setting: str) -> None:
        self.kind = kind
        self.setting = setting
        self._entries: dict[str, Entry[T]] = {}

    def register(
        self,
        name: str,
        factory: T,
        *,
        offline: bool,
        fallback: bool = False,
        replace: bool = False,
    ) -> None:
        key = normalise(name)
        if not key:
            raise ConfigError(f"A {self.kind} needs a name.")
        if key in self._entries and not replace:
            raise ConfigError(f"A {self.kind} named '{key}' is already registered.")
        if fallback and not offline:
            raise ConfigError(
                f"The {self.kind} '{key}' cannot be a fallback: it needs the network."
            )
        self._entries[key] = Entry(key, factory, offline=offline, fallback=fallback)

    def names(self) -> list[str]:
        return sorted(self._entries)

    def entry(self, name: str) -> Entry[T]:
        found = self._entries.get(normalise(name))
        if found is None:
            raise ConfigError(
                f"Unknown {self.kind} '{name.strip()}'. Known: {', '.join(self.names())}. "
                f"Set {self.setting} to one of them."
            )
        return found

    def get(self, name: str) -> T:
        """The factory registered under `name` (any spelling `normalise` accepts)."""
        return self.entry(name).factory

    def fallback(self) -> Entry[T] | None:
        """The first registered entry that declared `fallback=True`, if any."""
        return next((e for e in self._entries.values() if e.fallback), None)
