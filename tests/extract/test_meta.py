"""Government meta tags, head dates, canonical URL, site name."""

from __future__ import annotations

from govnews.extract.dom import parse
from govnews.extract.meta import (
    canonical_url,
    head_date,
    modified_date,
    read_gov_meta,
    read_meta_tags,
    script_date,
    site_name,
)

GOV = """<head>
<meta name="SiteName" content="忻州市人民政府"><meta name="siteidcode" content="1409000001">
<meta name="ArticleTitle" content="标题"><meta name="PubDate" content="2022-04-17 14:46">
<meta name="contentSource" content="市政府办"><meta name="Keywords" content="农业">
<meta name="Author" content=""><meta name="url" content="./t20220417_1.shtml">
<meta name="catalogs" content="12"><meta name="contentid" content="34"><meta name="viewport" content="x">
</head>"""


def test_gov_meta_names_as_in_convention_and_empty_ones_skipped() -> None:
    assert read_gov_meta(parse(GOV)) == {
        "SiteName": "忻州市人民政府", "SiteIDCode": "1409000001", "ArticleTitle": "标题",
        "PubDate": "2022-04-17 14:46", "ContentSource": "市政府办", "Keywords": "农业",
        "Url": "./t20220417_1.shtml", "catalogs": "12", "contentid": "34",
    }


def test_generic_meta_alone_is_not_gov_meta() -> None:
    html = '<head><meta name="keywords" content="a"><meta name="description" content="b"></head>'
    assert read_gov_meta(parse(html)) == {}


def test_canonical_order_and_resolution() -> None:
    root = parse('<head><link rel="canonical" href="/a/1.html"><meta property="og:url" content="http://o/x"></head>')
    meta = read_meta_tags(root)
    assert canonical_url(root, meta, {}, "http://site.cn/b/2.html?x=1") == "http://site.cn/a/1.html"
    root = parse('<head><meta property="og:url" content="https://o.cn/x"></head>')
    assert canonical_url(root, read_meta_tags(root), {}, "http://site.cn/") == "https://o.cn/x"
    root = parse(GOV)
    url = "http://www.sxxz.gov.cn/zwyw/202204/t20220417_1_slb.shtml"
    assert canonical_url(root, {}, read_gov_meta(root), url) == "http://www.sxxz.gov.cn/zwyw/202204/t20220417_1.shtml"
    assert canonical_url(parse("<p>x</p>"), {}, {}, "http://a.cn/") is None
    root = parse('<link rel="canonical" href="javascript:void(0)">')
    assert canonical_url(root, {}, {}, "http://a.cn/") is None


def test_head_date_sources() -> None:
    root = parse('<meta property="article:published_time" content="2019-09-07T05:43:45Z">')
    assert head_date(read_meta_tags(root), root) == "2019-09-07T13:43:45+08:00"
    root = parse('<script type="application/ld+json">{"@graph":[{"datePublished":"2020-01-02 03:04"}]}</script>')
    assert head_date({}, root) == "2020-01-02T03:04:00+08:00"
    root = parse('<script type="application/ld+json">{broken</script><time itemprop="datePublished" '
                 'datetime="2021-05-06">5月6日</time>')
    assert head_date({}, root) == "2021-05-06"
    assert head_date({}, parse("<p>2020-01-01</p>")) is None


def test_script_and_modified_dates() -> None:
    assert script_date(parse('<script>var d = {"pubtime": "2019-09-07 19:02:26"};</script>')) == (
        "2019-09-07T19:02:26+08:00")
    assert script_date(parse('<script>var ct = "1581517074";</script>')) == "2020-02-12T22:17:54+08:00"
    assert script_date(parse("<script>var x = 1;</script>")) is None
    assert modified_date({"article:modified_time": "2019-10-08 12:00:57"}) == "2019-10-08T12:00:57+08:00"


def test_site_name_order() -> None:
    assert site_name({"og:site_name": "og"}, {"SiteName": "gov"}, "suffix") == "gov"
    assert site_name({"og:site_name": "og"}, {}, "suffix") == "og"
    assert site_name({}, {}, "suffix") == "suffix"
    assert site_name({}, {}, None) is None
