"""Item pipeline: run the cleaning library over each article and count what it did."""

from __future__ import annotations

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector

from govnews.clean.article import clean_article
from govnews.items import Article


class CleanPipeline:
    """Thin adapter over ``govnews.clean.article.clean_article``; stats ``govnews/cleaning/<step>``."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CleanPipeline:
        return cls(crawler.stats)

    def process_item(self, item: Article, spider: Spider | None = None) -> Article:
        already = len(item.cleaning)
        cleaned = clean_article(item)
        for record in cleaned.cleaning[already:]:
            self.stats.inc_value(f"govnews/cleaning/{record.step}", record.count)
        if cleaned.script_original == "zh-Hant":
            self.stats.inc_value("govnews/script/zh-Hant")
        return cleaned
