from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govnews.clean.article import clean_article
from govnews.clean.credits import extract_credits, split_caption
from govnews.items import Article

BODY = "11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。"


@pytest.mark.parametrize(
    ("text", "authors"),
    [
        (f"{BODY}\n(张三 李四)", ["张三", "李四"]),
        (f"{BODY}\n（记者 张三 通讯员 李四）", ["张三", "李四"]),
        (f"{BODY}（记者 张三、李四）", ["张三", "李四"]),
        (f"记者 张三\n{BODY}", ["张三"]),
        (f"通讯员 李四\n{BODY}", ["李四"]),
        (f"记者：张三 王五\n{BODY}", ["张三", "王五"]),
        (f"文/张三\n{BODY}", ["张三"]),
        (f"作者：张三\n{BODY}", ["张三"]),
        (f"{BODY}\n记者 张三 通讯员 李四 报道", ["张三", "李四"]),
        (f"{BODY}\n（欧阳修 司马光）", ["欧阳修", "司马光"]),
        (f"{BODY}\n（记者 欧阳文静）", ["欧阳文静"]),
        (f"{BODY}\n（李安安 洛宇峰）", ["李安安", "洛宇峰"]),
        (f"{BODY} （张三 王五）", ["张三", "王五"]),
        (f"文/李四\n{BODY}", ["李四"]),
    ],
)
def test_bylines_move_to_authors(text, authors):
    result = extract_credits(text)
    assert result.text == BODY
    assert result.extracted["authors"] == authors
    assert result.counts["authors"] == len(authors)
    assert result.samples


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (f"临汾新闻网讯 (记者 张三) {BODY}", f"临汾新闻网讯 {BODY}"),
        (f"本报讯（记者 张三）{BODY}", f"本报讯{BODY}"),
        (f"新华社北京11月24日电（记者张三）{BODY}", f"新华社北京11月24日电{BODY}"),
    ],
)
def test_dateline_byline_moves_out_but_the_dateline_stays(text, kept):
    result = extract_credits(text)
    assert result.text == kept
    assert result.extracted == {"authors": ["张三"]}
    assert result.counts == {"dateline_authors": 1}


def test_dateline_notes_are_not_names():
    result = extract_credits(f"长江网10月4日讯（记者陈智 整合） {BODY}")
    assert result.extracted == {"authors": ["陈智"]}
    assert result.text == f"长江网10月4日讯 {BODY}"


def test_dateline_with_two_roles():
    result = extract_credits(f"本报讯（记者 张三 通讯员 李四）{BODY}")
    assert result.extracted["authors"] == ["张三", "李四"]


def test_several_bylines_after_one_dateline():
    result = extract_credits(f"本报讯（记者 张三）（通讯员 李四）{BODY}")
    assert result.text == f"本报讯{BODY}"
    assert result.extracted == {"authors": ["张三", "李四"]}


def test_dateline_naming_an_outlet_is_left_alone():
    text = f"本报讯（新华社）{BODY}"
    assert extract_credits(text).text == text


@pytest.mark.parametrize(
    "line",
    ["责任编辑:王五", "责任编辑：王五", "编辑：王五", "[责任编辑：王五]", "【责任编辑：王五】"],
)
def test_editor_lines(line):
    result = extract_credits(f"{BODY}\n{line}")
    assert result.text == BODY
    assert result.extracted == {"editor": ["王五"]}


def test_editor_glued_to_last_paragraph_and_review_credit_dropped():
    result = extract_credits(f"{BODY}责任编辑：李跃群校对：刘威")
    assert result.text == BODY
    assert result.extracted == {"editor": ["李跃群"]}
    assert result.counts == {"editor": 1, "review": 1}


def test_review_line_is_removed_without_becoming_editor():
    result = extract_credits(f"{BODY}\n审核：刘八")
    assert result.text == BODY
    assert result.extracted == {}
    assert result.counts == {"review": 1}


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("图片由临汾市文旅局提供", "临汾市文旅局"),
        ("摄影 孙七", "孙七"),
        ("摄影：孙七", "孙七"),
        ("图/孙七", "孙七"),
        ("记者 孙七 摄", "孙七"),
        ("（图片来源：网络）", "网络"),
    ],
)
def test_photo_credits(line, credit):
    result = extract_credits(f"{BODY}\n{line}\n{BODY}")
    assert result.text == f"{BODY}\n{BODY}"
    assert result.extracted == {"photo_credits": [credit]}


def test_captions_moved_together_above_the_body():
    text = f"▲会议现场\n▲与会人员认真听讲\n{BODY}\n图为会议现场。\n（资料图）\n上图：新建的大桥\n{BODY}"
    result = extract_credits(text)
    assert result.text == f"{BODY}\n{BODY}"
    captions = ["会议现场", "与会人员认真听讲", "图为会议现场。", "资料图", "上图：新建的大桥"]
    assert result.extracted == {"captions": captions}
    assert result.counts == {"captions": 5}


