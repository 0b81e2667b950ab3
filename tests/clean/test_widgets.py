from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govnews.clean.widgets import classify_widget_line, remove_widget_text

BODY = "临汾新闻网讯 11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。"
BODY2 = "会议要求，各级各部门要压实责任，确保全市安全生产形势持续稳定。"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("评论列表", "comments"),
        ("暂无评论,快抢沙发吧~", "comments"),
        ("◎欢迎参与讨论，请在这里发表您的看法、交流您的观点。", "comments"),
        ("网友评论仅供其表达个人看法，并不表明网易立场。", "comments"),
        ("欢迎您，游客！请登录", "comments"),
        ("欢迎您访问晋南资讯博客！", "comments"),
        ("昵称", "comments"),
        ("验证码：", "comments"),
        ("相关热词搜索：临汾 安全生产", "related"),
        ("分享到：", "share"),
        ("分享到：微信 微博 QQ空间", "share"),
        ("上一篇：临汾召开会议", "prevnext"),
        ("下一篇：", "prevnext"),
        ("当前位置：首页 > 新闻中心 > 正文", "controls"),
        ("现在位置：首页>>东区新闻>>正文", "controls"),
        ("返回网易首页", "controls"),
        ("浏览次数：", "counters"),
        ("阅读次数：1234", "counters"),
        ("2020-11-24 10:59:00 浏览次数:", "counters"),  # with 来源: it is a metadata line extract_credits reads
        ("点击：56", "counters"),
        ("阅读数(15878）", "counters"),
        ("版权所有：中国载人航天工程官方网站", "footer"),
        ("晋ICP备05001234号 晋公网安备 14010502000001号", "footer"),
        ("网站标识码：1400000001", "footer"),
        ("版权声明:凡临汾日报、临汾新闻网刊载的所有作品，未经授权不得转载。", "footer"),
        ("作者:admin | 分类:新闻 | 浏览:12 | 评论:0", "footer"),
        ("Copyright © 2020 临汾日报社", "footer"),
        ("window._bd_share_config={common:{}}", "script"),
    ],
)
def test_classifies_widget_lines(line, kind):
    assert classify_widget_line(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "欢迎广大市民发表评论和建议。",
        "活动页面点击量突破十万，群众反响热烈。",
        "相关推荐意见已报送市政府审定。",
        "分享到朋友圈后，不少网友纷纷点赞。",
        "上一篇文章中我们介绍了相关背景。",
        "他表示，版权所有人应依法维护自身权益，平台也要尽到审核义务。",
        "记者从县委宣传部获悉，今年全县新增就业岗位三千个。",
        "您好，我是来自岢岚县的一名教师。",
        "欢迎社会各界人士来到桐川投资兴业！",
        "全县政府网站均已完成ICP备案和公安备案。",
        "会议要求加强版权保护，维护Copyright所有者权益。",
        "分享发展成果 共建美好家园",
        "分享经验 共谋发展",
        "欢迎广大市民发表评论和建议",
        "依法保护版权所有者的合法权益",
        "图片",
        "",
    ],
)
def test_leaves_body_lines_alone(line):
    assert classify_widget_line(line) is None
    assert remove_widget_text(f"{BODY}\n{line}\n{BODY}").counts == {}


@pytest.mark.parametrize(
    "line",
    [
        "主办单位：桐川县文化和旅游局",
        "技术支持：桐川县融媒体中心",
        "主办单位：桐川县文化和旅游局 承办单位：桐川县文化馆",
        "欢迎您访问晋南资讯博客！",
        "欢迎您，游客！请登录",
    ],
)
def test_edge_widgets_between_body_paragraphs_stay(line):
    text = f"{BODY}\n{line}\n{BODY2}"
    assert remove_widget_text(text).text == text


