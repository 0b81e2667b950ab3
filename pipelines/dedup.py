"""Item pipeline: one article per id and per body within a crawl."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.drops import drop


class DedupPipeline:
    """Drops ``duplicate_url`` (an id seen before: twins of one article) and ``duplicate_content``
    (a different address with a byte-identical cleaned body, e.g. a mirror of an article already kept;
    off with ``GOVNEWS_DEDUP_CONTENT=False``)."""

    def __init__(self, stats: StatsCollector, dedup_content: bool = True) -> None:
        self.stats = stats
        self.dedup_content = dedup_content
        self.ids: set[str] = set()
        self.hashes: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler.stats, crawler.settings.getbool("GOVNEWS_DEDUP_CONTENT", True))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if item.id in self.ids:
            raise drop(self.stats, "duplicate_url", item.canonical_url)
        if self.dedup_content and item.content_hash in self.hashes:
            raise drop(self.stats, "duplicate_content", f"same body as {self.hashes[item.content_hash]}")
        self.ids.add(item.id)
        self.hashes[item.content_hash] = item.url
        return item
