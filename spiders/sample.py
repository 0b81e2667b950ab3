"""Crawl the bundled sample site: list pages, pager, article pages, all offline."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

import govnews.demo
from spiders.base import ArticleSpider

#: The sample site shipped with the package; ``python -m govnews.demo`` crawls it too.
SITE_INDEX = govnews.demo.site_dir() / "index.html"
#: TRS list paging: index.html is page 1, then index_1.html, index_2.html, ...
LIST_PAGE = re.compile(r"(?:^|/)index(?:_\d+)?\.html$")


class SampleSpider(ArticleSpider):
    """Crawl the bundled sample county site (or a copy of it served elsewhere).

    Follows the TRS-style pager (``index.html``, ``index_1.html``, ...) and every article link in
    ``ul.news-list``; each article goes through the shared extraction, then the cleaning pipelines.

    Arguments:
        start_url: the first list page (default: the ``file://`` URI of the bundled
            ``govnews/demo/site/index.html``). Serve the folder over HTTP and pass its ``index.html``
            URL to crawl it the way a real site is crawled.

    Example: ``scrapy crawl sample -O sample.jsonl``
    """

    name = "sample"

    def __init__(self, start_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url or SITE_INDEX.as_uri()]
        host = urlsplit(self.start_urls[0]).hostname
        self.allowed_domains = [host] if host else []  # a file:// site stays inside its folder instead

    def local_targets(self) -> Iterable[str]:
        return self.start_urls

    def default_id_root(self) -> str | None:
        """The bundled site's pages are named below its folder (``file:articles/a.html``): the same ids in
        every checkout, installed egg or Scrapyd job, and no user's folder names in the dataset."""
        return str(govnews.demo.site_dir())

    async def start(self) -> Any:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_list, errback=self.count_failure)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        """One list page: its articles, then the next list pages the pager names."""
        for href in response.css("ul.news-list li a::attr(href)").getall():
            yield response.follow(href, callback=self.parse_article, errback=self.count_failure)
        for href in response.css("div.pager a::attr(href)").getall():
            if LIST_PAGE.search(href.split("?")[0]):
                yield response.follow(href, callback=self.parse_list, errback=self.count_failure)
