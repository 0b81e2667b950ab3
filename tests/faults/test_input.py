"""What the user types: ``-a url=`` with commas, repeated arguments, ``urls_file`` with comments and typos."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from spiders.article import parse_url_list, read_named_urls
from spiders.base import SpiderArgumentError
from tests.faults.harness import run_fault_crawl
from tests.faults.pages import article_html, title_for
from tests.faults.proxy import RecordingProxy
from tests.faults.server import FaultServer, respond
from tests.support import REPO


def test_a_trailing_comment_is_not_part_of_the_url(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("\ufeff# list\nhttp://a.gov.cn/4.html # note\nhttp://a.gov.cn/5.html\t# tab note\n"
                       "http://a.gov.cn/6.html#part\n   # indented comment\n", encoding="utf-8")
    assert parse_url_list(None, str(listing)) == ["http://a.gov.cn/4.html", "http://a.gov.cn/5.html",
                                                  "http://a.gov.cn/6.html#part"]


def test_bad_lines_are_reported_with_their_numbers_and_skipped(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("http://a.gov.cn/1.html\nftp://a.gov.cn/2.html\nwww.a.gov.cn/3.html\n"
                       "http://a.gov.cn/a b.html\nhttp://a.gov.cn/4.html\n", encoding="utf-8")
    named = read_named_urls(None, str(listing))
    assert named.urls == ["http://a.gov.cn/1.html", "http://a.gov.cn/4.html"]
    assert [p.split(":", 1)[0] for p in named.problems] == [f"urls_file={listing} line {n}" for n in (2, 3, 4)]
    assert "unsupported URL 'ftp://a.gov.cn/2.html'" in named.problems[0]
    assert "percent-encode spaces" in named.problems[2]
    with pytest.raises(SpiderArgumentError, match=r"line 2: unsupported URL .*GOVNEWS_URLS_FILE_STRICT is on"):
        parse_url_list(None, str(listing), strict=True)


def test_two_urls_on_one_line_are_a_bad_line_but_a_comma_in_a_url_is_not(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("http://a.gov.cn/1.html,http://a.gov.cn/2.html\nhttp://a.gov.cn/list?ids=1,2\n"
                       "http://a.gov.cn/3.html;HTTPS://a.gov.cn/4.html\n", encoding="utf-8")
    named = read_named_urls(None, str(listing))
    assert named.urls == ["http://a.gov.cn/list?ids=1,2"]
    assert [p.split(":", 1)[0] for p in named.problems] == [f"urls_file={listing} line {n}" for n in (1, 3)]
    assert "two URLs joined by a comma or semicolon" in named.problems[0]


def test_a_file_of_nothing_but_bad_lines_is_an_error(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("# only\nnot a url\n", encoding="utf-8")
    with pytest.raises(SpiderArgumentError, match=r"line 2: 'not a url' is not one URL"):
        parse_url_list(None, str(listing))


def test_an_endless_urls_file_is_refused_not_read_forever() -> None:
    with pytest.raises(SpiderArgumentError, match="urls_file=/dev/zero: larger than 64 MiB"):
        parse_url_list(None, "/dev/zero")


def test_a_comma_inside_a_url_is_kept() -> None:
    assert parse_url_list("http://a.gov.cn/list?ids=1,2,http://a.gov.cn/x.html") == [
        "http://a.gov.cn/list?ids=1,2", "http://a.gov.cn/x.html"]


@pytest.fixture(scope="module")
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        srv.add({"/a.html?ids=1,2": respond(article_html(1)), "/b.html": respond(article_html(2)),
                 "/c.html": respond(article_html(3))})
        yield srv


def test_urls_with_commas_repeated_arguments_and_a_commented_file(server: FaultServer, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(f"{server.base}/c.html # the third\nftp://x/bad.html\n", encoding="utf-8")
    with RecordingProxy() as proxy:
        crawl = run_fault_crawl("article", tmp_path / "crawl", proxy, {"urls_file": str(listing)},
                                extra=["-a", f"url={server.base}/a.html?ids=1,2", "-a", f"url={server.base}/b.html"])
    assert sorted(item["title"] for item in crawl.items) == sorted([title_for(1), title_for(2), title_for(3)])
    assert crawl.stats["govnews/input/bad_lines"] == 1
    assert f"urls_file={listing} line 2: unsupported URL 'ftp://x/bad.html'" in crawl.log
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert proxy.refused == []


def run_scrapy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapy", "crawl", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


def test_a_strict_urls_file_stops_before_crawling(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("http://127.0.0.1:9/a.html\nhttp://127.0.0.1:9/b c.html\n", encoding="utf-8")
    proc = run_scrapy("article", "-a", f"urls_file={listing}", "-s", "GOVNEWS_URLS_FILE_STRICT=True")
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith(f"error: article: urls_file={listing} line 2: ")
    assert proc.stderr.strip().endswith("(GOVNEWS_URLS_FILE_STRICT is on)")


def test_an_argument_given_twice_is_an_error_unless_it_names_urls() -> None:
    proc = run_scrapy("govsite", "-a", "start_url=http://127.0.0.1:9/", "-a", "since=2024-01-01",
                      "-a", "since=2024-02-01")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: govsite: since given 2 times; give it once"
