"""strip_literal_tags: HTML tags that reached the text as characters go; angle brackets of prose stay."""

from __future__ import annotations

import pytest

from govnews.clean.markup import strip_literal_tags


@pytest.mark.parametrize(("text", "left"), [
    ('<p class="ql-block"><span style="font-size:18px;"> 旅程从沧州出发。</span></p> '
     '<p class="ql-block"> 离开忻州古城。</p>',
     "旅程从沧州出发。\n离开忻州古城。"),
    ('<p class="ql-block"><br></p><p class="ql-block">谷雨时节。</p>', "谷雨时节。"),
    ('<h1 style="text-align: center;"><b>临汾大槐树</b></h1><div><a href="http://blog.sina.com.cn/x" '
     'target="_blank" class="link"><i class="iconfont icon-iconfontlink"> </i>周国钢</a></div><h5> 大槐树</h5>',
     "临汾大槐树\n周国钢\n大槐树"),
    ("第一段\n\n<p>第二段</p>", "第一段\n\n第二段"),
    ("我喜欢<b>粗体</b>的标题", "我喜欢粗体的标题"),
])
def test_tags_go(text, left):
    result = strip_literal_tags(text)
    assert result.text == left and result.counts["tags"] >= 2
    assert strip_literal_tags(result.text).text == result.text  # idempotent


@pytest.mark.parametrize("text", [
    "若a<b且c>d,则结论成立。",       # a formula
    "<<诗经>>和<<楚辞>>",              # book-title marks typed as angle brackets
    "请在<城市名称>处填写",              # a placeholder of a form
    "第<1>项、第<2>项",                   # numbered items
    "标记<b>",                            # one bare tag: as likely a reader's notation
    "x < y, y > z",
    "没有任何标签的正文。",
])
def test_angle_brackets_of_prose_stay(text):
    assert strip_literal_tags(text).text == text
