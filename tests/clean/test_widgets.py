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


# One line for each alternative of each rule, and lines that look like them but are body text.
_EVERY_RULE = [
    "评论列表", "发表评论", "网友评论", "全部评论", "最新评论", "热门评论", "精彩评论", "用户评论", "文章评论",
    "评论区", "我要评论", "参与评论：", "已有 3 条评论", "◎欢迎参与讨论", "暂无评论", "还没有任何评论",
    "目前没有评论哦", "评论(3)", "12 条评论", "网友评论仅供参考", "文明上网，理性发表评论", "正文已结束，欢迎评论",
    "昵称（必填）", "邮箱*", "电子邮箱：", "网址", "验证码：", "提交", "提交评论", "发表", "取消回复", "评论内容",
    "匿名评论", "相关推荐", "相关阅读：X", "延伸阅读", "相关稿件", "相关链接", "相关新闻", "相关文章", "相关报道",
    "推荐阅读", "猜你喜欢换一换", "热门推荐", "热点推荐", "热门文章", "热门阅读", "更多阅读>>", "往期回顾",
    "往期推荐", "您可能感兴趣的文章", "你可能感兴趣的文章：", "相关热词搜索：X", "分享到：", "分享至：QQ空间",
    "分享给好友", "一键分享", "微信扫一扫分享", "扫一扫关注", "扫描二维码分享到微信", "用微信扫描二维码", "上一篇",
    "下一篇：X", "上一条", "下一条", "上篇", "下篇", "前一篇", "后一篇：Y", "当前位置：首页", "您的位置：X",
    "你现在的位置：X", "所在位置：X", "首页 > 新闻", "首页&gt;新闻", "返回首页", "返回网易首页", "返回列表",
    "返回顶部", "打印本页", "关闭窗口", "请输入验证码", "看不清，换一张", "您已阅读4%(197字)，剩余96%，订阅以继续",
    "晋ICP备05001234号-1", "ICP证：030173号", "晋公网安备 14010502000001号", "网站标识码：1400000001",
    "网站识别码 bm1234", "copyright 2020", "COPYRIGHT © 临汾", "Copyrıght 2020", "CopyrİGHT (c) 2020", "© 2020 临汾",
    "版权所有", "版权所有：临汾日报", "版权声明：X", "免责声明：Y", "网站地图 | 联系我们 | 关于我们", "网站声明",
    "隐私声明", "隐私政策", "法律声明", "使用帮助", "网站纠错", "意见建议", "设为首页 加入收藏", "网站导航",
    "帮助中心", "网站简介", "友情链接", "作者:admin | 分类:新闻", "分类：X｜时间：2020", "浏览次数：12",
    "阅读次数：3", "点击次数：4", "点击数：5", "点击量：6", "浏览量：7", "阅读量：8", "阅读数：9", "访问量：10",
    "访问次数：11", "浏览：1", "阅读(3)", "点击：3", "人气：99", "$('#s').share({})", "bdShare", "_bd_share_config",
    "_hmt.push(['a'])", "gtag('js')", "document.write('x')", "jiathis_button", "欢迎您，游客！", "您好，访客，请登录",
    "hello 注册", "你好，请退出", "欢迎光临本站", "欢迎访问XX博客", "欢迎来到本网站", "主办单位：X", "主办：X",
    "承办单位：X", "承办：X", "协办单位：X", "协办：X", "技术支持：X", "技术支撑：X", "运行维护单位：X",
    "运维单位：X", "维护单位：X", "网站维护：X", "网站管理：X", "联系电话：1", "联系地址：X", "通讯地址：X",
    "地址：X", "电话：1", "邮编：1", "邮政编码：1", "传真：1", "【字体：大 中 小】", "【打印本页】",
    "扫一扫在手机打开当前页", "是否打开信息无障碍浏览", "【更多公文素材,微信:ab12】",
    "浏览次数:-", "浏览量", "被阅读0次", "12 次浏览", "没有留言:", "张贴留言", "请更新您的浏览器", "进入移动版,省流量",
    "加载中...", "点击进入相册专辑:[X]", "登录/注册 用户中心", "友情链接:", "互联网新闻信息许可证:61120180013",
    "转载请注明:http://a.cn/1.html", "声明:此文由 X 分享发布,并不意味本站赞同其观点", "凡本网注明“来源:X”的所有作品",
    "本公众号部分转载的文章来自网络,请联系我们删除", "【返回】", "【打 印】", "【 第1页 第2页 】", "新闻推荐",
    "新闻热线:0855-8222000", "Hash:3ca89eabd099fa6cc1409af6ef225cc76a1429dd",
]


