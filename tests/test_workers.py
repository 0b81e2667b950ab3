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
