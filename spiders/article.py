"""Ad hoc crawling of article pages you name."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from govnews.items import Article
from govnews.sites.registry import site_for_url
from spiders.base import ArticleSpider, SpiderArgumentError

SUPPORTED_SCHEMES = ("http", "https", "file")


def parse_url_list(url: str | None = None, urls_file: str | None = None) -> list[str]:
    """The URLs named by ``-a url=`` (comma-separated) and ``-a urls_file=`` (one a line, # comments)."""
    urls: list[str] = []
    if url:
        urls += [u.strip() for u in url.split(",") if u.strip()]
    if urls_file:
        path = Path(urls_file)
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise SpiderArgumentError(f"urls_file={urls_file}: cannot read it ({exc.__class__.__name__}: "
                                      f"{getattr(exc, 'strerror', None) or exc})") from None
        urls += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not urls:
        raise SpiderArgumentError("no URL given: use -a url=URL[,URL...] or -a urls_file=PATH")
    for u in urls:
        parts = urlsplit(u)
        if parts.scheme not in SUPPORTED_SCHEMES or not (parts.netloc or parts.scheme == "file"):
            raise SpiderArgumentError(f"unsupported URL {u!r}: use http://, https:// or file:// URLs")
    return list(dict.fromkeys(urls))


class ArticleSpiderAdHoc(ArticleSpider):
    """Fetch the article pages you name and export one article each.

    Arguments:
        url: one URL, or several separated by commas (http://, https:// or file://).
        urls_file: a text file with one URL a line (blank lines and # comments ignored).

    Example: ``scrapy crawl article -a url=file:///path/page.html -O out.jsonl``
    """

    name = "article"
    # Every URL named is one the user asked for: keep byte-identical bodies under different addresses.
    custom_settings = {"GOVNEWS_DEDUP_CONTENT": False}  # noqa: RUF012 (Scrapy's convention)

    def __init__(self, url: str | None = None, urls_file: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = parse_url_list(url, urls_file)

    def local_targets(self) -> Iterable[str]:
        return self.start_urls

    async def start(self) -> Any:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        for url in self.start_urls:
            # A missing local file will not appear on a retry.
            meta = {"dont_retry": True} if url.startswith("file:") else {}
            yield scrapy.Request(url, callback=self.parse, errback=self.count_failure, meta=meta)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Article]:
        """A page of a registry site gets that site's selectors, name, region and URL aliases."""
        yield from self.parse_article(response, site=site_for_url(response.url))
