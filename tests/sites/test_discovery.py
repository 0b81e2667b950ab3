from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from parsel import Selector

from govnews.sites.discovery import (
    ListEntry,
    article_entries,
    article_request_url,
    continuation_pages,
    dataproxy_url,
    date_in_url,
    host_allowed,
    merge_article_pages,
    next_list_pages,
    parse_dataproxy,
    parse_date,
    parse_feed,
    parse_list_page,
    parse_sitemap,
    query_page_number,
    total_pages,
)
from govnews.sites.registry import SITES, Pagination, standard_site

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sites"


def fixture(rel: str, encoding: str = "utf-8") -> str:
    return (FIXTURES / rel).read_bytes().decode(encoding)


# --- dates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("<span>2026-07-19</span>", date(2026, 7, 19)),
    ("发布时间：2016年9月27日 07:02", date(2016, 9, 27)),
    ("[2016/09/27]", date(2016, 9, 27)),
    ("2016.09.27", date(2016, 9, 27)),
    ("2023-13-45 then 2023-02-01", date(2023, 2, 1)),  # impossible dates are skipped, not fatal
])
def test_parse_date_reads_list_date_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "浏览次数：12345", "电话 0350-1234567", "12023-01-01"])
def test_parse_date_leaves_non_dates_alone(text: str) -> None:
    assert parse_date(text) is None


@pytest.mark.parametrize(("url", "expected"), [
    ("http://www.sxxz.gov.cn/zwyw/xzyw/202407/t20240731_4196689.shtml", date(2024, 7, 31)),
    ("http://www.deqing.gov.cn/art/2024/9/6/art_1229_5002.html", date(2024, 9, 6)),
    ("http://news.xinzhou.org/html/2024/xznews_0315/90001.html", date(2024, 3, 15)),
    ("http://www.lfxww.com/linfen/shizheng/2024031.html", None),
    ("http://x.gov.cn/t20241399_1.html", None),
])
def test_date_in_url(url: str, expected: date | None) -> None:
    assert date_in_url(url) == expected


def test_parse_date_is_linear_on_adversarial_input() -> None:
    # would take minutes with a backtracking pattern; here it is one pass
    assert parse_date("2020" + " " * 200_000 + "x") is None
    assert parse_date("2020-" * 100_000) is None
    assert parse_date("中" * 200_000) is None


# --- addresses -----------------------------------------------------------------------------------------

def test_article_request_url_folds_twins_and_old_domains() -> None:
    shanxi, klx = SITES["shanxi"], SITES["klx"]
    main = "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml"
    assert article_request_url(main.replace(".shtml", "_slb.shtml"), shanxi) == main
    assert article_request_url(main + "?from=timeline#top", shanxi) == main
    assert article_request_url(main.replace("http:", "https:"), shanxi) == main.replace("http:", "https:")
    old = "http://www.kelan.gov.cn/zwyw/xxyw/202403/t20240320_700.html"
    assert article_request_url(old, klx) == "http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/202403/t20240320_700.html"


def test_host_allowed_follows_scrapy_offsite_rule() -> None:
    assert host_allowed("http://www.lfxww.com/a.html", ("lfxww.com",))
    assert not host_allowed("http://www.lfxww.com.evil.example/a.html", ("lfxww.com",))
    assert not host_allowed("http://evil-lfxww.com/a.html", ("lfxww.com",))


# --- HTML list pages -------------------------------------------------------------------------------------

def test_trs_list_page_entries_dates_and_next_page() -> None:
    url = "http://www.shanxi.gov.cn/ywdt/sxyw/index.shtml"
    page = parse_list_page(fixture("www.shanxi.gov.cn/ywdt/sxyw/index.shtml"), url, SITES["shanxi"])
    main = "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml"
    assert [e.url for e in page.entries] == [
        main, "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240805_9900080.shtml",
        main.replace("http:", "https:")]  # the _slb twin collapsed into the main document
    assert page.entries[0] == ListEntry(main, "山西省政府召开常务会议", date(2024, 8, 7))
    assert page.next_pages == ("http://www.shanxi.gov.cn/ywdt/sxyw/index_1.shtml",)
    assert page.total_pages == 3
    assert not page.used_fallback


