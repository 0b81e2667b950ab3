"""The headline, never the <title> site-name suffix."""

from __future__ import annotations

import pytest

from govnews.extract.dom import parse
from govnews.extract.meta import read_gov_meta, read_meta_tags, split_title_tag
from govnews.extract.text import text_lines
from govnews.extract.title import find_title, heading_before, positioned_headings


def title_of(html: str) -> tuple[str | None, str | None]:
    root = parse(html)
    body = next(root.iter("body"), root)
    found = find_title(root, read_meta_tags(root), read_gov_meta(root), text_lines(body))
    return found.title, found.site_suffix


@pytest.mark.parametrize(
    ("tag", "head", "suffix"),
    [
        ("标题_临汾新闻网", "标题", "临汾新闻网"),
        ("标题 - 忻州网", "标题", "忻州网"),
        ("标题|频道|网站", "标题", "网站"),
        ("1-10月德清县固定资产投资", "1-10月德清县固定资产投资", None),
        ("只有标题", "只有标题", None),
    ],
)
def test_split_title_tag(tag: str, head: str, suffix: str | None) -> None:
    assert split_title_tag(tag) == (head, suffix)


def test_heading_agreeing_with_title_tag_wins_over_suffix() -> None:
    html = "<title>临汾市召开会议_临汾新闻网</title><body><h1>临汾新闻网</h1><h2>临汾市召开会议</h2></body>"
    assert title_of(html) == ("临汾市召开会议", "临汾新闻网")


def test_heading_with_separator_inside_headline_is_kept_whole() -> None:
    html = "<title>王文：中美贸易“持久战” - 观察者网</title><body><h1>王文：中美贸易“持久战”</h1></body>"
    assert title_of(html)[0] == "王文：中美贸易“持久战”"


def test_site_prefix_in_title_tag() -> None:
    headline = "联合国贸发报告：全球经济增长率降至2.3%"
    html = f"<title>明日股市预测--{headline}</title><body><div class='title-text'>{headline}</div></body>"
    assert title_of(html)[0] == headline


def test_short_logo_heading_matching_the_suffix_is_not_the_headline() -> None:
    html = "<title>新闻动态--中国地理学会官网</title><body><h1>中国地理学会</h1></body>"
    assert title_of(html) == ("新闻动态", "中国地理学会官网")


def test_article_title_meta_preferred() -> None:
    html = ("<head><title>会议 - 忻州市人民政府</title><meta name='ArticleTitle' content='岢岚县召开会议'></head>"
            "<body><h1>忻州市人民政府</h1></body>")
    assert title_of(html) == ("岢岚县召开会议", "忻州市人民政府")


def test_og_title_used_when_no_heading_agrees() -> None:
    html = "<head><title>某地新闻 | 某网</title><meta property='og:title' content='某地新闻'></head><body></body>"
    assert title_of(html)[0] == "某地新闻"


def test_visible_line_that_title_tag_starts_with() -> None:
    html = "<title>中华人民共和国监察法-纪检</title><body><td><span>中华人民共和国监察法</span></td></body>"
    assert title_of(html)[0] == "中华人民共和国监察法"


def test_title_tag_head_without_headings() -> None:
    assert title_of("<title>只有标题_网站</title><body><p>正文</p></body>") == ("只有标题", "网站")


def test_no_title_at_all() -> None:
    assert title_of("<body><p>正文</p></body>")[0] is None


def test_heading_before_body_for_a_column_name_title() -> None:
    root = parse("<body><h3>新闻动态</h3><h5>学术年会在重庆成功举行</h5><div id='b'><p>正文</p></div>"
                 "<h5>学会简介很长很长的一段</h5></body>")
    headings, positions = positioned_headings(root)
    body = root.xpath("//div[@id='b']")[0]
    assert heading_before(headings, positions[body], 4) == "学术年会在重庆成功举行"
    assert heading_before(headings, positions[body], 40) is None


def test_heading_before_skips_a_meta_line_heading() -> None:
    meta_line = "<h1><span>2024-03-14 15:40 来源：忻州网 作者：王芳</span></h1>"
    root = parse(f"<body>{meta_line}<div id='b'><p>正文</p></div></body>")
    headings, positions = positioned_headings(root)
    assert heading_before(headings, positions[root.xpath("//div[@id='b']")[0]], 2) is None
