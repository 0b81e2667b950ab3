"""Shapes of templates the first corpus never showed (issue 12): each test is one general shape.

The pages are small hand-written reductions of the shape, not copies of any site; the second corpus
(``tests/corpus2``) measures the same shapes on real pages.
"""

from __future__ import annotations

from collections import Counter

import pytest

from govnews.extract import extract_article
from govnews.extract.boilerplate import is_boilerplate_text
from govnews.extract.dates import badge_date, first_date, parse_date
from govnews.extract.dom import parse, strip_invisible
from govnews.extract.meta import split_title_tag
from govnews.extract.title import strip_label, strip_markup

PROSE = "这是正文的一句话，讲述了事情的来龙去脉。" * 4


def page(body: str, title: str = "站点首页", head: str = "") -> str:
    return f"<html><head><title>{title}</title>{head}</head><body>{body}</body></html>"


def test_discuz_post_header_date() -> None:
    html = page(f'<h1>春季植树活动报名帖</h1><div class="authi">楼主 张三 发表于 2025-12-8 10:28:58</div>'
                f'<div class="t_f"><p>{PROSE}</p></div>', title="春季植树活动报名帖 - 社区论坛 - Powered by Discuz!")
    assert extract_article(html, "http://bbs.example.cn/thread-1-1-1.html").published_at == "2025-12-08T10:28:58+08:00"


def test_us_month_first_date_needs_am_pm() -> None:
    assert parse_date("发布日期： 7/5/2005 9:23:57 PM") == "2005-07-05T21:23:57+08:00"
    assert parse_date("发表时间： 06/02/2022 - 13:48") is None  # day-first pages carry no AM/PM: left alone


def test_calendar_badge_date() -> None:
    assert badge_date("21", "2024年02月") == "2024-02-21"
    assert badge_date("2024-02", "21") == "2024-02-21"
    assert badge_date("32", "2024年02月") is None
    assert first_date(["党群园地", "21", "2024年02月", "相关推荐", "2020年01月18日"]) == "2024-02-21"


def test_print_page_body_is_never_the_date_line() -> None:
    """A print page: the date cell out-scores nothing, the article sits in <br>-separated text."""
    html = page('<table><tr><td class="title"><b>县政府召开春耕生产部署会</b></td></tr>'
                '<tr><td>发布时间：2024-03-01 09:00，来源：县政府办，浏览次数：35，点击：12，作者：张某</td></tr>'
                f'<tr><td>{PROSE}<br>{PROSE}</td></tr></table>', title="打印")
    got = extract_article(html, "http://x.gov.cn/print.jsp?id=1")
    assert "来龙去脉" in "".join(got.paragraphs)


def test_wechat_body_hidden_until_a_script_lifts_it() -> None:
    html = page(f'<h1 id="activity-name">乡村振兴的新路子</h1>'
                f'<div class="rich_media_content" id="js_content" style="visibility: hidden;"><p>{PROSE * 3}</p></div>'
                '<div style="visibility: hidden">提示框</div>', title="乡村振兴的新路子")
    got = extract_article(html, "https://mp.weixin.qq.com/s/abc")
    assert "来龙去脉" in "".join(got.paragraphs)
    root = parse(html)
    counts: Counter[str] = Counter()
    strip_invisible(root, counts)
    assert counts["hidden_nodes"] == 1  # the hidden tooltip still goes


def test_unclosed_breadcrumb_swallowing_the_page_keeps_the_article() -> None:
    html = page('<div class="breadcrumb">首页 &gt; 新闻 &gt; 正文'  # never closed: the page ends up inside it
                f'<h1>全县完成造林五万亩</h1><div class="text"><p>{PROSE}</p><p>{PROSE}</p></div>',
                title="全县完成造林五万亩_某县政府")
    got = extract_article(html, "http://x.gov.cn/a.html")
    assert "来龙去脉" in "".join(got.paragraphs)


def test_nav_classed_body_element_is_not_furniture() -> None:
    html = (f'<html><head><title>标题甲乙丙丁</title></head><body class="has-nav-bar"><nav>首页 新闻</nav>'
            f'<h1>标题甲乙丙丁</h1><p>{PROSE}</p><p>{PROSE}</p></body></html>')
    assert "来龙去脉" in "".join(extract_article(html, "http://x.cn/a").paragraphs)


def test_lead_paragraph_before_the_body_container() -> None:
    lead = "各位好，这是导语，概括了全文的内容，也交代了事情发生的时间和地点。"
    body = f'<div class="body"><div class="ad">广告</div><p>{PROSE}</p><p>{PROSE}</p></div>'
    html = page(f'<h1>标题甲乙丙丁</h1><p class="chapo">{lead}</p>{body}', title="标题甲乙丙丁")
    assert extract_article(html, "http://x.cn/a").paragraphs[0].startswith("各位好，这是导语")