@pytest.mark.parametrize(
    "text",
    [
        "记者从县委宣传部获悉，今年全县新增就业岗位三千个。",
        f"{BODY}\n记者从县委宣传部获悉，今年全县新增就业岗位三千个。",
        f"{BODY}\n编辑部全体人员向读者致以新年问候。",
        f"{BODY}\n（人民日报）",
        f"{BODY}\n（新华社）",
        f"{BODY}\n（完）",
        f"{BODY}\n（本报综合）",
        "他的老师是著名学者（张三）",
        f"张三 李四\n{BODY}",  # bare names without parentheses are not a byline
        f"{BODY}\n（张三）\n{BODY}",  # only at the end
        f"{BODY}\n图片",
        "王文/李图两位同志参加了会议。",
        "上图所示的三条线路将于明年通车。",
    ],
)
def test_leaves_body_sentences_alone(text):
    result = extract_credits(text)
    assert result.text == text
    assert result.counts == {}
    assert result.extracted == {}


@pytest.mark.parametrize(
    "note",
    ["（附件略）", "（全文完）", "（第十批）", "（试行）", "（草案）", "（摘编）", "（完）", "（待续）", "（转载）",
     "（暂行）", "（节选）", "(第二期)", "（征求意见稿）", "（张三 附件略）", "（和平）", "（盖章）", "（单位盖章）",
     "（时间待定）", "（方案）", "（常务）", "（石楼县）", "（程序）", "（任务清单）", "（王五）", "（张三）"],
)
def test_closing_document_notes_are_not_bylines(note):
    for text in (f"{BODY}\n{note}", f"{BODY}{note}", f"{BODY} {note}"):
        result = extract_credits(text)
        assert result.text == text
        assert result.extracted == {}


def test_dateline_note_is_not_a_byline():
    text = f"本报讯（第十批）{BODY}"
    assert extract_credits(text).text == text


def test_many_caption_lines_in_order_one_per_picture():
    """Captions are one per picture, repeats included (a second gallery captioned like the first)."""
    captions = [f"▲图为第{i}张照片" for i in range(3000)]
    result = extract_credits("\n".join([*captions, *captions, BODY]))
    assert result.text == BODY
    assert result.extracted["captions"] == [c[1:] for c in captions] * 2
    assert result.counts == {"captions": 6000}


def test_repeated_names_kept_once_in_order():
    result = extract_credits(f"记者 张三 李四\n{BODY}\n（记者 李四 张三）")
    assert result.extracted["authors"] == ["张三", "李四"]


def test_many_dateline_bylines_are_read_in_one_pass():
    result = extract_credits("本报讯" + "（记者 张三）（通讯员 李四）" * 5000 + BODY)
    assert result.text == f"本报讯{BODY}"
    assert result.extracted == {"authors": ["张三", "李四"]}
    assert result.counts == {"dateline_authors": 10_000}


def test_strips_trailing_punctuation_from_names():
    result = extract_credits(f"{BODY}\n记者：张三、李四。")
    assert result.extracted["authors"] == ["张三", "李四"]


def test_linear_on_adversarial_input():
    assert extract_credits("（" * 10_000).text == "（" * 10_000
    huge = "记者" * 100_000 + "（张三）"
    assert extract_credits(huge).text == huge
    han = "中" * 200_000
    assert extract_credits(han).text == han
    assert extract_credits("\n".join(["记者 张三"] * 50_000 + [BODY])).text == BODY


_PIECES = ["▲会议现场", BODY, "（记者 张三）", "责任编辑：王五", "本报讯（记者 李四）" + BODY, "图片", "记者 张三"]


@given(st.lists(st.sampled_from(_PIECES), max_size=8))
def test_idempotent(pieces):
    once = extract_credits("\n".join(pieces))
    twice = extract_credits(once.text)
    assert twice.text == once.text
    assert twice.counts == {}


def test_poem_attribution_stays():
    text = "长风破浪会有时，直挂云帆济沧海。（李白）"
    assert extract_credits(text).text == text
    assert extract_credits(f"{BODY}\n{text}").text == f"{BODY}\n{text}"


@pytest.mark.parametrize(
    "line", ["（附件：1.报名表 2.流程图）", "（详见附件：工作流程图）", "（见下图）", "（如图所示）"],
)
def test_bracketed_notes_mentioning_pictures_stay(line):
    for text in (f"{BODY}\n{line}\n{BODY}", f"{BODY}\n{line}"):
        result = extract_credits(text)
        assert result.text == text
        assert result.extracted == {}


@pytest.mark.parametrize(
    ("line", "caption"),
    [("（图为会议现场）", "图为会议现场"), ("（图片：新建的大桥）", "图片：新建的大桥"),
     ("图：新建的大桥", "图：新建的大桥"), ("（资料图）", "资料图")],
)
def test_caption_shapes_go(line, caption):
    result = extract_credits(f"{BODY}\n{line}\n{BODY}")
    assert result.text == f"{BODY}\n{BODY}"
    assert result.extracted == {"captions": [caption]}


@pytest.mark.parametrize(
    "line",
    ["▲ 宋家沟村杏花盛开 李红梅 摄", "▲宋家沟村杏花盛开　李红梅摄", "▲ 宋家沟村杏花盛开（李红梅 摄）",
     "▲宋家沟村杏花盛开 图/李红梅", "（图为宋家沟村杏花盛开 李红梅 摄）"],
)
def test_caption_photo_credit_moves_to_photo_credits(line):
    result = extract_credits(f"{BODY}\n{line}\n{BODY}")
    assert result.text == f"{BODY}\n{BODY}"
    caption = "图为宋家沟村杏花盛开" if "图为" in line else "宋家沟村杏花盛开"
    assert result.extracted == {"captions": [caption], "photo_credits": ["李红梅"]}