def test_trs_last_page_has_no_next_page() -> None:
    url = "http://www.shanxi.gov.cn/ywdt/sxyw/index_2.shtml"
    page = parse_list_page(fixture("www.shanxi.gov.cn/ywdt/sxyw/index_2.shtml"), url, SITES["shanxi"])
    assert len(page.entries) == 1
    assert page.next_pages == ()


def test_list_links_selector_keeps_offsite_and_navigation_links_out() -> None:
    url = "http://www.lfxww.com/linfen/shizheng/index.html"
    page = parse_list_page(fixture("www.lfxww.com/linfen/shizheng/index.html"), url, SITES["lfxww"])
    assert [e.url for e in page.entries] == ["http://www.lfxww.com/linfen/shizheng/2024031.html",
                                             "http://www.lfxww.com/linfen/shizheng/2024032.html"]
    assert page.next_pages == ("http://www.lfxww.com/linfen/shizheng/index_2.html",)  # the 下一页 link


def test_xinzhou_list_follows_next_link_and_skips_continuation_pages() -> None:
    url = "http://news.xinzhou.org/html/xznews/index.html"
    page = parse_list_page(fixture("news.xinzhou.org/html/xznews/index.html", "gbk"), url,
                           SITES["xinzhou_news"])
    assert [e.date for e in page.entries] == [date(2024, 3, 15), date(2024, 3, 14)]
    assert page.next_pages == ("http://news.xinzhou.org/html/xznews/2.html",)
    article = parse_list_page(fixture("news.xinzhou.org/html/2024/xznews_0315/90001.html", "gbk"),
                              "http://news.xinzhou.org/html/2024/xznews_0315/90001.html", SITES["xinzhou_news"])
    assert all(not e.url.endswith("_2.html") for e in article.entries)


def test_changed_list_template_falls_back_to_all_links() -> None:
    html = ('<html><body><div class="new-list"><a href="/linfen/shizheng/2024099.html">新</a>'
            '<em>2024-05-01</em></div></body></html>')
    page = parse_list_page(html, "http://www.lfxww.com/linfen/shizheng/index.html", SITES["lfxww"])
    assert [e.url for e in page.entries] == ["http://www.lfxww.com/linfen/shizheng/2024099.html"]
    assert page.used_fallback
    assert page.entries[0].date == date(2024, 5, 1)


def test_page_without_article_links_has_no_next_page() -> None:
    html = '<html><body><a href="index_1.html">下一页</a><a href="/about.html">关于</a></body></html>'
    page = parse_list_page(html, "http://www.sxxz.gov.cn/zwyw/xzyw/index.shtml", SITES["sxxz"])
    assert page.entries == () and page.next_pages == ()


def test_base_href_and_javascript_links() -> None:
    html = ('<html><head><base href="http://www.sxxz.gov.cn/zwyw/xzyw/"></head><body>'
            '<a href="javascript:void(0)">x</a><a href="202401/t20240101_1.shtml">a</a></body></html>')
    page = parse_list_page(html, "http://www.sxxz.gov.cn/somewhere/else.shtml", SITES["sxxz"])
    assert [e.url for e in page.entries] == ["http://www.sxxz.gov.cn/zwyw/xzyw/202401/t20240101_1.shtml"]


def test_query_pagination_counts_pages_and_stops_at_total() -> None:
    site = SITES["linfen"]
    first = parse_list_page(fixture("www.linfen.gov.cn/channels/10905.html"),
                            "http://www.linfen.gov.cn/channels/10905.html", site)
    assert first.next_pages == ("http://www.linfen.gov.cn/channels/10905.html?page=2",)
    assert first.total_pages == 2
    last = parse_list_page(fixture("www.linfen.gov.cn/channels/10905.html?page=2"),
                           "http://www.linfen.gov.cn/channels/10905.html?page=2", site)
    assert last.next_pages == ()
    assert query_page_number("http://h/l.html?x=1&page=7", site.pagination) == 7
    assert query_page_number("http://h/l.html?x=1", site.pagination) == 1


