"""The exit status of ``scrapy crawl``: how a scheduler tells a good run from a bad one.

Scrapy exits 0 whether a crawl exported everything or nothing. govnews decides at the end of the crawl
(``ExitStatus``, an extension) and ``govnews.commands.crawl`` exits with it:

====  =====================================================================================
0     the crawl finished and wrote what it was asked for
1     Scrapy could not start the crawl, or it crashed (Scrapy's own status)
2     a wrong argument or setting, or an ``-O FILE`` another crawl is writing, reported in one line before
      anything was fetched
3     nothing written: no article was exported and none was skipped on purpose (``since``,
      already known); e.g. every page failed, the start page is a 404, the list had no links
4     too many errors: failed fetches and pages that broke extraction or cleaning were more than
      ``GOVNEWS_MAX_ERROR_RATE`` of the pages the crawl tried
5     interrupted: Ctrl-C / SIGTERM, or a limit such as ``MEMUSAGE_LIMIT_MB`` stopped the crawl
====  =====================================================================================

Stats ``govnews/exit_code`` and ``govnews/exit_reason`` record the decision (also in
``GOVNEWS_STATS_FILE``); ``govnews/pages_fetched`` counts the pages that reached a spider callback.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

OK, FAILED, USAGE, NOTHING_WRITTEN, TOO_MANY_ERRORS, INTERRUPTED = 0, 1, 2, 3, 4, 5
EXIT_CODE_KEY, EXIT_REASON_KEY = "govnews/exit_code", "govnews/exit_reason"
PAGES_FETCHED = "govnews/pages_fetched"
#: Set by a fleet worker (govnews.fleet.scheduler).
FLEET_WORKER = "govnews/fleet/worker"
DEFAULT_MAX_ERROR_RATE = 0.2
#: Close reasons of a crawl that ran to its end (the closespider_* ones are limits the user set).
FINISHED_REASONS = ("finished", "closespider_timeout", "closespider_itemcount", "closespider_pagecount",
                    "closespider_errorcount", "closespider_timeout_no_item")
#: Stats of articles left out on purpose: a crawl that exported nothing because of them did its job.
SKIPPED_ON_PURPOSE = ("govnews/skipped_old/", "govnews/skipped/", "govnews/unchanged", "govnews/dropped/duplicate_",
                      # the state store already holds them (govnews.incremental): a re-run with nothing new
                      "govnews/state/skipped_known/", "govnews/state/unchanged/", "govnews/state/not_modified/",
                      "govnews/state/duplicate/", "govnews/state/stopped_paging/")
#: Per-page errors: fetches that failed, and pages that hit a bug in extraction or cleaning.
ERROR_KEYS = ("govnews/fetch_failed", "govnews/dropped/extract_error", "govnews/dropped/clean_error")

logger = logging.getLogger(__name__)


def exit_status(stats: Mapping[str, Any], close_reason: str,
                max_error_rate: float = DEFAULT_MAX_ERROR_RATE) -> tuple[int, str]:
    """``(code, reason in words)`` for a crawl that closed with ``close_reason`` and these stats."""
    if close_reason not in FINISHED_REASONS:
        return INTERRUPTED, f"interrupted ({close_reason})"
    written = int(stats.get("item_scraped_count", 0))
    errors = sum(int(stats.get(key, 0)) for key in ERROR_KEYS)
    tried = int(stats.get(PAGES_FETCHED, 0)) + int(stats.get("govnews/fetch_failed", 0))
    if written == 0 and not errors and stats.get(FLEET_WORKER):
        # one worker of a fleet: the others may have written everything (the totals: govnews fleet status)
        return OK, "nothing written by this worker of the fleet"
    if written == 0 and not any(stats.get(k) for k in stats if k.startswith(SKIPPED_ON_PURPOSE)):
        refused = sum(int(v) for k, v in stats.items() if k.startswith("govnews/refused/"))
        what = (f"{errors} of {tried} pages failed" if errors else
                f"{refused} requests refused" if refused else "no article found")
        return NOTHING_WRITTEN, f"nothing written ({what})"
    if errors and tried and errors / tried > max_error_rate:
        return TOO_MANY_ERRORS, (f"too many errors: {errors} of {tried} pages "
                                 f"({errors / tried:.0%} > GOVNEWS_MAX_ERROR_RATE={max_error_rate:g})")
    return OK, f"{written} article{'' if written == 1 else 's'} written"


class ExitStatus:
    """Extension: decides the exit status when the spider closes (before ``CrawlSummary`` writes the
    stats) and logs it when it is not 0."""

    def __init__(self, stats: StatsCollector, max_error_rate: float) -> None:
        self.stats = stats
        self.max_error_rate = max_error_rate

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExitStatus:
        ext = cls(crawler.stats, crawler.settings.getfloat("GOVNEWS_MAX_ERROR_RATE", DEFAULT_MAX_ERROR_RATE))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        code, words = exit_status(self.stats.get_stats(), reason, self.max_error_rate)
        self.stats.set_value(EXIT_CODE_KEY, code)
        self.stats.set_value(EXIT_REASON_KEY, words)
        if code:
            logger.warning("Exit status %d: %s", code, words)


class PageCountMiddleware:
    """Spider middleware after HttpErrorMiddleware: counts ``govnews/pages_fetched``, the pages (list and
    article, not robots.txt, not error statuses) that reached a spider callback."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageCountMiddleware:
        return cls(crawler.stats)

    def process_spider_input(self, response: Response, spider: Spider | None = None) -> None:
        self.stats.inc_value(PAGES_FETCHED)

