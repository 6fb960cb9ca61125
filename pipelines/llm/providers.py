"""OpenAI-compatible APIs a person may have a key for: their base URLs, as each
provider's documentation gives them for the OpenAI SDK. The models come from the API
itself (GET /models) once the key is in, so none are guessed here."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.errors import ConfigError


@dataclass(frozen=True)
class Provider:
    key: str
    name: str
    base_url: str


PROVIDERS: tuple[Provider, ...] = (
    Provider("openai", "OpenAI", "https://api.openai.com/v1"),
    Provider("openrouter", "OpenRouter", "https://openrouter.ai/api/v1"),
    Provider("groq", "Groq", "https://api.groq.com/openai/v1"),
    Provider("together", "Together AI", "https://api.together.ai/v1"),
    Provider("mistral", "Mistral", "https://api.mistral.ai/v1"),
    Provider("deepseek", "DeepSeek", "https://api.deepseek.com/v1"),
)


def provider(key: str) -> Provider:
    wanted = key.strip().lower()
    for item in PROVIDERS:
        if wanted in (item.key, item.name.lower()):
            return item
    choices = ", ".join(p.key for p in PROVIDERS)
    raise ConfigError(
        f"'{key}' is not a provider Folio knows; choose one of: {choices}, or give its URL."
    )


def provider_for(base_url: str) -> Provider | None:
    clean = base_url.strip().rstrip("/")
    return next((p for p in PROVIDERS if p.base_url == clean), None)
