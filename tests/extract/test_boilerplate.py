"""Boilerplate removal: what must go, and the prose that must stay."""

from __future__ import annotations

from collections import Counter

import pytest

from govnews.extract.article import extract_article
from govnews.extract.boilerplate import (
    class_tokens,
    is_boilerplate_text,
    is_furniture,
    is_site_disclaimer,
    remember_sample,
    remove_boilerplate,
)
from govnews.extract.dom import parse
from govnews.extract.text import text_lines

PROSE = "会议要求，各单位要认真落实安全生产责任，确保人民群众生命财产安全。"


def cleaned(html: str, protected_xpath: str | None = None) -> tuple[list[str], Counter[str]]:
    root = parse(html)
    counts: Counter[str] = Counter()
    protected = root.xpath(protected_xpath) if protected_xpath else ()
    remove_boilerplate(root, counts, protected)
    return text_lines(root), counts


def test_controls_and_notices_removed() -> None:
    html = f"""<body>
    <div>当前位置：<a href='/'>首页</a> &gt; <a href='/x'>要闻</a></div>
    <div>【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
    <div><p>{PROSE}</p></div>
    <div>【打印本页】【关闭窗口】</div>
    <div>分享到：<a>微信</a></div>
    <p>扫一扫在手机打开当前页</p>
    <p>上一篇：<a href='1'>旧闻</a></p><p>下一篇：<a href='2'>新闻</a></p>
    <div>【我要纠错】</div><div>【TOP】</div>
    <div>版权所有：某市人民政府 晋ICP备05000001号 网站标识码1409000001</div>
    <div>是否打开信息无障碍浏览</div>
    </body>"""
    lines, counts = cleaned(html)
    assert lines == [PROSE]
    assert counts["boilerplate_nodes"] >= 9


def test_prose_mentioning_share_and_comment_stays() -> None:
    html = ("<body><div class='TRS_Editor'><p>群众纷纷在朋友圈分享到场的感受，并在评论区留言点赞，"
            "表示上一篇报道中提到的问题已经解决，下一篇报道值得期待，这个周末全家人都很开心。</p>"
            "<p>相关部门表示，将继续倾听网友评论。</p></div></body>")
    lines, counts = cleaned(html)
    assert len(lines) == 2 and not counts


def test_furniture_by_tag_and_class() -> None:
    html = f"""<body><nav><a>首页</a></nav><div class="breadcrumb">首页 > 新闻</div>
    <div id="comments"><p>网友甲：说得很好，支持。</p></div><div class="bdsharebuttonbox">微信</div>
    <aside>侧栏</aside><div class="article-footer">页脚</div><div><p>{PROSE}</p></div><footer>页脚</footer></body>"""
    lines, counts = cleaned(html)
    assert lines == [PROSE]
    assert counts["boilerplate_nodes"] == 7


def test_long_prose_in_a_furniture_class_is_kept() -> None:
    prose = PROSE * 30
    lines, _ = cleaned(f"<body><div class='content-share'><p>{prose}</p></div></body>")
    assert lines == [prose]


def test_link_lists_removed_article_with_links_kept() -> None:
    related = "<ul>" + "".join(f"<li><a href='/{i}'>某地新闻标题第{i}条</a></li>" for i in range(5)) + "</ul>"
    linked_prose = "<div>" + "".join(
        f"<p>{PROSE}参见<a href='/{i}'>相关文件第{i}号全文链接地址</a>。</p>" for i in range(3)) + "</div>"
    lines, counts = cleaned(f"<body>{related}{linked_prose}</body>")
    assert counts["link_lists"] == 1
    assert len(lines) == 3 and all(line.startswith(PROSE) for line in lines)


def test_inline_link_inside_a_sentence_is_kept() -> None:
    lines, _ = cleaned("<body><p>新浪科技讯 <span><a href='#'>苹果</a></span>发布会开幕，新品亮相。</p></body>")
    assert lines == ["新浪科技讯 苹果发布会开幕，新品亮相。"]


def test_protected_body_and_its_ancestors_stay() -> None:
    html = f"<body><div class='sidebar'><div id='body'><p>{PROSE}</p></div></div></body>"
    lines, _ = cleaned(html, "//div[@id='body']")
    assert lines == [PROSE]


def test_disclaimer_removed_at_any_length_up_to_a_limit() -> None:
    notice = "【免责声明】本文仅代表作者本人观点，与本网无关。" + "本网对文中陈述保持中立。" * 10
    assert is_boilerplate_text(notice)
    assert not is_boilerplate_text("声明" + PROSE * 20)


def test_helpers() -> None:
    el = parse("<div class='mod-shareBar' id='x'></div>").xpath("//div")[0]
    assert class_tokens(el) == {"mod", "share", "bar", "x"} and is_furniture(el)
    assert not is_furniture(parse("<div class='inside article'></div>").xpath("//div")[0])
    assert is_boilerplate_text("分享到：") and is_boilerplate_text(" 浏览次数：12 ")
    assert not is_boilerplate_text("") and not is_boilerplate_text(PROSE)


