"""Item pipeline: one article per id and per body within a crawl."""

from __future__ import annotations

import hashlib
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from govnews.idset import DigestSet
from pipelines.drops import drop


class DedupPipeline:
    """Drops ``duplicate_url`` (an id seen before: twins of one article) and ``duplicate_content``
    (a different address with the same title and cleaned body, e.g. a mirror of an article already kept;
    two notices that share a body under different titles are both kept;
    off with ``GOVNEWS_DEDUP_CONTENT=False``, and left to ``pipelines.state`` when a state store is on)."""

    def __init__(self, stats: StatsCollector, dedup_content: bool = True) -> None:
        self.stats = stats
        self.dedup_content = dedup_content
        # Kept for the whole crawl, so kept small: 128 bits of each id in a DigestSet (24-48 bytes an article,
        # where the hex strings and a (title, hash) tuple filled even with dedup_content off took about 600).
        self.ids = DigestSet()
        self.hashes: dict[bytes, str] = {}  # 128 bits of (title, content_hash) -> first URL; only if dedup_content

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        settings = crawler.settings
        # With a state store, pipelines.state judges bodies across runs and sites and marks reposts.
        dedup_content = settings.getbool("GOVNEWS_DEDUP_CONTENT", True) and not settings.get("GOVNEWS_STATE_PATH")
        return cls(crawler.stats, dedup_content)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        key = _key(item.id)
        if key in self.ids:
            raise drop(self.stats, "duplicate_url", item.canonical_url, item.site)
        if self.dedup_content:
            content = _key(f"{item.title}\0{item.content_hash}")
            if content in self.hashes:
                raise drop(self.stats, "duplicate_content", f"same title and body as {self.hashes[content]}",
                           item.site)
            self.hashes[content] = item.url
        self.ids.add(key)
        return item


def _key(text: str) -> bytes:
    """128 bits of the SHA-1 of ``text``: a collision among a billion keys has odds of about 1 in 10**20."""
    return hashlib.sha1(text.encode("utf-8")).digest()[:16]
