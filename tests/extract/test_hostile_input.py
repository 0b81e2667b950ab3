"""Hostile input at the extractor's entry (``govnews.extract.dom.parse``): whatever a page holds, the
extractor returns fields (never raises), and the fields hold no control characters or raw markup."""

from __future__ import annotations

import re

import pytest

from govnews.extract import extract_article
from govnews.extract.dom import sanitize_markup

TITLE = "岢岚县召开春耕生产推进会"
BODY = ("<p>3月20日，岢岚县召开春耕生产推进会，安排部署全县春耕备耕工作。</p>"
        "<p>会议要求，各乡镇要压实责任，确保各项任务落地见效。</p>")
CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def page(before_body: str = "", head: str = "", title_tag: str = f"<title>{TITLE}_岢岚县人民政府</title>") -> str:
    return (f"<html><head><meta charset='utf-8'>{title_tag}<meta name='SiteName' content='岢岚县人民政府'>{head}"
            f"</head><body><h1>{TITLE}</h1>{before_body}<div class='TRS_Editor'>{BODY}</div></body></html>")


@pytest.mark.parametrize("html", [
    page("<!-- comment -->\x01"),  # a control right after a comment: lxml refused the moved tail text
    page("<script>var a;</script>\x0b"),
    page("<div style='display:none'>hidden</div>\x1f"),
    page("<span hidden>x</span>\x08"),
    page("\x00\x00"),
    page("<p>\ud800</p>"),  # a lone surrogate cannot be encoded as UTF-8
    page("<p>a\udfffb</p>"),
    page("<p>\ufffe\uffff</p>"),
    page("&#1;&#x7f;&#xd800;&#0;"),  # the same as character references
], ids=["after-comment", "after-script", "after-hidden", "after-hidden-attr", "nul", "surrogate",
        "low-surrogate", "non-characters", "references"])
def test_control_characters_and_surrogates_cost_nothing(html: str) -> None:
    extracted = extract_article(html, "http://www.kelan.gov.cn/zwyw/t20240320_1.html")
    assert extracted.title == TITLE
    text = "\n".join(extracted.paragraphs)
    assert "岢岚县召开春耕生产推进会，安排部署全县春耕备耕工作" in text
    assert not CONTROLS.search(text + extracted.title + (extracted.site_name or ""))
    text.encode("utf-8")


def test_controls_inside_the_body_do_not_reach_the_text() -> None:
    html = page().replace("召开春耕", "召开\x07春\x7f耕\x1b").replace("压实责任", "压实\x0c责任")
    text = "\n".join(extract_article(html, "http://127.0.0.1/a.html").paragraphs)
    assert "召开春耕生产推进会" in text
    assert "压实 责任" in text  # form feed and vertical tab are spacing, not nothing
    assert not CONTROLS.search(text)


def test_terminal_colour_codes_go_whole() -> None:
    """Without its ESC, an ANSI colour sequence would leave ``[31m`` in the text."""
    html = page().replace("召开春耕", "召开\x1b[1;31m春耕\x1b[0m").replace("压实责任", "压实\x1b(B责任")
    text = "\n".join(extract_article(html, "http://127.0.0.1/a.html").paragraphs)
    assert "召开春耕生产推进会" in text and "压实责任" in text
    assert "[" not in text


def test_an_unclosed_title_does_not_swallow_the_page() -> None:
    html = page(title_tag=f"<title>{TITLE}_岢岚县人民政府")
    extracted = extract_article(html, "http://127.0.0.1/a.html")
    assert extracted.title == TITLE
    assert extracted.site_name == "岢岚县人民政府"
    text = "\n".join(extracted.paragraphs)
    assert "岢岚县召开春耕生产推进会" in text and "<" not in text


def test_an_unclosed_title_without_anything_after_it() -> None:
    assert sanitize_markup("<title>只有标题") == "<title>只有标题</title>"
    extract_article("<html><head><title>只有标题", "http://127.0.0.1/a.html")


def test_sanitize_leaves_ordinary_markup_alone() -> None:
    html = page()
    assert sanitize_markup(html) == html
    assert sanitize_markup("<TITLE>a</TITLE >\t\r\n") == "<TITLE>a</TITLE >\t\r\n"


def test_a_malformed_address_costs_nothing_but_itself() -> None:
    """``http://[::1/x`` makes urljoin raise: once in an image or canonical link, it lost the article."""
    html = page(head='<link rel="canonical" href="http://[::1/x"><meta name="Url" content="http://[y">').replace(
        "<div class='TRS_Editor'>", "<div class='TRS_Editor'><p><img src='http://[::1/a.png'><img src='/ok.png'></p>")
    extracted = extract_article(html, "http://www.kelan.gov.cn/zwyw/t20240320_1.html")
    assert extracted.title == TITLE
    assert extracted.canonical_url is None
    assert [image["url"] for image in extracted.images] == ["http://www.kelan.gov.cn/ok.png"]


def test_hostile_image_and_canonical_addresses_never_reach_the_article() -> None:
    """Only http(s) addresses are exported: images[].url and canonical_url of a page that names local files,
    scripts and other schemes; the dropped images are counted by reason in the crawl stats."""
    from govnews.pages import PageJob, process_page

    head = ('<link rel="canonical" href="file:///etc/passwd"><meta property="og:url" content="javascript:x">'
            '<meta name="Url" content="ftp://www.kelan.gov.cn/zwyw/t20240320_1.html">')
    html = page(head=head).replace("<div class='TRS_Editor'>", "<div class='TRS_Editor'><p><img src='file:///etc/"
                                   "hostname'><img src='data:image/png;base64,AAAA'><img src='/ok.png'></p>")
    url = "http://www.kelan.gov.cn/zwyw/t20240320_1.html"
    result = process_page(PageJob(url=url, html=html, site="kelan", crawled_at="2024-01-01T00:00:00+00:00"))
    article = result.article
    assert article is not None
    assert [image.url for image in article.images] == ["http://www.kelan.gov.cn/ok.png"]
    assert article.canonical_url == url
    assert ("govnews/images_dropped/file", 1) in result.counts and ("govnews/images_dropped/data", 1) in result.counts