def test_caption_marks_stripped_and_caption_naming_a_place_kept_whole():
    result = extract_credits(f"▲▲ 图为◆会场\n{BODY}\n▲ 游客在张家界摄影")
    assert result.extracted == {"captions": ["图为◆会场", "游客在张家界摄影"]}
    assert result.text == BODY


@pytest.mark.parametrize(
    ("text", "extracted"),
    [
        (f"文·图/张三 李四\n{BODY}", {"authors": ["张三", "李四"], "photo_credits": ["张三", "李四"]}),
        (f"文/图 张三\n{BODY}", {"authors": ["张三"], "photo_credits": ["张三"]}),
        (f"□ 本报记者 张三\n{BODY}", {"authors": ["张三"]}),
        (f"■本报记者 张三\n{BODY}", {"authors": ["张三"]}),
        (f"{BODY}\n（文/张三 图/李四）", {"authors": ["张三"], "photo_credits": ["李四"]}),
        (f"{BODY}\n（张三 文/图）", {"authors": ["张三"], "photo_credits": ["张三"]}),
        (f"{BODY}\n初审：王五 二审：李四 三审：赵六", {}),
        (f"{BODY}\n责任编辑：钱七\n初审：王五 二审：李四 三审：赵六", {"editor": ["钱七"]}),
    ],
)
def test_byline_forms_leave_the_text(text, extracted):
    result = extract_credits(text)
    assert result.text == BODY
    assert result.extracted == extracted


@pytest.mark.parametrize(
    "text",
    [f"{BODY}\n■ 加强组织领导，压实各方责任。", f"{BODY}\n● 二审：案件已审结。", "文图并茂的宣传册已经发放到各村。"],
)
def test_marked_body_lines_and_sentences_stay(text):
    assert extract_credits(text).text == text


def test_split_caption_for_figcaptions():
    expected = {"captions": ["宋家沟村杏花盛开"], "photo_credits": ["李红梅"]}
    assert split_caption("▲ 宋家沟村杏花盛开　李红梅 摄") == expected
    assert split_caption("■ 游客在张家界摄影") == {"captions": ["游客在张家界摄影"]}
    assert split_caption("李红梅 摄") == {"captions": ["李红梅 摄"]}  # nothing left to caption: left as it was
    assert split_caption("▲") is None


def test_dotted_minority_names():
    result = extract_credits(f"记者 阿依古丽·买买提\n{BODY}\n责任编辑：努尔·阿布都拉")
    assert result.text == BODY
    assert result.extracted == {"authors": ["阿依古丽·买买提"], "editor": ["努尔·阿布都拉"]}
    text = f"{BODY}\n（阿依古丽·买买提）"  # bare: not a byline, as for any single name
    assert extract_credits(text).text == text


# Credit blocks as county portals and WeChat accounts print them (lines from real pages; see
# tests/realtext/ for the pages themselves).
@pytest.mark.parametrize(
    ("block", "extracted"),
    [
        ("县融媒体中心记者:陈庆彬\n编 辑:苏 伟\n一 审:魏 倩\n二 审:罗兴美\n三 审:罗 华\n总监制:骆世明",
         {"authors": ["陈庆彬"], "editor": ["苏伟"]}),
        ("记 者 | 张子鹤 赵 鑫\n视 觉 | 方 堃", {"authors": ["张子鹤", "赵鑫"]}),
        ("融媒体记者:陈时雨\n一审:刘锦芮\n二审:黄炎\n三审:王进", {"authors": ["陈时雨"]}),
        ("全媒体记者:王勃 陶然\n编辑:付波 熊哲\n编审:熊晓辉",
         {"authors": ["王勃", "陶然"], "editor": ["付波", "熊哲"]}),
        ("责编：张三\n一审：李四\n二审：王五\n三审：赵六\n来源：县融媒体中心",
         {"editor": ["张三"], "source": ["县融媒体中心"]}),
        ("来源:凤翔县人民政府网", {"source": ["凤翔县人民政府网"]}),
        ("撰稿：李明\n编校：王刚", {"authors": ["李明"], "editor": ["王刚"]}),
        ("本 期 编 辑：张欣", {"editor": ["张欣"]}),
        ("供稿：县委宣传部", {"source": ["县委宣传部"]}),
        ("平舆融媒 常启慧 朱青 单江坤", {"authors": ["常启慧", "朱青", "单江坤"], "source": ["平舆融媒"]}),
    ],
)
def test_credit_blocks_at_the_end(block, extracted):
    result = extract_credits(f"{BODY}\n{block}")
    assert result.text == BODY
    assert result.extracted == extracted