@pytest.mark.parametrize("line", [
    "关键词：春耕 农业", "【关键词】乡村振兴", "图片来源于网络", "（图片来源：网络）", "倍速", "0.5x 1.0x 1.5x 2.0x",
    "高清 标清", "错误代码：102630", "返回页首 |", "第1页/共1页 << 上一页 | 下一页 >>", "本文地址： http://x.cn/1.html",
    "点击阅读原文", "下载法广应用程序跟踪国际时事", '<a href="" title=""> <abbr title=""> <b>',
])
def test_furniture_lines(line: str) -> None:
    assert is_boilerplate_text(line)


@pytest.mark.parametrize("line", [
    "关键词很重要，它说明了主题。", "高清晰度的照片展示了风景。", "本文标题很长的一句话，这是正文。",
    "倍速增长的产量让农民笑开了颜。",
])
def test_prose_mentioning_furniture_words_stays(line: str) -> None:
    assert not is_boilerplate_text(line)


def test_lost_full_width_indent_and_related_items_leave_the_body() -> None:
    html = page(f'<h1>标题甲乙丙丁</h1><div class="content"><p>???{PROSE}</p><p>{PROSE}</p>'
                '<p>·夫妻勾结受贿近37万 被判13年（2005-04-01 15:57PM）</p>'
                '<p>·大学生结婚不能休婚假（2005-03-31 14:33PM）</p></div>', title="标题甲乙丙丁")
    paragraphs = extract_article(html, "http://x.cn/a").paragraphs
    assert paragraphs[0].startswith("这是正文") and not any("受贿" in p or "婚假" in p for p in paragraphs)
    assert "?" not in "".join(paragraphs)


def test_recommendation_stream_is_not_the_body() -> None:
    teaser = "这是一段很长的推荐摘要，吸引读者点击，内容丰富。"
    teasers = "".join(f'<li><a href="/n{i}">推荐的其他文章第{i}篇</a><p>{teaser}</p></li>' for i in range(12))
    story = "<p>短故事的正文只有一段，但它才是文章，讲得清清楚楚。</p><p>第二段也很短，交代了结局。</p>"
    html = page(f'<h1>标题甲乙丙丁</h1><div class="story">{story}</div>'
                f'<div class="feed"><h3>你可能還想看</h3><ul>{teasers}</ul></div>', title="标题甲乙丙丁")
    text = "".join(extract_article(html, "http://x.cn/a").paragraphs)
    assert "短故事的正文" in text and "推荐摘要" not in text


def test_headline_above_the_date_line_beats_a_site_name_title() -> None:
    html = page('<div class="nav">首页 | 新闻 | 论坛</div><div>导游为什么热衷于带你购物</div>'
                f'<div>作者：芊草凡凡 时间：2005-08-22 19:13:18</div><div class="post"><p>{PROSE}</p></div>',
                title="央视论坛")
    got = extract_article(html, "http://x.cn/a")
    assert got.title == "导游为什么热衷于带你购物"
    assert got.published_at == "2005-08-22T19:13:18+08:00"


def test_title_shapes() -> None:
    assert strip_markup("为现代化建设凝聚力量<div>——祝贺会议开幕</div>") == "为现代化建设凝聚力量——祝贺会议开幕"
    assert strip_label("主题: 【太行山上】DVD") == "【太行山上】DVD"
    assert strip_label("全县完成造林五万亩 评论(12)") == "全县完成造林五万亩"
    assert strip_label("全县完成造林五万亩 326条评论") == "全县完成造林五万亩"
    assert split_title_tag("社会资本与再就业(页 1) - 学术前沿 - 论坛")[0] == "社会资本与再就业"


def test_sole_h1_beats_a_shortened_title_tag_and_loses_its_comment_count() -> None:
    html = page(f'<h1>全县完成造林五万亩 群众参与热情高<span>评论(12)</span></h1><p>{PROSE}</p>',
                title="全县完成造林五万亩_某县政府网")
    assert extract_article(html, "http://x.cn/a").title == "全县完成造林五万亩 群众参与热情高"


def test_echoed_title_is_no_headline() -> None:
    html = page(f'四年前中500万现穷困潦倒__产业资讯_新浪网<div class="nav">首页 产业资讯</div><p>{PROSE}</p>',
                title="四年前中500万现穷困潦倒__产业资讯_新浪网")
    assert extract_article(html, "http://x.cn/a").title == "四年前中500万现穷困潦倒"


def _cleaned(html: str, url: str = "http://www.example.gov.cn/art/2024/3/1/art_1_1.html"):
    from govnews.clean.article import clean_article
    from govnews.items import Article, Image

    got = extract_article(html, url)
    return clean_article(Article(url=url, title=got.title or "", text="\n".join(got.paragraphs),
                                 captions=list(got.captions),
                                 images=[Image(url=str(i["url"]), caption=i.get("caption")) for i in got.images]))