@pytest.mark.parametrize(
    ("tail", "count"),
    [
        ("主办单位：桐川县文化和旅游局\n技术支持：桐川县融媒体中心\n网站标识码：1409000001", 3),
        ("主办单位：桐川县人民政府办公室 承办单位：桐川县信息中心 技术支持：某某科技公司\n© 2024", 2),
        ("主办单位：桐川县人民政府\n版权所有：桐川县人民政府", 2),
        ("技术支持：桐川县融媒体中心\n\n晋ICP备12345678号", 2),
        ("主办单位：桐川县人民政府\n分享到：微信 微博\n联系电话：0351-1234567\n晋公网安备 14010502000001号", 3),
        ("网站地图 | 联系我们\n地址：桐川县和平街1号\n邮编：034000", 3),
    ],
)
def test_footer_labels_go_in_a_trailing_footer_block(tail, count):
    result = remove_widget_text(f"{BODY}\n{BODY2}\n{tail}")
    assert result.text.rstrip("\n") == f"{BODY}\n{BODY2}"  # blank lines are left to normalize_whitespace
    assert result.counts["footer"] == count


@pytest.mark.parametrize(
    "tail",
    [
        "联系电话：0350-3033456\n地址：忻州市和平街1号\n邮编：034000",
        "联系人：李华\n联系电话：0350-3033456\n传真：0350-3033457",
        "主办单位：桐川县文化和旅游局\n技术支持：桐川县融媒体中心",
        "主办单位：桐川县人民政府办公室 承办单位：桐川县信息中心 技术支持：某某科技公司",
        "主办单位：桐川县人民政府\n分享到：微信 微博\n联系电话：0351-1234567",
    ],
)
def test_label_block_without_footer_evidence_stays(tail):
    """A notice ends with its own contact lines; only a copyright/ICP/site-code line makes them a footer."""
    result = remove_widget_text(f"{BODY}\n{BODY2}\n{tail}")
    kept = [line for line in tail.split("\n") if not line.startswith("分享到")]
    assert result.text == "\n".join([BODY, BODY2, *kept])
    assert result.counts.get("footer", 0) == 0


@pytest.mark.parametrize("line", ["主办单位：桐川县文化和旅游局", "承办：桐川县文化馆"])
def test_one_footer_label_ending_a_notice_stays(line):
    text = f"{BODY}\n{BODY2}\n{line}"
    assert remove_widget_text(text).text == text
    assert remove_widget_text(f"{line}\n{BODY}").text == f"{line}\n{BODY}"


@pytest.mark.parametrize(
    "line",
    ["版权所有：桐川县人民政府", "Copyright © 2024 桐川县人民政府 All Rights Reserved", "晋ICP备12345678号",
     "京ICP证030173号-1 晋公网安备 14010502000001号", "桐川县人民政府 版权所有", "网站地图 | 联系我们 | 关于我们",
     "版权所有：桐川县融媒体中心，未经授权禁止转载。"],
)
def test_footer_shaped_lines_go(line):
    result = remove_widget_text(f"{BODY}\n{BODY2}\n{line}")
    assert result.text == f"{BODY}\n{BODY2}"
    assert result.counts == {"footer": 1}


@pytest.mark.parametrize(
    "text",
    [
        "欢迎您访问晋南资讯博客！\n" + BODY,
        "当前位置：首页 > 新闻\n欢迎来到桐川县人民政府网站！\n" + BODY,
        BODY + "\n欢迎您访问晋南资讯博客！",
        BODY + "\n评论列表\n欢迎您，游客！请登录\n张三：写得好",
    ],
)
def test_greetings_go_at_the_head_tail_or_in_comments(text):
    result = remove_widget_text(text)
    assert result.text == BODY
    assert "comments" in result.counts


@pytest.mark.parametrize(
    "line",
    ["分享到：微信 微博 QQ空间", "分享到", "分享", "分享至：微信朋友圈 | 新浪微博 | 更多", "一键分享：", "分享到： 0"],
)
def test_share_bars_are_labels_with_share_targets(line):
    assert classify_widget_line(line) == "share"
    assert remove_widget_text(f"{BODY}\n{line}\n{BODY2}").text == f"{BODY}\n{BODY2}"


