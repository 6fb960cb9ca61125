"""One Settings object for the whole engine, read from FOLIO_* environment variables.

Nested sections use a double underscore: FOLIO_LLM__BASE_URL, FOLIO_TTS__ENGINE.
A few common ones have short aliases: FOLIO_HOME, FOLIO_VECTOR_URL.
Entry points take `settings=` explicitly (the CLI builds it in cli/common.py, the app per
session in workspace_app/resources.py); nothing falls back to a workspace default.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class IngestSettings(BaseModel):
    max_file_mb: int = Field(200, description="Largest file accepted for upload/ingest.")
    max_files_per_upload: int = Field(20, description="Most files accepted in one upload.")
    max_pages: int = Field(5000, description="Largest PDF page count accepted.")
    max_epub_uncompressed_mb: int = Field(
        500, description="Refuse EPUBs whose members inflate past this (zip bombs)."
    )


class IndexSettings(BaseModel):
    target_words: int = Field(150, description="Aim for passages of about this many words.")
    max_words: int = Field(180, description="Hard ceiling on passage length in words.")
    min_words: int = Field(120, description="Passages shorter than this are merged when possible.")
    overlap_sentences: int = Field(1, description="Sentences repeated between neighbours.")
    embedder: str = Field("onnx-int8", description="onnx-int8 | onnx | torch")
    batch_size: int = Field(32, description="Embedding batch size.")
    rrf_k: int = Field(60, description="Reciprocal-rank-fusion constant.")
    candidates: int = Field(40, description="How many hits each retriever contributes.")


class LLMSettings(BaseModel):
    backend: str = Field("extractive", description="extractive | openai | llama-cpp")
    base_url: str = Field("http://127.0.0.1:11434/v1", description="OpenAI-compatible URL.")
    model: str = Field("", description="Model name the server knows.")
    api_key: SecretStr | None = Field(None, description="Key for the server, if it needs one.")
    timeout_s: float = Field(60.0, description="Seconds to wait for a response.")
    connect_timeout_s: float = Field(5.0, description="Seconds to wait for a connection.")
    max_retries: int = Field(2, description="Retries on 429/5xx with backoff.")
    context_window: int = Field(8192, description="Tokens the model accepts in all.")
    max_answer_tokens: int = Field(512, description="Tokens reserved for the answer.")
    temperature: float = Field(0.2, description="Sampling temperature for answers.")
    gguf_path: str = Field("", description="Local GGUF model for the llama-cpp backend.")
    scan_ports: str = Field(
        "",
        description="More ports on this computer to look for a model server on when "
        "connecting (comma-separated), besides 11434, 1234, 8080 and 8000.",
    )


class TTSSettings(BaseModel):
    engine: str = Field(
        "kokoro",
        description="kokoro (offline, two voices; piper stands in when its files are not "
        "installed) | piper (offline, fastest) | espeak | edge | openai",
    )
    voice_a: str = Field("", description="Voice for host A (engine default when empty).")
    voice_b: str = Field("", description="Voice for host B (engine default when empty).")
    base_url: str = Field("http://127.0.0.1:8880/v1", description="/v1/audio/speech server.")
    api_key: SecretStr | None = Field(None, description="Key for the speech server.")
    edge_timeout_s: float = Field(15.0, description="Bound on one edge-tts request.")
    kokoro_dir: str = Field(
        "",
        description="Folder with the Kokoro model and voices (empty: Folio's model cache, "
        "filled by `make voices`).",
    )


class PodcastSettings(BaseModel):
    minutes: float = Field(5.0, description="Target episode length.")
    words_per_minute: int = Field(150, description="Speaking rate used for word budgets.")
    host_a: str = Field("Ada", description="Name of the explaining host.")
    host_b: str = Field("Ben", description="Name of the asking host.")
    format: str = Field("deep-dive", description="deep-dive | brief | debate")
    helper_model: str = Field(
        "off",
        description="Small local model that writes host B's questions in the offline "
        "script: off (the rules' questions), auto (the bundled one, `make model`), or a "
        ".gguf path. Off by default: blind readers rated its episodes no better and "
        "found questions that presuppose something the text doesn't say.",
    )
    helper_retells: bool = Field(
        False,
        description="Also let that model retell host A's long sentences in plain words: "
        "plainer, but blind readers found paraphrase errors (reversed meanings) in them.",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="FOLIO_", env_nested_delimiter="__", extra="ignore"
    )

    home: Path = Field(
        default_factory=lambda: Path(os.environ.get("FOLIO_HOME") or Path.home() / ".folio"),
        description="Workspace folder (FOLIO_HOME).",
    )
    vector_url: str = Field(
        "", description="Chroma server URL (FOLIO_VECTOR_URL); empty = on-disk store."
    )
    ingest: IngestSettings = Field(default_factory=IngestSettings)
    index: IndexSettings = Field(default_factory=IndexSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    tts: TTSSettings = Field(default_factory=TTSSettings)
    podcast: PodcastSettings = Field(default_factory=PodcastSettings)
