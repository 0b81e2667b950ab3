"""Site overrides: tried first; when one finds nothing the generic path runs and the field is a fallback."""

from __future__ import annotations

from govnews.extract import extract_article
from govnews.extract.dom import parse
from govnews.extract.overrides import is_xpath, override_element, override_text

PAGE = """<html><head><title>标题甲_某某网</title></head><body>
<h1>标题甲</h1><div class="meta">2021-03-04 08:09 来源：甲报</div>
<div class="special-title">站点专用标题</div>
<div class="when">发布于 2020年1月2日 3:04</div>
<div class="by">供稿：乙局</div>
<div class="ed">值班编辑 丙</div>
<div class="names">张三、李四</div>
<div class="main"><p>第一段，正文内容在这里，写得很长。</p><p>第二段，正文继续，结束。</p></div>
<div class="side"><p>侧栏文字，不是正文，只是一个很长的说明。</p></div>
</body></html>"""


def test_selector_kind() -> None:
    assert is_xpath("//div[@id='a']") and is_xpath("(//p)[1]")
    assert not is_xpath("div.main > p")


def test_override_text_css_and_xpath() -> None:
    root = parse(PAGE)
    assert override_text(root, {"title": "div.special-title"}, "title") == "站点专用标题"
    assert override_text(root, {"title": "//div[@class='special-title']"}, "title") == "站点专用标题"
    assert override_text(root, {"title": "//div[@class='special-title']/text()"}, "title") == "站点专用标题"
    assert override_text(root, {"title": "div.nothing"}, "title") is None
    assert override_text(root, {}, "title") is None


def test_malformed_selector_matches_nothing() -> None:
    root = parse(PAGE)
    assert override_text(root, {"title": "div[["}, "title") is None
    assert override_element(root, {"body": "//div["}, "body") is None


def test_all_overrides_used_when_they_match() -> None:
    got = extract_article(PAGE, "http://x.cn/a.html", {
        "title": "div.special-title", "published_at": "div.when", "source": "div.by",
        "editor": "div.ed", "authors": "div.names", "body": "div.side",
    })
    assert got.title == "站点专用标题"
    assert got.published_at == "2020-01-02T03:04:00+08:00"
    assert got.source == "供稿：乙局"
    assert got.editor == "值班编辑 丙"
    assert got.authors == ["张三", "李四"]
    assert got.paragraphs == ["侧栏文字，不是正文，只是一个很长的说明。"]
    assert got.method == "override"
    assert got.fallbacks == []


def test_missing_overrides_fall_back_to_generic_and_are_recorded() -> None:
    got = extract_article(PAGE, "http://x.cn/a.html", {
        "title": "h5.none", "published_at": "div.names", "body": "#missing", "source": "div.none",
    })
    assert got.title == "标题甲"
    assert got.published_at == "2021-03-04T08:09:00+08:00"
    assert got.source == "甲报"
    assert got.paragraphs[0].startswith("第一段")
    assert got.method != "override"
    assert got.fallbacks == ["title", "published_at", "body", "source"]


def test_no_overrides_no_fallbacks() -> None:
    assert extract_article(PAGE, "http://x.cn/a.html").fallbacks == []


def test_short_title_from_override_is_kept() -> None:
    html = ("<html><head><title>杂粮走俏_忻州网</title></head><body><h1 class='t'>杂粮走俏</h1>"
            "<h1><span>2024-03-14 15:40 来源：忻州网</span></h1>"
            "<div class='main'><p>第一段，正文内容在这里，写得很长。</p></div></body></html>")
    assert extract_article(html, "http://x.cn/a.html", {"title": "h1.t"}).title == "杂粮走俏"
    assert extract_article(html, "http://x.cn/a.html").title == "杂粮走俏"
