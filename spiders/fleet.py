"""Many registry sites in one crawl: one worker of a distributed crawl, or all of them in one process.

    govnews fleet seed --all                                  # or: govnews fleet seed klx lfxww
    REDIS_URL=redis://:PASSWORD@10.0.0.5:6379/0 scrapy crawl fleet   # on every machine, once or more
    scrapy crawl fleet -a sites=klx,lfxww                     # no Redis: these sites, in this process

A seed is ``{"site": "<registry key>"}`` in the list ``govnews:fleet:start_urls`` (scrapy-redis's
``RedisSpider`` reads it when the worker is idle). Each seed turns into its site's start requests; the
pages are crawled exactly as ``scrapy crawl <site>`` crawls them (``SiteSpider``: one instance per
site, called from this spider's callbacks, which carry the site in ``request.meta["govnews_site"]``, so
every request of the fleet can be queued as JSON and picked up by any worker).

Each request is held to the domains of the site it belongs to, exactly as ``scrapy crawl <site>`` holds
it (``govnews.middlewares.safety``: a list link of one site that redirects to another registry site is
refused as ``offsite``, counted on the linking site's ``failed:`` line), and an article gets the site
fields of the registry entry its address belongs to. A worker waits for seeds
forever unless ``MAX_IDLE_TIME_BEFORE_CLOSE`` (seconds) is set; it never closes while the fleet still
has requests queued or in flight.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from govnews.fleet.connection import fleet_enabled
from govnews.middlewares.safety import SITE_META
from govnews.sites.registry import SITES, Site, site_for_url
from spiders.base import ArticleSpider, SpiderArgumentError
from spiders.sites import SiteSpider, parse_limit, parse_since, spider_class_for

try:
    from scrapy_redis.spiders import RedisMixin
except ImportError:  # without the redis extra the spider still loads (scrapy list), and says what it needs
    class RedisMixin:  # type: ignore[no-redef]
        pass


class FleetSpider(RedisMixin, ArticleSpider):
    """Crawl the registry sites seeded in Redis (``govnews fleet seed``), as one worker of a fleet.

    Arguments:
        sites: registry keys to crawl from the start, separated by commas, or ``all``; without Redis the
            crawl is these sites only, in this process. With Redis, seeds add more.
        since: YYYY-MM-DD. Skip articles published before it (these three apply to every site, as for
            ``scrapy crawl <site>``).
        max_pages: list pages to read per start URL.
        max_articles: articles to fetch per site (per worker).

    Example: ``REDIS_URL=redis://:PASSWORD@10.0.0.5:6379/0 scrapy crawl fleet``
    """

    name = "fleet"

    def __init__(self, sites: str = "", since: str | None = None, max_pages: str | None = None,
                 max_articles: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sites = self.parse_sites(sites)
        parse_since(since)  # a bad argument fails here, before any seed is read
        parse_limit("max_pages", max_pages)
        parse_limit("max_articles", max_articles)
        self.site_args = {k: v for k, v in (("since", since), ("max_pages", max_pages),
                                            ("max_articles", max_articles)) if v not in (None, "")}
        self.delegates: dict[str, SiteSpider] = {}
        # Requests that carry no site (robots.txt) may go to any registry site; every other request only to
        # its own site's domains (allowed_domains_of).
        self.allowed_domains = sorted({d for site in SITES.values()
                                       for d in (*site.allowed_domains, *(a.partition("/")[0] for a in site.aliases))})
        self.spider_idle_start_time = int(time.time())

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> FleetSpider:
        if not hasattr(RedisMixin, "setup_redis"):
            raise SpiderArgumentError("the fleet spider needs the redis extra: pip install 'govnews[redis]'")
        spider = super().from_crawler(crawler, *args, **kwargs)
        assert isinstance(spider, FleetSpider)
        spider.check_settings(crawler.settings)
        return spider

    def check_settings(self, settings: Any) -> None:
        """Without sites named and without Redis there is nothing to crawl (``scrapy crawl`` says so in one
        line, before starting)."""
        if not self.sites and not fleet_enabled(settings):
            raise SpiderArgumentError("name the sites (-a sites=klx,lfxww or -a sites=all), or make this a worker "
                                      "of a fleet: -s REDIS_URL=redis://:PASSWORD@host:6379/0 (README, Distributed "
                                      "crawling)")

    @staticmethod
    def parse_sites(value: str) -> list[str]:
        keys = [k.strip() for k in value.replace(" ", ",").split(",") if k.strip()]
        if keys == ["all"]:
            return list(SITES)
        unknown = [k for k in keys if k not in SITES]
        if unknown:
            raise SpiderArgumentError(f"sites={value}: not in the registry: {', '.join(unknown)} "
                                      f"(known: {', '.join(sorted(SITES))})")
        return keys

    async def start(self) -> AsyncIterator[Any]:
        for key in self.sites:
            for request in self.seed_requests(key):
                yield request
        if fleet_enabled(self.crawler.settings):
            # Here, not in from_crawler: the fleet add-on has set the Redis keys by now.
            self.setup_redis(self.crawler)
            for request in self.next_requests():
                yield request

    # --- seeds ---------------------------------------------------------------------------------------
    def make_request_from_data(self, data: bytes) -> list[Request]:
        """A seed ``{"site": "klx"}`` -> that site's start requests."""
        try:
            seed = json.loads(data)
            key = seed["site"]
            site = SITES[key]
        except (ValueError, KeyError, TypeError):
            self.crawler.stats.inc_value("govnews/fleet/bad_seed")
            self.logger.warning("Ignored a seed that names no registry site: %r", data[:200])
            return []
        self.logger.info("Seed: %s (%s)", site.key, site.name)
        return self.seed_requests(site.key)

    def seed_requests(self, key: str) -> list[Request]:
        self.crawler.stats.inc_value(f"govnews/fleet/seeded/{key}")
        return list(self._rebind(key, self.delegate(key).start_requests()))

    def delegate(self, key: str) -> SiteSpider:
        """The ``SiteSpider`` of one registry site, sharing this crawl (settings, stats, logs)."""
        spider = self.delegates.get(key)
        if spider is None:
            spider = spider_class_for(SITES[key])(**self.site_args)
            spider.crawler = self.crawler
            spider.settings = self.crawler.settings
            self.delegates[key] = spider
        return spider

    def _rebind(self, key: str, output: Iterable[Any] | AsyncIterator[Any] | None) -> Any:
        """The site spider's output, its requests pointed at this spider's callbacks and tagged with the site
        (an asynchronous callback's output stays asynchronous)."""
        if isinstance(output, AsyncIterator):
            return self._rebind_async(key, output)
        return (self._rebound(key, obj) for obj in output or ())

    async def _rebind_async(self, key: str, output: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for obj in output:
            yield self._rebound(key, obj)

    def _rebound(self, key: str, obj: Any) -> Any:
        if isinstance(obj, Request):
            obj.meta[SITE_META] = key
            for attr in ("callback", "errback"):
                method = getattr(obj, attr)
                if method is not None and getattr(method, "__self__", None) is not self:
                    setattr(obj, attr, getattr(self, method.__name__))
        return obj

    def allowed_domains_of(self, key: str) -> list[str]:
        """The domains a request of site ``key`` may go to: those its own spider allows (none for a key the
        registry no longer has)."""
        return list(self.delegate(key).allowed_domains) if key in SITES else []

    def _site(self, meta: dict[str, Any]) -> tuple[str, SiteSpider]:
        key = meta[SITE_META]
        return key, self.delegate(key)

    # --- callbacks: the site spider's, for the site the request carries --------------------------------
    def parse_list(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        key, site = self._site(response.meta)
        return self._rebind(key, site.parse_list(response, **kwargs))

    def parse_site_article(self, response: Response) -> AsyncIterator[Any]:
        key, site = self._site(response.meta)
        return self._rebind(key, site.parse_site_article(response))

    def parse_continuation(self, response: Response, **kwargs: Any) -> AsyncIterator[Any]:
        key, site = self._site(response.meta)
        return self._rebind(key, site.parse_continuation(response, **kwargs))

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        key, site = self._site(response.meta)
        return self._rebind(key, site.parse_sitemap(response))

    def parse_feed(self, response: Response) -> Iterator[Any]:
        key, site = self._site(response.meta)
        return self._rebind(key, site.parse_feed(response))

    def count_failure(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        if request is not None and SITE_META in request.meta:
            self._site(request.meta)[1].count_failure(failure)
        else:
            super().count_failure(failure)

    def continuation_failed(self, failure: Failure) -> AsyncIterator[Any]:
        key, site = self._site(failure.request.meta)
        return self._rebind(key, site.continuation_failed(failure))

    def article_id_for(self, url: str, site: Site | None = None) -> str:
        return super().article_id_for(url, site or site_for_url(url))

    def spider_idle(self) -> None:
        """scrapy-redis's: read more seeds, close after ``MAX_IDLE_TIME_BEFORE_CLOSE`` without any; the
        idle time only counts once the whole fleet has nothing in flight."""
        if getattr(self, "server", None) is None:
            return  # a crawl of named sites without Redis: closes when done, like any crawl
        scheduler = getattr(self.crawler.engine, "scheduler", None)
        busy = getattr(scheduler, "fleet_busy", None)
        if busy is not None and busy():
            self.spider_idle_start_time = int(time.time())
        super().spider_idle()
