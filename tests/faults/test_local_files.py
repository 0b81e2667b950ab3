"""A crawl reads no local file its user did not name: real crawls under a file-access audit.

Pages named as ``file://`` URLs link, redirect and refresh to ``/etc/passwd``, ``/dev/zero``, a secret
file beside the site, and a symlink out of it. The audit hook (``tests.faults.audited``) records every
file the crawl process opens; only the named pages (and Python, the project's code and the crawl's own
output) may appear.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.faults.harness import run_fault_crawl
from tests.faults.pages import article_html, title_for
from tests.faults.proxy import RecordingProxy

BAIT = ("/etc/passwd", "/dev/zero", "/etc/shadow")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``site/`` (the part the user names) beside ``secret.html`` (an article page nobody named)."""
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (tmp_path / "secret.html").write_text(article_html(66), encoding="utf-8")
    os.symlink(tmp_path / "secret.html", site / "articles" / "link.html")
    (site / "articles" / "a.html").write_text(article_html(1, head=(
        '<meta http-equiv="refresh" content="0;url=file:///etc/passwd">'
        '<link rel="canonical" href="file:///etc/passwd">'), after='<a href="../../secret.html">下一页</a>'),
        encoding="utf-8")
    (site / "articles" / "b.html").write_text(article_html(2), encoding="utf-8")
    links = ["articles/a.html", "articles/b.html", "../secret.html", "file:///etc/passwd", "file:///dev/zero",
             "articles/link.html", "articles/../../secret.html", "http://evil.example/x.html",
             "http://127.0.0.1:8080/x.html", "data:text/html,x"]
    items = "".join(f'<li><a href="{href}">文章</a></li>' for href in links)
    pager = '<a href="index_1.html">下一页</a><a href="../index.html">上级</a><a href="file:///etc/index.html">x</a>'
    (site / "index.html").write_text(f"<html><body><ul class='news-list'>{items}</ul>"
                                     f"<div class='pager'>{pager}</div></body></html>", encoding="utf-8")
    (site / "index_1.html").write_text("<html><body><ul class='news-list'></ul></body></html>", encoding="utf-8")
    return tmp_path


def test_a_named_site_folder_is_crawled_and_nothing_beside_it(tree: Path) -> None:
    site = tree / "site"
    with RecordingProxy() as proxy:
        crawl = run_fault_crawl("sample", tree / "crawl", proxy, {"start_url": (site / "index.html").as_uri()})
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert sorted(item["title"] for item in crawl.items) == sorted([title_for(1), title_for(2)])
    refused = {k.rsplit("/", 1)[1]: v for k, v in crawl.stats.items() if k.startswith("govnews/refused/")}
    # ../secret.html twice (plain and via articles/..), /etc/passwd, /dev/zero, the symlink, the pager's
    # ../index.html and file:///etc/index.html; evil.example and 127.0.0.1 are hosts this crawl never named
    assert refused == {"file_not_named": 7, "offsite": 2, "scheme": 1}
    assert proxy.seen == []  # a file:// crawl makes no network request at all
    named = [site / "index.html", site / "index_1.html", site / "articles" / "a.html", site / "articles" / "b.html"]
    assert crawl.unexpected_reads(named, tree / "crawl") == []
    assert not [p for p in crawl.opened if p.startswith(BAIT) or p.endswith("secret.html")]


def test_the_article_spider_reads_exactly_the_files_named(tree: Path) -> None:
    page, missing = tree / "site" / "articles" / "a.html", tree / "site" / "missing.html"
    urls = [page.as_uri(), "file:///dev/zero", missing.as_uri(), (tree / "site").as_uri()]
    crawl = run_fault_crawl("article", tree / "crawl", None, {"url": ",".join(urls)})
    [item] = crawl.items
    assert item["title"] == title_for(1)
    assert item["canonical_url"] == page.as_uri()  # not the file:///etc/passwd the page claims
    stats = crawl.stats
    # /dev/zero grew the process past 2.8 GB before: a device (and a folder) is refused, not read
    assert stats["govnews/refused/not_regular_file"] == 2
    assert stats["govnews/fetch_failed/not_found"] == 1
    assert crawl.returncode == 4  # one of the two readable pages is missing: over GOVNEWS_MAX_ERROR_RATE
    assert crawl.unexpected_reads([page, missing], tree / "crawl") == []
    assert not [p for p in crawl.opened if p.startswith(BAIT) or p.endswith("secret.html")]


def test_a_named_file_larger_than_the_limit_is_refused(tree: Path) -> None:
    big = tree / "big.html"
    big.write_bytes(article_html(3).encode() + b" " * 5000)
    crawl = run_fault_crawl("article", tree / "crawl", None, {"url": big.as_uri()}, {"DOWNLOAD_MAXSIZE": "4000"})
    assert crawl.stats["govnews/refused/too_large"] == 1
    assert crawl.items == [] and crawl.returncode == 3  # nothing written
    assert str(big) not in [os.path.realpath(p) for p in crawl.opened]
