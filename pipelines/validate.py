"""Item pipeline: drop articles that must not reach a dataset, each with a named, counted reason."""

from __future__ import annotations

from typing import Any

from govnews.stages import DEFAULT_MIN_TEXT_CHARS
from pipelines.drops import StagePipeline


class ValidatePipeline(StagePipeline):
    """Quality gate (``govnews.clean.quality.drop_reason``), then the JSON Schema of the export
    (``govnews.stages.validate``)."""

    stage = "validate"

    @classmethod
    def stage_options(cls, settings: Any) -> dict[str, Any]:
        return {"min_text_chars": settings.getint("GOVNEWS_MIN_TEXT_CHARS", DEFAULT_MIN_TEXT_CHARS)}
