"""Limits on what a site can make a crawl do: endless distinct pagination, pages of thousands of links,
a robots.txt of megabytes. Real crawls of a generated site on 127.0.0.1, with the caps lowered."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import FaultCrawl, run_fault_crawl
from tests.faults.pages import article_html, list_html
from tests.faults.proxy import RecordingProxy
from tests.faults.server import Exchange, FaultServer, respond


def endless_list(ex: Exchange) -> None:
    """List page N: one new article and a 下一页 link to page N+1, for ever."""
    n = int(re.search(r"(\d+)", ex.path).group(1))  # type: ignore[union-attr]
    respond(list_html([f"/zwyw/202403/t20240301_{1000 + n}.html"], next_href=f"/endless/index_{n + 1}.html"))(ex)


def article_by_number(ex: Exchange) -> None:
    respond(article_html(int(ex.path.rsplit("_", 1)[1].split(".")[0])))(ex)


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FaultCrawl, FaultServer]]:
    with FaultServer() as server, RecordingProxy() as proxy:
        server.add({
            "/endless/index_*": endless_list,
            "/zwyw/202403/t20240301_*": article_by_number,
            "/flood.html": respond(list_html([f"/zwyw/202403/t20240301_{n}.html" for n in range(5000, 10000)])),
            "/robots.txt": respond(b"User-agent: *\nDisallow: /private/\n" + b"# padding\n" * 200_000,
                                   content_type="text/plain"),
        })
        crawl = run_fault_crawl("govsite", tmp_path_factory.mktemp("limits"), proxy,
                                {"start_url": f"{server.base}/endless/index_1.html,{server.base}/flood.html"},
                                {"GOVNEWS_MAX_LIST_PAGES": "5", "GOVNEWS_MAX_LINKS_PER_PAGE": "20",
                                 "CONCURRENT_REQUESTS_PER_DOMAIN": "8"})
        assert proxy.hosts() == {"127.0.0.1"} and proxy.refused == []
        yield crawl, server


def test_endless_distinct_pagination_stops_at_the_cap(limited: tuple[FaultCrawl, FaultServer]) -> None:
    crawl, server = limited
    list_pages = [p for _, p in server.requests if p.startswith("/endless/")]
    assert sorted(list_pages) == [f"/endless/index_{n}.html" for n in range(1, 6)]
    assert crawl.stats["govnews/refused/max_list_pages"] == 1
    assert "stopped at GOVNEWS_MAX_LIST_PAGES=5 pages" in crawl.log


def test_a_page_of_five_thousand_links_is_followed_to_the_cap(limited: tuple[FaultCrawl, FaultServer]) -> None:
    crawl, server = limited
    flood = [p for _, p in server.requests if (m := re.search(r"_(\d+)\.html$", p)) and int(m.group(1)) >= 5000]
    assert len(flood) == 20
    assert crawl.stats["govnews/refused/max_links_per_page"] == 5000 - 20
    assert len(crawl.items) == 20 + 5  # the flood's first 20 and one article per endless list page


def test_a_huge_robots_txt_is_not_read_and_the_crawl_goes_on(limited: tuple[FaultCrawl, FaultServer]) -> None:
    crawl, _ = limited
    # 2 MB of robots.txt: over GOVNEWS_ROBOTSTXT_MAXSIZE (512 KiB), so it is cancelled; Scrapy then allows
    assert [k for k in crawl.stats if k.startswith("robotstxt/exception_count/") and "DownloadCancelled" in k]
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.seconds < 60


def test_defaults_are_documented_limits() -> None:
    from govnews import settings

    assert settings.GOVNEWS_MAX_LIST_PAGES == 1000 and settings.GOVNEWS_MAX_LINKS_PER_PAGE == 1000
    assert settings.GOVNEWS_MAX_TEXT_CHARS == 300_000 and settings.DOWNLOAD_MAXSIZE == 8 << 20
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in ("GOVNEWS_MAX_LIST_PAGES", "GOVNEWS_MAX_LINKS_PER_PAGE", "GOVNEWS_MAX_TEXT_CHARS", "URLLENGTH_LIMIT",
                 "GOVNEWS_MAX_ERROR_RATE", "GOVNEWS_ROBOTSTXT_MAXSIZE", "GOVNEWS_MAX_HEADER_BYTES",
                 "GOVNEWS_URLS_FILE_STRICT", "GOVNEWS_MAX_HTML_TAGS"):
        assert name in readme.split("## Safety", 1)[1], name
