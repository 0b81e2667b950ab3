"""Why a page could not be fetched, as a stats key and in words.

Every failed fetch ends in a spider errback with a Twisted ``Failure``; ``record_failure`` turns it into
``govnews/fetch_failed/<reason>`` (plus the total ``govnews/fetch_failed``) and one log line that says
what happened in words.

Reasons: ``timeout``, ``dns``, ``refused`` (connection refused), ``connection_lost``, ``dataloss`` (the
body was cut short: Content-Length, chunked or compressed stream incomplete), ``too_large``
(``DOWNLOAD_MAXSIZE`` before or after decompression, or ``GOVNEWS_MAX_HEADER_BYTES`` of headers),
``too_many_tags`` (``GOVNEWS_MAX_HTML_TAGS``), ``redirect_loop``, ``too_many_redirects``,
``bad_encoding`` (not the compression Content-Encoding names), ``http_404``, ``http_4xx``, ``http_5xx``,
``http_3xx`` (a redirect that was not followed), ``not_found`` (a named local file is missing), ``tls``,
``proxy``, ``scheme``, ``ignored`` and ``other``. Requests the URL policy refused are counted as
``govnews/refused/<reason>`` where they were refused (``govnews.middlewares.safety``), not again here.
The log line reads e.g. "timeout: no response within 30 s", where Scrapy's own messages are often empty.

Scrapy glue: the exceptions below are raised by ``govnews.middlewares.safety``.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    NotSupported,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import error as tx_error
from twisted.internet.defer import CancelledError, TimeoutError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed

from govnews.download import HeadersTooLarge

FETCH_FAILED = "govnews/fetch_failed"
REFUSED_PREFIX = "govnews/refused/"


class RefusedRequest(IgnoreRequest):
    """The URL policy (``govnews.safety``) refused this request; already counted by reason."""

    def __init__(self, reason: str, url: str) -> None:
        super().__init__(f"refused ({reason}): {url}")
        self.reason = reason


class TruncatedResponse(IgnoreRequest):
    """The body ended before the stream did (compressed stream incomplete, or an HTML page cut where the
    connection closed); raised once the retries are used up."""


class BadContentEncoding(IgnoreRequest):
    """The body is not in the compression its Content-Encoding header names."""


class TooManyTags(IgnoreRequest):
    """An HTML page with more elements than ``GOVNEWS_MAX_HTML_TAGS``: too costly to parse."""


class RedirectLoop(IgnoreRequest):
    """A redirect led back to an address already visited in the same chain."""


class TooManyRedirects(IgnoreRequest):
    """More than ``REDIRECT_MAX_TIMES`` redirects in one chain."""


_WORDS = {
    "timeout": "no response within DOWNLOAD_TIMEOUT",
    "dns": "the host name could not be resolved",
    "refused": "the server refused the connection",
    "connection_lost": "the server closed the connection before a complete response",
    "dataloss": "the response was cut short (body shorter than announced, or stream incomplete)",
    "too_large": "the response is larger than DOWNLOAD_MAXSIZE (before or after decompression)",
    "too_many_tags": "the page has more tags than GOVNEWS_MAX_HTML_TAGS (too costly to parse)",
    "redirect_loop": "the redirects lead back to an address already visited",
    "too_many_redirects": "more redirects than REDIRECT_MAX_TIMES",
    "tls": "the TLS handshake failed",
    "proxy": "the proxy refused or failed the connection",
    "scheme": "no handler for this URL scheme",
    "not_found": "no such local file",
    "bad_encoding": "the Content-Encoding header names a compression the body is not in",
    "ignored": "the request was dropped by a downloader middleware",
    "other": "an unexpected error",
}


def classify(failure: Failure) -> tuple[str, str]:
    """``(reason, words)`` for the failure of one fetch."""
    exc = failure.value
    if isinstance(exc, HttpError):
        status = exc.response.status
        reason = "http_404" if status == 404 else f"http_{status // 100}xx"
        return reason, f"HTTP {status} ({'server error, after retries' if status >= 500 else 'not an article page'})"
    if "GOVNEWS_MAX_HEADER_BYTES" in str(exc) or _caused_by(exc, HeadersTooLarge):
        return "too_large", "the response headers are longer than GOVNEWS_MAX_HEADER_BYTES"
    for types, reason in _BY_TYPE:
        if isinstance(exc, types):
            return reason, _WORDS[reason]
    if isinstance(exc, IgnoreRequest) and "DOWNLOAD_MAXSIZE" in str(exc):  # Scrapy's decompression limit
        return "too_large", _WORDS["too_large"]
    if isinstance(exc, IgnoreRequest) and "max redirections" in str(exc):
        return "too_many_redirects", _WORDS["too_many_redirects"]
    if isinstance(exc, IgnoreRequest):
        return "ignored", f"{_WORDS['ignored']}: {exc}" if str(exc) else _WORDS["ignored"]
    name = type(exc).__name__
    if "SSL" in name or "TLS" in name or "ssl" in type(exc).__module__:
        return "tls", _WORDS["tls"]
    if name == "TunnelError":
        return "proxy", _WORDS["proxy"]
    return "other", f"{name}: {exc}" if str(exc) else name


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is among the causes of ``exc`` (Twisted's ``ResponseFailed`` lists them)."""
    cause = exc.__cause__
    reasons = getattr(cause, "reasons", None) or []
    return isinstance(cause, kind) or any(isinstance(getattr(r, "value", None), kind) for r in reasons)


_BY_TYPE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((DownloadTimeoutError, TimeoutError, tx_error.TimeoutError, tx_error.TCPTimedOutError), "timeout"),
    ((CannotResolveHostError, tx_error.DNSLookupError), "dns"),
    ((DownloadConnectionRefusedError, tx_error.ConnectionRefusedError), "refused"),
    ((ResponseDataLossError, TruncatedResponse), "dataloss"),
    ((DownloadCancelledError, CancelledError), "too_large"),
    (BadContentEncoding, "bad_encoding"),
    (TooManyTags, "too_many_tags"),
    (RedirectLoop, "redirect_loop"),
    (TooManyRedirects, "too_many_redirects"),
    ((DownloadFailedError, ResponseFailed, tx_error.ConnectionLost, tx_error.ConnectionDone), "connection_lost"),
    ((UnsupportedURLSchemeError, NotSupported), "scheme"),
    (FileNotFoundError, "not_found"),
    (OSError, "other"),
)


def record_failure(stats: Any, failure: Failure, log: logging.Logger | logging.LoggerAdapter) -> str | None:
    """Count and log one failed fetch; returns the reason (None for requests the URL policy refused,
    which were counted as ``govnews/refused/<reason>`` already)."""
    request = getattr(failure, "request", None)
    url = request.url if request is not None else "?"
    if isinstance(failure.value, RefusedRequest):
        log.debug("Not fetched: %s (%s)", url, failure.value)
        return None
    reason, words = classify(failure)
    if reason == "timeout" and request is not None and request.meta.get("download_timeout"):
        words = f"no response within {request.meta['download_timeout']:g} s"
    stats.inc_value(FETCH_FAILED)
    stats.inc_value(f"{FETCH_FAILED}/{reason}")
    retries = request.meta.get("retry_times", 0) if request is not None else 0
    tried = f"; {retries + 1} attempts" if retries else ""
    log.warning("Fetch failed (%s: %s%s): %s", reason, words, tried, url)
    return reason
