"""Item pipeline: one article per id and per body within a crawl."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from pipelines.drops import drop


class DedupPipeline:
    """Drops ``duplicate_url`` (an id seen before: twins of one article) and ``duplicate_content``
    (a different address with the same title and cleaned body, e.g. a mirror of an article already kept;
    two notices that share a body under different titles are both kept;
    off with ``GOVNEWS_DEDUP_CONTENT=False``)."""

    def __init__(self, stats: StatsCollector, dedup_content: bool = True) -> None:
        self.stats = stats
        self.dedup_content = dedup_content
        self.ids: set[str] = set()
        self.hashes: dict[tuple[str, str], str] = {}  # (title, content_hash) -> first URL

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        return cls(crawler.stats, crawler.settings.getbool("GOVNEWS_DEDUP_CONTENT", True))

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if item.id in self.ids:
            raise drop(self.stats, "duplicate_url", item.canonical_url)
        content = (item.title, item.content_hash)
        if self.dedup_content and content in self.hashes:
            raise drop(self.stats, "duplicate_content", f"same title and body as {self.hashes[content]}")
        self.ids.add(item.id)
        self.hashes[content] = item.url
        return item