def test_gallery_of_photos_captioned_alike_keeps_one_caption_per_picture() -> None:
    """Two photos under one caption text: two captions, and each image keeps its own."""
    centered = '<p style="text-align:center">'
    body = "".join(f'{centered}<img src="/p{i}.jpg"></p>{centered}植树活动现场</p>' for i in (1, 2))
    html = page(f'<h1>县里开展春季植树活动</h1><div class="TRS_Editor">{body}<p>{PROSE}</p></div>')
    article = _cleaned(html)
    assert article.captions == ["植树活动现场", "植树活动现场"]
    assert [image.caption for image in article.images] == ["植树活动现场", "植树活动现场"]
    assert "植树活动现场" not in article.text


def test_caption_lines_captioned_alike_in_the_text_stay_one_per_picture() -> None:
    """``▲`` caption lines the layout does not mark: the second is no accidental repeat of the first."""
    caption = "▲图为志愿者在村口为群众讲解垃圾分类知识。"
    body = "".join(f'<p><img src="/p{i}.jpg"></p><p>{caption}</p>' for i in (1, 2))
    article = _cleaned(page(f'<h1>垃圾分类进乡村</h1><div class="TRS_Editor"><p>{PROSE}</p>{body}<p>{PROSE}</p></div>'))
    assert article.captions == [caption[1:]] * 2
    assert caption[1:] not in article.text


def test_video_player_widget_inside_the_body_is_not_text() -> None:
    """A player's own strings (its error box, its controls) are named by its class, whatever they say."""
    player = ('<div class="mp-video-player"><div class="wx_video_error_box">'
              '<p role="heading">视频加载失败，请刷新页面再试</p>'
              '<a role="button" href="javascript:void(0);">Refresh</a></div></div>'
              '<div class="prism-player"><span>倍速</span><span>超清</span><span>网络不给力，请稍后再试</span></div>')
    html = page(f'<h1 id="activity-name">乡村振兴的新路子</h1><div class="rich_media_content" id="js_content">'
                f'<p>{PROSE}</p>{player}<p>{PROSE}</p></div>', title="乡村振兴的新路子")
    text = "\n".join(extract_article(html, "https://mp.weixin.qq.com/s/abc").paragraphs)
    assert "来龙去脉" in text
    for string in ("视频加载失败", "Refresh", "倍速", "网络不给力"):
        assert string not in text


def test_poem_page_keeps_poem_lines_translation_notes_and_background() -> None:
    """A poem page (a static-site blog): headings carry ``#`` permalinks, the poem sits in <pre> lines."""
    section = ('<h2 id="春晓"><a class="header-anchor" href="#春晓" aria-hidden="true">#</a> 春晓</h2>'
               '<p>赏析</p><p>孟浩然早年隐居在鹿门山，后入长安谋求官职，考进士不中，还归故乡。《春晓》即是他隐居鹿门山时所作。</p>'
               '<p>原文</p><pre><code>春晓\n春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。\n</code></pre>'
               '<p>注释</p><p>不觉晓：不知不觉天就亮了。</p>'
               '<p>译文</p><pre><code>春日熟睡不知不觉天已破晓，到处都可以听见鸟儿的啼叫。\n</code></pre>')
    heading = '<h1 id="诗心札记"><a class="header-anchor" href="#诗心札记">¶</a> 诗心札记</h1>'
    html = page(f"<main>{heading}{section}</main>", title="诗心札记 | 博客")
    lines = extract_article(html, "https://blog.example.cn/poems.html").paragraphs
    assert "春眠不觉晓，处处闻啼鸟。" in lines and "夜来风雨声，花落知多少。" in lines
    assert "春晓" in lines and not any(line.startswith(("#", "¶")) for line in lines)
    for part in ("孟浩然早年隐居", "不知不觉天就亮了", "到处都可以听见鸟儿的啼叫"):
        assert any(part in line for line in lines), part


def test_author_tag_naming_the_editor_is_no_byline() -> None:
    """A CMS that writes whoever published the page into ``author`` (and ``editor``), printed under the
    story as 责任编辑: the editor is no writer. A real byline still wins."""
    head = ('<meta name="contentid" content="WS1"><meta name="catalogs" content="5bd5">'
            '<meta name="author" content="严玉洁"><meta name="editor" content="严玉洁">')
    body = f'<h1>外国专家谈合作</h1><div id="Content"><p>{PROSE}</p><p>【责任编辑：严玉洁】</p></div>'
    got = extract_article(page(body, title="外国专家谈合作 - 中国日报网", head=head), "https://cn.example.com/a/1.html")
    assert got.authors == [] and got.editor == "严玉洁"
    own = page(body, title="外国专家谈合作", head=head.replace("严玉洁\"><meta name=\"editor\" content=\"严玉洁",
                                                              "王辉\"><meta name=\"editor\" content=\"严玉洁"))
    assert extract_article(own, "https://cn.example.com/a/1.html").authors == ["王辉"]
