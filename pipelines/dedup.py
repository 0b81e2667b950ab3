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
    off with ``GOVNEWS_DEDUP_CONTENT=False``, and left to ``pipelines.state`` when a state store is on)."""

    def __init__(self, stats: StatsCollector, dedup_content: bool = True) -> None:
        self.stats = stats
        self.dedup_content = dedup_content
        self.ids: set[str] = set()
        self.hashes: dict[tuple[str, str], str] = {}  # (title, content_hash) -> first URL

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        settings = crawler.settings
        # With a state store, pipelines.state judges bodies across runs and sites and marks reposts.
        dedup_content = settings.getbool("GOVNEWS_DEDUP_CONTENT", True) and not settings.get("GOVNEWS_STATE_PATH")
        return cls(crawler.stats, dedup_content)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if item.id in self.ids:
            raise drop(self.stats, "duplicate_url", item.canonical_url, item.site)
        content = (item.title, item.content_hash)
        if self.dedup_content and content in self.hashes:
            raise drop(self.stats, "duplicate_content", f"same title and body as {self.hashes[content]}", item.site)
        self.ids.add(item.id)
        self.hashes[content] = item.url
        return item
