"""Re-decode every HTML response with ``govnews.encoding.decode_html``.

Scrapy trusts the HTTP header first, so GBK bytes served as UTF-8 come out as U+FFFD. This middleware
decides the encoding from the bytes and hands the spider a response whose ``.text`` is right, and counts
how each page was decoded (``govnews/encoding/<method>``, including ``mixed`` and ``lossy``, and
``govnews/encoding/mismatch``).
"""

from __future__ import annotations

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector

from govnews.encoding import decode_html, normalize_charset

ENCODING_META_KEY = "govnews_encoding"


class EncodingMiddleware:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> EncodingMiddleware:
        return cls(crawler.stats)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        header = response.headers.get(b"Content-Type", b"").decode("latin-1")
        http_charset = header.partition("charset=")[2].split(";")[0].strip() or None
        decoded = decode_html(response.body, http_charset)
        self.stats.inc_value(f"govnews/encoding/{decoded.method}")
        self.stats.inc_value(f"govnews/encoding/codec/{decoded.encoding}")
        if decoded.declared and normalize_charset(decoded.declared) not in {decoded.encoding, None}:
            self.stats.inc_value("govnews/encoding/mismatch")
        request.meta[ENCODING_META_KEY] = decoded.describe
        if decoded.method in ("mixed", "lossy"):
            # No single codec reproduces this text: hand Scrapy the text itself, as UTF-8.
            return response.replace(body=decoded.text.encode("utf-8"), encoding="utf-8")
        return response.replace(encoding=decoded.encoding)