@pytest.mark.parametrize(
    ("text", "extracted"),
    [
        (f"{BODY}(来源:秦安县融媒体中心 转载:康翠霞)", {"source": ["秦安县融媒体中心"]}),
        (f"{BODY}(图/文:县新闻中心 张坤)", {"authors": ["张坤"], "photo_credits": ["张坤"],
                                          "source": ["县新闻中心"]}),
        (f"{BODY}(县电视台鲁冠均)", {"authors": ["鲁冠均"], "source": ["县电视台"]}),
        ("山西品牌丝路行主题为“走丝绸之路，促合作共赢”。南美站活动将先后在巴西、乌拉圭、阿根廷举行。（张巨峰）",
         {"authors": ["张巨峰"]}),
    ],
)
def test_credits_glued_to_the_last_paragraph(text, extracted):
    result = extract_credits(text)
    assert result.extracted == extracted
    assert not result.text.endswith(("）", ")"))


@pytest.mark.parametrize(
    ("text", "kept", "extracted"),
    [
        (f"每经记者 冯彪 每经编辑 赵庆\n{BODY}", BODY, {"authors": ["冯彪"], "editor": ["赵庆"]}),
        (f"文/梅州日报记者:刘巧\n{BODY}", BODY, {"authors": ["刘巧"]}),
        (f"【全媒体记者 李索】\n{BODY}", BODY, {"authors": ["李索"]}),
        (f"【全媒体记者 李索】{BODY}", BODY, {"authors": ["李索"]}),
        (f"□记者 张三 报道\n{BODY}", BODY, {"authors": ["张三"]}),
        (f"□记者 张三 通讯员 李四 报道 {BODY}", BODY, {"authors": ["张三", "李四"]}),
        (f"采访人员 王强\n{BODY}", BODY, {"authors": ["王强"]}),
        (f"会议提出五项要求。\n本报讯（记者 张三）{BODY}", f"会议提出五项要求。\n本报讯{BODY}", {"authors": ["张三"]}),
    ],
)
def test_bylines_at_the_top(text, kept, extracted):
    result = extract_credits(text)
    assert result.text == kept
    assert result.extracted == extracted


@pytest.mark.parametrize(
    ("line", "caption", "credit"),
    [
        ("山西省平顺县玉峡关镇太行山风光 。新华社记者 詹彦 摄", "山西省平顺县玉峡关镇太行山风光 。", "詹彦"),
        ("汾河太原段一景。新华社记者 杨晨光 摄", "汾河太原段一景。", "杨晨光"),
        ("代表们在会场外合影。（人民网记者 黄玉琦摄）", "代表们在会场外合影。", "黄玉琦"),
    ],
)
def test_caption_closing_with_an_outlet_reporter(line, caption, credit):
    assert split_caption(line) == {"captions": [caption], "photo_credits": [credit]}


@pytest.mark.parametrize(
    "text",
    [
        f"{BODY}\n（王五）",  # a lone short note stays: （石楼县）, a poem's （李白） have the same shape
        "长风破浪会有时，直挂云帆济沧海。（李白）",
        f"{BODY}（来源：网络）",
        f"{BODY}\n记者了解到，全县已有三千人就业。",
        f"{BODY}\n（每经编辑部）",
        f"{BODY}\n编辑 部分内容来自网络",
    ],
)
def test_not_credits(text):
    assert extract_credits(text).text == text


def test_page_metadata_lines_leave_the_text_and_placeholders_give_no_source():
    result = extract_credits(f"2020-12-29 14:59:22 来源:重庆日报 作者:\n{BODY}")
    assert result.text == BODY and result.extracted.get("source") == ["重庆日报"]
    result = extract_credits(f"原标题:县委书记到县融媒体中心调研\n{BODY}")
    assert result.text == BODY and not result.extracted
    result = extract_credits(f"{BODY}\n来源：本站原创")
    assert result.text == BODY and "source" not in result.extracted
    prose = f"{BODY}\n会议时间：2024年3月1日上午9时，地点：县政府三楼会议室。"
    assert extract_credits(prose).text == prose


def test_metadata_line_with_a_counter_gives_its_source():
    result = extract_credits(f"2020-11-24 10:59:00 来源:山西日报 浏览次数:\n{BODY}")
    assert result.text == BODY and result.extracted == {"source": ["山西日报"]}


@pytest.mark.parametrize("text", ["（）", "()", "（ ）", "正文（）", "（）\n正文"])
def test_empty_brackets_are_no_byline(text):
    """Found by the character-soup property test: empty brackets raised IndexError (clean_error)."""
    result = extract_credits(text)
    assert result is not None


_CAPTION_PIECES = [
    "▲", "△", "图为", "图片", "图", "资料照片", "摄", "摄影", "摄像", "供图", "提供", "由", "来源", "来自", "：", ":",
    "/", "（", "）", "(", ")", " ", "张三", "李四", "新华社记者", "记者", "通讯员", "文", "编辑", "会议现场", "。",
    "上", "左", "地图", "蓝图", "图 片", "／", "|", "、", "文/图", "下图：", "资料图",
]


@given(st.lists(st.sampled_from(_CAPTION_PIECES), min_size=1, max_size=10).map("".join))
def test_caption_lines_hold_a_caption_hint(line):
    """Lines without 图/摄/照片 or a caption mark are skipped: no caption or photo-credit shape lacks them."""
    from govnews.clean.credits import _CAPTION_HINT, _caption_or_photo

    stripped = line.strip()
    if stripped and _caption_or_photo(stripped) is not None:
        assert _CAPTION_HINT.search(stripped)


