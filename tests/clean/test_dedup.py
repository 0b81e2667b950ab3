from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govnews.clean.dedup import (
    _FULLWIDTH,
    _KEY_NOISE,
    line_keys,
    remove_duplicated_body,
    remove_repeated_paragraphs,
    remove_repeated_title,
    text_key,
)

TITLE = "临汾市召开安全生产工作会议"
BODY = "临汾新闻网讯 11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。\n会议要求，各级各部门要压实责任。"


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        (f"{TITLE}\n{BODY}", {"title_lines": 1}),
        (f"{TITLE}\n{TITLE}\n{BODY}", {"title_lines": 2}),
        (f"{TITLE}{TITLE}{BODY}", {"glued_title": 2}),
        (f"{TITLE}{BODY}", {"glued_title": 1}),
        (f"{TITLE} {BODY}", {"glued_title": 1}),
    ],
)
def test_removes_repeated_title(text, counts):
    result = remove_repeated_title(text, TITLE)
    assert result.text == BODY
    assert result.counts == counts
    assert result.samples == (TITLE,)


def test_glued_title_before_a_date_opener():
    title = "龙湖集团“暗伤”曝露"
    text = f"{title}2019年，龙湖集团即将迎来赴港上市10周年。"
    assert remove_repeated_title(text, title).text == "2019年，龙湖集团即将迎来赴港上市10周年。"


def test_glued_title_before_a_second_copy_of_the_first_paragraph():
    title = "桐川县小米产业联合体带动农户增收"
    first = "走进桐川县东坪乡小米加工厂，生产线正在满负荷运转。"
    result = remove_repeated_title(f"{title}{first}\n第二段。\n{first}\n第二段。", title)
    assert result.text == f"{first}\n第二段。\n{first}\n第二段。"


def test_title_ending_a_question_is_always_a_sentence_of_its_own():
    title = "狂奔的龙湖集团暗伤曝露？"
    assert remove_repeated_title(f"{title}龙湖集团即将迎来上市。", title).text == "龙湖集团即将迎来上市。"


@pytest.mark.parametrize(
    "text",
    [
        f"{TITLE}，部署下一阶段重点工作。",  # the first sentence starts with the title's words
        f"{TITLE}暨表彰大会于今日举行。",  # the title is a prefix of a longer phrase
        f"{TITLE}在市政府举行，{BODY}",  # the title is the subject of the first sentence
        f"临汾市召开安全生产会议{BODY}",  # not the exact full title
        BODY,
    ],
)
def test_leaves_first_sentences_that_start_with_the_title(text):
    result = remove_repeated_title(text, TITLE)
    assert result.text == text
    assert result.counts == {}


def test_short_title_never_cut_from_a_glued_paragraph():
    assert remove_repeated_title("张三丰2019年出生于山西。", "张三丰").text == "张三丰2019年出生于山西。"


def test_keeps_a_body_that_is_only_the_title():
    assert remove_repeated_title(TITLE, TITLE).text == TITLE
    assert remove_repeated_title("", TITLE).text == ""
    assert remove_repeated_title(BODY, "").text == BODY


@pytest.mark.parametrize(
    "text",
    [
        f"{BODY}\n{BODY}",
        f"{BODY}{BODY}",
        f"{BODY}\n{TITLE}\n{BODY}",
        f"{BODY}\n{TITLE}{BODY}",
        f"{BODY}\n" + BODY.replace("会议", "会议(huìyì)").replace("，", ",").replace(" ", "\u3000"),
        "\n".join([BODY] * 4),
    ],
)
def test_keeps_first_copy_of_a_duplicated_body(text):
    result = remove_duplicated_body(text)
    assert result.text == BODY
    assert result.counts.get("duplicate_body", 0) >= 1
    assert result.samples


def test_title_prefixed_first_copy_keeps_its_title_for_the_title_step():
    result = remove_duplicated_body(f"{TITLE}\n{BODY}\n{BODY}")
    assert result.text == f"{TITLE}\n{BODY}"


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "图片\n图片",
        f"{BODY}\n这是一段不同的中间内容，长度远远超过重复部分的一半以上，因此不是同一篇文章的两次发布。" * 1
        + f"\n{BODY.splitlines()[0]}",
        f"{BODY}\n{BODY}\n补充一句不同的结尾。",
    ],
)
def test_leaves_bodies_that_are_not_two_copies(text):
    result = remove_duplicated_body(text)
    assert result.text == text
    assert result.counts == {}


