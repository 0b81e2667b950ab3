"""What every article-producing spider shares: page -> raw ``Article`` item.

Spiders decide what to fetch; this base turns a fetched article page into an item by calling the
extraction library, and leaves cleaning, validation and de-duplication to the item pipelines.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.python.failure import Failure

from govnews.faults import record_failure
from govnews.incremental import note_failed_page
from govnews.items import Article
from govnews.middlewares.encoding import ENCODING_META_KEY
from govnews.middlewares.incremental import NotModified, site_key
from govnews.pages import PageJob, PageResult, canonical_for, empty_fields, process_page
from govnews.safety import FileRoot, file_root
from govnews.urls import article_id, relative_file_url
from govnews.workers import WorkerError, WorkerLost, workers_for

if TYPE_CHECKING:
    from govnews.extract import Extracted
    from govnews.sites.registry import Site

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def owning_site(url: str, site: Site | None) -> Site | None:
    """The registry entry an article's fields come from: the one its address belongs to. A registry site's
    domain may hold another registry site (sxxz.gov.cn holds klx.sxxz.gov.cn), so a page reached from one
    can be the other's; its key, name, region, selectors and aliases are then the other's. Sites the user
    described (govsite, article pages outside the registry) are kept as given."""
    from govnews.sites.registry import SITES, site_for_url

    if site is None or SITES.get(site.key) is not site:
        return site
    owner = site_for_url(url)
    return owner if owner is not None else site


class SpiderArgumentError(ValueError):
    """A spider argument is wrong; the message says what to fix. ``scrapy crawl`` shows it as one line
    (``govnews.commands.crawl``)."""


def is_local(url: str) -> bool:
    """file:// and loopback targets: no server to be polite to."""
    parts = urlsplit(url)
    return parts.scheme == "file" or (parts.hostname or "") in LOCAL_HOSTS


