"""``scrapy crawl`` tells a scheduler what happened (``govnews.exitcodes``): real crawls, real exit statuses.

0 wrote what was asked; 2 wrong argument (before any fetch); 3 nothing written; 4 errors over
``GOVNEWS_MAX_ERROR_RATE``; 5 interrupted.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults.harness import run_fault_crawl
from tests.faults.pages import article_html, article_url_path, list_html
from tests.faults.proxy import RecordingProxy
from tests.faults.server import FaultServer, respond, slow
from tests.support import REPO


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        good = [article_url_path(n) for n in (1, 2, 3)]
        srv.add({path: respond(article_html(n)) for n, path in zip((1, 2, 3), good, strict=True)})
        srv.add({
            "/list.html": respond(list_html(good)),
            "/broken-list.html": respond(list_html([article_url_path(n) for n in (40, 41, 42)])),  # all 404
            "/no-links.html": respond("<html><body><p>栏目正在建设中</p></body></html>"),
            "/half-broken.html": respond(list_html([*good, article_url_path(43), article_url_path(44)])),
            "/old.html": respond(list_html([article_url_path(1)]).replace("2024-03-20", "2020-01-01")),
            "/slow-list.html": respond(list_html([article_url_path(n) for n in range(50, 60)])),
            "/zwyw/202403/t2024032*": slow(30, respond(article_html(50))),
        })
        yield srv


@pytest.fixture
def proxy() -> Iterator[RecordingProxy]:
    with RecordingProxy() as p:
        yield p


def test_a_crawl_that_wrote_what_it_was_asked_exits_0(server: FaultServer, proxy: RecordingProxy,
                                                      tmp_path: Path) -> None:
    crawl = run_fault_crawl("govsite", tmp_path, proxy, {"start_url": f"{server.base}/list.html"})
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert len(crawl.items) == 3
    assert crawl.stats["govnews/exit_reason"] == "3 articles written"


@pytest.mark.parametrize(("spider", "args", "why"), [
    ("article", {"url": "{base}/zwyw/gone.html,{base}/zwyw/also-gone.html"}, "every page failed"),
    ("govsite", {"start_url": "{base}/missing-list.html"}, "the start page is a 404"),
    ("govsite", {"start_url": "{base}/no-links.html"}, "the list page has no links"),
    ("govsite", {"start_url": "{base}/broken-list.html"}, "every article failed"),
])
def test_a_crawl_that_wrote_nothing_exits_3(spider: str, args: dict[str, str], why: str, server: FaultServer,
                                            proxy: RecordingProxy, tmp_path: Path) -> None:
    crawl = run_fault_crawl(spider, tmp_path, proxy, {k: v.format(base=server.base) for k, v in args.items()})
    assert crawl.returncode == 3, (why, crawl.log[-3000:])
    assert crawl.items == []
    assert crawl.stats["govnews/exit_reason"].startswith("nothing written")
    assert "Exit status 3: nothing written" in crawl.log
    assert proxy.refused == []


def test_a_crawl_that_skipped_everything_on_purpose_exits_0(server: FaultServer, proxy: RecordingProxy,
                                                            tmp_path: Path) -> None:
    crawl = run_fault_crawl("govsite", tmp_path, proxy, {"start_url": f"{server.base}/old.html",
                                                         "since": "2025-01-01"})
    assert crawl.items == [] and crawl.returncode == 0, crawl.log[-3000:]


def test_errors_over_the_threshold_exit_4_and_the_threshold_is_a_setting(
        server: FaultServer, proxy: RecordingProxy, tmp_path: Path) -> None:
    args = {"start_url": f"{server.base}/half-broken.html"}  # 3 good articles, 2 missing: 2 of 6 pages
    crawl = run_fault_crawl("govsite", tmp_path / "default", proxy, args)
    assert (crawl.returncode, len(crawl.items)) == (4, 3), crawl.log[-3000:]
    assert crawl.stats["govnews/fetch_failed/http_404"] == 2
    assert "too many errors: 2 of 6 pages" in crawl.log
    lenient = run_fault_crawl("govsite", tmp_path / "lenient", proxy, args, {"GOVNEWS_MAX_ERROR_RATE": "0.5"})
    assert lenient.returncode == 0, lenient.log[-3000:]


def test_an_interrupted_crawl_exits_5(server: FaultServer, proxy: RecordingProxy, tmp_path: Path) -> None:
    """Ctrl-C while ten article downloads hang: Scrapy stops gracefully, within the download timeout."""
    def downloads_hanging() -> bool:
        return sum(1 for _, path in server.requests if path.startswith("/zwyw/202403/t2024032")) >= 2

    crawl = run_fault_crawl("govsite", tmp_path, proxy, {"start_url": f"{server.base}/slow-list.html"},
                            timeout=60, interrupt_when=downloads_hanging)
    assert crawl.returncode == 5, crawl.log[-3000:]
    assert crawl.stats["govnews/exit_reason"] == "interrupted (shutdown)"
    assert crawl.seconds < 30


def test_a_bad_selector_is_an_argument_error_before_crawling(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "govsite", "-a",
                           "start_url=http://127.0.0.1:9/list.html", "-a", "list_links=ul..li"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("error: govsite: list_links=ul..li: not a valid CSS selector "
                                   "(Expected ident, got <DELIM '.' at 3>)")