def test_removes_immediately_repeated_meaningful_paragraphs_only():
    para = "会议要求，各级各部门要压实责任，确保安全生产形势稳定。"
    text = f"图片\n{para}\n{para.replace('，', '， ')}\n2020-11-24\n2020-11-24\n{para}"
    result = remove_repeated_paragraphs(text)
    assert result.text == f"图片\n{para}\n2020-11-24\n2020-11-24\n{para}"
    assert result.counts == {"repeated_paragraphs": 1}


def test_clauses_a_law_repeats_on_purpose_stay():
    """Real text (刑法): the same clause closes several articles; none of it is an artifact."""
    text = (
        "第一百四十九条 生产、销售本节第一百四十一条至第一百四十八条所列产品，不构成各该条规定的犯罪，"
        "但是销售金额在五万元以上的，依照本节第一百四十条的规定定罪处罚。\n"
        "单位犯本节第一百四十条至第一百四十八条规定之罪的，对单位判处罚金，并对其直接负责的主管人员和"
        "其他直接责任人员，依照各该条的规定处罚。\n"
        "第一百五十一条 走私武器、弹药、核材料或者伪造的货币的，处七年以上有期徒刑，并处罚金或者没收财产。\n"
        "单位犯前款罪的，对单位判处罚金，并对其直接负责的主管人员和其他直接责任人员，依照前款的规定处罚。\n"
        "第一百五十二条 以牟利或者传播为目的，走私淫秽的影片、录像带、录音带、图片、书刊或者其他淫秽物品的，"
        "处三年以上十年以下有期徒刑，并处罚金。\n"
        "单位犯前款罪的，对单位判处罚金，并对其直接负责的主管人员和其他直接责任人员，依照前款的规定处罚。\n"
        "（五）法律、行政法规规定的其他义务。\n第二十条 前款规定适用于本法。\n（五）法律、行政法规规定的其他义务。"
    )
    assert remove_repeated_paragraphs(text).text == text


def test_a_block_pasted_twice_in_a_row_keeps_one_copy():
    block = ["第一段内容很长很长，讲述了县里召开会议的情况。", "图片", "第二段继续介绍会议要求各部门压实责任。"]
    text = "\n".join(["导语在这里，说明了会议的背景情况。", *block, *block, "结尾一段，说明了下一步工作安排。"])
    result = remove_repeated_paragraphs(text)
    assert result.text == "\n".join(["导语在这里，说明了会议的背景情况。", *block, "结尾一段，说明了下一步工作安排。"])
    assert result.counts == {"repeated_paragraphs": 3}


def test_repeated_table_cells_and_labels_stay():
    """Three people of one unit: the cell repeats per row, and dropping it would shift the rows."""
    rows = ["张三", "忻州市人力资源和社会保障局科员", "李四", "忻州市人力资源和社会保障局科员",
            "王五", "忻州市人力资源和社会保障局科员", "2020年11月24日", "2020年11月24日",
            "忻州市人力资源和社会保障局关于公示拟录用公务员名单的有关事项说明"] * 2
    text = "\n".join(rows)
    assert remove_repeated_paragraphs(text).text == text


def test_long_unpunctuated_paragraph_repeat_goes():
    para = "忻州市人力资源和社会保障局" * 4  # 52 Han characters: prose by length alone
    result = remove_repeated_paragraphs(f"{BODY}\n{para}\n{para}")
    assert result.text == f"{BODY}\n{para}"


def test_repeated_short_sentences_go_when_they_end_like_prose():
    para = "“会议要求各级各部门要压实责任！”"
    assert remove_repeated_paragraphs(f"{para}\n{para}").text == para
    assert remove_repeated_paragraphs("好的。\n好的。").text == "好的。\n好的。"  # too short to be an accident


