"""Each worker's crawl stats, added to the fleet's totals in Redis (``<prefix>:<spider>:stats``).

scrapy-redis's ``RedisStatsCollector`` writes every increment to Redis as it happens (three round trips
each, hundreds per page). This extension keeps Scrapy's in-memory stats and adds what changed since the
last time, every ``GOVNEWS_FLEET_STATS_S`` seconds and when the worker closes, in one pipeline of
``HINCRBY``/``HINCRBYFLOAT``. ``govnews fleet status`` reads the totals: pages, new/changed/duplicate
articles and failures by reason, per site, for the whole fleet.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from govnews.fleet import defaults
from govnews.fleet.connection import Keys, fleet_enabled, prefix

logger = logging.getLogger(__name__)

#: Stats that are not counts: a sum over workers would mean nothing.
NOT_SUMMED = ("memusage/", "elapsed_time_seconds", "items_per_minute", "responses_per_minute", "request_depth_max",
              "govnews/exit_code", "govnews/fleet/worker")


class FleetStats:
    def __init__(self, crawler: Crawler, server: Any, interval: float) -> None:
        self.crawler = crawler
        self.server = server
        self.interval = interval
        self.sent: dict[str, int | float] = {}
        self.key = ""
        self.loop = task.LoopingCall(self.push)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FleetStats:
        if not fleet_enabled(crawler.settings):
            raise NotConfigured
        from scrapy_redis.connection import get_redis_from_settings

        ext = cls(crawler, get_redis_from_settings(crawler.settings),
                  crawler.settings.getfloat("GOVNEWS_FLEET_STATS_S", defaults.GOVNEWS_FLEET_STATS_S))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.key = Keys(prefix(self.crawler.settings), spider.name).stats
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        self.push()

    def push(self) -> None:
        """Add the change of every numeric stat since the last push to the fleet's totals."""
        stats = self.crawler.stats
        if stats is None or not self.key:
            return
        changes = {}
        for name, value in stats.get_stats().items():
            if isinstance(value, bool) or not isinstance(value, int | float) or name.startswith(NOT_SUMMED):
                continue
            delta = value - self.sent.get(name, 0)
            if delta:
                changes[name] = (value, delta)
        if not changes:
            return
        pipe = self.server.pipeline(transaction=False)
        for name, (_, delta) in changes.items():
            if isinstance(delta, int):
                pipe.hincrby(self.key, name, delta)
            else:
                pipe.hincrbyfloat(self.key, name, delta)
        try:
            pipe.execute()
        except Exception:  # Redis briefly away: these changes go with the next push
            logger.warning("Could not add this worker's stats to the fleet's totals", exc_info=True)
            return
        for name, (value, _) in changes.items():
            self.sent[name] = value
