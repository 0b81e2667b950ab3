"""Incremental fetching: skip what is known, ask servers whether the rest changed, count every page.

``IncrementalSpiderMiddleware`` sits between list pages and the article requests they yield:

- an article link whose id the state store knows, and that was fetched less than
  ``GOVNEWS_RECHECK_DAYS`` ago, is not requested at all (``govnews/state/skipped_known/<site>``);
- a known article that is due for a recheck is requested with its ETag / Last-Modified
  (``govnews/state/rechecked/<site>``);
- when a list page links only to articles skipped as known, and the last run that walked its list chain
  (the "column": the pages from one start URL, tracked by ``govnews.incremental.column_key``) walked all of
  it with no list or article page failing, the next list pages are not requested
  (``govnews/state/stopped_paging/<site>``): lists are newest first, so nothing new lies further on.
  After an interrupted or limited run, a run in which a page of the column failed, or for a column never
  walked before, the whole column is walked again. Every request leaving a list page carries its column
  (``request.meta["govnews_column"]``), so a failure is charged to the column it belongs to;
- an article link that answered HTTP 404/410 on ``GOVNEWS_GONE_AFTER_RUNS`` runs in a row is gone
  (``govnews.incremental.note_failed_page``): it is not requested until ``GOVNEWS_RECHECK_DAYS`` after its
  last 404/410 (``govnews/state/skipped_gone/<site>``) and counts as known for the paging rule above.

It also counts the pages each site's callbacks receive, by kind: ``govnews/pages/<site>/list`` and
``govnews/pages/<site>/article`` (robots.txt never reaches a callback, so it is not counted).

``ConditionalRequestMiddleware`` (downloader) sends ``If-None-Match`` / ``If-Modified-Since`` for
rechecks, turns a 304 into ``NotModified`` (the article is marked checked, nothing is parsed,
``govnews/state/not_modified/<site>``), and remembers the validators of every page it sees so the
pipeline can store them with the article.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

#: Callbacks by what they receive. Spiders may override with ``article_callbacks`` / ``list_callbacks``.
ARTICLE_CALLBACKS = frozenset({"parse_article", "parse_site_article", "parse_continuation", "parse"})
LIST_CALLBACKS = frozenset({"parse_list", "parse_sitemap", "parse_feed"})
KNOWN_META_KEY = "govnews_known"


class NotModified(IgnoreRequest):
    """A conditional request was answered 304: the article is unchanged and there is nothing to parse.
    Errbacks recognise it and do not count it as a failure."""


def _callback_name(request: Request | None) -> str:
    callback = request.callback if request is not None else None
    return getattr(callback, "__name__", "") if callback is not None else "parse"


def page_kind(spider: Spider, request: Request | None) -> str:
    name = _callback_name(request)
    if name in getattr(spider, "list_callbacks", LIST_CALLBACKS):
        return "list"
    if name in getattr(spider, "article_callbacks", ARTICLE_CALLBACKS):
        return "article"
    return "other"


def site_key(spider: Spider, url: str) -> str:
    """The ``site`` value articles of ``url`` get: the spider's registry key, else the host name."""
    site = getattr(spider, "site", None)
    if site is not None and getattr(site, "key", None):
        return str(site.key)
    from govnews.sites.registry import site_for_url

    found = site_for_url(url)
    return found.key if found else (urlsplit(url).hostname or "local")


class IncrementalSpiderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalSpiderMiddleware:
        return cls(crawler)

    def process_spider_input(self, response: Response, spider: Spider | None = None) -> None:
        spider = spider or self.crawler.spider
        kind = page_kind(spider, response.request)
        if kind != "other" and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"govnews/pages/{site_key(spider, response.url)}/{kind}")

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider: Spider | None = None) -> Iterator[Any]:
        page = _ListPage(self, response, spider or self.crawler.spider)
        if page.active:
            result = page.prefetch(list(result))
        for obj in result:
            if page.keep(obj):
                yield obj

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider: Spider | None = None) -> AsyncIterator[Any]:
        page = _ListPage(self, response, spider or self.crawler.spider)
        if page.active:
            for obj in page.prefetch([obj async for obj in result]):
                if page.keep(obj):
                    yield obj
            return
        async for obj in result:
            if page.keep(obj):
                yield obj


