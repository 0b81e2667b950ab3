"""Image placeholders and watermarks: what goes, and the text that looks like them but stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govnews.clean.placeholders import remove_copy_jammer, remove_image_placeholders, remove_watermarks

BODY = "11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。"


@pytest.mark.parametrize("line", [
    "20200923_e5a976e1cb725a99194293497df92720.jpg", "微信图片_20201125180628.jpg",
    "![](/Files261/BeyondPic/2022-11/8/1667908993036095950.jpg?h=592&w=950)", "打开网易新闻 查看精彩图片",
    "点击查看大图", "图片", "20241013200805763-76-1e54d.png_scale_.png", "自动草稿"])
def test_placeholder_lines_go(line):
    result = remove_image_placeholders(f"{BODY}\n{line}\n{BODY}")
    assert result.text == f"{BODY}\n{BODY}"


def test_inline_prompts_go_and_sentences_about_pictures_stay():
    assert remove_image_placeholders(f"{BODY}(相关资料图)").text == BODY
    for text in ("图片展示了县城新貌。", "请查看附件中的图片。", "活动照片见附件1.jpg所示的内容。",
                 "点击查看大图的功能已上线。", "系统自动草稿保存功能已上线。", "自动草稿箱", "图1.jpg和图2.png"):
        assert remove_image_placeholders(text).text == text


def test_a_tail_shared_after_the_full_stop_is_a_watermark():
    paragraphs = ["会议强调，要压实责任。内容来自某某网", "会议要求，要抓好落实。内容来自某某网",
                  "会议指出，要守牢底线。内容来自某某网", "这是最后一段。"]
    result = remove_watermarks("\n".join(paragraphs))
    assert result.text == "会议强调，要压实责任。\n会议要求，要抓好落实。\n会议指出，要守牢底线。\n这是最后一段。"
    assert result.counts == {"watermarks": 3}
    marked = "\n".join(f"第{i}段说明情况。www.example-mirror.com" for i in "一二三")
    assert remove_watermarks(marked).text == "第一段说明情况。\n第二段说明情况。\n第三段说明情况。"


def test_tails_that_differ_or_are_rare_stay():
    text = "第一条 总则。（一）\n第二条 范围。（二）\n第三条 定义。（三）"
    assert remove_watermarks(text).text == text
    law = ("第二十一条 妇女的生命权不受侵犯。禁止下列行为：\n第二十二条 妇女的人身自由不受侵犯。禁止下列行为：\n"
           "第二十四条 妇女的人格尊严不受侵犯。禁止下列行为：\n（二）超出限额留存现金的。（2011年1月8日删除）\n"
           "（三）挪用现金的。（2011年1月8日删除）\n（四）坐支现金的。（2011年1月8日删除）")
    assert remove_watermarks(law).text == law
    two = "要压实责任。内容来自某某网\n要抓好落实。内容来自某某网"
    assert remove_watermarks(two).text == two


@given(st.lists(st.sampled_from([BODY, "图片", "要压实责任。内容来自某某网", "微信图片_20201125180628.jpg",
                                 "（相关资料图）", ""]), max_size=8))
def test_idempotent(pieces):
    text = "\n".join(pieces)
    for step in (remove_image_placeholders, remove_watermarks):
        once = step(text)
        assert step(once.text).text == once.text


_TAIL_PIECES = ["。", "！", "？", "!", "?", "内容", "来自", "网", "a", "_", "-", " ", "\u3000", "·", "：", "（", "）",
                "，", "1", "com", "copyright"]


@given(st.lists(st.sampled_from(_TAIL_PIECES), max_size=30).map("".join))
def test_tail_read_from_the_last_sentence_end_equals_the_regex_search(line):
    from govnews.clean.placeholders import _TAIL, _tail

    match = _TAIL.search(line.rstrip())
    assert _tail(line) == (match["tail"].strip() if match else "")


_PLACEHOLDER_PIECES = ["图", "图片", "查看", "原图", "点击", "打开网易新闻", "精彩", "加载中", "…", "[", "]", "(", ")",
                       "!", ".", "jpg", "JPEG", "pNg", "gİf", "webp", "BMP", "img", "ıMG", "微信", "_", "2020", "-",
                       "?", "a=1", " ", "/Files/", "资料", "相关", "（", "）"]


@given(st.lists(st.sampled_from(_PLACEHOLDER_PIECES), min_size=1, max_size=8).map("".join))
def test_placeholder_lines_hold_a_hint(line):
    """Lines without the hint are skipped: every placeholder shape holds one."""
    from govnews.clean.placeholders import _PLACEHOLDER_HINT, _PLACEHOLDER_INLINE, _PLACEHOLDER_LINE

    if _PLACEHOLDER_LINE.fullmatch(line.strip()) or _PLACEHOLDER_INLINE.search(line):
        assert _PLACEHOLDER_HINT.search(line)


@pytest.mark.parametrize(
    ("text", "left"),
    [
        ("感觉真的变化不小。\n: Y( a1 U: V( { 不知如今户县人民的生活水品如何",
         "感觉真的变化不小。\n不知如今户县人民的生活水品如何"),
        ("$ C! N* d, ~/ A/ I! A希望户县的人民赶快富起来", "希望户县的人民赶快富起来"),
        ("7 F+ U; o$ j4 n0 c) A只有民富责国强,国家的未来在于县长。0 R0 i( X* `) O: Z",
         "只有民富责国强,国家的未来在于县长。"),
    ],
)
def test_a_forums_copy_jammer_goes(text, left):
    assert remove_copy_jammer(text).text == left


@pytest.mark.parametrize(
    "text",
    ["公式为 x + y = z 。", "选项 A B C D E 中选一个。", "编号 1 2 10 20 30 的房间。", "PM2.5 和 PM10 浓度下降。",
     "使用 C++ 和 C# 开发。", "他说 it is a nice day 。", "Windows 10 或 Office 365 均可。", "比分 3 : 1 , 2 : 0 。",
     "坐标 A1 B2 C3 D4 处有标记。", "a1 b2 c3 d4"],  # the last: no Han, not a forum copy of a Chinese post
)
def test_ascii_in_text_that_is_no_jammer_stays(text):
    assert remove_copy_jammer(text).text == text


def test_an_image_hash_left_on_a_line_goes():
    text = "县委召开会议。\n1769743413552eb9\n会议要求压实责任。"
    assert remove_image_placeholders(text).text == "县委召开会议。\n会议要求压实责任。"


@pytest.mark.parametrize("line", ["12345678901234567890", "abcdefabcdefabcdef", "统一社会信用代码91140900MA0K1234XY",
                                  "deadbeef1234", "校验值：1769743413552eb9"])
def test_numbers_words_and_labelled_hashes_stay(line):
    text = f"县委召开会议。\n{line}"
    assert remove_image_placeholders(text).text == text