def test_query_pagination_without_total_continues_and_keeps_other_parameters() -> None:
    sel = Selector(text="<html></html>")
    nxt = next_list_pages("", sel, "http://h/list?col=3&page=4", Pagination("query"), None)
    assert nxt == ["http://h/list?col=3&page=5"]


def test_create_page_html_with_two_arguments_uses_site_suffix() -> None:
    html = "<script>createPageHTML(3, 1);</script>"
    nxt = next_list_pages(html, Selector(text=html), "http://h/a/index_1.shtml", Pagination(suffix=".shtml"), 3)
    assert nxt == ["http://h/a/index_2.shtml"]


@pytest.mark.parametrize(("html", "expected"), [
    ('createPageHTML(12, 0, "index", "shtml")', 12), ("共 7 页", 7), ("<p>第1页</p>", None)])
def test_total_pages(html: str, expected: int | None) -> None:
    assert total_pages(html) == expected


def test_list_parsing_survives_adversarial_pages() -> None:
    site = SITES["shanxi"]
    huge = "<ul>" + "<li>" * 10_000 + "中" * 200_000 + "</ul>" + "(" * 10_000 + "createPageHTML(" * 1000
    page = parse_list_page(huge, "http://www.shanxi.gov.cn/ywdt/sxyw/index.shtml", site)
    assert page.entries == ()


# --- Hanweb data proxy --------------------------------------------------------------------------------------

HANWEB = standard_site(["http://www.deqing.gov.cn/col/col1229/index.html"], hanweb="12,5588,1229,2")


def test_dataproxy_url_is_stable_and_names_the_column() -> None:
    url = dataproxy_url(HANWEB, 3)
    assert url.startswith("http://www.deqing.gov.cn/module/web/jpage/dataproxy.jsp?")
    assert "columnid=1229" in url and "startrecord=3" in url and "endrecord=4" in url and "perpage=2" in url
    assert url == dataproxy_url(HANWEB, 3)


def test_parse_dataproxy_records_and_next_request() -> None:
    first_url = dataproxy_url(HANWEB, 1)
    xml = (FIXTURES / "www.deqing.gov.cn/module/web/jpage" / first_url.split("/jpage/")[1]).read_bytes()
    page = parse_dataproxy(xml, first_url, HANWEB)
    assert [(e.url, e.date) for e in page.entries] == [
        ("http://www.deqing.gov.cn/art/2024/9/12/art_1229_5003.html", date(2024, 9, 12)),
        ("http://www.deqing.gov.cn/art/2024/9/6/art_1229_5002.html", date(2024, 9, 6)),
        # a repost elsewhere: discovery reports it, the spider's offsite rule drops it
        ("http://www.contentfarm.example/art/2024/9/12/art_1229_5003.html", date(2024, 9, 12))]
    assert page.next_pages == (dataproxy_url(HANWEB, 3),)
    assert page.total_pages == 2


def test_parse_dataproxy_last_batch_and_garbage() -> None:
    xml = ("<datastore><recordset><record><![CDATA[<li><a href='/art/2024/8/30/art_1229_5001.html'>x</a>"
           "</li>]]></record></recordset><totalrecord>3</totalrecord></datastore>")
    page = parse_dataproxy(xml, dataproxy_url(HANWEB, 3), HANWEB)
    assert len(page.entries) == 1 and page.next_pages == ()
    assert parse_dataproxy(b"", dataproxy_url(HANWEB, 1), HANWEB).entries == ()
    assert parse_dataproxy("<html>502 Bad Gateway</html>", dataproxy_url(HANWEB, 1), HANWEB).entries == ()
    unterminated = "<datastore><recordset>" + "<record><![CDATA[<li>" * 50_000
    assert parse_dataproxy(unterminated, dataproxy_url(HANWEB, 1), HANWEB).entries == ()


