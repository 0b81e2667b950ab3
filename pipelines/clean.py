"""Item pipeline: run the cleaning library over each article and count what it did."""

from __future__ import annotations

import logging

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from govnews.clean.article import clean_article
from govnews.items import Article
from pipelines.drops import drop

logger = logging.getLogger(__name__)


class CleanPipeline:
    """Thin adapter over ``govnews.clean.article.clean_article``; stats ``govnews/cleaning/<step>``."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Article, spider: Spider | None = None) -> Article:
        already = len(item.cleaning)
        try:
            cleaned = clean_article(item)
        except Exception as exc:  # a bug met on one article drops that article, counted, not the crawl
            logger.exception("clean_article failed on %s", item.url)
            raise drop(self.stats, "clean_error", f"{exc.__class__.__name__}: {exc}"[:200], item.site) from exc
        for record in cleaned.cleaning[already:]:
            self.stats.inc_value(f"govnews/cleaning/{record.step}", record.count)
            self.stats.inc_value(f"govnews/cleaning_by_site/{item.site}/{record.step}", record.count)
        if cleaned.script_original == "zh-Hant":
            self.stats.inc_value("govnews/script/zh-Hant")
        return cleaned