class ArticleSpider(scrapy.Spider):
    """Base of all govnews spiders. Subclasses yield requests with ``callback=self.parse_article``."""

    #: Set by site spiders; None for ad hoc crawls (the host then names the site).
    site: Site | None = None
    #: Hosts this crawl may fetch from (and their subdomains); set by each spider from what it was given.
    #: ``govnews.middlewares.safety`` refuses every other host, and with ``strict_offsite`` an empty list
    #: allows no host at all (Scrapy's own rule would allow every host).
    allowed_domains: list[str] = []  # noqa: RUF012 (Scrapy's convention)
    strict_offsite = True
    #: Folder that file:// pages are identified relative to (see ``stable_address``).
    id_root: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Subclasses take their own arguments by name; whatever reaches here is a typo such as
        # max_page=1, which would otherwise crawl the whole site. Names starting with _ are left
        # to schedulers (scrapyd passes _job).
        unknown = sorted(k for k in kwargs if not k.startswith("_"))
        if unknown:
            accepted = ", ".join(self.accepted_arguments()) or "none"
            raise SpiderArgumentError(f"unknown argument {unknown[0]}; {self.name} takes: {accepted}")
        super().__init__(*args, **kwargs)

    @classmethod
    def accepted_arguments(cls) -> list[str]:
        """The ``-a`` arguments this spider's ``__init__`` methods name."""
        names: list[str] = []
        for klass in cls.__mro__:
            init = klass.__dict__.get("__init__")
            if init is None or klass in (ArticleSpider, scrapy.Spider, object):
                continue
            for param in inspect.signature(init).parameters.values():
                if param.kind is param.POSITIONAL_OR_KEYWORD and param.name != "self" and param.name not in names:
                    names.append(param.name)
        return names

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        default_feed = settings.get("GOVNEWS_DEFAULT_FEED")
        if default_feed and not settings.getdict("FEEDS"):
            feed = {"format": "jsonlines", "encoding": "utf-8"}
            settings.set("FEEDS", {default_feed: feed}, priority="spider")

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> ArticleSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        mirror = crawler.settings.get("GOVNEWS_MIRROR", "")
        spider.id_root = crawler.settings.get("GOVNEWS_FILE_ROOT") or spider.default_id_root()
        targets = [mirror] if mirror else list(spider.local_targets())
        if targets and all(is_local(url) for url in targets):
            # Delays protect remote servers; for local files and test servers they only waste time.
            crawler.settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            crawler.settings.set("AUTOTHROTTLE_ENABLED", False, priority="spider")
        return spider

    def default_id_root(self) -> str | None:
        """The folder ``file://`` pages are named below when ``GOVNEWS_FILE_ROOT`` is empty: none, so a
        page is named by its own absolute path. (Deriving it from the pages named, as before, gave one
        file another id whenever a run named a file elsewhere, and the store exported it again.)"""
        return None

    def local_targets(self) -> Iterable[str]:
        """The URLs this spider starts from, to decide whether politeness delays apply."""
        return getattr(self, "start_urls", [])

    def file_roots(self) -> list[FileRoot | None]:
        """Local paths this crawl may read: the folder of each ``file://`` start page, since spiders that
        follow links stay inside it (the ``article`` spider narrows this to the files named)."""
        return [file_root(url, tree=True) for url in self.local_targets() if url.startswith("file:")]

    async def parse_article(self, response: Response, site: Site | None = None) -> AsyncIterator[Article]:
        """An article page -> its ``Article``: ``govnews.pages.process_page``, in a worker process of the
        crawl's pool (``govnews.workers``) or, without one, here. A page that cannot be made into an
        article costs that article, counted (``govnews/dropped/<reason>``), never the crawl."""
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("govnews/dropped/not_html")
            self.logger.info("Dropped not_html: %s", response.url)
            return
        site = owning_site(response.url, site or self.site)
        job = self.page_job(response, site)
        workers = workers_for(self.crawler)
        try:
            if workers is None or not workers.active:
                result = process_page(job)
            else:
                result = await maybe_deferred_to_future(workers.run("process_page", job))
        except WorkerLost as exc:  # logged by the pool with the page it was working on
            self.crawler.stats.inc_value(f"govnews/dropped/{exc.reason}")
            self.crawler.stats.inc_value(f"govnews/dropped_by_site/{job.site}/{exc.reason}")
            return
        except WorkerError as exc:  # process_page itself failed: as an extraction error
            result = PageResult(error=exc.traceback)
        if result.error is not None or result.article is None:
            self.crawler.stats.inc_value("govnews/dropped/extract_error")
            self.logger.error("Dropped extract_error: %s\n%s", response.url, (result.error or "").rstrip())
            return
        for key, value in result.counts:
            self.crawler.stats.inc_value(key, value)
        yield result.article

    def page_job(self, response: TextResponse, site: Site | None) -> PageJob:
        """What ``process_page`` needs of this page, this site and this crawl."""
        workers = workers_for(self.crawler)
        stages, threshold = workers.plan() if workers is not None else ([], None)
        return PageJob(
            url=response.url,
            html=response.text,
            site=site.key if site else (urlsplit(response.url).hostname or "local"),
            site_name=site.name if site else None,
            region=site.region if site and site.region else None,
            aliases=dict(site.aliases) if site and site.aliases else None,
            selectors=dict(site.selectors) if site and site.selectors else None,
            id_root=self.id_root,
            encoding=response.meta.get(ENCODING_META_KEY),
            crawled_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            stages=stages,
            threshold=threshold,
        )

    @staticmethod
    def empty_fields(extracted: Extracted) -> list[str]:
        """The fields a reader expects on every article page that extraction found nothing for."""
        return empty_fields(extracted)

    @staticmethod
    def canonical_for(url: str, declared: str | None, site: Site | None) -> str:
        """Trust a page's declared canonical URL only on the same host and when it names a document:
        CMS templates often point every page's canonical link at the home page."""
        return canonical_for(url, declared, dict(site.aliases) if site and site.aliases else None)

    def stable_address(self, canonical: str) -> str:
        """A file:// page is named by its own absolute path, or by its path below ``id_root``
        (``GOVNEWS_FILE_ROOT``; ``file:articles/a.html``) when it lies below it; other URLs pass through."""
        return relative_file_url(canonical, self.id_root)

    def article_id_for(self, url: str, site: Site | None = None) -> str:
        """The id an article page at ``url`` will get (unless the page declares another canonical URL)."""
        return article_id(self.stable_address(self.canonical_for(url, None, site or self.site)))

    def count_failure(self, failure: Failure) -> None:
        """Errback: a page that could not be fetched is counted by reason (``govnews/fetch_failed/<reason>``)
        and logged in words, never fatal."""
        if failure.check(NotModified):
            return  # a conditional request answered 304: counted by the incremental middleware
        reason = record_failure(self.crawler.stats, failure, self.logger)
        request = getattr(failure, "request", None)
        if reason and request is not None:  # per site too, for a fleet's progress (govnews fleet status)
            self.crawler.stats.inc_value(f"govnews/failed_by_site/{site_key(self, request.url)}/{reason}")
        response = getattr(failure.value, "response", None)  # HttpError: the 404 / 410 / 5xx answer
        note_failed_page(self.crawler, self, request, getattr(response, "status", None))