# --- sitemaps and feeds ---------------------------------------------------------------------------------------

def test_parse_sitemap_urlset_and_index() -> None:
    urlset = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml</loc><lastmod>2024-08-07</lastmod></url>
<url><loc> http://www.shanxi.gov.cn/ywdt/ </loc></url></urlset>"""
    pages, children = parse_sitemap(urlset)
    assert pages == [ListEntry("http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml", "",
                               date(2024, 8, 7)), ListEntry("http://www.shanxi.gov.cn/ywdt/")]
    assert children == []
    index = ("<sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'><sitemap>"
             "<loc>http://www.shanxi.gov.cn/sitemap_1.xml</loc></sitemap></sitemapindex>")
    assert parse_sitemap(index) == ([], ["http://www.shanxi.gov.cn/sitemap_1.xml"])
    assert article_entries(pages, SITES["shanxi"]) == pages[:1]


def test_parse_feed_rss_and_atom() -> None:
    rss = """<rss version="2.0"><channel><item><title> 山西要闻 </title>
<link>http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101_slb.shtml</link>
<pubDate>Wed, 07 Aug 2024 20:10:00 +0800</pubDate></item></channel></rss>"""
    assert parse_feed(rss) == [ListEntry("http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101_slb.shtml",
                                         "山西要闻", date(2024, 8, 7))]
    atom = """<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>
<link href="http://www.sxxz.gov.cn/zwyw/xzyw/202407/t20240731_4196689.shtml"/><updated>2024-07-31T10:00:00Z</updated>
</entry></feed>"""
    assert parse_feed(atom)[0].date == date(2024, 7, 31)
    assert parse_feed("not xml at all") == []
    # the _slb twin in a feed is fetched as its main document
    assert article_entries(parse_feed(rss), SITES["shanxi"])[0].url.endswith("t20240807_9900101.shtml")


# --- articles split over several pages ------------------------------------------------------------------------

XZ = "news.xinzhou.org/html/2024/xznews_0315"
XZ_URL = "http://news.xinzhou.org/html/2024/xznews_0315/90001.html"


def test_continuation_pages_of_a_split_article() -> None:
    first = fixture(f"{XZ}/90001.html", "gbk")
    assert continuation_pages(first, XZ_URL) == [XZ_URL.replace(".html", "_2.html")]
    # page 2 links back to page 1 only: no further pages; other documents' pages never count
    assert continuation_pages(fixture(f"{XZ}/90001_2.html", "gbk"), XZ_URL.replace(".html", "_2.html")) == []
    html = '<a href="90002_2.html">2</a><a href="http://other.example/html/2024/xznews_0315/90001_3.html">3</a>'
    assert continuation_pages(html, XZ_URL) == []
    assert continuation_pages('<a href="90001_1000.html">x</a>', XZ_URL) == []  # implausible page number


def test_merge_article_pages_appends_later_bodies_in_order() -> None:
    first, second = fixture(f"{XZ}/90001.html", "gbk"), fixture(f"{XZ}/90001_2.html", "gbk")
    merged = merge_article_pages(first, [second], "div#Article div.content")
    assert merged is not None
    body = Selector(text=merged).css("div#Article div.content p::text").getall()
    assert body[0].startswith("3月14日") and body[-1].startswith("会议要求")
    assert len(body) == 3
    assert Selector(text=merged).css("div#Article > h1::text").get() == "忻州市召开全市春季植树造林动员会"


def test_merge_article_pages_needs_the_body_container() -> None:
    first = fixture(f"{XZ}/90001.html", "gbk")
    assert merge_article_pages(first, [first], None) is None
    assert merge_article_pages(first, [first], "div.not-there") is None
    assert merge_article_pages(first, [first], "//div[@id='Article']/div[@class='content']") is not None
