"""A user's own spider on govnews's settings (``scrapy runspider``), for the DNS guard's crawl tests: it starts
at the page named with ``-a start=`` and follows every link on it within ``-a domains=``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from govnews.faults import record_failure


class LinkingSpider(scrapy.Spider):
    name = "linking"

    def __init__(self, start: str = "", domains: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start]
        self.allowed_domains = domains.split(",")

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        self.crawler.stats.inc_value("linking/fetched")
        self.logger.info("Fetched %s", response.url)
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.parse, errback=self.failed)

    def failed(self, failure: Failure) -> None:
        record_failure(self.crawler.stats, failure, self.logger)
