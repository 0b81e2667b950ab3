"""The worker pool (``govnews.workers``, ``GOVNEWS_WORKERS``): real crawls with and without it.

Extraction and cleaning run in worker processes, but the crawl must not tell: the same JSONL lines and the
same stats (every count, every drop reason) as the in-process path (``GOVNEWS_WORKERS=0``), for the ad hoc
``article`` spider and for a registry site spider (whose split articles go through continuation pages). A
worker that stops answering costs its page, counted, and never the crawl.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support import Crawl, run_crawl, serve_directory

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DIRTY = FIXTURES / "dirty"

#: Stats that differ between two runs of the same crawl whatever the pool does (times, sizes, the pool's own).
_VOLATILE = ("start_time", "finish_time", "elapsed_time_seconds", "memusage/", "log_count/", "govnews/workers/",
             "response_received_count", "downloader/response_bytes", "downloader/request_bytes", "scheduler/",
             "httpcompression/", "feedexport/", "items_per_minute", "responses_per_minute")


def _comparable(result: Crawl) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    items = sorted(({k: v for k, v in item.items() if k != "crawled_at"} for item in result.items),
                   key=lambda item: item["id"])
    stats = {k: v for k, v in result.stats.items() if not k.startswith(_VOLATILE)}
    return items, stats


def _same(alone: Crawl, pooled: Crawl) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Asserts both crawls exported the same lines and counted the same; returns the in-process ones."""
    items, stats = _comparable(alone)
    their_items, their_stats = _comparable(pooled)
    assert their_items == items
    differences = {k: (stats.get(k), their_stats.get(k)) for k in set(stats) | set(their_stats)
                   if stats.get(k) != their_stats.get(k)}
    assert differences == {}
    return items, stats