_SEGMENT_PIECES = [
    "记者", "通讯员", "文", "图", "摄", "摄影", "报道", "编辑", "责任编辑", "来源", "审核", "本报", "每经", "/", "：",
    " ", "、", "|", "，", "张三", "李四", "王", "新华社", "县融媒体中心", "（", "）", "采写", "文/图",
]


@given(st.lists(st.sampled_from(_SEGMENT_PIECES), max_size=8).map("".join))
def test_quick_rejection_of_segments_changes_no_reading(inner):
    from govnews.clean.credits import _parse_segments, _read_segments

    assert _parse_segments(inner) == _read_segments(inner)


# Review 1: shapes of real pages (notices, info lines, TV credit blocks) that the credit reading got wrong.
_NOTICE = "经专家评审和网络投票，最终确定以下作品为兴文县城市标志。该标志以石海为主要元素，体现了兴文独有的地域特色。"


@pytest.mark.parametrize("line", ["资金来源：财政资金", "数据来源：县统计局", "病例来源：境外输入",
                                  "经费来源：县级财政", "标志设计：王海燕", "一等奖作者：张伟",
                                  "项目资金来源:中央财政"])
@pytest.mark.parametrize("where", ["head", "tail"])
def test_a_noun_before_a_role_word_makes_body_text(line, where):
    """A role word opens a credit only bare or behind an outlet: 资金来源 and 一等奖作者 are what a notice says."""
    text = f"{line}\n{_NOTICE}" if where == "head" else f"{_NOTICE}\n{line}"
    cleaned = clean_article(Article(url="http://127.0.0.1/a.html", title="兴文县城市标志评选结果揭晓", text=text))
    assert line in cleaned.text
    assert cleaned.source is None and cleaned.authors == [] and cleaned.editor is None


@pytest.mark.parametrize(("line", "fields"), [
    ("来源：县融媒体中心", {"source": "县融媒体中心"}),
    ("出品：县融媒体中心", {"source": "县融媒体中心"}),
    ("县融媒体中心记者 张三", {"authors": ["张三"]}),
    ("每经记者 冯彪", {"authors": ["冯彪"]}),
])
def test_a_bare_role_or_one_behind_an_outlet_still_opens_a_credit(line, fields):
    cleaned = clean_article(Article(url="http://127.0.0.1/a.html", title="标题", text=f"{_NOTICE}\n{line}"))
    assert line not in cleaned.text
    for name, value in fields.items():
        assert getattr(cleaned, name) == value


_MEETING = ("12月28日,县政协十一届一次会议举行预备会议。县委书记朱小兵,县长吴海宏应邀出席会议。"
            "会议听取了筹备工作情况报告。")


@pytest.mark.parametrize(("head", "fields"), [
    ("2021-12-29 16:00:51 编辑: 杨玉娟 审核人:叶玲玲 阅读次数:2287 |", {"editor": "杨玉娟"}),
    ("2021-12-29 16:00:51 责任编辑: 杨玉娟 阅读次数:2287", {"editor": "杨玉娟"}),
    ("来源:阜城宣传 | 作者:张伟 | 发布时间: 2021-01-06 | 668 次浏览: | 分享到:",
     {"source": "阜城宣传", "authors": ["张伟"]}),
    ("来源:阜城宣传 | 作者:ance | 发布时间: 2021-01-06 | 668 次浏览:", {"source": "阜城宣传", "authors": []}),
    ("发布时间：2021-01-06 来源：县融媒体中心 摄影：王刚 点击数：",
     {"source": "县融媒体中心", "photo_credits": ["王刚"]}),
    ("通讯员：王刚 发布时间：2021-01-06 浏览次数：35", {"authors": ["王刚"]}),
])
def test_metadata_lines_give_their_credits_before_they_go(head, fields):
    """Counters and bars made these lines widgets, deleted before their names were read (review 1, 3a)."""
    cleaned = clean_article(Article(url="http://127.0.0.1/a.html", title="县政协会议", text=f"{head}\n{_MEETING}"))
    assert cleaned.text == _MEETING
    for name, value in fields.items():
        assert getattr(cleaned, name) == value


@pytest.mark.parametrize(("line", "editor"), [("编辑:阴豪", "阴豪"), ("编辑:弓芳芳", "弓芳芳"), ("编辑:洪瑜", "洪瑜"),
                                              ("编辑:王伟", "王伟")])
def test_editor_with_a_real_surname_of_the_baijiaxing_is_kept(line, editor):
    cleaned = clean_article(Article(url="http://127.0.0.1/a.html", title="座谈会", text=f"{_MEETING}\n{line}"))
    assert cleaned.editor == editor and line not in cleaned.text


@pytest.mark.parametrize("line", ["刊发日期:2013-02-06 阅读次数: 作者:小杰  语音阅读:",
                                  "编辑:青灯古佛 发布时间: 2024-10-02"])
def test_a_name_the_name_test_refuses_keeps_its_line(line):
    """A credit line is never deleted while its name is dropped (review 1, 3b): a pen name stays in the text."""
    cleaned = clean_article(Article(url="http://127.0.0.1/a.html", title="标题", text=f"{line}\n{_MEETING}"))
    assert line.split()[0] in cleaned.text and cleaned.authors == [] and cleaned.editor is None