def test_questions_asked_of_every_respondent_stay():
    text = (
        "债券市场存在泡沫吗？你的预测是什么？\n估值确实过高，因此这可以被视为泡沫。\n"
        "债券市场存在泡沫吗？你的预测是什么？\n完全没有泡沫，需求远远超过供应。\n"
        "摩根大通首席投资官的回答如下：\n不。\n摩根大通首席投资官的回答如下：\n不。"
    )
    assert remove_repeated_paragraphs(text).text == text


def test_repeated_paragraphs_leave_distinct_text_alone():
    assert remove_repeated_paragraphs(BODY).counts == {}
    assert remove_repeated_paragraphs("").text == ""


def test_linear_on_large_inputs():
    han = "中" * 200_000
    assert remove_duplicated_body(han).text == han  # one repeated character is not two bodies
    rng = random.Random(7)
    half = "".join(chr(0x4E00 + rng.randrange(20_000)) for _ in range(300_000))
    assert remove_duplicated_body(f"{half}\n{half}").text == half
    assert remove_repeated_paragraphs("\n".join([BODY] * 10_000)).text == BODY
    assert remove_repeated_title("(" * 10_000, "(" * 5_000).text == "(" * 5_000
    assert remove_repeated_title("\n".join([TITLE] * 100_000 + [BODY]), TITLE).text == BODY


_PIECES = [TITLE, BODY, "图片", "会议要求，各级各部门要压实责任。", "新闻(xīnwén)", " ", "2020-11-24"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.sampled_from(["\n", ""]))
def test_idempotent(pieces, sep):
    text = sep.join(pieces)
    for step in (remove_duplicated_body, remove_repeated_paragraphs, lambda t: remove_repeated_title(t, TITLE)):
        once = step(text)
        twice = step(once.text)
        assert twice.text == once.text
        assert twice.counts == {}


@pytest.mark.parametrize("copies", [3, 4])
def test_body_published_three_or_more_times_keeps_one_copy(copies: int) -> None:
    body = ("第一段内容很长很长，讲述了县里召开会议的情况。\n第二段继续介绍会议要求各部门压实责任确保落实。\n"
            "第三段结尾总结。")
    result = remove_duplicated_body("\n".join([body] * copies))
    assert result.text == body and result.counts == {"duplicate_body": 1}


def test_caption_lines_captioned_alike_stay():
    """Two photos in a row under the same caption: by design, like a survey's repeated question."""
    text = "▲图为志愿者在村口为群众讲解垃圾分类知识。\n▲图为志愿者在村口为群众讲解垃圾分类知识。\n正文。"
    assert remove_repeated_paragraphs(text).text == text
    pasted = "志愿者在村口为群众讲解垃圾分类知识，村民们纷纷点赞。"
    assert remove_repeated_paragraphs(f"{pasted}\n{pasted}").text == pasted  # prose pasted twice still goes


def _key_as_first_written(text: str) -> str:
    return _KEY_NOISE.sub("", text).translate(_FULLWIDTH)


_KEY_ALPHABET = st.sampled_from([
    "(", ")", "（", "）", "a", "ā", "x", "Ａ", "'", " ", "\t", "\u3000", "\u00a0", "\n", "\r", "\u2028", "\x1c",
    "新", "闻", "，", "！", "１", "～", "-",
])


@given(st.lists(_KEY_ALPHABET, max_size=40).map("".join))
def test_keys_equal_the_one_regex_definition(text):
    """The faster key (glosses, then folding, then blanks) equals the single-scan definition, line by line too."""
    assert text_key.__wrapped__(text) == _key_as_first_written(text)
    assert line_keys.__wrapped__(text) == tuple(_key_as_first_written(line) for line in text.split("\n"))


_PARAGRAPHS = ["第一段内容很长很长，讲述了县里召开会议的情况。", "会议要求，各级各部门要压实责任。", "图片", "",
               "2020-11-24", "第二段继续介绍会议要求各部门压实责任确保落实。"]


@given(st.lists(st.sampled_from(_PARAGRAPHS), max_size=40))
def test_block_sizes_tried_from_key_positions_find_what_every_size_finds(lines):
    from govnews.clean.dedup import _drop_immediate_repeats

    keys = [text_key(line) for line in lines]
    assert _drop_immediate_repeats(lines, keys) == _drop_immediate_repeats(lines, keys, indexed=False)


