"""Scrapy's HTTP/1.1 download handler with a bound on response headers.

``DOWNLOAD_MAXSIZE`` bounds a body, but nothing bounds the header section: Twisted's parser keeps every
header line it is sent, so a server that answers with endless header lines grows the crawler by about
100 MB a second until ``DOWNLOAD_TIMEOUT`` (measured: 1.1 GB peak RSS in two 5-second attempts). This
handler stops reading once the status line and headers pass ``GOVNEWS_MAX_HEADER_BYTES`` (256 KiB, the
order of what browsers accept); the fetch fails as ``too_large``.

It hooks into the parser Scrapy already swaps in (``_LenientHTTPClientParser``); should a Scrapy release
rename those internals, the handler falls back to Scrapy's unchanged behaviour rather than breaking.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler

try:
    from scrapy.core.downloader.handlers.http11 import (
        _LenientHTTP11ClientFactory,
        _LenientHTTP11ClientProtocol,
        _LenientHTTPClientParser,
    )
except ImportError:  # pragma: no cover - a Scrapy version without these internals
    _LenientHTTP11ClientFactory = _LenientHTTP11ClientProtocol = _LenientHTTPClientParser = None

logger = logging.getLogger(__name__)

DEFAULT_MAX_HEADER_BYTES = 256 * 1024


class HeadersTooLarge(Exception):
    """The status line and headers of a response passed ``GOVNEWS_MAX_HEADER_BYTES``."""


class BoundedHTTPDownloadHandler(HTTP11DownloadHandler):
    """``HTTP11DownloadHandler`` whose connections give up on a header section over the limit."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        limit = crawler.settings.getint("GOVNEWS_MAX_HEADER_BYTES", DEFAULT_MAX_HEADER_BYTES)
        if limit and _LenientHTTP11ClientFactory is not None:
            self._pool._factory = _bounded_factory(limit)
        elif limit:  # pragma: no cover
            logger.warning("GOVNEWS_MAX_HEADER_BYTES is not enforced with this Scrapy version")


def _bounded_factory(limit: int) -> type:
    """A connection factory whose parsers count header bytes (classes per limit: the parser's class is
    swapped in per request, so the limit travels as a class attribute)."""

    class BoundedParser(_LenientHTTPClientParser):  # type: ignore[misc, valid-type]
        max_header_bytes = limit

        def lineReceived(self, line: bytes) -> None:
            seen = getattr(self, "_govnews_header_bytes", 0) + len(line) + 2
            self._govnews_header_bytes = seen
            if seen > self.max_header_bytes:
                raise HeadersTooLarge(f"response headers longer than {self.max_header_bytes} bytes "
                                      "(GOVNEWS_MAX_HEADER_BYTES)")
            super().lineReceived(line)

    class BoundedProtocol(_LenientHTTP11ClientProtocol):  # type: ignore[misc, valid-type]
        def request(self, request: Any) -> Any:
            deferred = super().request(request)
            if isinstance(self._parser, _LenientHTTPClientParser):
                self._parser.__class__ = BoundedParser  # no state of its own: same swap Scrapy makes
            return deferred

    class BoundedFactory(_LenientHTTP11ClientFactory):  # type: ignore[misc, valid-type]
        def buildProtocol(self, addr: Any) -> Any:
            return BoundedProtocol(self._quiescentCallback)

    return BoundedFactory
