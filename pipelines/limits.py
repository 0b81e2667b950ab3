"""Item pipeline: what a page can make cleaning do is bounded.

A government article is tens of thousands of characters at most; a page that extracts to megabytes of
text is a dump, a generated trap or garble, and cleaning it would hold a core for seconds while unrelated
downloads wait. Such an article is dropped as ``oversized`` before cleaning runs (``govnews.stages.limit``).
"""

from __future__ import annotations

from typing import Any

from govnews.stages import DEFAULT_MAX_TEXT_CHARS
from pipelines.drops import StagePipeline


class TextLimitPipeline(StagePipeline):
    """Drops ``oversized``: body text longer than ``GOVNEWS_MAX_TEXT_CHARS`` characters (0: no limit)."""

    stage = "limit"

    @classmethod
    def stage_options(cls, settings: Any) -> dict[str, Any]:
        return {"max_text_chars": settings.getint("GOVNEWS_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS)}
