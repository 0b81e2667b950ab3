"""Whole-site crawls: one spider per registry entry (``scrapy crawl shanxi``) and ``govsite`` for any
standard government site named on the command line.

All of them share ``SiteSpider``: list pages -> article links (``govnews.sites.discovery``) -> article
pages (``ArticleSpider.parse_article``). Each list page logs how many article links it held and
warns when it held none, since that is how a changed template shows itself.

Stats: ``govnews/list_pages/<site>``, ``govnews/list_links/<site>``, ``govnews/articles/<site>``,
``govnews/list_empty/<site>``, ``govnews/list_fallback/<site>``, ``govnews/skipped_old/<site>``,
``govnews/duplicate_links/<site>``, ``govnews/offsite_links/<site>``, plus the extractor's
``govnews/fallback/<site>/<field>``. Links the URL policy refuses are counted where they were found
(``govnews/refused/<reason>``), as are the caps ``govnews/refused/max_list_pages`` (``GOVNEWS_MAX_LIST_PAGES``
list pages per start page) and ``govnews/refused/max_links_per_page`` (``GOVNEWS_MAX_LINKS_PER_PAGE``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date
from functools import cached_property
from typing import Any

import regex
import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from govnews.items import Article
from govnews.middlewares.safety import count_refusal
from govnews.safety import UrlPolicy
from govnews.sites.discovery import (
    ListEntry,
    ListPage,
    article_entries,
    article_request_url,
    continuation_pages,
    dataproxy_url,
    merge_article_pages,
    parse_dataproxy,
    parse_feed,
    parse_list_page,
    parse_sitemap,
)
from govnews.sites.registry import SITES, Site, standard_site
from govnews.urls import canonical_url, split_urls
from spiders.base import ArticleSpider, SpiderArgumentError

#: The sitemap protocol's own limit of URLs in one sitemap file.
SITEMAP_MAX_URLS = 50_000
_ISO_DATE = regex.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_WHOLE_NUMBER = regex.compile(r"^[0-9]+$")


def parse_since(value: str | None) -> date | None:
    """``-a since=YYYY-MM-DD``: the oldest publication date to keep."""
    if value is None or value == "":
        return None
    try:
        if not _ISO_DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise SpiderArgumentError(f"since={value}: not a date; use YYYY-MM-DD, e.g. since=2024-01-31") from None


def parse_limit(argument: str, value: str | None) -> int | None:
    """``-a max_pages=N`` / ``-a max_articles=N``: a whole number of at least 1."""
    if value is None or value == "":
        return None
    if not _WHOLE_NUMBER.match(value.strip()) or int(value) < 1:
        raise SpiderArgumentError(f"{argument}={value}: must be a whole number of at least 1")
    return int(value)


class SiteSpider(ArticleSpider):
    """Crawl every article of ``site``: its list pages, page after page, then each article once.

    Arguments:
        since: YYYY-MM-DD. Skip articles published before it; stop paginating a list once a whole
            page of it is older.
        max_pages: list pages to read per start URL (default: all).
        max_articles: articles to fetch in all (default: all).

    Example: ``scrapy crawl shanxi -a since=2024-01-01 -O shanxi.jsonl``
    """

    site: Site  # set on each generated subclass

    def __init__(self, since: str | None = None, max_pages: str | None = None,
                 max_articles: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.since = parse_since(since)
        self.max_pages = parse_limit("max_pages", max_pages)
        self.max_articles = parse_limit("max_articles", max_articles)
        self.start_urls = list(self.site.start_urls)
        self.allowed_domains = [*self.site.allowed_domains, *(a.partition("/")[0] for a in self.site.aliases)]
        self.seen_articles: set[str] = set()  # canonical URLs requested
        self.sitemaps_read = 0  # child sitemaps requested (capped by GOVNEWS_MAX_LIST_PAGES)
        self.refusals_logged: set[tuple[str, str]] = set()
        self.listed_articles: dict[str, set[str]] = {}  # start URL -> canonical URLs its pages listed

    async def start(self) -> Any:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        if self.site.pagination.kind == "hanweb_dataproxy":
            url = dataproxy_url(self.site, 1)
            yield self.list_request(url, page=1, origin=url, dataproxy=True)
        else:
            for url in self.site.start_urls:
                yield self.list_request(url, page=1, origin=url)
        for url in self.site.sitemaps:
            yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.count_failure)
        for url in self.site.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, errback=self.count_failure)

    def list_request(self, url: str, page: int, origin: str, dataproxy: bool = False) -> scrapy.Request:
        """List page ``page`` of the chain that began at ``origin`` (a start URL)."""
        return scrapy.Request(url, callback=self.parse_list, errback=self.count_failure, priority=-page,
                              cb_kwargs={"page": page, "origin": origin, "dataproxy": dataproxy})

    def parse_list(self, response: Response, page: int, origin: str, dataproxy: bool = False) -> Iterator[Any]:
        """One list page: follow its article links, then the next list page unless a limit says stop."""
        if dataproxy:
            listing = parse_dataproxy(response.body, response.url, self.site)
        elif isinstance(response, TextResponse):
            listing = parse_list_page(response.text, response.url, self.site)
        else:
            listing = ListPage(())
        self.record_list_page(response.url, listing)
        repeats = self.repeats_earlier_pages(listing, origin)
        yield from self.follow_entries(self.capped(listing.entries, response.url, self.max_links_per_page))
        if repeats:
            # e.g. a site that ignores ?page=N and serves page 1 forever
            self.logger.info("List page %s repeats earlier pages; not paginating further", response.url)
        elif listing.next_pages and self.should_paginate(listing, page):
            if page >= self.max_list_pages:
                # distinct pages without end (a calendar, a generated trap): the cap, not the site, stops it
                self.crawler.stats.inc_value("govnews/refused/max_list_pages")
                self.logger.warning("List chain from %s: stopped at GOVNEWS_MAX_LIST_PAGES=%d pages",
                                    origin, self.max_list_pages)
                return
            for url in listing.next_pages:
                yield self.list_request(url, page + 1, origin, dataproxy)

    @property
    def max_list_pages(self) -> int:
        return self.crawler.settings.getint("GOVNEWS_MAX_LIST_PAGES", 1000) or 1 << 62

    @property
    def max_links_per_page(self) -> int:
        return self.crawler.settings.getint("GOVNEWS_MAX_LINKS_PER_PAGE", 1000) or 1 << 62

    @cached_property
    def url_policy(self) -> UrlPolicy:
        """What ``govnews.middlewares.safety`` will allow, to leave refused links out before they are
        requested (and count them where they were found)."""
        return UrlPolicy.build(self.allowed_domains, self.file_roots(),
                               max_url_length=self.crawler.settings.getint("URLLENGTH_LIMIT", 2083))

    def capped(self, entries: tuple[ListEntry, ...], url: str, limit: int) -> tuple[ListEntry, ...]:
        """The first ``limit`` links of one list page; the rest are counted, not followed."""
        if len(entries) <= limit:
            return entries
        self.crawler.stats.inc_value("govnews/refused/max_links_per_page", len(entries) - limit)
        self.logger.warning("List page %s: %d article links, following the first %d (GOVNEWS_MAX_LINKS_PER_PAGE)",
                            url, len(entries), limit)
        return entries[:limit]

    def repeats_earlier_pages(self, listing: ListPage, origin: str) -> bool:
        """Whether every article link of this page was already listed on an earlier page of its chain."""
        urls = {canonical_url(e.url, self.site.aliases) for e in listing.entries}
        listed = self.listed_articles.setdefault(origin, set())
        repeats = bool(urls) and urls <= listed
        listed |= urls
        return repeats

    def record_list_page(self, url: str, listing: ListPage) -> None:
        key, stats = self.site.key, self.crawler.stats
        stats.inc_value(f"govnews/list_pages/{key}")
        stats.inc_value(f"govnews/list_links/{key}", len(listing.entries))
        if listing.bad_links:
            stats.inc_value("govnews/refused/bad_url", listing.bad_links)
        if not listing.entries:
            stats.inc_value(f"govnews/list_empty/{key}")
            self.logger.warning("List page %s: no article links (template changed?)", url)
            return
        if listing.used_fallback:
            stats.inc_value(f"govnews/list_fallback/{key}")
            self.logger.warning("List page %s: list_links selector found nothing; used all links", url)
        self.logger.info("List page %s: %d article links", url, len(listing.entries))

    def should_paginate(self, listing: ListPage, page: int) -> bool:
        if self.max_pages is not None and page >= self.max_pages:
            return False
        if self.max_articles is not None and len(self.seen_articles) >= self.max_articles:
            return False
        dated = [e.date for e in listing.entries if e.date]
        return not (self.since and dated and all(d < self.since for d in dated))

    def follow_entries(self, entries: Iterable[ListEntry]) -> Iterator[scrapy.Request]:
        """Request each new article once, however many addresses it goes by."""
        key, stats = self.site.key, self.crawler.stats
        for entry in entries:
            url = article_request_url(entry.url, self.site)
            if reason := self.url_policy.refusal(url):
                if reason == "offsite":
                    stats.inc_value(f"govnews/offsite_links/{key}")
                count_refusal(stats, reason, url, self.refusals_logged, key)
                continue
            if self.since and entry.date and entry.date < self.since:
                stats.inc_value(f"govnews/skipped_old/{key}")
                continue
            canonical = canonical_url(url, self.site.aliases)
            if canonical in self.seen_articles:
                stats.inc_value(f"govnews/duplicate_links/{key}")
                continue
            if self.max_articles is not None and len(self.seen_articles) >= self.max_articles:
                return
            self.seen_articles.add(canonical)
            yield scrapy.Request(url, callback=self.parse_site_article, errback=self.count_failure)

    async def parse_site_article(self, response: Response) -> AsyncIterator[Any]:
        """An article page; a split article (div#pages) is read to its last page before it is emitted."""
        more = continuation_pages(response.text, response.url) if isinstance(response, TextResponse) else []
        if more:
            yield self.continuation_request(more, first=response, bodies=[])
        else:
            async for article in self.emit_article(response):
                yield article

    def continuation_request(self, urls: list[str], first: Response, bodies: list[str]) -> scrapy.Request:
        return scrapy.Request(urls[0], callback=self.parse_continuation, errback=self.continuation_failed,
                              cb_kwargs={"first": first, "remaining": urls[1:], "bodies": bodies})

    async def parse_continuation(self, response: Response, first: Response, remaining: list[str],
                                 bodies: list[str]) -> AsyncIterator[Any]:
        bodies = [*bodies, response.text]
        if remaining:
            yield self.continuation_request(remaining, first, bodies)
        else:
            async for article in self.emit_article(self.merged(first, bodies)):
                yield article

    async def continuation_failed(self, failure: Failure) -> AsyncIterator[Article]:
        """A lost continuation page costs that page's paragraphs, not the article."""
        self.count_failure(failure)
        kwargs = failure.request.cb_kwargs
        async for article in self.emit_article(self.merged(kwargs["first"], kwargs["bodies"])):
            yield article

    def merged(self, first: Response, bodies: list[str]) -> Response:
        html = merge_article_pages(first.text, bodies, self.site.selectors.get("body")) if bodies else None
        if html is None:
            if bodies:
                self.crawler.stats.inc_value(f"govnews/continuation_unmerged/{self.site.key}")
            return first
        self.crawler.stats.inc_value(f"govnews/continuation_pages/{self.site.key}", len(bodies))
        return first.replace(body=html.encode("utf-8"), encoding="utf-8")

    async def emit_article(self, response: Response) -> AsyncIterator[Article]:
        async for article in self.parse_article(response, site=self.site):
            if self.since and article.published_at and article.published_at[:10] < self.since.isoformat():
                self.crawler.stats.inc_value(f"govnews/skipped_old/{self.site.key}")
                continue
            self.crawler.stats.inc_value(f"govnews/articles/{self.site.key}")
            yield article

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Sitemaps list every page: keep the article URLs, descend into child sitemaps."""
        pages, children = parse_sitemap(response.body)
        bad: list[str] = []
        articles = tuple(article_entries(pages, self.site, bad))
        self.record_list_page(response.url, ListPage(articles, bad_links=len(bad)))
        yield from self.follow_entries(self.capped(articles, response.url, SITEMAP_MAX_URLS))
        for url in children:
            if reason := self.url_policy.refusal(url):
                count_refusal(self.crawler.stats, reason, url, self.refusals_logged, self.site.key)
            elif self.sitemaps_read >= self.max_list_pages:
                self.crawler.stats.inc_value("govnews/refused/max_list_pages")
            else:
                self.sitemaps_read += 1
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.count_failure)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        bad: list[str] = []
        entries = tuple(article_entries(parse_feed(response.body), self.site, bad))
        self.record_list_page(response.url, ListPage(entries, bad_links=len(bad)))
        yield from self.follow_entries(self.capped(entries, response.url, self.max_links_per_page))


def spider_class_for(site: Site) -> type[SiteSpider]:
    """A named spider class for one registry entry, so ``scrapy list`` shows it."""
    class_name = "".join(part.capitalize() for part in site.key.split("_")) + "Spider"
    doc = f"{site.name} ({', '.join(site.allowed_domains)}).\n\n" + (SiteSpider.__doc__ or "")
    return type(class_name, (SiteSpider,), {"name": site.key, "site": site, "__doc__": doc,
                                            "__module__": __name__})


def _register_site_spiders() -> None:
    for site in SITES.values():
        spider = spider_class_for(site)
        globals()[spider.__name__] = spider


_register_site_spiders()


class GovSiteSpider(SiteSpider):
    """Crawl any government site that follows the national conventions, named on the command line.

    Article pages are read through their ``ArticleTitle``/``PubDate``/``ContentSource`` meta tags and
    the generic extractor; list pages through the paging scripts and links the big CMSs (TRS, Hanweb,
    UCAP) print.

    Arguments:
        start_url: list page(s) to start from, separated by commas or spaces (a comma inside a URL is kept),
            or ``-a start_url=`` repeated. Their hosts are the only ones the crawl may fetch from.
        name: the site's name (default: the SiteName meta tag of its pages).
        key: what the ``site`` field says (default: the host name).
        region: ``省/市/县``, e.g. ``山西省/临汾市/襄汾县``; region_code: its 6-digit code, e.g. 141023.
        article_url: regular expression of article URLs (default: TRS, Hanweb and UCAP article URLs).
        list_links: CSS selector of the article links on list pages (default: every matching link).
        sitemap, feed: sitemap.xml or RSS/Atom addresses, separated like start_url.
        hanweb: ``webid,unitid,columnid[,perpage]`` of a Hanweb column (lists load from ``dataproxy.jsp``).
        since, max_pages, max_articles: as for every site spider.

    Example: ``scrapy crawl govsite -a start_url=http://www.xiangfen.gov.cn/zwyw/index.html
    -a name=襄汾县人民政府 -a region=山西省/临汾市/襄汾县 -a region_code=141023 -O xiangfen.jsonl``
    """

    name = "govsite"

    def __init__(self, start_url: str = "", name: str = "", key: str = "", region: str = "",
                 region_code: str = "", article_url: str = "", list_links: str = "", sitemap: str = "",
                 feed: str = "", hanweb: str = "", **kwargs: Any) -> None:
        # ``name`` is the site's name here; the spider keeps its own name, "govsite".
        self.site = standard_site(
            _split_urls(start_url), name=name, key=key, region=region, region_code=region_code,
            article_url=article_url, list_links=list_links, sitemaps=_split_urls(sitemap),
            feeds=_split_urls(feed), hanweb=hanweb)
        super().__init__(**kwargs)


def _split_urls(value: str) -> list[str]:
    return split_urls(value)
