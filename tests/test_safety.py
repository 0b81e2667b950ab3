"""The URL policy (``govnews.safety``): where a crawl may go, judged on what Scrapy will really fetch."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import scrapy

from govnews.safety import FileRoot, UrlPolicy, file_root, local_file_problem

SITE = UrlPolicy.build(["www.kelan.gov.cn", "klx.sxxz.gov.cn"], [])


def fetched(url: str) -> str:
    """The URL Scrapy will actually request (w3lib normalizes IDN, full-width dots, backslashes)."""
    return scrapy.Request(url).url


@pytest.mark.parametrize("url", [
    "http://www.kelan.gov.cn/zwyw/t20240301_1.html",
    "https://www.kelan.gov.cn/zwyw/t20240301_1.html",
    "http://WWW.KELAN.GOV.CN/a.html",
    "http://sub.klx.sxxz.gov.cn/a.html",  # a subdomain, as Scrapy's offsite rule allows
    "http://www.kelan.gov.cn:8080/a.html",  # odd but ordinary web ports are allowed
    "http://www。kelan。gov。cn/a.html",  # full-width dots: IDNA maps them to the same host
])
def test_the_sites_own_addresses_are_allowed(url: str) -> None:
    assert SITE.refusal(fetched(url)) is None


@pytest.mark.parametrize(("url", "reason"), [
    ("http://evil.example/a.html", "offsite"),
    ("http://www.kelan.gov.cn.evil.example/a.html", "offsite"),  # the site's name as a prefix
    ("http://evilwww.kelan.gov.cn/a.html", "offsite"),  # ... or as a suffix without a dot
    ("http://www.kеlan.gov.cn/a.html", "offsite"),  # Cyrillic е: punycode, another host
    ("http://www.kelan.gov.cn./a.html", "offsite"),  # trailing dot: refused rather than guessed
    ("http://evil.example\\@www.kelan.gov.cn/a.html", "offsite"),  # fetched from evil.example
    ("http://www.kelan.gov.cn%2eevil.example/a.html", "offsite"),
    ("http://localhost/a.html", "offsite"),
    ("http://127.0.0.1/a.html", "offsite"),
    ("http://[::1]/a.html", "offsite"),
    ("http://user:pw@www.kelan.gov.cn/a.html", "credentials"),
    ("http://www.kelan.gov.cn@evil.example/a.html", "credentials"),
    ("http://www.kelan.gov.cn:25/a.html", "port"),  # SMTP
    ("http://www.kelan.gov.cn:22/a.html", "port"),  # SSH
    ("ftp://www.kelan.gov.cn/a.html", "scheme"),
    ("data:text/html,<h1>x</h1>", "scheme"),
    ("javascript:alert(1)", "scheme"),
    ("mailto:a@www.kelan.gov.cn", "scheme"),
    ("file:///etc/passwd", "file_not_named"),
    ("http://www.kelan.gov.cn/" + "x" * 2100, "url_too_long"),
])
def test_everything_else_is_refused_with_a_reason(url: str, reason: str) -> None:
    assert SITE.refusal(fetched(url) if url.startswith("http") else url) == reason


def test_without_allowed_domains_a_govnews_crawl_allows_no_host() -> None:
    assert UrlPolicy.build([], []).refusal("http://www.kelan.gov.cn/") == "offsite"
    assert UrlPolicy.build([], [], strict=False).refusal("http://www.kelan.gov.cn/") is None  # Scrapy's rule
    assert UrlPolicy.build([], [], strict=False).refusal("file:///etc/passwd") == "file_not_named"


def test_an_idn_allowed_domain_matches_its_punycode() -> None:
    policy = UrlPolicy.build(["政府.中国"], [])
    assert policy.refusal(fetched("http://www.政府.中国/a.html")) is None


def test_the_mirror_is_allowed_by_prefix_only() -> None:
    policy = UrlPolicy.build(["www.kelan.gov.cn"], [], prefixes=["http://127.0.0.1:8765/"])
    assert policy.refusal("http://127.0.0.1:8765/www.kelan.gov.cn/a.html") is None
    assert policy.refusal("http://127.0.0.1:8766/a.html") == "offsite"


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "index.html").write_text("<html></html>")
    (site / "articles" / "a.html").write_text("<html></html>")
    (tmp_path / "secret.html").write_text("secret")
    (tmp_path / "site2").mkdir()
    (tmp_path / "site2" / "b.html").write_text("<html></html>")
    os.symlink(tmp_path / "secret.html", site / "articles" / "link.html")
    return tmp_path


def test_a_named_file_allows_exactly_that_file(tree: Path) -> None:
    named = (tree / "site" / "index.html").as_uri()
    policy = UrlPolicy.build([], [file_root(named, tree=False)])
    assert policy.refusal(named) is None
    assert policy.refusal((tree / "site" / "articles" / "a.html").as_uri()) == "file_not_named"
    assert policy.refusal("file:///etc/passwd") == "file_not_named"


def test_a_named_start_page_allows_its_folder_and_nothing_outside(tree: Path) -> None:
    policy = UrlPolicy.build([], [file_root((tree / "site" / "index.html").as_uri(), tree=True)])
    assert policy.refusal((tree / "site" / "articles" / "a.html").as_uri()) is None
    assert policy.refusal((tree / "secret.html").as_uri()) == "file_not_named"
    assert policy.refusal(f"file://{tree}/site/articles/../../secret.html") == "file_not_named"
    assert policy.refusal((tree / "site2" / "b.html").as_uri()) == "file_not_named"  # not a prefix match
    assert policy.refusal((tree / "site" / "articles" / "link.html").as_uri()) == "file_not_named"  # symlink out


def test_a_named_symlink_is_the_file_it_names(tree: Path) -> None:
    link = (tree / "site" / "articles" / "link.html").as_uri()
    assert UrlPolicy.build([], [file_root(link, tree=False)]).refusal(link) is None


def test_named_files_that_are_not_pages(tree: Path) -> None:
    assert local_file_problem("file:///dev/zero", 8 << 20) == "not_regular_file"
    assert local_file_problem(tree.as_uri(), 8 << 20) == "not_regular_file"
    big = tree / "big.html"
    big.write_bytes(b" " * 2000)
    assert local_file_problem(big.as_uri(), 1000) == "too_large"
    assert local_file_problem(big.as_uri(), 0) is None
    assert local_file_problem((tree / "missing.html").as_uri(), 1000) is None  # a fetch failure, not a refusal


def test_file_root_records_both_spellings(tree: Path) -> None:
    root = file_root((tree / "site" / "articles" / "link.html").as_uri(), tree=False)
    expected = FileRoot(str(tree / "site" / "articles" / "link.html"), os.path.realpath(tree / "secret.html"), False)
    assert root == expected
    assert file_root("http://www.kelan.gov.cn/", tree=True) is None


def test_a_file_mirror_is_a_folder_not_a_prefix(tree: Path) -> None:
    from scrapy.utils.test import get_crawler

    from govnews.middlewares.safety import policy_for
    from spiders.sites import SITES, spider_class_for

    spider = spider_class_for(SITES["klx"])()
    spider.crawler = get_crawler()
    policy = policy_for(spider, 2083, (tree / "site").as_uri() + "/")
    assert policy.refusal((tree / "site" / "klx.sxxz.gov.cn" / "a.html").as_uri()) is None
    assert policy.refusal((tree / "site").as_uri() + "/klx.sxxz.gov.cn/%2e%2e/%2e%2e/secret.html") == "file_not_named"
    assert policy.refusal("http://klx.sxxz.gov.cn/klxzw/a.html") is None
    assert policy.refusal("http://127.0.0.1:8765/a.html") == "offsite"
