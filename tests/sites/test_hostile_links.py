"""Discovery on hostile list pages, sitemaps and feeds: a link that is no address costs only itself."""

from __future__ import annotations

from govnews.sites.discovery import ListEntry, article_entries, continuation_pages, parse_list_page
from govnews.sites.registry import standard_site

SITE = standard_site(["http://127.0.0.1:8080/list.html"])
BAD = ("http://[::1/zwyw/t20240301_1.html", "http://127.0.0.1:99999/zwyw/t20240301_2.html",
       "http://127.0.0.1:abc/zwyw/t20240301_3.html")


def test_malformed_links_are_counted_and_the_rest_of_the_page_is_read() -> None:
    html = "".join(f'<a href="{h}">x</a>' for h in BAD) + '<a href="/zwyw/t20240301_9.html">y</a>'
    listing = parse_list_page(html + '<a href="http://[x">下一页</a><a href="list_2.html">下一页</a>',
                              "http://127.0.0.1:8080/list.html", SITE)
    assert [e.url for e in listing.entries] == ["http://127.0.0.1:8080/zwyw/t20240301_9.html"]
    assert listing.bad_links == 4
    assert listing.next_pages == ("http://127.0.0.1:8080/list_2.html",)


def test_a_malformed_base_href_is_ignored() -> None:
    listing = parse_list_page('<head><base href="http://[::1/"></head><a href="/zwyw/t20240301_9.html">y</a>',
                              "http://127.0.0.1:8080/list.html", SITE)
    assert [e.url for e in listing.entries] == ["http://127.0.0.1:8080/zwyw/t20240301_9.html"]


def test_sitemap_and_feed_entries_that_are_no_address() -> None:
    bad: list[str] = []
    entries = article_entries([ListEntry(u) for u in (*BAD, "http://127.0.0.1:8080/zwyw/t20240301_9.html")],
                              SITE, bad)
    assert [e.url for e in entries] == ["http://127.0.0.1:8080/zwyw/t20240301_9.html"]
    assert bad == list(BAD)


def test_continuation_links_that_are_no_address() -> None:
    html = '<a href="http://[::1/a_2.html">2</a><a href="90001_2.html">2</a>'
    assert continuation_pages(html, "http://news.xinzhou.org/html/2024/xznews_0315/90001.html") == [
        "http://news.xinzhou.org/html/2024/xznews_0315/90001_2.html"]


def test_an_entity_bomb_in_a_sitemap_is_not_expanded() -> None:
    import time

    from govnews.sites.discovery import parse_sitemap

    lol = '<!ENTITY a "aaaaaaaaaa">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">'
                                               for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    bomb = f'<?xml version="1.0"?><!DOCTYPE urlset [{lol}]><urlset><url><loc>http://127.0.0.1:8080/&i;</loc></url></urlset>'
    started = time.monotonic()
    pages, _ = parse_sitemap(bomb.encode())
    assert time.monotonic() - started < 1
    assert all(len(p.url) < 1000 for p in pages)  # 10**9 characters had the entities been expanded


def test_an_external_entity_in_a_feed_reads_no_file() -> None:
    from govnews.sites.discovery import parse_feed

    xxe = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           "<rss><channel><item><title>&x;</title><link>http://127.0.0.1:8080/zwyw/t20240301_1.html</link>"
           "</item></channel></rss>")
    [entry] = parse_feed(xxe.encode())
    assert "root:" not in entry.title