class _ListPage:
    """What one list page led to so far, to decide about its pagination requests."""

    def __init__(self, mw: IncrementalSpiderMiddleware, response: Response, spider: Spider) -> None:
        from govnews.incremental import COLUMN_META_KEY, column_key, column_start, runtime_for

        self.runtime = runtime_for(mw.crawler)
        self.stats = mw.crawler.stats
        self.spider = spider
        self.active = self.runtime is not None and page_kind(spider, response.request) == "list"
        self.site = site_key(spider, response.url)
        self.meta_key = COLUMN_META_KEY
        self.start = column_start(spider, response.request) if self.active and response.request else None
        self.column = column_key(site_key(spider, self.start), self.start) if self.start else None
        if self.column is not None:
            assert self.runtime is not None
            self.runtime.was_complete(self.column)  # read this column's mark before this run changes it
        self.skipped = 0
        self.wanted = 0
        self.known: dict[str, Any] | None = None  # id -> state of the page's article links, read at once
        self.missing: dict[str, Any] = {}  # id -> MissingLink of those links that answered 404/410 before

    def prefetch(self, objs: list[Any]) -> list[Any]:
        """Read the state of every article the page links to in one store lookup (a list page links to
        dozens: one round trip each to a shared Redis store would cost more than the page)."""
        id_for = getattr(self.spider, "article_id_for", None)
        if id_for is not None and self.runtime is not None:
            ids = [id_for(o.url) for o in objs if isinstance(o, Request) and page_kind(self.spider, o) == "article"]
            self.known = self.runtime.store.get_many(ids)
            self.missing = self.runtime.store.missing_links(ids)
        return objs

    def keep(self, obj: Any) -> bool:
        if not self.active or not isinstance(obj, Request):
            return True
        if self.column is not None:
            obj.meta.setdefault(self.meta_key, self.start)
        kind = page_kind(self.spider, obj)
        if kind == "article":
            return self._article(obj)
        if kind == "list" and self.skipped and not self.wanted:
            assert self.runtime is not None
            if self.column is not None and self.runtime.was_complete(self.column):
                self._inc("stopped_paging")
                return False
        return True

    def _article(self, request: Request) -> bool:
        assert self.runtime is not None
        id_for = getattr(self.spider, "article_id_for", None)
        if id_for is None:
            self.wanted += 1
            return True
        from govnews.incremental import LINK_META_KEY

        article_id = id_for(request.url)
        state = self.known.get(article_id) if self.known is not None else self.runtime.store.get(article_id)
        if state is not None and not self.runtime.due(state.checked_at):
            self.skipped += 1
            self._inc("skipped_known")
            return False
        # Not known, or known and due for a recheck: unless it is gone (an article taken down answers a
        # recheck with 404 as a link never published does), it is fetched.
        link = {"id": article_id, "url": request.url, "site": self.site}
        missing = (self.missing if self.known is not None else self.runtime.store.missing_links([article_id])
                   ).get(article_id)
        if missing is not None:
            link["missing"] = True
            if self.runtime.is_gone(missing) and not self.runtime.due(missing.missed_at):
                self.skipped += 1  # gone: as good as known for the column's paging
                self._inc("skipped_gone")
                return False
        request.meta[LINK_META_KEY] = link
        self.wanted += 1
        if state is not None:
            self._inc("rechecked")
            request.meta[KNOWN_META_KEY] = {"id": article_id, "etag": state.etag,
                                            "last_modified": state.last_modified, "site": self.site}
        return True

    def _inc(self, what: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"govnews/state/{what}/{self.site}")


class ConditionalRequestMiddleware:
    """Downloader middleware; placed before ``MirrorMiddleware`` so it sees real addresses."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        known = request.meta.get(KNOWN_META_KEY)
        if not known or urlsplit(request.url).scheme not in ("http", "https"):
            return
        if known.get("etag"):
            request.headers.setdefault("If-None-Match", known["etag"])
        if known.get("last_modified"):
            request.headers.setdefault("If-Modified-Since", known["last_modified"])

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        from govnews.incremental import GONE_STATUSES, LINK_META_KEY, runtime_for

        runtime = runtime_for(self.crawler)
        if runtime is None:
            return response
        link = request.meta.get(LINK_META_KEY)
        if link and link.get("missing") and _page_answers(response.status, GONE_STATUSES):
            runtime.store.clear_missing(link["id"])  # it answers again: its series of 404/410 is broken
            link["missing"] = False
        known = request.meta.get(KNOWN_META_KEY)
        if response.status == 304 and known:
            runtime.store.touch(known["id"], time.time())
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(f"govnews/state/not_modified/{known.get('site', 'unknown')}")
            raise NotModified(f"not modified since last fetch: {request.url}")
        if response.status == 200:
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            runtime.remember_validators(response.url, etag.decode("latin-1") if etag else None,
                                        modified.decode("latin-1") if modified else None)
        return response


def _page_answers(status: int, gone: frozenset[int]) -> bool:
    """Whether a response says the page is there (or that the server could not tell: a 5xx breaks a series
    of 404/410 too). A redirect says nothing yet: what its target answers counts."""
    return status == 304 or (status not in gone and not 300 <= status < 400)