# Body lines that merely mention widget or footer words (found lost on a 公示 page and via extract_article).
MENTIONS = [
    "监督举报电话：0350-1234567",
    "全县政府网站均已完成ICP备案和公安备案。",
    "网站新增信息无障碍功能，方便老年人浏览。",
    "扫码即可办理社保业务，十分方便。",
    "当前位置偏远的村庄也通了公路。",
    "上一篇章已经翻过…",
    "活动当天，网站地图功能正式上线。",
    "版权所有者应当依法登记。",
    "欢迎广大市民发表评论和建议",
    "分享到朋友圈的照片很多",
    "报名请扫描下方二维码",
    "扫描二维码下载申请表。",
    "主办单位：县文旅局 承办单位：县文化馆 联系电话：0350-7654321",
    "评论：这是一次成功的改革。",
    "相关报道称，项目进展顺利。",
    "网站总访问量：同比增长两成。",
    "下一步将继续推进老旧小区改造",
    "收藏家协会举办年会",
]
# Lines that ARE controls, widgets or footers (most are taken from the labelled corpus pages).
WIDGETS = [
    "当前位置：首页 > 要闻 > 正文",
    "现在位置： 首页 >> 东区新闻 >> 正文",
    "当前位置：要闻动态",
    "上一篇：关于某某的通知",
    "上一篇：这些地方为何能脱贫？",
    "下一篇 : 没有了",
    "【上一篇】",
    "【字体：大 中 小】",
    "【我要纠错】【打印本页】【关闭窗口】",
    "打印本页 | 关闭窗口",
    "收藏",
    "分享到：微信 微博 QQ空间",
    "扫一扫在手机打开当前页",
    "扫码阅读全文",
    "手机版二维码",
    "是否打开信息无障碍浏览",
    "评论(15)",
    "相关推荐换一换",
    "版权所有：某县人民政府",
    "Copyright © 1996-2019 SINA Corporation All Rights Reserved 新浪公司 版权所有",
    "湘ICP备14002927号-5",
    "设为首页© Baidu 使用百度前必读 意见反馈 京ICP证030173号 京公网安备11000002000001号 返回顶部",
    "关于澎湃 在澎湃工作 联系我们 版权声明 隐私政策 澎湃广告 友情链接",
    "网站地图 | 联系我们",
    "违法和不良信息举报电话：010-62675637 举报邮箱：jubao@vip.sina.com",
    "发布时间：2026-06-12 21:30:00 阅读次数：1024",
    "本文来源：新京报 责任编辑：史建磊_NBJ11331",
    "(责编：汤诗瑶、丁涛)",
    "暂无评论,快抢沙发吧~",
    "◎欢迎参与讨论，请在这里发表您的看法、交流您的观点。",
    "主办单位：某市人民政府办公室 技术支持：某网络公司",
]


@pytest.mark.parametrize("line", MENTIONS)
def test_a_line_that_mentions_widget_words_is_body(line: str) -> None:
    assert not is_boilerplate_text(line)
    lines, counts = cleaned(f"<body><div><p>{PROSE}</p><p>{line}</p><div>{line}</div></div></body>")
    assert lines == [PROSE, line, line] and not counts


@pytest.mark.parametrize("line", WIDGETS)
def test_a_line_that_is_a_widget_is_boilerplate(line: str) -> None:
    assert is_boilerplate_text(line)
    lines, counts = cleaned(f"<body><div><p>{PROSE}</p><div>{line}</div></div></body>")
    assert lines == [PROSE] and counts["boilerplate_nodes"] == 1


BODY_TEMPLATES = {
    "cms:TRS_Editor": "<div class='main'><div class='TRS_Editor'>{}</div></div>",
    "density": "<div class='main'><div class='wrap'>{}</div></div>",
}


@pytest.mark.parametrize("method", sorted(BODY_TEMPLATES))
def test_extract_article_keeps_mentions_and_drops_widget_paragraphs(method: str) -> None:
    paragraphs = [PROSE, *MENTIONS[:9], PROSE]
    widgets = ["上一篇：关于某某的通知", "【打印本页】【关闭窗口】", "扫一扫在手机打开当前页", "版权所有：某县人民政府"]
    inner = "".join(f"<p>{p}</p>" for p in [*paragraphs, *widgets])
    html = (f"<html><head><title>关于某事项的公示</title></head><body><h1>关于某事项的公示</h1>"
            f"{BODY_TEMPLATES[method].format(inner)}</body></html>")
    got = extract_article(html, "http://127.0.0.1/gs/1.html")
    assert got.method == method
    assert got.paragraphs == paragraphs
    assert got.counts.get("boilerplate_nodes", 0) + got.counts.get("boilerplate_lines", 0) == len(widgets)


def test_adversarial_lines_are_judged_without_runaway_backtracking() -> None:
    """Repeated labels that almost form a control line: each regex must fail fast (no timing asserted)."""
    for text in ["打印 " * 26 + "x", "返回顶部" * 19 + "正文", "【打印" * 26, "当前位置：" + ">" * 70 + "。"]:
        assert is_boilerplate_text(text) == ("返回顶部" in text or "位置" in text)
    assert not is_boilerplate_text("扫" * 200_000)


