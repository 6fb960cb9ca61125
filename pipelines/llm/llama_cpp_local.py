"""A local GGUF model run in-process by llama-cpp-python (optional extra).

The library is imported lazily, and the model loads on first use, once per instance.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pipelines.errors import BackendError, ConfigError
from pipelines.llm.base import LLM, Message
from pipelines.settings import LLMSettings

log = logging.getLogger(__name__)

INSTALL_HINT = "pip install 'folio[llama]'"


def _import_llama() -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise ConfigError(
            f"The llama-cpp backend needs llama-cpp-python: {INSTALL_HINT} "
            "(or choose FOLIO_LLM__BACKEND=openai / extractive)."
        ) from exc
    return llama_cpp


class LlamaCppLLM(LLM):
    name = "llama-cpp"
    generates = True
    streams = True

    def __init__(self, gguf_path: str, *, context_window: int = 4096, threads: int | None = None):
        if not gguf_path:
            raise ConfigError(
                "The llama-cpp backend needs a model file: set FOLIO_LLM__GGUF_PATH to a .gguf file."
            )
        self.gguf_path = Path(gguf_path).expanduser()
        self.context_window = context_window
        self.threads = threads
        self._model: Any = None
        self._lock = threading.Lock()  # one llama context is not safe across threads

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> LlamaCppLLM:
        return cls(settings.gguf_path, context_window=settings.context_window)

    def describe(self) -> str:
        return f"llama-cpp {self.gguf_path.name}"

    def close(self) -> None:
        """Free the model now; left to interpreter exit, llama-cpp-python's finaliser
        runs after its library is unloaded and prints a TypeError."""
        with self._lock:
            if self._model is not None:
                self._model.close()
                self._model = None

    def _llama(self) -> Any:
        if self._model is None:
            llama_cpp = _import_llama()
            if not self.gguf_path.is_file():
                raise ConfigError(
                    f"FOLIO_LLM__GGUF_PATH points to '{self.gguf_path}', which is not a file."
                )
            log.info("Loading GGUF model %s (n_ctx=%d)", self.gguf_path, self.context_window)
            try:
                self._model = llama_cpp.Llama(
                    model_path=str(self.gguf_path),
                    n_ctx=self.context_window,
                    n_threads=self.threads,
                    verbose=False,
                )
            except (ValueError, RuntimeError) as exc:
                raise BackendError(
                    f"Could not load the GGUF model '{self.gguf_path}': {exc}"
                ) from exc
        return self._model

    def complete(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int = 512,
        temperature: float = 0.2,
        json_schema: dict[str, Any] | None = None,
    ) -> str:
        kwargs: dict[str, Any] = {}
        if json_schema:
            kwargs["response_format"] = {"type": "json_object", "schema": json_schema}
        with self._lock:
            try:
                out = self._llama().create_chat_completion(
                    messages=[m.to_dict() for m in messages],
                    max_tokens=max_tokens,
                    temperature=temperature,
                    **kwargs,
                )
            except ValueError as exc:  # e.g. prompt longer than n_ctx
                raise BackendError(f"The local model could not answer: {exc}") from exc
        return str(out["choices"][0]["message"].get("content") or "")

    def stream(
        self, messages: Sequence[Message], *, max_tokens: int = 512, temperature: float = 0.2
    ) -> Iterator[str]:
        with self._lock:
            try:
                chunks = self._llama().create_chat_completion(
                    messages=[m.to_dict() for m in messages],
                    max_tokens=max_tokens,
                    temperature=temperature,
                    stream=True,
                )
                for chunk in chunks:
                    text = chunk["choices"][0].get("delta", {}).get("content")
                    if text:
                        yield text
            except ValueError as exc:
                raise BackendError(f"The local model could not answer: {exc}") from exc
