"""Failure reasons (``govnews.faults``), body integrity checks and the exit status, on real objects."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest

try:
    from compression import zstd  # type: ignore[import-not-found]  # Python 3.14
except ImportError:
    from backports import zstd
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.statscollectors import MemoryStatsCollector
from twisted.python.failure import Failure

from govnews.exitcodes import INTERRUPTED, NOTHING_WRITTEN, OK, TOO_MANY_ERRORS, exit_status
from govnews.faults import BadContentEncoding, RedirectLoop, RefusedRequest, TruncatedResponse, classify, record_failure
from govnews.middlewares.safety import body_problem

PAGE = ("<html><head><title>标题</title></head><body>" + "<p>岢岚县召开会议，研究部署工作。</p>" * 200
        + "</body></html>").encode()


def failure_of(exc: BaseException, url: str = "http://127.0.0.1/a.html") -> Failure:
    try:
        raise exc
    except BaseException:
        failure = Failure()
    failure.request = Request(url)  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(("exc", "reason"), [
    (DownloadTimeoutError("Getting http://127.0.0.1/a.html took longer than 3.0 seconds."), "timeout"),
    (CannotResolveHostError("no such host"), "dns"),
    (DownloadConnectionRefusedError(""), "refused"),
    (ResponseDataLossError(), "dataloss"),
    (TruncatedResponse("truncated"), "dataloss"),
    (DownloadCancelledError(""), "too_large"),
    (IgnoreRequest("Ignored response <200 x> because its body (1 B compressed, 9 B decompressed so far) exceeded "
                   "DOWNLOAD_MAXSIZE (8 B) during decompression."), "too_large"),
    (IgnoreRequest("max redirections reached"), "too_many_redirects"),
    (RedirectLoop("a -> b -> a"), "redirect_loop"),
    (BadContentEncoding("gzip"), "bad_encoding"),
    (DownloadFailedError("[<Failure ConnectionDone>]"), "connection_lost"),
    (FileNotFoundError(2, "No such file or directory"), "not_found"),
    (IgnoreRequest(), "ignored"),
    (ValueError("odd"), "other"),
])
def test_failures_are_classified_in_words(exc: BaseException, reason: str) -> None:
    got, words = classify(failure_of(exc))
    assert got == reason
    assert words and "()" not in words


@pytest.mark.parametrize(("status", "reason"), [(404, "http_404"), (410, "http_4xx"), (403, "http_4xx"),
                                                (503, "http_5xx"), (500, "http_5xx"), (302, "http_3xx")])
def test_http_statuses(status: int, reason: str) -> None:
    response = Response("http://127.0.0.1/a.html", status=status)
    assert classify(failure_of(HttpError(response, "Ignoring non-200 response")))[0] == reason


def test_record_failure_counts_by_reason_and_skips_refusals(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    stats = MemoryStatsCollector(_crawler())
    log = logging.getLogger("test-faults")
    with caplog.at_level(logging.WARNING, logger="test-faults"):
        assert record_failure(stats, failure_of(DownloadTimeoutError("")), log) == "timeout"
        assert record_failure(stats, failure_of(RefusedRequest("offsite", "http://x/")), log) is None
    assert stats.get_stats() == {"govnews/fetch_failed": 1, "govnews/fetch_failed/timeout": 1}
    assert "Fetch failed (timeout: no response within DOWNLOAD_TIMEOUT): http://127.0.0.1/a.html" in caplog.text
    timed = failure_of(DownloadTimeoutError(""))
    timed.request.meta["download_timeout"] = 30.0  # type: ignore[attr-defined]
    with caplog.at_level(logging.WARNING, logger="test-faults"):
        record_failure(stats, timed, log)
    assert "Fetch failed (timeout: no response within 30 s)" in caplog.text


def _crawler() -> object:
    from scrapy.utils.test import get_crawler

    return get_crawler()


def html(body: bytes, encoding: str | None = None, flags: list[str] | None = None) -> HtmlResponse:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    if encoding:
        headers["Content-Encoding"] = encoding
    return HtmlResponse("http://127.0.0.1/a.html", body=body, headers=headers, flags=flags or [])


def test_complete_bodies_pass() -> None:
    assert body_problem(html(PAGE)) is None
    assert body_problem(html(PAGE, flags=["partial"])) is None  # ended at close, but whole
    assert body_problem(html(gzip.compress(PAGE), "gzip")) is None
    assert body_problem(html(gzip.compress(PAGE) + gzip.compress(PAGE), "gzip")) is None  # two members
    assert body_problem(html(zlib.compress(PAGE), "deflate")) is None
    raw = zlib.compressobj(wbits=-15)
    assert body_problem(html(raw.compress(PAGE) + raw.flush(), "deflate")) is None  # raw deflate
    assert body_problem(html(brotli.compress(PAGE), "br")) is None
    assert body_problem(html(zstd.compress(PAGE), "zstd")) is None
    assert body_problem(html(PAGE[:500])) is None  # framed by Content-Length: the server said that is all


def test_truncated_and_mislabelled_bodies_are_caught() -> None:
    assert body_problem(html(PAGE[:500], flags=["partial"])) == "truncated"
    assert body_problem(html(gzip.compress(PAGE)[:-20], "gzip")) == "truncated"  # lost the end
    assert body_problem(html(gzip.compress(PAGE)[:100], "gzip")) == "truncated"
    assert body_problem(html(zlib.compress(PAGE)[:60], "deflate")) == "truncated"
    assert body_problem(html(brotli.compress(PAGE)[:40], "br")) == "truncated"
    assert body_problem(html(zstd.compress(PAGE)[:-8], "zstd")) == "truncated"
    assert body_problem(html(PAGE, "zstd")) == "corrupt"
    assert body_problem(html(PAGE, "gzip")) == "corrupt"  # not gzip at all
    assert body_problem(html(PAGE, "deflate")) == "corrupt"


def test_a_bomb_is_left_to_the_size_limit() -> None:
    bomb = gzip.compress(b"\0" * (4 << 20))
    assert body_problem(html(bomb, "gzip"), max_size=1 << 20) is None  # HttpCompressionMiddleware refuses it


@pytest.mark.parametrize(("stats", "reason", "code"), [
    ({"item_scraped_count": 3, "govnews/pages_fetched": 4}, "finished", OK),
    ({"govnews/fetch_failed": 3}, "finished", NOTHING_WRITTEN),
    ({"govnews/pages_fetched": 1}, "finished", NOTHING_WRITTEN),  # a list without links
    ({"govnews/pages_fetched": 2, "govnews/skipped_old/klx": 5}, "finished", OK),  # since: nothing new
    ({"item_scraped_count": 1, "govnews/pages_fetched": 2, "govnews/fetch_failed": 1}, "finished", TOO_MANY_ERRORS),
    ({"item_scraped_count": 9, "govnews/pages_fetched": 10, "govnews/fetch_failed": 1}, "finished", OK),
    ({"item_scraped_count": 9, "govnews/pages_fetched": 10, "govnews/dropped/extract_error": 3}, "finished",
     TOO_MANY_ERRORS),
    ({"item_scraped_count": 9}, "shutdown", INTERRUPTED),
    ({"item_scraped_count": 9}, "memusage_exceeded", INTERRUPTED),
    ({"item_scraped_count": 9, "govnews/pages_fetched": 9}, "closespider_itemcount", OK),
])
def test_exit_status(stats: dict[str, int], reason: str, code: int) -> None:
    assert exit_status(stats, reason, 0.2)[0] == code


def test_the_error_threshold_is_a_setting() -> None:
    stats = {"item_scraped_count": 1, "govnews/pages_fetched": 2, "govnews/fetch_failed": 1}
    assert exit_status(stats, "finished", 0.5)[0] == OK
    assert "1 of 3 pages (33% > GOVNEWS_MAX_ERROR_RATE=0.2)" in exit_status(stats, "finished", 0.2)[1]


def test_a_page_of_too_many_tags_is_refused_before_parsing() -> None:
    from govnews.faults import TooManyTags
    from govnews.middlewares.safety import PageComplexityMiddleware

    check = PageComplexityMiddleware(max_tags=100)
    request = Request("http://127.0.0.1/a.html")
    assert check.process_response(request, html(b"<p>x</p>" * 50)).body  # 100 tags: allowed
    with pytest.raises(TooManyTags, match="101 tags, more than GOVNEWS_MAX_HTML_TAGS=100"):
        check.process_response(request, html(b"<p>x</p>" * 50 + b"<"))
    xml = Response("http://127.0.0.1/sitemap.xml", body=b"<url></url>" * 500)  # sitemaps are not HTML pages
    assert check.process_response(request, xml) is xml
    assert classify(failure_of(TooManyTags("x")))[0] == "too_many_tags"


def test_the_exit_reason_says_why_nothing_was_written() -> None:
    assert exit_status({"govnews/refused/not_regular_file": 1}, "finished")[1] == (
        "nothing written (1 requests refused)")
    assert exit_status({"govnews/fetch_failed": 2}, "finished")[1] == "nothing written (2 of 2 pages failed)"
    assert exit_status({"govnews/pages_fetched": 1}, "finished")[1] == "nothing written (no article found)"
    assert exit_status({"item_scraped_count": 1, "govnews/pages_fetched": 1}, "finished")[1] == "1 article written"
