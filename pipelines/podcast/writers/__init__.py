"""Script writers. With a capable model: `model_writer` (notes -> plan -> dialogue ->
checks that repair). Offline, the fallback: `extractive` (the text's own sentences, by
rules) and `assisted` (the same, with a small local model's questions). The offline
writers share the signature below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pipelines.podcast.material import Material
    from pipelines.podcast.request import PodcastRequest
    from pipelines.types import Script


class ScriptWriter(Protocol):
    def __call__(
        self,
        material: Material,
        request: PodcastRequest,
        *,
        words_per_minute: int,
        previously: str = "",
        llm: Any = None,
    ) -> Script: ...
