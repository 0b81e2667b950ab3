"""The sample spider over the bundled demo site: the right articles, the pager, the dropped shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.http import HtmlResponse

from spiders.sample import SITE_INDEX, SampleSpider
from tests.support import Crawl, run_crawl, serve_directory

SITE = SITE_INDEX.parent
# Every article of the demo site but t20260708_1012.html, an empty shell the pipelines must drop.
KEPT = {
    "t20260706_1014.html", "t20260707_1013.html", "t20260709_1011.html", "t20260710_1010.html",
    "t20260711_1009.html", "t20260712_1008.html", "t20260713_1007.html", "t20260714_1006.html",
    "t20260715_1005.html", "t20260716_1004.html", "t20260717_1003.html", "t20260718_1002.html",
    "t20260719_1001.html",
}
DROPPED = "t20260708_1012.html"


def list_response(name: str, base: str = "http://127.0.0.1:8000/") -> HtmlResponse:
    return HtmlResponse(url=base + name, body=(SITE / name).read_bytes(), encoding="utf-8")


def test_default_start_is_the_bundled_site() -> None:
    spider = SampleSpider()
    assert spider.start_urls == [SITE_INDEX.as_uri()]
    assert SITE_INDEX.is_file()
    assert SampleSpider(start_url="http://127.0.0.1:9/index.html").start_urls == ["http://127.0.0.1:9/index.html"]


def test_list_page_yields_articles_then_next_list_page() -> None:
    requests = list(SampleSpider().parse_list(list_response("index_1.html")))
    articles = [r.url for r in requests if r.callback.__name__ == "parse_article"]
    lists = [r.url for r in requests if r.callback.__name__ == "parse_list"]
    assert len(articles) == 5
    assert all(u.startswith("http://127.0.0.1:8000/articles/t2026") for u in articles)
    # The pager of page 2 links back to page 1 and on to page 3; the breadcrumb's index.html is not followed.
    assert sorted(lists) == ["http://127.0.0.1:8000/index.html", "http://127.0.0.1:8000/index_2.html"]


def test_list_page_ignores_links_outside_list_and_pager() -> None:
    html = ('<ul class="nav"><li><a href="articles/x.html">x</a></li></ul><ul class="news-list"></ul>'
            '<div class="pager"><a href="javascript:void(0)">下一页</a><a href="other_2.html">2</a></div>')
    response = HtmlResponse(url="http://127.0.0.1:8000/index.html", body=html.encode(), encoding="utf-8")
    assert list(SampleSpider().parse_list(response)) == []


@pytest.fixture(scope="module")
def http_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    with serve_directory(SITE) as base:
        return run_crawl("sample", tmp_path_factory.mktemp("sample"), {"start_url": f"{base}/index.html"})


def article_names(items: list[dict[str, Any]]) -> set[str]:
    return {item["url"].rsplit("/", 1)[-1] for item in items}


def test_crawl_over_http_exports_every_article_but_the_shell(http_crawl: Crawl) -> None:
    assert http_crawl.returncode == 0, http_crawl.log[-3000:]
    assert article_names(http_crawl.items) == KEPT
    assert all(item["url"].startswith("http://127.0.0.1:") for item in http_crawl.items)


def test_crawl_counts_the_dropped_shell(http_crawl: Crawl) -> None:
    dropped = {k: v for k, v in http_crawl.stats.items() if k.startswith("govnews/dropped/")}
    assert sum(dropped.values()) == 1, dropped
    assert dropped.get("govnews/dropped/empty_text") == 1, dropped
    assert DROPPED not in article_names(http_crawl.items)


def test_crawl_follows_the_whole_pager(http_crawl: Crawl) -> None:
    # 3 list pages + 14 article pages, each fetched once (robots.txt is the only 404).
    assert http_crawl.stats.get("downloader/response_status_count/200") == 17, http_crawl.stats


def test_default_crawl_reads_the_bundled_files(tmp_path: Path) -> None:
    crawl = run_crawl("sample", tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert article_names(crawl.items) == KEPT
    assert all(item["url"].startswith("file://") for item in crawl.items)
