"""Item pipeline: what a page can make cleaning do is bounded.

A government article is tens of thousands of characters at most; a page that extracts to megabytes of
text is a dump, a generated trap or garble, and cleaning it would hold the event loop for seconds while
unrelated downloads time out. Such an article is dropped as ``oversized`` before cleaning runs.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.drops import drop

DEFAULT_MAX_TEXT_CHARS = 300_000


class TextLimitPipeline:
    """Drops ``oversized``: body text longer than ``GOVNEWS_MAX_TEXT_CHARS`` characters (0: no limit)."""

    def __init__(self, stats: StatsCollector, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> None:
        self.stats = stats
        self.max_text_chars = max_text_chars

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TextLimitPipeline:
        return cls(crawler.stats, crawler.settings.getint("GOVNEWS_MAX_TEXT_CHARS", DEFAULT_MAX_TEXT_CHARS))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        size = len(item.text) + len(item.title)
        if self.max_text_chars and size > self.max_text_chars:
            raise drop(self.stats, "oversized", f"{size} characters of text, more than GOVNEWS_MAX_TEXT_CHARS="
                                                f"{self.max_text_chars}")
        return item