def test_editor_is_one_role_the_responsible_editor_first():
    block = "| 制片人:张 默\n| 责 编:丁英超\n| 图文编辑:宋秀芬\n(责任编辑:蔡文斌)"
    result = extract_credits(f"{BODY}\n{block}")
    assert result.extracted["editor"] == ["蔡文斌"] and result.text == BODY
    assert extract_credits(f"{BODY}\n图文编辑:宋秀芬").extracted.get("editor") is None


@pytest.mark.parametrize(("text", "authors"), [
    (f"{BODY}(张明提 弓芳芳)", ["张明提", "弓芳芳"]),
    (f"临汾新闻网讯(记者 弓佩玉){BODY}", ["弓佩玉"]),
    (f"四川农村日报全媒体记者 周颖昳 洪瑜 刘佳 罗敏\n{BODY}", ["周颖昳", "洪瑜", "刘佳", "罗敏"]),
    # An outlet with no outlet suffix (南方周末) opens a reporter's or an intern's role.
    (f"南方周末记者 崔慧莹 南方周末实习生 张瑾娜 吴帮乐 王书雅\n{BODY}", ["崔慧莹", "张瑾娜", "吴帮乐", "王书雅"]),
])
def test_real_surnames_in_bylines(text, authors):
    assert extract_credits(text).extracted.get("authors") == authors


# --- photo credits inside captions and photo-credit lines (review 1: g01, h02, c05, c14, r01, h03, c75) ---

@pytest.mark.parametrize(
    ("caption", "described", "shooters"),
    [
        ("北武当山太原日报社耿婧媛摄", "北武当山", ["耿婧媛"]),
        ("张家塔村阳泉日报社刘 胜摄", "张家塔村", ["刘胜"]),
        ("采风团记者在张家塔村采风太原日报社耿婧媛摄", "采风团记者在张家塔村采风", ["耿婧媛"]),
        ("12月30日,县长王春梅主持召开座谈会。记者 王平安 摄", "12月30日,县长王春梅主持召开座谈会。", ["王平安"]),
        ("医院与社区共同守护健康。（记者方一成摄）", "医院与社区共同守护健康。", ["方一成"]),
        ("图为香港年度汉字“通”。 中新社记者 李志华 摄图为香港年度汉字“通”。 中新社记者 李志华 摄",
         "图为香港年度汉字“通”。", ["李志华"]),
    ],
)
def test_a_photographer_leaves_the_caption_and_its_description_stays(caption, described, shooters):
    assert split_caption(caption) == {"captions": [described], "photo_credits": shooters}


@pytest.mark.parametrize(
    "caption",
    [
        "记者参观太原日报社",  # no shot
        "参观太原日报社摄影展",  # a photo exhibition, no photographer
        "太原日报社耿婧媛摄",  # no description in front of the paper: nothing to keep, left as it was
        "记者在日报社采访摄",  # 采访 is no name
        "图为活动现场。记者 了解到 摄",  # 了解到 is no name
    ],
)
def test_captions_without_a_photographer_stay_whole(caption):
    assert split_caption(caption) in (None, {"captions": [caption]})


def test_a_caption_line_in_the_text_gives_its_photographer():
    result = extract_credits(f"北武当山太原日报社耿婧媛摄\n{BODY}")
    assert result.text == BODY
    assert result.extracted == {"captions": ["北武当山"], "photo_credits": ["耿婧媛"]}


def test_a_name_with_its_roles_is_a_credit_line():
    result = extract_credits(f"{BODY}\n聂荣生:摄影,编辑,制作\n{BODY}")
    assert result.text == f"{BODY}\n{BODY}"
    assert result.extracted["photo_credits"] == ["聂荣生"] and result.extracted["editor"] == ["聂荣生"]


@pytest.mark.parametrize("line", ["宣传组:摄影、摄像", "王伟:编辑", "聂荣生:摄影很好", "摄影:聂荣生说了算"])
def test_what_is_no_name_with_its_roles_stays(line):
    assert line in extract_credits(f"{BODY}\n{line}\n{BODY}").text


def test_a_photo_credit_without_a_name_goes_and_a_sentence_about_one_stays():
    assert extract_credits(f"{BODY}\n本报记者 摄").text == BODY
    kept = f"{BODY}\n本报记者摄下了这一幕。"
    assert extract_credits(kept).text == kept


def test_a_dateline_reporter_who_wrote_and_photographed():
    result = extract_credits("福州新闻网7月23日讯(福州晚报记者 陈木易 文/摄)“媒体看福州乡村”日前正式启动。")
    assert result.text == "福州新闻网7月23日讯“媒体看福州乡村”日前正式启动。"
    assert result.extracted == {"authors": ["陈木易"], "photo_credits": ["陈木易"]}


def test_a_dateline_printed_twice_loses_its_byline_in_both_copies():
    """A body published twice: both copies stay alike, so remove_duplicated_body can drop one."""
    line = "桐川县讯（记者 宋东 通讯员 邓芳）6月20日，桐川县妇联举办培训班。"
    result = extract_credits(f"{line}\n第二段。\n{line}\n第二段。")
    copy = "桐川县讯6月20日，桐川县妇联举办培训班。\n第二段。"
    assert result.text == f"{copy}\n{copy}"
    assert result.extracted["authors"] == ["宋东", "邓芳"]