def _extra_pages(root: Path) -> list[str]:
    """Pages that are dropped or judged, each for another reason: empty, not Chinese, a repost of a dirty
    page under another address (the state store's duplicate), and an image (not HTML)."""
    (root / "extra").mkdir()
    (root / "extra" / "empty.html").write_text("<html><head><title>空</title></head><body></body></html>",
                                               encoding="utf-8")
    english = "<p>" + "The county held a meeting on spring farming and safety inspections. " * 4 + "</p>"
    (root / "extra" / "english.html").write_text(f"<html><head><title>Meeting</title></head><body>{english}"
                                                 "</body></html>", encoding="utf-8")
    cases = sorted(p.name for p in DIRTY.iterdir() if (p / "page.html").is_file())
    shutil.copy(DIRTY / cases[0] / "page.html", root / "extra" / "repost.html")
    (root / "extra" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    return [f"{case}/page.html" for case in cases] + [f"extra/{name}" for name in
                                                      ("empty.html", "english.html", "repost.html", "logo.png")]


@pytest.fixture(scope="module")
def article_crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(DIRTY, root, dirs_exist_ok=True)
    pages = _extra_pages(root)
    runs = {}
    with serve_directory(root) as base:
        for workers in ("0", "2"):
            tmp = tmp_path_factory.mktemp(f"workers{workers}")
            urls_file = tmp / "urls.txt"
            urls_file.write_text("".join(f"{base}/{page}\n" for page in pages), encoding="utf-8")
            # A low size limit drops the longer pages as oversized: one more reason counted by the pool.
            runs[workers] = run_crawl("article", tmp, {"urls_file": str(urls_file)},
                                      {"GOVNEWS_WORKERS": workers, "GOVNEWS_MAX_TEXT_CHARS": "400"})
    return runs


def test_article_spider_exports_and_counts_the_same_with_the_pool(article_crawls: dict[str, Crawl]) -> None:
    alone, pooled = article_crawls["0"], article_crawls["2"]
    assert alone.returncode == 0, alone.log[-3000:]
    assert pooled.returncode == 0, pooled.log[-3000:]
    assert pooled.stats["govnews/workers/size"] == 2 and "govnews/workers/size" not in alone.stats
    assert pooled.stats["govnews/workers/started"] == 2
    items, stats = _same(alone, pooled)
    # The comparison is not vacuous: articles exported, cleaned, and dropped for several reasons.
    assert len(items) >= 10
    assert stats.get("govnews/cleaning/strip_pinyin_glosses", 0) > 0
    dropped = {k.removeprefix("govnews/dropped/") for k in stats if k.startswith("govnews/dropped/")}
    assert {"oversized", "empty_text", "not_chinese", "not_html"} <= dropped, dropped
    assert stats["govnews/state/duplicate/127.0.0.1"] == 1  # the repost, judged on the pool's fingerprint


@pytest.fixture(scope="module")
def site_crawls(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Crawl]:
    runs = {}
    with serve_directory(FIXTURES / "sites") as base:
        for workers in ("0", "2"):
            tmp = tmp_path_factory.mktemp(f"site{workers}")
            runs[workers] = run_crawl("xinzhou_news", tmp, settings={
                "GOVNEWS_MIRROR": base + "/", "DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False",
                "ROBOTSTXT_OBEY": "False", "GOVNEWS_WORKERS": workers}, timeout=120)
    return runs


def test_site_spider_exports_and_counts_the_same_with_the_pool(site_crawls: dict[str, Crawl]) -> None:
    alone, pooled = site_crawls["0"], site_crawls["2"]
    assert alone.returncode == 0, alone.log[-3000:]
    assert pooled.returncode == 0, pooled.log[-3000:]
    assert pooled.stats["govnews/workers/size"] == 2
    items, stats = _same(alone, pooled)
    assert len(items) == 3
    assert stats["govnews/continuation_pages/xinzhou_news"] >= 1  # a split article, read to its last page


def test_a_worker_that_never_answers_costs_its_page_not_the_crawl(tmp_path: Path) -> None:
    """``GOVNEWS_WORKER_TIMEOUT`` far below what any page takes: each worker is killed with its page, which
    is counted as ``worker_timeout``; after three workers in a row die before finishing a page the pool
    gives up on processes and the crawl goes on in its own process. Every page is accounted for."""
    cases = sorted(p.name for p in DIRTY.iterdir() if (p / "page.html").is_file())[:8]
    with serve_directory(DIRTY) as base:
        urls_file = tmp_path / "urls.txt"
        urls_file.write_text("".join(f"{base}/{case}/page.html\n" for case in cases), encoding="utf-8")
        result = run_crawl("article", tmp_path, {"urls_file": str(urls_file)},
                           {"GOVNEWS_WORKERS": "1", "GOVNEWS_WORKER_TIMEOUT": "0.001"})
    assert result.returncode == 0, result.log[-3000:]
    stats = result.stats
    assert stats["govnews/dropped/worker_timeout"] == 3
    assert stats["govnews/workers/timed_out"] == 3 and stats["govnews/workers/unavailable"] == 1
    assert len(result.items) + stats["govnews/dropped/worker_timeout"] == len(cases)
    assert "processing pages in the crawl process instead" in result.log


def test_results_come_back_in_the_order_their_work_was_submitted() -> None:
    """``InOrder``: whatever order the workers finish in, each result (or failure) is handed on only after
    the results of every job submitted before it."""
    from twisted.internet import defer
    from twisted.python.failure import Failure

    from govnews.workers import InOrder

    released: list[int] = []
    order = InOrder(lambda: released.append(len(seen)))
    inner = [defer.Deferred() for _ in range(4)]
    seen: list[Any] = []
    for n, d in enumerate(inner):
        order.add(d).addCallbacks(lambda value: seen.append(value), lambda f, n=n: seen.append(f"failed {n}"))
    inner[3].callback(3)
    inner[1].errback(Failure(ValueError("page 1")))
    assert seen == [] and order.held == 4  # the first job is still running: nothing is handed on
    inner[0].callback(0)
    assert seen == [0, "failed 1"] and order.held == 2
    inner[2].callback(2)
    assert seen == [0, "failed 1", 2, 3] and order.held == 0 and released == [2, 4]


def test_the_pool_hands_articles_on_in_the_order_their_pages_were_fetched(tmp_path: Path) -> None:
    """Every third page is long (slow to clean): its worker finishes after the other worker has done the
    short pages fetched after it. The pipelines must still see the articles in the order the pages came,
    as without a pool: which of two near-duplicates is exported, and which template siblings a document
    is judged against, depend on that order. The JSONL lines are written in pipeline order, and Scrapy
    logs each page as it is received ("Crawled (200)"); both orders must be the same."""
    import random
    import re

    from tests.sitegen import article_html, article_path, serve_site, write_site

    root = tmp_path / "site"
    write_site(root, 12, per_page=12)
    rng = random.Random(7)
    chars = "县乡镇村委会议工作发展建设推进落实要求强调部署安排开展组织领导干部群众服务经济社会项目企业农业"
    for n in range(1, 13, 3):
        long = "".join(f"<p>{''.join(rng.choice(chars) for _ in range(60))}。</p>" for _ in range(1500))
        page = root / article_path(n)
        page.write_text(article_html(n).replace('<div class="article-con">', f'<div class="article-con">{long}'),
                        encoding="utf-8")
    runs = {}
    with serve_site(root) as (base, _):
        for workers in ("0", "2"):
            folder = tmp_path / f"workers{workers}"
            folder.mkdir()
            runs[workers] = run_crawl("klx", folder, settings={
                "GOVNEWS_MIRROR": f"{base}/", "GOVNEWS_WORKERS": workers, "LOG_LEVEL": "DEBUG"})
    assert runs["2"].stats["govnews/workers/size"] == 2
    for crawl in runs.values():
        fetched = [url for url in re.findall(r"Crawled \(200\) <GET (\S+)>", crawl.log) if "/202403/" in url]
        assert len(crawl.items) == 12 and len(fetched) == 12
        assert [item["url"].rsplit("/", 1)[1] for item in crawl.items] == [url.rsplit("/", 1)[1] for url in fetched]
