"""Item pipeline: run the cleaning library over each article and count what it did."""

from __future__ import annotations

from pipelines.drops import StagePipeline


class CleanPipeline(StagePipeline):
    """Thin adapter over ``govnews.clean.article.clean_article`` (``govnews.stages.clean``): stats
    ``govnews/cleaning/<step>``; a bug met on one article drops it as ``clean_error``, not the crawl."""

    stage = "clean"
    error_message = "clean_article failed on %s"
