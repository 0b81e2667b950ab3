"""Downloader middlewares that keep a crawl on its sites and its responses whole.

``SafetyMiddleware`` replaces Scrapy's ``OffsiteMiddleware`` (same slot, 50, and the same hooks: it
judges every request when it is scheduled and again before it is downloaded, so start requests,
links, pagination, redirects, meta refreshes and retries are all checked). On top of Scrapy's
host rule it applies the whole ``govnews.safety.UrlPolicy``: schemes, local files the user did not
name, credentials, bad ports, over-long URLs; and, unlike Scrapy's, ``dont_filter`` does not let a
request leave the site (it means "do not de-duplicate", and retries set it). A request that carries
the registry site it belongs to (``meta["govnews_site"]``, set by the ``fleet`` spider, which crawls
many sites in one process) is held to that site's domains alone (``spider.allowed_domains_of(key)``),
exactly as the site's own spider would hold it, so a redirect of site A to site B is refused. Each
refusal is counted as ``govnews/refused/<reason>`` and, for the site whose page led to it, as
``govnews/failed_by_site/<site>/refused_<reason>`` (the site's ``failed:`` line).

``ResponseIntegrityMiddleware`` sits before decompression and redirect handling (610) and fails, with
a reason the errback counts, what Scrapy would pass on silently: a compressed body whose stream
stops short (retried first, like any data loss), a close-delimited HTML page cut before its end, a
body that is not in the compression its header names, a redirect back into its own chain, and a
redirect to a non-web scheme.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import zlib
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import HtmlResponse, Response
from w3lib.url import canonicalize_url, safe_url_string

from govnews.faults import (
    FETCH_FAILED,
    REFUSED_PREFIX,
    BadContentEncoding,
    RedirectLoop,
    RefusedRequest,
    TooManyRedirects,
    TooManyTags,
    TruncatedResponse,
)
from govnews.middlewares.incremental import site_key
from govnews.middlewares.mirror import original_url
from govnews.safety import REASONS, WEB_SCHEMES, UrlPolicy, file_root, local_file_problem, normalize_domain

logger = logging.getLogger(__name__)

ROBOTS_TXT_MAXSIZE = 512 * 1024  # Google reads at most 500 KiB of a robots.txt
#: ``request.meta`` key naming the registry site a request belongs to (the ``fleet`` spider sets it).
SITE_META = "govnews_site"


class SafetyMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, widened to the whole URL policy. Settings: ``URLLENGTH_LIMIT``,
    ``DOWNLOAD_MAXSIZE`` (for named local files), ``GOVNEWS_MIRROR``, ``GOVNEWS_ROBOTSTXT_MAXSIZE``."""

    def __init__(self, stats: Any, max_url_length: int = 2083, max_file_bytes: int = 0, mirror: str = "",
                 robots_maxsize: int = ROBOTS_TXT_MAXSIZE) -> None:
        super().__init__(stats)
        self.max_url_length = max_url_length
        self.max_file_bytes = max_file_bytes
        self.mirror = mirror.rstrip("/") + "/" if mirror else ""
        self.robots_maxsize = robots_maxsize
        self.policy = UrlPolicy(strict=False, max_url_length=max_url_length)
        self.site_policies: dict[str, UrlPolicy] = {}
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SafetyMiddleware:
        s = crawler.settings
        o = cls(crawler.stats, s.getint("URLLENGTH_LIMIT", 2083), s.getint("DOWNLOAD_MAXSIZE", 0),
                s.get("GOVNEWS_MIRROR", ""), s.getint("GOVNEWS_ROBOTSTXT_MAXSIZE", ROBOTS_TXT_MAXSIZE))
        crawler.signals.connect(o.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(o.request_scheduled, signal=signals.request_scheduled)
        o.crawler = crawler
        return o

    def spider_opened(self, spider: Spider) -> None:
        super().spider_opened(spider)
        self.policy = policy_for(spider, self.max_url_length, self.mirror)
        self.site_policies = {}

    def should_follow(self, request: Request, spider: Spider) -> bool:
        return self.refusal(request) is None

    def policy_of(self, request: Request) -> UrlPolicy:
        """The spider's policy, narrowed to the domains of the site the request belongs to when it names
        one and the spider knows each site's domains (``allowed_domains_of``): the fleet spider may fetch
        from every registry site, but each request only from its own site's."""
        key = request.meta.get(SITE_META)
        domains_of = getattr(self.crawler.spider, "allowed_domains_of", None)
        if not key or domains_of is None:
            return self.policy
        policy = self.site_policies.get(key)
        if policy is None:
            domains = tuple(dict.fromkeys(normalize_domain(d) for d in domains_of(key) if d))
            # strict: a key no site answers to (a request queued before the registry changed) goes nowhere
            policy = dataclasses.replace(self.policy, allowed_domains=domains, strict=True)
            self.site_policies[key] = policy
        return policy

    def refusal(self, request: Request) -> str | None:
        policy = self.policy_of(request)
        reason = policy.refusal(request.url)
        if reason is None and self.mirror.startswith("http") and request.url.startswith(self.mirror):
            # A mirror download stands for a real address: judge that one. The mirror's own redirects
            # (``Location: /www.other.gov.cn/...``) would otherwise reach any host the mirror holds.
            real = original_url(request.url, self.mirror, request.meta.get("govnews_mirror_scheme", "http"))
            reason = policy.refusal(real) if real else None
        if reason is None and request.url.startswith("file:"):
            reason = local_file_problem(request.url, self.max_file_bytes)
        return reason

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        chain = request.meta.get("redirect_urls")
        if chain and canonicalize_url(request.url) in {canonicalize_url(u) for u in chain}:
            # a meta refresh back into its own chain (3xx loops fail earlier, in ResponseIntegrityMiddleware):
            # the dupefilter would drop it without a word
            self.stats.inc_value(FETCH_FAILED)
            self.stats.inc_value(f"{FETCH_FAILED}/redirect_loop")
            logger.warning("Fetch failed (redirect_loop: the redirects lead back to an address already visited): %s",
                           chain[-1])
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, request.url])}")
        reason = self.refusal(request)
        if reason is None:
            if request.meta.get("dont_obey_robotstxt") and urlsplit(request.url).path == "/robots.txt":
                request.meta.setdefault("download_maxsize", self.robots_maxsize)
            return
        count_refusal(self.stats, reason, request.url, self._logged, request_site(self.crawler.spider, request))
        if reason == "offsite":
            self.stats.inc_value("offsite/filtered")  # Scrapy's own key, kept for familiar dashboards
        raise RefusedRequest(reason, request.url)


