from __future__ import annotations

from govnews.urls import article_id, canonical_url

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