ATTACHMENTS = """<div class='TRS_Editor'><p>{prose}</p><p>附件：</p><ol>
<li><a href='/f/1.{ext}'>任务分解表</a></li><li><a href='/f/2.{ext}'>验收标准</a></li>
<li><a href='/f/3.{ext}'>进度统计表</a></li></ol><p>{prose}</p><p>{prose}</p>{tail}</div>"""
RELATED = "<ul><li><a href='/a/1.html'>相关新闻一则标题</a></li><li><a href='/a/2.html'>相关新闻二则标题</a></li>" \
    "<li><a href='/a/3.html'>相关新闻三则标题</a></li></ul>"


def body_cleaned(html: str) -> tuple[list[str], Counter[str], list[str]]:
    root = parse(html)
    box = root.xpath("//div[@class='TRS_Editor']")[0]
    counts: Counter[str] = Counter()
    samples: list[str] = []
    remove_boilerplate(box, counts, in_body=True, samples=samples)
    return text_lines(box), counts, samples


@pytest.mark.parametrize("ext", ["doc", "html"])
def test_attachment_list_after_label_stays(ext: str) -> None:
    lines, counts, _ = body_cleaned(ATTACHMENTS.format(prose=PROSE, ext=ext, tail=""))
    assert "任务分解表" in lines and "进度统计表" in lines and not counts["link_lists"]


def test_document_links_stay_anywhere_related_list_goes() -> None:
    page = ATTACHMENTS.format(prose=PROSE, ext="pdf", tail="").replace("<p>附件：</p>", "")
    root = parse(f"<body>{page}{RELATED}</body>")
    counts: Counter[str] = Counter()
    remove_boilerplate(root, counts)
    lines = text_lines(root)
    assert "验收标准" in lines and "相关新闻二则标题" not in lines and counts["link_lists"] == 1


def test_link_list_in_body_goes_only_at_an_edge() -> None:
    para = f"<p>{PROSE * 4}</p>"  # more than EDGE_CHARS of text on each side
    mid = f"<div class='TRS_Editor'>{para}{RELATED}{para}</div>"
    lines, counts, _ = body_cleaned(mid)
    assert "相关新闻二则标题" in lines and not counts["link_lists"]
    lines, counts, samples = body_cleaned(mid.replace("</div>", f"{RELATED}</div>").replace(RELATED, "", 1))
    assert "相关新闻二则标题" not in lines and counts["link_lists"] == 1
    assert samples == ["相关新闻一则标题 相关新闻二则标题 相关新闻三则标题"[:40]]


ANNOUNCEMENT_NOTICE = "声明：本公告在山西省政府采购网和岢岚县人民政府网同时发布，其他媒体转载无效。"


@pytest.mark.parametrize(
    "text",
    [
        "免责声明：本文来自腾讯新闻客户端自媒体，不代表腾讯网的观点和立场。",
        "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
        "声明：证券时报力求信息真实、准确，文章提及内容仅供参考，不构成实质性投资建议。",
        "版权声明：凡本网刊载的作品，未经授权不得转载。",
    ],
)
def test_site_disclaimers_recognised(text: str) -> None:
    assert is_site_disclaimer(text) and is_boilerplate_text(text)
    assert not is_boilerplate_text(text, notices=False)


@pytest.mark.parametrize(
    "text",
    [ANNOUNCEMENT_NOTICE, "特别声明：投标人须在开标前提交全部资格证明材料。", "声明：" + PROSE * 20],
)
def test_notices_that_belong_to_the_document_stay(text: str) -> None:
    assert not is_site_disclaimer(text) and not is_boilerplate_text(text)


def test_disclaimer_in_body_goes_at_tail_not_in_the_middle() -> None:
    disclaimer = "免责声明：本文仅代表作者本人观点，与本网无关。"
    para = f"<p>{PROSE * 4}</p>"
    middle = f"<div class='TRS_Editor'>{para}<p>{disclaimer}</p>{para}</div>"
    lines, _, _ = body_cleaned(middle)
    assert disclaimer in lines
    tail = f"<div class='TRS_Editor'>{para}{para}<p>{disclaimer}</p></div>"
    lines, counts, samples = body_cleaned(tail)
    assert disclaimer not in lines and counts["boilerplate_nodes"] == 1 and samples == [disclaimer[:40]]


def test_traditional_furniture_lines() -> None:
    assert is_boilerplate_text("瀏覽次數：12") and is_boilerplate_text("責任編輯：於雪")
    assert not is_boilerplate_text("會議要求，各單位要壓實責任。")


def test_remember_sample_keeps_three_short_distinct() -> None:
    samples: list[str] = []
    for text in ["", "分享到：微信", "分享到：微信", "x" * 100, "第三", "第四"]:
        remember_sample(samples, text)
    assert samples == ["分享到：微信", "x" * 40, "第三"]