def test_every_rule_line_holds_a_rule_word():
    """The shortcut skips lines without a rule word: every line a rule matches must hold one."""
    from govnews.clean.widgets import _INLINE_MARK, _RULE_WORD

    for line in _EVERY_RULE:
        if classify_widget_line(line) is not None:
            assert _RULE_WORD.search(line), line
        else:
            assert _INLINE_MARK.search(line), line  # the inline controls above


@given(st.lists(st.sampled_from([*_EVERY_RULE, *_PIECES, BODY, BODY2, "", " "]), max_size=14))
def test_shortcut_gives_what_every_rule_gives(pieces):
    text = "\n".join(pieces)
    assert remove_widget_text(text) == remove_widget_text(text, shortcut=False)


def test_a_sites_reprint_notice_goes_and_a_statement_stays():
    notice = "声明:凡注明来源七一客户端、七一网的作品,均系CQDK原创出品,欢迎转载并请注明来源七一客户端。"
    assert remove_widget_text(f"正文第一段。\n{notice}").text == "正文第一段。"
    statement = "声明：近日有不法分子冒用我单位名义开展活动，侵犯群众权益，请广大群众提高警惕。"
    assert remove_widget_text(f"正文第一段。\n{statement}").text == f"正文第一段。\n{statement}"


@pytest.mark.parametrize(
    "line",
    ["请继续往下阅读...", "识别二维码观看短视频", "很赞哦! ()", "所有评论仅代表网友意见", "定义你的浏览字号:",
     "打印本页 转发 收藏 关闭", "放大 缩小 默认", "上一篇 下一篇", "字体:", "语音阅读:语音阅读", "当前版:04-05版",
     "七版:副刊·悦读总第1833期 >2016-09-27编印", "Embed below code to your site", "END", "APP下载",
     "网上有害信息举报专区", "注意:本站部分文字内容、图片由网友投稿,如侵权请联系删除,联系邮箱:a@qq.com"],
)
def test_template_controls_and_prompts_go(line):
    assert remove_widget_text(f"{BODY}\n{line}\n{BODY2}").text == f"{BODY}\n{BODY2}"


@pytest.mark.parametrize(
    ("line", "left"),
    [("[字体: ] 打印", ""), ("【字体: 打印", ""),
     ("采风作品展示。【未经授权,严禁转载!联系电话028-86968276】", "采风作品展示。")],
)
def test_inline_controls_go(line, left):
    assert remove_widget_text(f"{BODY}\n{line}").text == (f"{BODY}\n{left}" if left else BODY)


@pytest.mark.parametrize(
    "line",
    ["请大家继续阅读这份报告，并提出意见。", "字体设计大赛启动", "今天是植树节。", "我们要放大优势、缩小差距。",
     "截至目前，总第1833期节目已播出，收视率稳定。", "注意：本站停车场明日维修。", "END OF FILE 是文件结束标志。"],
)
def test_sentences_with_the_same_words_stay(line):
    text = f"{BODY}\n{line}\n{BODY2}"
    assert remove_widget_text(text).text == text


def test_a_government_information_table_at_the_head_goes():
    table = ("索引号 | xzfgzbmzfb/2021-3740 | 公开目录: | 县政府办文件 |\n"
             "公开责任部门 | 汉阴县人民政府办公室 | 公开形式: | 主动公开 |\n"
             "文号 | 汉政办发〔2021〕88号 | 成文日期: | 2021年09月28日 |\n政策解读: |\n|")
    assert remove_widget_text(f"{table}\n{BODY}").text == BODY
    stacked = ("索引号:\n6107280000/2024-001005\n主题分类:\n发文机构:\n县政府网站\n有效性:\n内容概述:\n"
               "镇巴县人民政府工作规则")
    assert remove_widget_text(f"{stacked}\n{BODY}").text == BODY


def test_what_a_government_information_table_must_not_take():
    # the document's first part after an empty label, and a table that is not at the head
    text = f"索引号:\n6107280000/2024-001005\n有效性:\n第一章 总则\n{BODY}"
    assert remove_widget_text(text).text == f"第一章 总则\n{BODY}"
    later = f"{BODY}\n{BODY2}\n{BODY}\n索引号:\n123"
    assert remove_widget_text(later).text == later
    prose = f"{BODY}\n文号为汉政办发〔2021〕88号的文件已印发。"
    assert remove_widget_text(prose).text == prose


def test_a_read_aloud_button_in_an_info_line():
    line = "刊发日期:2013-02-06 阅读次数: 作者:小杰 语音阅读:语音阅读"
    assert remove_widget_text(f"{line}\n{BODY}").text == f"刊发日期:2013-02-06 阅读次数: 作者:小杰\n{BODY}"


# --- shapes of review 4's pages (tests/realtext/review4.jsonl): counters, notices and controls of other templates ---