def test_inline_controls_removed_from_a_line():
    result = remove_widget_text(f"【字体：大 中 小】【打印本页】 {BODY} 【关闭窗口】")
    assert result.text == BODY
    assert result.counts == {"controls": 3}


def test_font_size_variant_and_leaked_share_script():
    text = f"字号：[ 大 中 小 ]\n{BODY}\n$('#share-1').share({{sites:['wechat','weibo']}})"
    result = remove_widget_text(text)
    assert result.text == BODY
    assert result.counts == {"controls": 1, "script": 1}


def test_everything_after_comment_heading_at_the_tail_goes():
    text = f"{BODY}\n第二段正文。\n评论列表\n张三：写得好！\n2020-11-24 回复\n发表评论\n提交"
    result = remove_widget_text(text)
    assert result.text == f"{BODY}\n第二段正文。"
    assert result.counts == {"comments": 5}


def test_comment_heading_before_the_body_does_not_cut_it():
    text = f"发表评论\n{BODY}"
    assert remove_widget_text(text).text == BODY


def test_related_list_at_the_end_goes_with_its_heading():
    text = f"{BODY}\n相关推荐\n临汾市召开安全生产会议\n山西省部署冬季供暖！\n2020-11-24"
    result = remove_widget_text(text)
    assert result.text == BODY
    assert result.counts == {"related": 4}


def test_related_heading_inside_body_keeps_following_paragraphs():
    text = f"{BODY}\n延伸阅读\n什么是安全生产责任制？\n安全生产责任制是根据安全生产法律法规建立的制度。"
    result = remove_widget_text(text)
    assert result.text == f"{BODY}\n什么是安全生产责任制？\n安全生产责任制是根据安全生产法律法规建立的制度。"
    assert result.counts == {"related": 1}


def test_samples_and_kinds_for_a_typical_mirror_page():
    text = (
        "当前位置：首页 > 新闻中心\n【字体：大 中 小】\n" + BODY + "\n扫一扫在手机打开当前页\n分享到：\n"
        "上一篇：A\n下一篇：B\n是否打开信息无障碍浏览\n网站地图 | 联系我们"
    )
    result = remove_widget_text(text)
    assert result.text == BODY
    assert set(result.counts) == {"controls", "share", "prevnext", "footer"}
    assert 0 < len(result.samples) <= 3


def test_empty_lines_and_plain_text_untouched():
    text = f"{BODY}\n\n第二段。"
    assert remove_widget_text(text).text == text
    assert remove_widget_text("").text == ""


def test_linear_on_adversarial_lines():
    long_line = "【" * 100_000 + "字体：" + " " * 100_000 + "[" * 100_000
    assert remove_widget_text(long_line).text == long_line
    many_lines = "\n".join(["相关推荐", *["短行"] * 50_000])
    assert remove_widget_text(many_lines).text == ""
    assert remove_widget_text("分享到：" + "1" * 290 + "x").counts == {}
    footer_block = "\n".join([BODY, *["主办单位：X", "晋ICP备123号", "欢迎您访问XX博客！"] * 20_000])
    assert remove_widget_text(footer_block).text == BODY


_PIECES = ["评论列表", "分享到：", "【打印本页】", "上一篇：X", "相关推荐", "标题一", BODY, "点击：3", "图片", "",
           "主办单位：X", "技术支持：Y", "版权所有：Z", "欢迎您访问XX博客！", BODY2]


@given(st.lists(st.sampled_from(_PIECES), max_size=12))
def test_idempotent(pieces):
    once = remove_widget_text("\n".join(pieces))
    twice = remove_widget_text(once.text)
    assert twice.text == once.text
    assert twice.counts == {}
