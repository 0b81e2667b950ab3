"""Crawl-level glue: a closing summary a person can read, stats a machine can read, quiet drop logs."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.logformatter import LogFormatter
from scrapy.statscollectors import StatsCollector
from w3lib.url import file_uri_to_path

logger = logging.getLogger(__name__)

DROPPED_PREFIX = "govnews/dropped/"


def summarize(stats: dict[str, Any], feeds: list[str]) -> str:
    """The few lines a user wants after a crawl: written, dropped and why, where the output went."""
    written = stats.get("item_scraped_count", 0)
    dropped = {k[len(DROPPED_PREFIX):]: v for k, v in sorted(stats.items()) if k.startswith(DROPPED_PREFIX)}
    lines = [
        f"pages fetched: {stats.get('response_received_count', 0)}",
        f"articles written: {written}",
        "articles dropped: " + (", ".join(f"{k}={v}" for k, v in dropped.items()) if dropped else "0"),
    ]
    failed = stats.get("govnews/fetch_failed", 0)
    if failed:
        lines.append(f"pages that could not be fetched: {failed}" + _by_reason(stats, "govnews/fetch_failed/", " "))
    if _by_reason(stats, "govnews/refused/", ""):
        lines.append("requests refused: " + _by_reason(stats, "govnews/refused/", ""))
    if _by_reason(stats, "govnews/images_dropped/", ""):
        lines.append("image addresses left out (not http/https): " + _by_reason(stats, "govnews/images_dropped/", ""))
    fallbacks = {k: v for k, v in stats.items() if k.startswith("govnews/fallback/")}
    if fallbacks:
        lines.append("selector fallbacks: " + ", ".join(f"{k[17:]}={v}" for k, v in sorted(fallbacks.items())))
    empty = {k: v for k, v in stats.items() if k.startswith("govnews/empty/")}
    if empty:
        lines.append("empty fields: " + ", ".join(f"{k[14:]}={v}" for k, v in sorted(empty.items())))
    errors = stats.get("log_count/ERROR", 0)
    if errors:
        lines.append(f"errors logged: {errors}")
    lines.extend(f"output: {feed}" for feed in feeds)
    if stats.get("govnews/exit_code"):
        lines.append(f"exit status: {stats['govnews/exit_code']} ({stats.get('govnews/exit_reason', '')})")
    return "\n".join(lines)


def _by_reason(stats: dict[str, Any], prefix: str, lead: str) -> str:
    """``timeout=2, http_404=1`` for the stats under ``prefix``; with ``lead``, in parentheses after it."""
    counts = ", ".join(f"{k[len(prefix):]}={v}" for k, v in sorted(stats.items()) if k.startswith(prefix))
    return f"{lead}({counts})" if counts and lead else counts


def feed_names(feeds: list[str], spider: Spider) -> list[str]:
    """The crawl's feed URIs with their %(name)s / %(time)s filled in."""
    params = getattr(spider, "feed_uri_params", None) or {"name": spider.name, "time": "*"}
    return [feed % params if "%(" in feed else feed for feed in feeds]


class CrawlSummary:
    """With ``GOVNEWS_STATS_FILE``, dumps all stats as JSON when the spider closes. (The summary a person
    reads is logged once, after the feeds are closed, by ``govnews.report.extension.CrawlReport``: its
    first lines are ``summarize``, then the per-site table.)"""

    def __init__(self, stats: StatsCollector, stats_file: str) -> None:
        self.stats = stats
        self.stats_file = stats_file

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSummary:
        ext = cls(crawler.stats, crawler.settings.get("GOVNEWS_STATS_FILE", ""))
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.stats.get_stats()
        if self.stats_file:
            path = Path(self.stats_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stats, default=str, ensure_ascii=False, indent=1), encoding="utf-8")


def remember_feed_params(params: dict[str, Any], spider: Spider) -> dict[str, Any]:
    """FEED_URI_PARAMS hook: make the default feed's file this run's alone (``claim_default_feed``), and
    keep the values Scrapy filled into the feed path, so the summary can name the file actually written."""
    crawler = getattr(spider, "crawler", None)
    template = crawler.settings.get("GOVNEWS_DEFAULT_FEED", "") if crawler is not None else ""
    if template and template in crawler.settings.getdict("FEEDS"):
        params = claim_default_feed(template, dict(params))
    spider.feed_uri_params = dict(params)  # type: ignore[attr-defined]
    return params


def claim_default_feed(template: str, params: dict[str, Any]) -> dict[str, Any]:
    """Create the default feed's file exclusively (``O_EXCL``), so two runs never share it: the file of a
    run started in the same second as another (a loop over sites that finds nothing new, two cron jobs)
    is ``<time>-2.jsonl``, ``<time>-3.jsonl``... rather than the other run's file, which would then mix two
    runs and keep only one summary. Only a template with ``%(time)s`` names one file per run; any other
    (one file for all runs, like ``-o``) is left as it is."""
    if "%(time)s" not in template:
        return params
    stamp = str(params["time"])
    for n in range(1, 1000):
        params["time"] = stamp if n == 1 else f"{stamp}-{n}"
        try:
            uri = template % params
        except (KeyError, ValueError):
            return params
        path = Path(file_uri_to_path(uri)) if uri.startswith("file:") else Path(uri)
        if "://" in uri and not uri.startswith("file:"):
            return params
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
        except FileExistsError:
            continue
        return params
    raise FileExistsError(f"no free name for the default feed {template % params}")


class QuietDropLogFormatter(LogFormatter):
    """Dropped items are expected (the stats count them); log one INFO line, not the whole item."""

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Spider) -> dict[str, Any]:
        url = getattr(item, "url", None) or (response.url if response is not None else "?")
        level = getattr(exception, "log_level", None)  # DropItem(..., log_level="DEBUG") for expected drops
        return {"level": logging.getLevelName(level) if isinstance(level, str) else (level or logging.INFO),
                "msg": "Dropped %(reason)s: %(url)s",
                "args": {"reason": exception, "url": url}}
