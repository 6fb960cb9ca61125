"""Script writers: the offline one (extractive, from the text itself) and the LLM one.

Both have one signature, `write(material, request, *, words_per_minute, previously, llm)`,
and their scripts go through the same checks before anyone hears them.
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