def policy_for(spider: Spider, max_url_length: int, mirror: str = "") -> UrlPolicy:
    """The policy of one spider: its ``allowed_domains``, the local files it names (``file_roots()``),
    and the mirror. govnews spiders (``strict_offsite``) allow no host they do not name."""
    roots = list(spider.file_roots()) if hasattr(spider, "file_roots") else []
    prefixes = []
    if mirror.startswith("file:"):
        roots.append(file_root(mirror, tree=True))  # judged as a path: %2e%2e cannot climb out of it
    elif mirror:
        prefixes.append(mirror)
    return UrlPolicy.build(list(getattr(spider, "allowed_domains", None) or []), roots, prefixes,
                           max_url_length, strict=bool(getattr(spider, "strict_offsite", False)))


def request_site(spider: Spider | None, request: Request) -> str:
    """The site a request belongs to, for its per-site counts: the one it carries (fleet), else the spider's
    site, else the registry site (or host) of the address the chain started from, not of where a redirect
    pointed."""
    key = request.meta.get(SITE_META)
    if key:
        return str(key)
    origin = (request.meta.get("redirect_urls") or [request.url])[0]
    return site_key(spider, origin) if spider is not None else (urlsplit(origin).hostname or "local")


def count_refusal(stats: Any, reason: str, url: str, logged: set[tuple[str, str]] | None = None,
                  site: str | None = None) -> None:
    """``govnews/refused/<reason>`` (and ``govnews/failed_by_site/<site>/refused_<reason>`` for the site whose
    page led there), logged at INFO once per reason and host (DEBUG afterwards)."""
    stats.inc_value(REFUSED_PREFIX + reason)
    if site:
        stats.inc_value(f"govnews/failed_by_site/{site}/refused_{reason}")
    key = (reason, urlsplit(url).hostname or urlsplit(url).scheme)
    first = logged is None or key not in logged
    if logged is not None:
        logged.add(key)
    logger.log(logging.INFO if first else logging.DEBUG, "Refused (%s: %s): %s", reason,
               REASONS.get(reason, reason), url[:300])


