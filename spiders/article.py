"""Ad hoc crawling of article pages you name."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.settings import BaseSettings

from govnews.items import Article
from govnews.safety import FileRoot, file_root
from govnews.sites.registry import site_for_url
from govnews.urls import split_urls
from spiders.base import ArticleSpider, SpiderArgumentError

SUPPORTED_SCHEMES = ("http", "https", "file")
#: A comment after a URL in ``urls_file``: `` # note`` (a ``#`` right after the URL is its fragment).
_TRAILING_COMMENT = re.compile(r"(?:^|\s)#.*$")
MAX_URLS_FILE_BYTES = 64 * 1024 * 1024


@dataclass
class NamedUrls:
    """What ``-a url=`` and ``-a urls_file=`` name: the usable URLs, and each bad ``urls_file`` line."""

    urls: list[str]
    problems: list[str] = field(default_factory=list)  # "urls_file=PATH line N: what is wrong"


_SPACE = re.compile(r"\s")
_ANOTHER_URL = re.compile(r"[,;](?:https?|file)://", re.IGNORECASE)


def url_problem(url: str) -> str | None:
    """What is wrong with one named URL, or None."""
    if _SPACE.search(url):
        return f"{url!r} is not one URL (percent-encode spaces as %20; start a comment with ' #')"
    if _ANOTHER_URL.search(url):  # ``URL1,URL2`` on one urls_file line: one a line
        return f"{url!r} is two URLs joined by a comma or semicolon: give one URL a line"
    parts = urlsplit(url)
    if parts.scheme not in SUPPORTED_SCHEMES or not (parts.netloc or parts.scheme == "file"):
        return f"unsupported URL {url!r}: use http://, https:// or file:// URLs"
    return None


def read_named_urls(url: str | None = None, urls_file: str | None = None) -> NamedUrls:
    """The URLs named on the command line. A bad ``-a url=`` value is an error (it was typed just now); a
    bad ``urls_file`` line is reported with its number and left out, so one typo does not cost a list."""
    named = NamedUrls([])
    for u in split_urls(url or ""):
        if problem := url_problem(u):
            raise SpiderArgumentError(problem)
        named.urls.append(u)
    if urls_file:
        for number, line in enumerate(_read_urls_file(urls_file).splitlines(), start=1):
            candidate = _TRAILING_COMMENT.sub("", line).strip()
            if not candidate:
                continue
            if problem := url_problem(candidate):
                named.problems.append(f"urls_file={urls_file} line {number}: {problem}")
            else:
                named.urls.append(candidate)
    if not named.urls:
        reason = named.problems[0] if named.problems else "no URL given"
        raise SpiderArgumentError(f"{reason}: use -a url=URL[,URL...] or -a urls_file=PATH")
    named.urls = list(dict.fromkeys(named.urls))
    return named


def _read_urls_file(urls_file: str) -> str:
    """The file's text; a pipe (``urls_file=<(...)``) works, a device that never ends does not."""
    try:
        with open(urls_file, "rb") as handle:
            data = handle.read(MAX_URLS_FILE_BYTES + 1)
        if len(data) > MAX_URLS_FILE_BYTES:
            raise SpiderArgumentError(f"urls_file={urls_file}: larger than {MAX_URLS_FILE_BYTES >> 20} MiB")
        return data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpiderArgumentError(f"urls_file={urls_file}: cannot read it ({exc.__class__.__name__}: "
                                  f"{getattr(exc, 'strerror', None) or exc})") from None


def parse_url_list(url: str | None = None, urls_file: str | None = None, strict: bool = False) -> list[str]:
    """The URLs named; with ``strict`` the first bad ``urls_file`` line is an error."""
    named = read_named_urls(url, urls_file)
    if strict and named.problems:
        raise SpiderArgumentError(f"{named.problems[0]} (GOVNEWS_URLS_FILE_STRICT is on)")
    return named.urls


