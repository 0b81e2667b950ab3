from __future__ import annotations

import dataclasses

import pytest
import regex

from govnews.items import Region
from govnews.sites.discovery import host_allowed
from govnews.sites.registry import GOV_ARTICLE, SITES, Site, standard_site

#: One real-shaped article address per site, and one list page address that must not match.
ARTICLES = {
    "lfxww": "http://www.lfxww.com/linfen/shizheng/2024031.html",
    "xinzhou_news": "http://news.xinzhou.org/html/2024/xznews_0315/90001.html",
    "sxxz": "https://www.sxxz.gov.cn/zwyw/xzyw/202607/t20260731_4196689.shtml",
    "klx": "http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/202403/t20240320_700.html",
    "bdx": "http://bdx.sxxz.gov.cn/bdxzw/zwgk/202403/t20240320_1.html",
    "fsx": "http://fsx.sxxz.gov.cn/fsxzw/zwyw/xxyw/202404/t20240410_700.html",
    "scx": "http://scx.sxxz.gov.cn/scxzw/zwyw/xxyw/202405/t20240508_700.html",
    "linfen": "http://www.linfen.gov.cn/contents/10905/555001.html",
    "hongtong": "http://www.hongtong.gov.cn/contents/11897/666872.html",
    "shanxi": "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101_slb.shtml",
}
NOT_ARTICLES = {
    "lfxww": "http://www.lfxww.com/linfen/shizheng/index_2.html",
    "xinzhou_news": "http://news.xinzhou.org/html/2024/xznews_0315/90001_2.html",
    "sxxz": "http://www.sxxz.gov.cn/zwyw/xzyw/index_1.shtml",
    "klx": "http://bdx.sxxz.gov.cn/bdxzw/zwyw/xxyw/202403/t20240320_700.html",
    "bdx": "http://bdx.sxxz.gov.cn/bdxzw/zwyw/xxyw/index_1.html",
    "fsx": "http://fsx.sxxz.gov.cn/fsxzw/zwyw/xxyw/index.html",
    "scx": "http://www.contentfarm.example/scxzw/zwyw/xxyw/202405/t20240508_700.html",
    "linfen": "http://www.linfen.gov.cn/channels/10905.html?page=2",
    "hongtong": "http://www.linfen.gov.cn/contents/11897/666872.html",
    "shanxi": "http://www.shanxi.gov.cn/ywdt/sxyw/index_2.shtml",
}
GB_T_2260 = {
    "lfxww": ("141000", "临汾市", None), "xinzhou_news": ("140900", "忻州市", None),
    "sxxz": ("140900", "忻州市", None), "klx": ("140929", "忻州市", "岢岚县"),
    "bdx": ("140931", "忻州市", "保德县"), "fsx": ("140924", "忻州市", "繁峙县"),
    "scx": ("140927", "忻州市", "神池县"), "linfen": ("141000", "临汾市", None),
    "hongtong": ("141024", "临汾市", "洪洞县"), "shanxi": ("140000", None, None),
}


def test_registry_names_the_shanxi_sources() -> None:
    assert set(SITES) == set(ARTICLES)
    assert all(key == site.key and regex.fullmatch(r"[a-z][a-z_]*", key) for key, site in SITES.items())


@pytest.mark.parametrize("key", sorted(ARTICLES))
def test_article_pattern_matches_articles_only(key: str) -> None:
    assert SITES[key].is_article_url(ARTICLES[key])
    assert SITES[key].is_article_url(ARTICLES[key] + "?from=timeline#p2")
    assert not SITES[key].is_article_url(NOT_ARTICLES[key])


@pytest.mark.parametrize("key", sorted(GB_T_2260))
def test_regions_carry_the_division_codes(key: str) -> None:
    code, city, county = GB_T_2260[key]
    assert SITES[key].region == Region(province="山西省", city=city, county=county, code=code)


@pytest.mark.parametrize("key", sorted(SITES))
def test_start_urls_stay_inside_allowed_domains(key: str) -> None:
    site = SITES[key]
    assert site.start_urls
    assert all(host_allowed(url, site.allowed_domains) for url in site.start_urls)
    assert all(not site.is_article_url(url) for url in site.start_urls)


def test_sites_are_immutable_data() -> None:
    site = SITES["shanxi"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.key = "other"  # type: ignore[misc]
    with pytest.raises(TypeError):
        site.selectors["title"] = "h1"  # type: ignore[index]


def test_a_typo_in_an_article_pattern_fails_at_definition() -> None:
    with pytest.raises(regex.error):
        Site(key="x", name="x", region=None, allowed_domains=("x.gov.cn",), start_urls=(), article_url="(")


def test_standard_site_from_plain_strings() -> None:
    site = standard_site(["http://www.xiangfen.gov.cn/xwzx/index.html"], name="襄汾县人民政府",
                         region="山西省/临汾市/襄汾县", region_code="141023")
    assert site.key == "www.xiangfen.gov.cn"
    assert site.allowed_domains == ("www.xiangfen.gov.cn",)
    assert site.region == Region("山西省", "临汾市", "襄汾县", "141023")
    assert site.article_url == GOV_ARTICLE and site.pagination.kind == "index_n"
    assert site.is_article_url("http://www.xiangfen.gov.cn/xwzx/202401/t20240105_1.shtml")
    assert site.is_article_url("http://www.xiangfen.gov.cn/art/2024/1/5/art_12_345.html")
    assert not site.is_article_url("http://www.xiangfen.gov.cn/xwzx/index_1.html")
    assert standard_site(["http://a.gov.cn/"]).region is None
    hanweb = standard_site(["http://a.gov.cn/col/col1/index.html"], hanweb="1, 2, 3")
    assert (hanweb.pagination.kind, hanweb.pagination.column_id, hanweb.pagination.per_page) == (
        "hanweb_dataproxy", "3", 20)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"start_urls": []}, "start_url"),
    ({"start_urls": ["ftp://a.gov.cn/"]}, "http(s)"),
    ({"start_urls": ["http://a.gov.cn/"], "region_code": "1410"}, "region_code=1410"),
    ({"start_urls": ["http://a.gov.cn/"], "article_url": "art_(\\d+"}, "article_url="),
    ({"start_urls": ["http://a.gov.cn/"], "hanweb": "1,2"}, "hanweb=1,2"),
    ({"start_urls": ["http://a.gov.cn/"], "hanweb": "1,2,3,0"}, "hanweb="),
])
def test_standard_site_names_the_bad_value(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=regex.escape(message)):
        standard_site(**kwargs)


def test_site_for_url_picks_the_most_specific_site() -> None:
    from govnews.sites.registry import site_for_url

    assert site_for_url("http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/202403/t20240318_701.html").key == "klx"
    assert site_for_url("https://www.sxxz.gov.cn/zwyw/xzyw/202308/t20230807_1.shtml").key == "sxxz"
    assert site_for_url("http://www.kelan.gov.cn/xwzx/202301/t20230101_1.html").key == "klx"  # old domain
    assert site_for_url("http://www.shanxi.gov.cn/ywdt/sxyw/202308/t20230807_9_slb.shtml").key == "shanxi"
    assert site_for_url("http://www.example.com/a.html") is None
    assert site_for_url("file:///tmp/a.html") is None