# --- bylines the review found left in the text (c15, c36, c37, c47, c51, c63) ---

@pytest.mark.parametrize(
    ("text", "left", "authors"),
    [
        ("〔记者黄旭磊／台中报导〕台中市立老人复健综合医院今日开始试营运。",
         "台中市立老人复健综合医院今日开始试营运。", ["黄旭磊"]),
        ("【香港商报讯】记者金山、通讯员申勇报道:1月20日,记者从兴文县获悉。",
         "【香港商报讯】1月20日,记者从兴文县获悉。", ["金山", "申勇"]),
        ("重庆綦江网消息(记者吴荣凯)城市徽标是一座城市的体现。",
         "重庆綦江网消息城市徽标是一座城市的体现。", ["吴荣凯"]),
        ("2016-01-22\n【香港商报讯】记者金山报道:1月20日,记者从兴文县获悉。",
         "【香港商报讯】1月20日,记者从兴文县获悉。", ["金山"]),
    ],
)
def test_head_byline_forms(text, left, authors):
    result = extract_credits(text)
    assert result.text == left
    assert result.extracted["authors"] == authors


@pytest.mark.parametrize(
    "text",
    [
        "本报讯 记者从县委获悉:1月20日,会议召开。",
        "【香港商报讯】记者获悉报道:1月20日,会议召开。",
        f"{BODY}\n2016-01-22\n{BODY}",  # a date between paragraphs is no head date line
    ],
)
def test_head_lines_that_are_no_byline_stay(text):
    assert extract_credits(text).text == text


@pytest.mark.parametrize(
    ("tail", "fields"),
    [
        ("（记者刘静）\n编辑:阴豪\n< >\n< >", {"authors": ["刘静"], "editor": ["阴豪"]}),
        ("（张明提 弓芳芳）\n(责任编辑:李鑫焱)\n合作单位", {"authors": ["张明提", "弓芳芳"], "editor": ["李鑫焱"]}),
        ("（记者胡于梅 通讯员徐路）\n欢迎光临 征集码头论坛 (http://zhengjimtcn.com/) | Powered by Discuz! X3.2 |",
         {"authors": ["胡于梅", "徐路"]}),
    ],
)
def test_trailing_credits_under_page_furniture(tail, fields):
    body = "\n".join([BODY] * 5)  # below the head lines, where credits are read from the top
    result = extract_credits(f"{body}\n{tail}")
    assert result.text == body
    assert result.extracted == fields


@pytest.mark.parametrize(
    "tail",
    [
        "合作单位",  # no credit above it: a short last line alone is not furniture
        "（记者 张三）\n附件：1.申报表",  # an attachment after the byline is the document's
        "信息来源于网络\n经过文刃重新编排",  # 来源于 is a sentence, and 于网络 no source
    ],
)
def test_what_follows_the_text_and_is_no_furniture_stays(tail):
    result = extract_credits(f"{BODY}\n{tail}")
    assert tail.splitlines()[-1] in result.text
    assert "source" not in result.extracted


def test_a_paper_and_its_reporter_under_the_headline():
    result = extract_credits(f"农民日报 陈彦宇\n{BODY}")
    assert result.text == BODY
    assert result.extracted == {"authors": ["陈彦宇"], "source": ["农民日报"]}


@pytest.mark.parametrize("head", ["县委办公室 关于做好工作", "农民日报 报道称", "中国新闻网 近日"])
def test_a_head_line_that_is_no_paper_with_reporters_stays(head):
    assert head in extract_credits(f"{head}\n{BODY}").text


def test_a_meta_line_with_an_empty_counter():
    result = extract_credits(f"发布时间:2022-06-20 00:00:00编辑:阅读()\n{BODY}")
    assert result.text == BODY


def test_a_romanised_site_name_and_date_at_the_head():
    assert extract_credits(f"Xin Lang Cai Jing·2026-02-26 16:38\n{BODY}").text == BODY
    kept = f"{BODY}\nXin Lang Cai Jing·2026-02-26 16:38"  # not at the head: not this rule's
    assert extract_credits(kept).text == kept


def test_a_dateline_under_a_caption_names_the_source():
    article = clean_article(Article(url="http://127.0.0.1/a.html", title="标题",
                                    text=f"图为活动现场。\n福州新闻网7月23日讯 活动日前正式启动。\n{BODY}"))
    assert article.source == "福州新闻网"


def test_an_office_and_a_date_at_the_head():
    result = extract_credits(f"辽宁省卫生健康委员会 2022年12月06日\n{BODY}")
    assert result.text == BODY and result.extracted == {"source": ["辽宁省卫生健康委员会"]}
    for head in ("张三 2022年12月06日", "会议定于 2022年12月06日"):  # a person, a phrase: no office, the line stays
        assert head in extract_credits(f"{head}\n{BODY}").text


def test_a_meta_line_crediting_an_outlet_as_editor():
    result = extract_credits(f"来源:黄河新闻网吕梁频道收集编辑:黄河新闻网吕梁频道\n{BODY}")
    assert result.text == BODY
    assert result.extracted["source"] == ["黄河新闻网吕梁频道"] and "editor" not in result.extracted
    refused = f"来源:县融媒体中心 编辑:小杰\n{BODY}"  # a name the test refuses keeps the line
    assert extract_credits(refused).text == refused


