"""The fleet's request filter: scrapy-redis's, with Scrapy's own request fingerprints stored raw.

Scrapy's fingerprinter (``REQUEST_FINGERPRINTER_CLASS``) decides what counts as the same request, as in
a single-process crawl; its 20-byte digests take about half the memory of scrapy-redis's 40-character
hex strings (bench/bench_fleet.py). The set lasts one crawl round: the scheduler clears it when the
whole fleet has drained, so the next crawl walks the list pages again (the state store, not this
filter, knows what was exported).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter


class FleetDupeFilter(RFPDupeFilter):
    def __init__(self, server: Any, key: str, debug: bool = False, fingerprinter: Any = None) -> None:
        super().__init__(server, key, debug)
        self.fingerprinter = fingerprinter

    @classmethod
    def from_spider(cls, spider: Spider) -> FleetDupeFilter:
        settings = spider.settings
        key = settings.get("SCHEDULER_DUPEFILTER_KEY") % {"spider": spider.name}
        crawler = getattr(spider, "crawler", None)
        return cls(get_redis_from_settings(settings), key, settings.getbool("DUPEFILTER_DEBUG"),
                   crawler.request_fingerprinter if crawler is not None else None)

    def request_fingerprint(self, request: Request) -> bytes:  # type: ignore[override]
        if self.fingerprinter is not None:
            return bytes(self.fingerprinter.fingerprint(request))
        return bytes.fromhex(super().request_fingerprint(request))