_END_OF_HTML = re.compile(rb"</(?:html|body)\s*>", re.IGNORECASE)
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


class ResponseIntegrityMiddleware:
    """Truncated and mislabelled bodies, redirect loops; settings ``REDIRECT_MAX_TIMES``,
    ``DOWNLOAD_MAXSIZE`` (decompression work is bounded by it)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.max_redirects = crawler.settings.getint("REDIRECT_MAX_TIMES", 20)
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE", 0)
        self._logged: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResponseIntegrityMiddleware:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Any:
        if response.status in _REDIRECTS and b"Location" in response.headers:
            self.check_redirect(request, response)
            return response
        problem = body_problem(response, request.meta.get("download_maxsize", self.max_size))
        if problem is None:
            return response
        if problem == "corrupt":
            raise BadContentEncoding(f"Content-Encoding {response.headers.get('Content-Encoding')!r} "
                                     f"does not match the body of {response.url}")
        if not request.meta.get("dont_retry"):
            retry = get_retry_request(request, spider=self.crawler.spider, reason="truncated_body")
            if retry is not None:
                return retry
        raise TruncatedResponse(f"{problem} body: {response.url}")

    def check_redirect(self, request: Request, response: Response) -> None:
        if request.meta.get("dont_redirect") or request.meta.get("handle_httpstatus_all"):
            return
        if response.status in request.meta.get("handle_httpstatus_list", ()):
            return
        target = urljoin(request.url, safe_url_string(response.headers[b"Location"]))
        scheme = urlsplit(target).scheme
        if scheme not in WEB_SCHEMES:
            reason = "file_not_named" if scheme == "file" else "scheme"
            count_refusal(self.crawler.stats, reason, target, self._logged,
                          request_site(self.crawler.spider, request))
            raise RefusedRequest(reason, target)
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if canonicalize_url(target) in {canonicalize_url(u) for u in chain}:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, target])}")
        if request.meta.get("redirect_times", 0) + 1 > self.max_redirects:
            raise TooManyRedirects(f"more than {self.max_redirects} redirects from {chain[0]}")


class PageComplexityMiddleware:
    """After decompression (585): an HTML page with more than ``GOVNEWS_MAX_HTML_TAGS`` tags fails as
    ``too_many_tags`` before any parsing. Extraction time grows with the number of elements (50,000 take
    about 1.5 s, 800,000 -- an 8 MB page of ``<p>`` -- 23-36 s, all of it on the event loop, while
    other downloads time out); the heaviest real article pages have about 6,500 tags."""

    def __init__(self, max_tags: int) -> None:
        self.max_tags = max_tags

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PageComplexityMiddleware:
        return cls(crawler.settings.getint("GOVNEWS_MAX_HTML_TAGS", 50_000))

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if self.max_tags and isinstance(response, HtmlResponse):
            tags = response.body.count(b"<")
            if tags > self.max_tags:
                raise TooManyTags(f"{tags} tags, more than GOVNEWS_MAX_HTML_TAGS={self.max_tags}: {response.url}")
        return response


def body_problem(response: Response, max_size: int = 0) -> str | None:
    """``truncated`` or ``corrupt`` for a body that cannot be the whole response, else None.

    A compressed body must hold a complete stream (gzip, deflate, br, zstd; decompressed in chunks, output
    discarded, work bounded by ``max_size``). An uncompressed HTML body that ended when the connection
    closed (no Content-Length, not chunked: Scrapy flags it ``partial``) must reach ``</body>`` or
    ``</html>``; anything else lost its end in transit.
    """
    encodings = [e.strip().lower() for h in response.headers.getlist(b"Content-Encoding") for e in h.split(b",")]
    encodings = [e for e in encodings if e and e != b"identity"]
    if encodings and response.body:
        return _stream_problem(response.body, encodings[-1], max_size)
    if "partial" in response.flags and b"html" in response.headers.get(b"Content-Type", b"").lower():
        return None if _END_OF_HTML.search(response.body) else "truncated"
    return None


def _stream_problem(body: bytes, encoding: bytes, max_size: int) -> str | None:
    if encoding in (b"gzip", b"x-gzip"):
        return _zlib_problem(body, 16 + zlib.MAX_WBITS, max_size)
    if encoding == b"deflate":  # zlib-wrapped, or raw deflate as some servers send
        wrapped = _zlib_problem(body, zlib.MAX_WBITS, max_size)
        return wrapped if wrapped != "corrupt" else _zlib_problem(body, -zlib.MAX_WBITS, max_size)
    if encoding == b"br":
        return _brotli_problem(body, max_size)
    if encoding == b"zstd":
        return _zstd_problem(body, max_size)
    return None  # unknown encodings: HttpCompressionMiddleware leaves them encoded


def _zlib_problem(body: bytes, wbits: int, max_size: int) -> str | None:
    decompressor = zlib.decompressobj(wbits)
    produced, data = 0, body
    try:
        while True:
            produced += len(decompressor.decompress(data, _CHUNK))
            if max_size and produced > max_size:
                return None  # a bomb: HttpCompressionMiddleware refuses it as too large
            if decompressor.eof:
                tail = decompressor.unused_data
                if wbits > 16 and tail[:2] == b"\x1f\x8b":  # another gzip member follows
                    decompressor, data = zlib.decompressobj(wbits), tail
                    continue
                return None
            data = decompressor.unconsumed_tail
            if not data:
                return "truncated"
    except zlib.error:
        return "corrupt" if produced == 0 else "truncated"


def _zstd_problem(body: bytes, max_size: int) -> str | None:
    try:
        from compression import zstd  # type: ignore[import-not-found]  # Python 3.14
    except ImportError:
        from backports import zstd  # Scrapy's dependency before 3.14
    decompressor = zstd.ZstdDecompressor()
    produced, data = 0, body
    try:
        while not decompressor.eof:
            chunk = decompressor.decompress(data, max_length=_CHUNK)
            data = b""
            produced += len(chunk)
            if max_size and produced > max_size:
                return None
            if not chunk and decompressor.needs_input:
                return "truncated"
    except zstd.ZstdError:
        return "corrupt" if produced == 0 else "truncated"
    return None


def _brotli_problem(body: bytes, max_size: int) -> str | None:
    try:
        import brotli
    except ImportError:  # pragma: no cover - Scrapy depends on brotli or brotlicffi
        return None
    decompressor = brotli.Decompressor()
    try:
        produced = len(decompressor.process(body, output_buffer_limit=_CHUNK))
        while not decompressor.is_finished():
            chunk = decompressor.process(b"", output_buffer_limit=_CHUNK)
            produced += len(chunk)
            if not chunk:
                return "truncated"
            if max_size and produced > max_size:
                return None
    except brotli.error:
        return "corrupt"
    return None