# --- the head is counted in paragraphs: short headline, date and chrome lines above a byline do not use it up ---

CHROME = "【返回】\n主打稿\n2019年2月12日\n新华社贵阳2月12日电 题:山乡巨变——来自贵州扶贫一线的报告"


def test_byline_line_under_headline_and_chrome_lines():
    result = extract_credits(f"{CHROME}\n新华社记者李银、黄全权、杨洪涛\n{BODY}")
    assert result.extracted["authors"] == ["李银", "黄全权", "杨洪涛"]
    assert "李银" not in result.text and "新华社贵阳2月12日电" in result.text


def test_dateline_byline_under_short_lines():
    text = ("】 【打 印】\n【 第1页 第2页 】\n南投喜迎女县长\nhttp://www.CRNTT.com 2022-12-26 00:33:24\n"
            f"中评社南投12月26日电(记者 方敬为)中国国民党新任南投县长许淑华25日宣誓上任。{BODY}")
    result = extract_credits(text)
    assert result.extracted["authors"] == ["方敬为"] and "中评社南投12月26日电中国国民党" in result.text


def test_dateline_deep_in_the_text_is_not_read():
    paragraphs = "\n".join(f"第{i}段。{BODY}" for i in range(4))
    text = f"{paragraphs}\n本报讯(记者 张三)另一篇稿件的开头。"
    assert extract_credits(text).text == text


@pytest.mark.parametrize(("text", "authors", "left"), [
    (f"发表文章\n虎跃新程 新竹地区春节疏运\n图片\n【记者陈建佳/新竹报导】 交通部公路总局因应春节连续假期。{BODY}",
     ["陈建佳"], "交通部公路总局因应春节连续假期"),
    (f"苗栗县元旦升旗\n(特派员陈明/苗栗报导)苗栗县政府1日清晨举办元旦升旗典礼。{BODY}", ["陈明"], "苗栗县政府1日清晨"),
    (f"观传媒\n(观传媒南投新闻)【记者石振贤/南投报导】南投县第19届县长宣誓就职。{BODY}", ["石振贤"],
     "(观传媒南投新闻)南投县第19届县长宣誓就职"),
])
def test_bracketed_reported_byline_opening_the_first_paragraph(text, authors, left):
    result = extract_credits(text)
    assert result.extracted["authors"] == authors and left in result.text and "报导" not in result.text
    assert extract_credits(result.text).text == result.text  # idempotent


@pytest.mark.parametrize("text", [
    f"{BODY}\n{BODY}\n【记者陈建佳/新竹报导】交通部公路总局因应春节连续假期。",  # a later story on a listing page
    f"(市政府新闻办报道)我市召开会议。{BODY}",  # no person's name in the bracket
    f"【新华社报道】我市召开会议。{BODY}",
    f"(以下简称“报道”)我市召开会议。{BODY}",
])
def test_bracketed_report_notes_that_are_no_byline_stay(text):
    assert extract_credits(text).text == text


@pytest.mark.parametrize(("line", "credit", "caption"), [
    ("四年前赖峰伟(左)重返荣耀、重掌县政,于就职日与陈光复进行交接(黄琼蕙摄)", ["黄琼蕙"],
     "四年前赖峰伟(左)重返荣耀、重掌县政,于就职日与陈光复进行交接"),
    ("民众争相与许淑华合影留念。(中评社 方敬为摄)", ["方敬为"], "民众争相与许淑华合影留念。"),
])
def test_bracketed_photographer_closing_a_caption(line, credit, caption):
    result = extract_credits(f"{BODY}\n{line}\n{BODY}")
    assert result.extracted["photo_credits"] == credit and result.extracted["captions"] == [caption]


@pytest.mark.parametrize("line", [
    "会议现场(县委宣传部摄)",  # a department, no person
    "大家在会上发言(试行摄)",
    "活动现场(人民网 记者摄)",  # the outlet, no name
    "游客参观(新华社 发展摄)",  # a word where the name should be
])
def test_bracketed_shots_without_a_person_stay(line):
    text = f"{BODY}\n{line}\n{BODY}"
    assert extract_credits(text).text == text


def test_a_production_block_with_compound_roles_at_the_end():
    poem = "洪洞大槐树即兴\n李旦初\n万里来寻老鹳窝,大槐树下泪滂沱。"
    block = "策划:李宏伟\n图片视频:冯思泉\n文字整理:郭玉琴 杜春春 张志刚"
    result = extract_credits(f"{poem}\n{block}")
    assert result.text == poem  # the poet's name above the poem stays
    assert result.extracted == {"photo_credits": ["冯思泉"], "authors": ["郭玉琴", "杜春春", "张志刚"]}
    assert extract_credits(f"{BODY}\n文字整理工作已经完成").extracted == {}


def test_a_letter_spaced_dateline_keeps_its_place_and_loses_its_byline():
    result = extract_credits(f"大 西 北 网 讯 (记者王志俭) 融媒开新篇,新春再扬帆。{BODY}")
    assert result.extracted["authors"] == ["王志俭"] and result.text.startswith("大 西 北 网 讯 融媒开新篇")
