"""DNS that cannot be turned against the machine the crawler runs on (Scrapy glue).

The URL policy (``govnews.safety``) keeps a crawl on its allowed domains, but a domain is only a name:
an allowed host, or any subdomain a page links to (``intranet.example.gov.cn``), may resolve to a
loopback, private, link-local or otherwise non-public address, and a crawler that follows it reads the
admin pages, cloud metadata (``169.254.169.254``) or unauthenticated services (Redis) of the network it
runs in. ``GuardedResolver`` is Scrapy's caching resolver that refuses such an answer unless the host is
one the user named: the host of one of the spider's start URLs (named on the command line, or a registry
site's own), the ``GOVNEWS_MIRROR`` host, or an address written as an IP literal (it resolves to itself,
and the URL policy allowed it by name). ``GOVNEWS_ALLOW_PRIVATE_ADDRESSES = True`` turns the check off
(a crawl of an intranet portal). A refused lookup fails like an unknown host; ``PrivateAddressMiddleware``
then stops the retries and counts it as ``govnews/refused/private_address``. Behind an HTTP proxy the
proxy resolves names, and this check does not apply.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.resolver import CachingThreadedResolver
from twisted.internet.defer import Deferred
from twisted.internet.error import DNSLookupError

from govnews.faults import RefusedRequest
from govnews.middlewares.safety import count_refusal, request_site
from govnews.safety import is_ip_literal, non_public_address

REASON = "private_address"


class PrivateAddress(DNSLookupError):
    """A host the user did not name resolved to an address that is not on the public internet."""


class GuardedResolver(CachingThreadedResolver):
    """``TWISTED_DNS_RESOLVER``: Scrapy's ``CachingThreadedResolver`` (IPv4, ``DNS_TIMEOUT``, ``DNSCACHE_*``) whose
    answers for hosts nobody named must be public addresses. ``refused`` maps each refused host to the
    address it gave, for the middleware to tell this failure from an unknown host."""

    def __init__(self, reactor: Any, cache_size: int, timeout: float, crawler: Any = None,
                 allow_private: bool = False) -> None:
        super().__init__(reactor, cache_size, timeout)
        self.crawler = crawler
        self.allow_private = allow_private
        self.refused: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        s = crawler.settings
        return cls(reactor, s.getint("DNSCACHE_SIZE") if s.getbool("DNSCACHE_ENABLED") else 0,
                   s.getfloat("DNS_TIMEOUT"), crawler, s.getbool("GOVNEWS_ALLOW_PRIVATE_ADDRESSES"))

    def named_hosts(self) -> set[str]:
        """Hosts the user named: every running crawl's start URLs and mirror. (Scrapy builds the resolver
        with the ``CrawlerProcess``, whose ``crawlers`` are the crawls, not with one crawler.)"""
        crawlers = getattr(self.crawler, "crawlers", None) or ([self.crawler] if self.crawler else [])
        urls: list[str] = []
        for crawler in crawlers:
            urls.append(crawler.settings.get("GOVNEWS_MIRROR") or "")
            spider = getattr(crawler, "spider", None)
            targets = getattr(spider, "local_targets", None)
            urls += list(targets() if callable(targets) else getattr(spider, "start_urls", None) or [])
        return {(urlsplit(u).hostname or "").lower() for u in urls if u} - {""}

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        d = super().getHostByName(name, timeout)
        if self.allow_private or is_ip_literal(name):
            return d
        return d.addCallback(self._check, name)

    def _check(self, address: str, name: str) -> str:
        host = name.lower().rstrip(".")
        if non_public_address(address) and host not in self.named_hosts():
            self.refused[host] = address
            raise PrivateAddress(name, f"resolves to {address}, not a public address")
        return address


class PrivateAddressMiddleware:
    """Downloader middleware, above the retry middleware (its ``process_exception`` runs first): a lookup the
    resolver refused is no transient DNS failure, so it is not retried; counted and logged once per host as
    ``govnews/refused/private_address``, the errback sees a ``RefusedRequest``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler)

    def process_exception(self, request: Request, exception: Exception) -> None:
        from twisted.internet import reactor

        resolver = getattr(reactor, "resolver", None)
        host = (urlsplit(request.url).hostname or "").lower()
        if not isinstance(resolver, GuardedResolver) or host not in resolver.refused:
            return None
        if not isinstance(exception, DNSLookupError) and "DNS lookup failed" not in str(exception):
            return None
        count_refusal(self.crawler.stats, REASON, request.url, self._logged, request_site(self.crawler.spider, request))
        raise RefusedRequest(REASON, f"{request.url} ({host} resolves to {resolver.refused[host]})")
