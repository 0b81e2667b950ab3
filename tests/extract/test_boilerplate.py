"""Boilerplate removal: what must go, and the prose that must stay."""

from __future__ import annotations

from collections import Counter

from govnews.extract.boilerplate import class_tokens, is_boilerplate_text, is_furniture, remove_boilerplate
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
