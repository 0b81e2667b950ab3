"""Item pipeline: drop articles that must not reach a dataset, each with a named, counted reason."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from govnews.clean.quality import drop_reason
from govnews.schema import article_schema
from pipelines.drops import drop


class ValidatePipeline:
    """Quality gate (``govnews.clean.quality.drop_reason``), then the JSON Schema of the export."""

    def __init__(self, stats: StatsCollector, min_text_chars: int = 10) -> None:
        self.stats = stats
        self.min_text_chars = min_text_chars
        self.validator = Draft202012Validator(article_schema())

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler.stats, crawler.settings.getint("GOVNEWS_MIN_TEXT_CHARS", 10))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        reason = drop_reason(item, self.min_text_chars)
        if reason:
            raise drop(self.stats, reason, site=getattr(item, "site", None))
        error = next(iter(self.validator.iter_errors(ItemAdapter(item).asdict())), None)
        if error is not None:
            path = "/".join(str(p) for p in error.absolute_path) or "(root)"
            raise drop(self.stats, "schema_invalid", f"{path}: {error.message[:200]}", getattr(item, "site", None))
        return item
