from __future__ import annotations

from govnews.urls import article_id, canonical_url, declared_canonical, split_urls

ALIASES = {"www.kelan.gov.cn": "klx.sxxz.gov.cn/klxzw"}


def test_twins_share_one_canonical_url() -> None:
    base = "http://www.shanxi.gov.cn/ywdt/sxyw/202308/t20230807_9.shtml"
    for twin in ("https://www.shanxi.gov.cn/ywdt/sxyw/202308/t20230807_9.shtml",
                 "http://www.shanxi.gov.cn/ywdt/sxyw/202308/t20230807_9_slb.shtml",
                 base + "?utm_source=wechat&spm=1.2#top", "HTTP://WWW.SHANXI.GOV.CN/ywdt/sxyw/202308/t20230807_9.shtml"):
        assert canonical_url(twin) == base
    assert article_id(canonical_url(base)) == article_id(canonical_url(base + "?from=timeline"))


def test_old_domain_alias() -> None:
    assert canonical_url("https://www.kelan.gov.cn/xwzx/202301/t20230101_1.html", ALIASES) == \
        "http://klx.sxxz.gov.cn/klxzw/xwzx/202301/t20230101_1.html"


def test_keeps_what_selects_a_document() -> None:
    assert canonical_url("http://www.lfxww.com/plus/view.php?aid=123") == "http://www.lfxww.com/plus/view.php?aid=123"
    assert canonical_url("http://a.gov.cn/x?id=2&page=3") != canonical_url("http://a.gov.cn/x?id=2&page=4")
    assert canonical_url("http://127.0.0.1:8765/a.html") == "http://127.0.0.1:8765/a.html"
    assert canonical_url("file:///tmp/a%20b.html#frag") == "file:///tmp/a%20b.html"
    assert len(article_id("http://a")) == 40


def test_urls_named_in_one_argument_keep_their_commas() -> None:
    assert split_urls("http://a.gov.cn/1.html,http://a.gov.cn/list?ids=1,2,3, https://a.gov.cn/2.html") == [
        "http://a.gov.cn/1.html", "http://a.gov.cn/list?ids=1,2,3", "https://a.gov.cn/2.html"]
    assert split_urls("file:///a.html\nfile:///b,c.html  http://a.gov.cn/x") == [
        "file:///a.html", "file:///b,c.html", "http://a.gov.cn/x"]
    assert split_urls("") == []


def test_a_relative_url_meta_is_not_a_declared_canonical() -> None:
    page = "http://127.0.0.1:8080/zwyw/t20240302_2.html"
    resolved = "http://127.0.0.1:8080/zwyw/t20240301_1.html"
    assert declared_canonical(page, resolved, "t20240301_1.html") is None
    assert declared_canonical(page, resolved, "/zwyw/t20240301_1.html") is None
    assert declared_canonical(page, resolved, resolved) == resolved  # absolute: the page's own claim
    assert declared_canonical(page, resolved, "//127.0.0.1:8080/zwyw/t20240301_1.html") == resolved
    # the canonical came from <link rel=canonical> (relative links are valid HTML there), not from Url
    assert declared_canonical(page, resolved, "other.html") == resolved
    assert declared_canonical(page, None, "t20240301_1.html") is None
    assert declared_canonical(page, resolved, None) == resolved


def test_ipv6_hosts_keep_their_brackets() -> None:
    assert canonical_url("http://[::1]:8080/a.html") == "http://[::1]:8080/a.html"
    assert canonical_url("http://user:pw@www.kelan.gov.cn/a.html") == "http://www.kelan.gov.cn/a.html"


def test_local_files_are_named_relative_to_a_fixed_root() -> None:
    from govnews.urls import relative_file_url

    root = "/srv/a/site"
    assert relative_file_url("file:///srv/a/site/articles/x.html", root) == "file:articles/x.html"
    # the same page in another checkout gets the same address, so the same id
    other = "/home/b/govnews/site"
    assert relative_file_url("file:///home/b/govnews/site/articles/x.html", other) == "file:articles/x.html"
    assert relative_file_url("file:///etc/x.html", root) == "file:///etc/x.html"  # outside: unchanged
    assert relative_file_url("http://x.gov.cn/a.html", root) == "http://x.gov.cn/a.html"
    assert relative_file_url("file:///srv/a/x.html", None) == "file:///srv/a/x.html"  # no root: its own path