_UNIQUE_OR_NOT = st.one_of(st.sampled_from(_PARAGRAPHS),
                           st.integers(0, 10**6).map(lambda n: f"第{n}条，会议要求各级各部门压实责任，确保落实。"))


@given(st.lists(_UNIQUE_OR_NOT, max_size=80))
def test_text_without_a_near_repeat_is_left_at_once(lines):
    from govnews.clean.dedup import _drop_immediate_repeats, _has_repeat

    keys = [text_key(line) for line in lines]
    if not _has_repeat(keys):
        assert _drop_immediate_repeats(lines, keys, indexed=False)[2] == []


# --- a title copy under page chrome, or broken over two lines (review 1: c20, c51, c63, c76, c12, c16) ---

@pytest.mark.parametrize(
    "head",
    [
        "福州新闻网",  # a site's name
        "2018年1月5日| 联系热线:17636155855",  # a top bar
        '<strike id="hv4hj"></strike>\n<center id="hv4hj"><ol id="hv4hj"></ol></center>',  # leaked tags
        "新闻:0351-4281494 | 广告:0351-4281470\n读报\n客户端\n融媒矩阵",  # a masthead
        "当前位置：首页 > 新闻中心",
    ],
)
def test_page_chrome_above_a_title_copy_goes_with_it(head):
    result = remove_repeated_title(f"{head}\n{TITLE}\n{TITLE}\n{BODY}", TITLE)
    assert result.text == BODY
    assert result.counts["head_chrome"] == head.count("\n") + 1


def test_a_title_broken_over_two_lines_goes():
    assert remove_repeated_title(f"临汾市召开\n安全生产工作会议\n{BODY}", TITLE).text == BODY


def test_an_issuer_over_a_title_copy_stays():
    text = f"临汾市人民政府办公室\n{TITLE}\n（2005年11月25日通过）\n第一条 为了加强管理，制定本办法。"
    assert remove_repeated_title(text, TITLE).text == text.replace(f"{TITLE}\n", "")


@pytest.mark.parametrize(
    "head",
    [
        "各乡镇人民政府，县直各单位：",  # a notice's addressee: no chrome mark
        "会议指出，要压实责任。",  # a sentence
        "第一章 总则",
        "临汾市人民政府",  # an issuer under which the title is printed: the issuer stays (test above)
    ],
)
def test_what_is_no_chrome_stays_above_a_title_copy(head):
    text = f"{head}\n{TITLE}\n{BODY}"
    assert head in remove_repeated_title(text, TITLE).text


def test_a_body_published_twice_with_a_credit_line_after_both():
    result = remove_duplicated_body(f"{BODY}\n{BODY}\n责任编辑：曹强")
    assert result.text == f"{BODY}\n责任编辑：曹强"


def test_removing_chrome_and_titles_is_idempotent():
    for text in (f"福州新闻网\n{TITLE}\n{TITLE}\n{BODY}", f"临汾市人民政府\n{TITLE}\n{TITLE}\n{BODY}"):
        once = remove_repeated_title(text, TITLE).text
        assert remove_repeated_title(once, TITLE).text == once


def test_a_summary_label_before_a_title_copy():
    assert remove_repeated_title(f"本文摘要:{TITLE}\n{BODY}", TITLE).text == BODY
    summary = f"本文摘要:会议部署了下一阶段重点工作。\n{BODY}"  # a real summary stays
    assert remove_repeated_title(summary, TITLE).text == summary


def test_a_spaced_nav_bar_above_a_title_copy():
    head = "首 页 走进西乡 新闻中心 政府信息公开 政务服务"
    assert remove_repeated_title(f"{head}\n{TITLE}\n{BODY}", TITLE).text == BODY


def test_a_law_sites_issuer_over_the_title():
    text = "贵州省人大常委会\n贵州省渔业条例\n(2005年11月25日通过)\n第一条 为加强渔业资源的保护，制定本条例。"
    assert remove_repeated_title(text, "贵州省渔业条例").text == text.replace("贵州省渔业条例\n", "", 1)
