"""The first DOM pass: invisible nodes, ruby, body markers, parsing odd input."""

from __future__ import annotations

from collections import Counter

import parsel

from govnews.extract.dom import (
    drop,
    flatten_deep_nesting,
    parse,
    strip_invisible,
    strip_ruby,
    tree_depth,
    unwrap,
    wrap_between_markers,
)
from govnews.extract.text import text_lines


def test_invisible_nodes_removed_and_counted_tails_kept() -> None:
    root = parse("<body><p>甲<script>var a=1;</script>乙<style>p{}</style>丙<!-- 注释 -->丁"
                 "<span style='display: none'>隐藏</span>戊<noscript>请开启</noscript>己<button>按钮</button>庚"
                 "<div hidden>也隐藏</div></p></body>")
    counts: Counter[str] = Counter()
    strip_invisible(root, counts)
    assert text_lines(root) == ["甲乙丙丁戊己庚"]
    assert counts == {"script_nodes": 3, "hidden_nodes": 2, "widget_nodes": 1}


def test_visible_styles_are_kept() -> None:
    root = parse("<p style='display:block;color:red'>看得见</p><p style='visibility: visible'>也看得见</p>")
    strip_invisible(root, Counter())
    assert text_lines(root) == ["看得见", "也看得见"]


def test_ruby_keeps_base_text_drops_readings() -> None:
    root = parse("<p>康<ruby>復<rp>(</rp><rt>fù</rt><rp>)</rp></ruby>中心，"
                 "<ruby><rb>網</rb><rt>wǎng</rt><rb>絡</rb><rt>luò</rt></ruby>。</p>")
    counts: Counter[str] = Counter()
    strip_ruby(root, counts)
    assert text_lines(root) == ["康復中心，網絡。"]
    assert counts == {"ruby": 3}


def test_no_ruby_nothing_counted() -> None:
    root = parse("<p>没有注音(fù)的文字</p>")
    counts: Counter[str] = Counter()
    strip_ruby(root, counts)
    assert text_lines(root) == ["没有注音(fù)的文字"] and not counts


def test_zjeg_comment_markers_wrap_the_body() -> None:
    root = parse("<div id='zoom'><p>前</p><!--ZJEG_RSS.content.begin-->正文开头<p>正文</p>"
                 "<!--ZJEG_RSS.content.end--><p>打印</p></div>")
    assert wrap_between_markers(root) == "cms:ZJEG_RSS"
    box = root.xpath("//div[@class='govnews-marked-content']")[0]
    assert text_lines(box) == ["正文开头", "正文"]


def test_content_start_meta_markers() -> None:
    root = parse("<body><div><meta name='ContentStart'><p>正文</p><meta name='ContentEnd'><p>尾巴</p></div></body>")
    assert wrap_between_markers(root) == "meta"
    assert text_lines(root.xpath("//div[@class='govnews-marked-content']")[0]) == ["正文"]
    assert wrap_between_markers(parse("<p>没有标记</p>")) is None


def test_drop_and_unwrap_keep_surrounding_text() -> None:
    root = parse("<p>一<b>二</b>三<i>四<u>五</u>六</i>七</p>")
    drop(root.xpath("//b")[0])
    unwrap(root.xpath("//i")[0])
    assert text_lines(root) == ["一三四五六七"]
    assert root.xpath("//u")


def test_premature_end_html_does_not_hide_the_rest() -> None:
    assert "正文" in text_lines(parse("<html><body><p>头</p></body></html><div><p>正文</p></div>"))


def test_selector_tree_is_copied() -> None:
    sel = parsel.Selector(text="<p>x<script>y</script></p>")
    root = parse(sel)
    strip_invisible(root, Counter())
    assert sel.xpath("//script")


def test_deep_nesting_keeps_its_text() -> None:
    html = "<html><body>" + "<div>" * 10_000 + "深处的正文" + "</div>" * 10_000 + "</body></html>"
    root = parse(html)
    assert "深处的正文" in "".join(root.itertext())
    assert tree_depth(root) < 260


def test_flatten_deep_nesting_leaves_shallow_html_alone() -> None:
    html = "<div><p>一<br>二<img src='a'></p></div>"
    assert flatten_deep_nesting(html) == html
    assert flatten_deep_nesting("<b>" * 5 + "x" + "</b>" * 5, max_depth=2) == "<b><b>x</b></b>"