@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("浏览次数:-", "counters"),
        ("浏览量", "counters"),
        ("总网页浏览量", "counters"),
        ("2010/1/6 16:43:13 668 次浏览 分类:政府动态", "counters"),
        ("发表于2023-12-11 06:22 被阅读0次", "counters"),
        ("没有留言:", "comments"),
        ("张贴留言", "comments"),
        ("请更新您的浏览器", "controls"),
        ("您使用的浏览器版本较旧,已不再受支援。建议您更新浏览器版本,以获得最佳使用体验。", "controls"),
        ("进入移动版,省流量,体验好", "controls"),
        ("加载中,请稍候......", "controls"),
        ("点击进入相册专辑:[平遥印象]", "controls"),
        ("登录/注册 用户中心 支持IPV6", "controls"),
        ("友情链接:", "footer"),
        ("互联网新闻信息许可证:61120180013", "footer"),
        ("转载请注明:http://www.tradexfiles.com/hxsx/1308.html", "footer"),
        ("声明:此文由 鱼儿游品 分享发布,并不意味本站赞同其观点,文章内容仅供参考。", "footer"),
        ("凡本网注明“来源:黔东南信息港”的所有作品,均为黔东南信息港合法拥有版权或有权使用的作品。", "footer"),
        ("本公众号部分转载的文章、图文、视频来自网络,其版权和文责属原作者所有,请联系我们删除。", "footer"),
        ("新闻推荐", "related"),
        ("新闻热线:0855-8222000", "controls"),
        ("Hash:3ca89eabd099fa6cc1409af6ef225cc76a1429dd", "controls"),
    ],
)
def test_review4_widget_lines(line, kind):
    assert classify_widget_line(line) == kind
    assert remove_widget_text(f"{BODY}\n{line}\n{BODY2}").text == f"{BODY}\n{BODY2}"


@pytest.mark.parametrize(
    "line",
    [
        "全县网站总浏览量突破十万人次。",             # a counter in a sentence
        "浏览量大增说明群众关注度高",                  # a counter word opening a headline
        "请更新您的浏览器后再提交申报材料。",          # an instruction of a notice
        "他说没有留言就没有回复，大家要多留言。",
        "转载请注明出处。",                            # a request without an address stays a sentence
        "本站转载的文章均已获得授权",                 # no removal or infringement words
        "凡本网站注册用户均可参加。",                  # not a copyright notice
        "进入移动版政务服务平台办理业务，方便快捷。",
        "加载中心建设项目顺利推进。",
        "登录注册流程已简化",
        "许可证办理时限压缩至3个工作日。",
        "第一季度共发放互联网新闻信息许可证3张。",
        "新闻推荐会上,各县代表发言。",
        "新闻热线开通以来共接到群众来电326个。",
        "Hash函数用于校验数据完整性。",
    ],
)
def test_review4_lookalike_sentences_stay(line):
    text = f"{BODY}\n{line}\n{BODY2}"
    assert remove_widget_text(text).text == text


@pytest.mark.parametrize(
    ("line", "left"),
    [("】 【打 印】", "】"), ("【返回】", ""), ("【 第1页 第2页 】", ""),
     ("正文最后一句。【 第1页 第2页 】", "正文最后一句。")],
)
def test_review4_inline_controls(line, left):
    assert remove_widget_text(f"{BODY}\n{line}").text == (f"{BODY}\n{left}" if left else BODY)


def test_review4_government_greeting_goes_at_the_head_only():
    greeting = "欢迎访问开鲁县人民政府!"
    assert remove_widget_text(f"{greeting}\n{BODY}").text == BODY
    assert remove_widget_text(f"{BODY}\n{greeting}\n{BODY2}").text == f"{BODY}\n{greeting}\n{BODY2}"


def test_a_government_information_table_under_the_sites_chrome_goes():
    chrome = "无障碍    长者助手 我的收藏   收藏\n政府信息公开 规章库\n\n广东省人民政府办公厅政府信息公开\n\n"
    table = ("索引号: 006939748/2008-00108 分类: 劳动、人事、监察、通知\n"
             "发布机构: 广东省人民政府办公厅 成文日期: 2008-08-26\n名称: 印发广东省行政过错责任追究暂行办法的通知\n"
             "文号: 粤府办〔2008〕52号 发布日期: 2008-08-26\n主题词:\n")
    result = remove_widget_text(f"{chrome}{table}{BODY}")
    assert result.text == f"政府信息公开 规章库\n\n广东省人民政府办公厅政府信息公开\n\n{BODY}"


def test_a_table_below_prose_or_an_accessibility_word_in_a_sentence_stays():
    below = f"{BODY}\n{BODY2}\n短标题\n索引号: 006939748/2008-00108\n{BODY2}"
    assert remove_widget_text(below).text == below
    sentence = f"{BODY}\n无障碍 设施建设全面推进,长者助手 上线\n{BODY2}"
    assert remove_widget_text(sentence).text == sentence
