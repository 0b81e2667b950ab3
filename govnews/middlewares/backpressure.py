"""Downloads wait while pages wait for the worker pool (``govnews.workers``).

A crawl that downloads faster than its workers turn pages into articles would otherwise keep downloading
and hold every page it could not process yet (Scrapy stops only once ``SCRAPER_SLOT_MAX_ACTIVE_SIZE`` bytes
of responses wait, thousands of small pages, each with its callback's tasks). Here a request does not go
on to be downloaded while ``GOVNEWS_WORKER_BACKLOG`` pages wait for a worker; a request held here counts
against ``CONCURRENT_REQUESTS``, so Scrapy takes no more requests from its scheduler meanwhile. Without a
pool (``GOVNEWS_WORKERS=0``) it does nothing.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future

from govnews.workers import workers_for


class WorkerBackpressureMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerBackpressureMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        workers = workers_for(self.crawler)
        pool = workers.pool if workers is not None else None
        if pool is None:
            return
        waiter = pool.room()
        if waiter is not None:
            self.crawler.stats.inc_value("govnews/workers/downloads_held")
            await maybe_deferred_to_future(waiter)