def named_domains(urls: list[str]) -> list[str]:
    """The hosts of the URLs named, plus every domain of a registry site among them (a page may redirect
    between a site's domains and old aliases, never elsewhere)."""
    domains: list[str] = []
    for url in urls:
        host = (urlsplit(url).hostname or "").lower()
        if not host:
            continue
        domains.append(host)
        site = site_for_url(url)
        if site is not None:
            domains += [*site.allowed_domains, *(alias.partition("/")[0] for alias in site.aliases)]
    return list(dict.fromkeys(domains))


class ArticleSpiderAdHoc(ArticleSpider):
    """Fetch the article pages you name and export one article each.

    Arguments:
        url: one URL, or several separated by commas or spaces (http://, https:// or file://); a comma
            inside a URL (``?ids=1,2``) is part of it; ``-a url=`` may also be given several times.
        urls_file: a text file with one URL a line (blank lines, # comment lines and `` # note`` after a
            URL ignored). A bad line is logged with its number and skipped (``govnews/input/bad_lines``);
            with ``-s GOVNEWS_URLS_FILE_STRICT=True`` it stops the crawl before anything is fetched.

    Example: ``scrapy crawl article -a url=file:///path/page.html -O out.jsonl``
    """

    name = "article"
    # Every URL named is one the user asked for: keep byte-identical bodies under different addresses.
    custom_settings = {"GOVNEWS_DEDUP_CONTENT": False}  # noqa: RUF012 (Scrapy's convention)

    def __init__(self, url: str | None = None, urls_file: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        named = read_named_urls(url, urls_file)
        self.start_urls, self.input_problems = named.urls, named.problems
        self.allowed_domains = named_domains(self.start_urls)

    def check_settings(self, settings: BaseSettings) -> None:
        """With ``GOVNEWS_URLS_FILE_STRICT`` a bad ``urls_file`` line stops the crawl before it starts."""
        if settings.getbool("GOVNEWS_URLS_FILE_STRICT") and self.input_problems:
            raise SpiderArgumentError(f"{self.input_problems[0]} (GOVNEWS_URLS_FILE_STRICT is on)")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticleSpiderAdHoc:
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, ArticleSpiderAdHoc)
        spider.check_settings(crawler.settings)
        return spider

    def local_targets(self) -> Iterable[str]:
        """The URLs named: those not yet requested, and one of each host already requested (the DNS guard
        asks which hosts were named for as long as the crawl runs; ``start_requests`` lets the rest go)."""
        return [*self.start_urls, *getattr(self, "named_by_host", {}).values()]

    def file_roots(self) -> list[FileRoot | None]:
        """Exactly the files named: a page can never make this spider read another local file."""
        return [file_root(url, tree=False) for url in self.start_urls if url.startswith("file:")]

    async def start(self) -> Any:
        for problem in self.input_problems:
            self.crawler.stats.inc_value("govnews/input/bad_lines")
            self.logger.warning("%s: skipped", problem)
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        # Each URL is let go once its request is made: Scrapy asks for start requests as it has room, so a
        # long urls_file is not held for the whole crawl (the URL policy was built from it at the start).
        named = self.start_urls
        self.named_by_host: dict[str, str] = {}
        for url in named:
            self.named_by_host.setdefault(urlsplit(url).hostname or "", url)
        self.start_urls = pending = deque(named)
        if isinstance(named, list):
            named.clear()  # in place: whatever else took a reference to the list at start-up lets go too
        while pending:
            url = pending.popleft()
            # A missing local file will not appear on a retry.
            meta = {"dont_retry": True} if url.startswith("file:") else {}
            yield scrapy.Request(url, callback=self.parse, errback=self.count_failure, meta=meta)

    async def parse(self, response: Response, **kwargs: Any) -> AsyncIterator[Article]:
        """A page of a registry site gets that site's selectors, name, region and URL aliases."""
        async for article in self.parse_article(response, site=site_for_url(response.url)):
            yield article
