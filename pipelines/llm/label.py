"""What wrote an answer, a summary or a script, in words a reader understands:
"offline: the text's own sentences", "qwen2.5:7b via Ollama (localhost:11434)",
"model file Qwen2.5-1.5B-Instruct-Q4_K_M.gguf (on this computer)"."""

from __future__ import annotations

from pathlib import PurePath
from urllib.parse import urlparse

from pipelines.llm.base import LLM
from pipelines.settings import LLMSettings

OFFLINE = "offline: the text's own sentences"
_LOCAL_SERVERS = {11434: "Ollama", 1234: "LM Studio", 8080: "llama.cpp", 8000: "vLLM"}
_HOSTED = {
    "api.openai.com": "OpenAI",
    "openrouter.ai": "OpenRouter",
    "api.groq.com": "Groq",
    "api.together.xyz": "Together AI",
    "api.together.ai": "Together AI",
    "api.mistral.ai": "Mistral",
    "api.deepseek.com": "DeepSeek",
}


def server_name(base_url: str) -> str:
    """'Ollama (localhost:11434)', 'OpenAI', or the host and port."""
    parsed = urlparse(base_url)
    host = parsed.hostname or base_url
    if host in _HOSTED:
        return _HOSTED[host]
    where = f"{host}:{parsed.port}" if parsed.port else host
    if host in ("localhost", "127.0.0.1", "::1") and parsed.port in _LOCAL_SERVERS:
        return f"{_LOCAL_SERVERS[parsed.port]} ({where})"
    return where


def model_name(model: str) -> str:
    """A model id as a reader sees it: llama.cpp's server names its model by the file's
    full path, which says no more than the file's name."""
    if model.lower().endswith(".gguf") and ("/" in model or "\\" in model):
        return PurePath(model).name
    return model


def written_by(llm: LLM | None) -> str:
    """Who writes with this backend, for the reader to see."""
    if llm is None or not llm.generates:
        return OFFLINE
    base_url = getattr(llm, "base_url", None)
    if base_url:
        model = getattr(llm, "model", "") or getattr(llm, "_resolved_model", "") or "a model"
        return f"{model_name(model)} via {server_name(base_url)}"
    path = getattr(llm, "gguf_path", None)
    if path is not None:
        return f"model file {getattr(path, 'name', path)} (on this computer)"
    return llm.describe()


def written_by_settings(settings: LLMSettings) -> str:
    """The same words from the settings alone (nothing is built or loaded)."""
    backend = settings.backend.strip().lower().replace("_", "-")
    if backend == "extractive":
        return OFFLINE
    if backend == "openai":
        model = model_name(settings.model) or "the server's first model"
        return f"{model} via {server_name(settings.base_url)}"
    if backend == "llama-cpp":
        name = PurePath(settings.gguf_path).name if settings.gguf_path else "(no file chosen)"
        return f"model file {name} (on this computer)"
    return f"the '{settings.backend}' backend"
