"""End-of-crawl report: the one summary in the log (``govnews.extensions.summarize``: written, dropped and
why, failures, outputs, exit status; then the per-site table) and as JSON beside each output file.

``out.jsonl`` gets ``out.summary.json`` (``govnews.report.summary.crawl_summary``): pages fetched,
articles new / changed / unchanged / duplicate / dropped by reason, selector fallbacks, cleaning
counts, errors by type. It is written after the feeds are closed, so it describes what is on disk.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from w3lib.url import file_uri_to_path

from govnews.extensions import feed_names, summarize
from govnews.report.paths import summary_path
from govnews.report.summary import crawl_summary, render_summary

logger = logging.getLogger(__name__)


def local_outputs(crawler: Crawler, spider: Spider | None) -> list[str]:
    """The local files this crawl's feeds wrote, with their %(name)s / %(time)s filled in."""
    params = getattr(spider, "feed_uri_params", None) or {"name": getattr(spider, "name", ""), "time": "*"}
    found = []
    for uri in crawler.settings.getdict("FEEDS"):
        uri = str(uri)
        try:
            uri = uri % params if "%(" in uri else uri
        except (KeyError, ValueError):
            continue
        if uri.startswith("file:"):
            uri = file_uri_to_path(uri)
        elif "://" in uri or uri in ("-", "stdout:"):
            continue
        if "*" not in uri:
            found.append(uri)
    return found


class CrawlReport:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.spider: Spider | None = None
        self.reason = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlReport:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.spider, self.reason = spider, reason

    def engine_stopped(self) -> None:
        if self.crawler.stats is None or self.spider is None:
            return
        stats: dict[str, Any] = self.crawler.stats.get_stats()
        outputs = local_outputs(self.crawler, self.spider)
        summary = crawl_summary(stats, self.spider.name, self.reason, outputs)
        feeds = feed_names([str(feed) for feed in self.crawler.settings.getdict("FEEDS")], self.spider)
        text = summarize(stats, feeds) + "\n" + render_summary(summary)
        if summary["totals"]["pages"] == 0:
            logger.warning("govnews crawl summary (%s): nothing was fetched\n%s", self.reason, text)
        else:
            logger.info("govnews crawl summary (%s):\n%s", self.reason, text)
        for output in outputs:
            if Path(output).exists():
                target = summary_path(output)
                target.write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str) + "\n",
                                  encoding="utf-8")
