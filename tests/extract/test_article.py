"""extract_article end to end on hand-written page fixtures (web-poet style: page.html + expected.json)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from pathlib import Path

import parsel
import pytest

from govnews.extract import Extracted, extract_article
from govnews.extract.article import clean_paragraphs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "extract"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "page.html").exists())
PUBLISHED_AT = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?\+08:00)?$")


def load(case: str) -> tuple[str, str, dict]:
    folder = FIXTURES / case
    html = (folder / "page.html").read_text(encoding="utf-8")
    url = (folder / "url.txt").read_text(encoding="utf-8").strip()
    return html, url, json.loads((folder / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_fixture_page(case: str) -> None:
    html, url, expected = load(case)
    got = dataclasses.asdict(extract_article(html, url))
    samples = got.pop("samples")  # provenance excerpts: checked by shape here, by value in the unit tests
    assert got == expected
    assert len(samples) <= 3 and all(0 < len(s) <= 40 for s in samples)


@pytest.mark.parametrize("case", CASES)
def test_fixture_invariants(case: str) -> None:
    html, url, _ = load(case)
    got = extract_article(html, url)
    assert got.published_at is None or PUBLISHED_AT.match(got.published_at)
    assert all(p and p == p.strip() for p in got.paragraphs)
    assert not set(got.captions) & set(got.paragraphs)
    assert all(img["url"].startswith(("http://", "https://")) for img in got.images)


def test_selector_input_gives_same_result_and_is_not_mutated() -> None:
    html, url, expected = load("trs_gov")
    sel = parsel.Selector(text=html)
    before = sel.get()
    from_selector = extract_article(sel, url)
    assert from_selector == extract_article(html, url)
    assert {k: v for k, v in dataclasses.asdict(from_selector).items() if k != "samples"} == expected
    assert sel.get() == before


def test_boilerplate_never_reaches_paragraphs() -> None:
    html, url, _ = load("trs_gov")
    text = "\n".join(extract_article(html, url).paragraphs)
    for junk in ("当前位置", "分享到", "打印本页", "上一篇", "版权所有", "ICP备", "字体", "浏览次数", "责任编辑"):
        assert junk not in text
    assert "分享先进经验" in text and "群众评论" in text  # prose mentioning 分享/评论 stays


def test_comment_section_and_related_list_removed_but_body_kept() -> None:
    html, url, _ = load("blog_mirror")
    got = extract_article(html, url)
    text = "\n".join(got.paragraphs)
    assert "欢迎参与讨论" not in text and "活动办得真好" not in text and "临汾旅游攻略" not in text
    assert "游客纷纷拍照分享" in text
    assert got.counts["ruby"] == 2 and "fēi" not in text and "jiǎnzhǐ" not in text


def test_empty_and_garbage_input_do_not_raise() -> None:
    xml_declared = '<?xml version="1.0" encoding="gbk"?><p>x</p>'
    for html in ("", "   ", "<html></html>", "<<<>>>", "纯文本，没有标签。", xml_declared):
        got = extract_article(html, "")
        assert isinstance(got, Extracted)


def test_no_date_anywhere_gives_none() -> None:
    html = (
        "<html><head><title>通知</title></head>"
        "<body><h1>通知</h1><div><p>各单位：请按时参加会议，谢谢配合。</p></div></body></html>"
    )
    assert extract_article(html, "http://x.gov.cn/a/b.html").published_at is None


def test_date_from_url_is_last_resort() -> None:
    html = "<html><body><h1>会议通知</h1><div><p>各单位：请按时参加会议，谢谢配合。</p></div></body></html>"
    got = extract_article(html, "http://klx.sxxz.gov.cn/klxzw/zwyw/202308/t20230807_9.html")
    assert got.published_at == "2023-08-07"


def test_adversarial_inputs_come_back_whole() -> None:
    """Linear-time paths: long Han runs, unbalanced parentheses, deep nesting, a 5 MB paragraph."""
    han = "汉" * 200_000
    assert extract_article(f"<html><body><div><p>{han}</p></div></body></html>", "").paragraphs == [han]
    parens = "（" * 10_000 + "正文" + "）" * 3_000
    assert extract_article(f"<body><p>{parens}</p></body>", "").paragraphs == [parens]
    nested = "<body>" + "<div>" * 10_000 + "深处的正文，仍然要在。" + "</div>" * 10_000 + "</body>"
    assert extract_article(nested, "").paragraphs == ["深处的正文，仍然要在。"]
    big = "这是一句话，很长。" * 550_000
    got = extract_article(f"<body><div class='TRS_Editor'><p>{big}</p></div></body>", "")
    assert got.paragraphs == [big] and got.method == "cms:TRS_Editor"


NOTICE_PAGE = """<html><head><title>关于印发植树造林实施方案的通知_岢岚县人民政府</title></head><body>
<h1>关于印发植树造林实施方案的通知</h1><div class="TRS_Editor">
<p>各乡镇人民政府，县直有关单位：</p><p>现将《岢岚县2024年春季植树造林实施方案》印发给你们，请认真贯彻执行。</p>
<p>附件：</p><ol><li><a href="/f/1.doc">任务分解表</a></li><li><a href="/f/2.doc">验收标准</a></li>
<li><a href="/f/3.xls">进度统计表</a></li></ol>
<p>声明：本公告在山西省政府采购网和岢岚县人民政府网同时发布，其他媒体转载无效。</p>
<p>岢岚县人民政府办公室</p><p>2024年3月1日</p>{tail}</div></body></html>"""


def test_attachments_document_notice_and_signature_date_stay() -> None:
    got = extract_article(NOTICE_PAGE.format(tail=""), "http://www.kelan.gov.cn/a/t20240301_1.html")
    assert got.paragraphs[2:6] == ["附件：", "任务分解表", "验收标准", "进度统计表"]
    assert "声明：本公告在山西省政府采购网和岢岚县人民政府网同时发布，其他媒体转载无效。" in got.paragraphs
    assert got.paragraphs[-2:] == ["岢岚县人民政府办公室", "2024年3月1日"]
    assert got.samples == [] and "link_lists" not in got.counts


def test_page_meta_after_the_signature_goes_and_is_sampled() -> None:
    tail = "<p>发布时间：2024-03-01 10:00 浏览次数：12</p><p>免责声明：本文仅代表作者观点，不代表本网立场。</p>"
    got = extract_article(NOTICE_PAGE.format(tail=tail), "http://www.kelan.gov.cn/a/t20240301_1.html")
    assert got.paragraphs[-2:] == ["岢岚县人民政府办公室", "2024年3月1日"]
    assert got.samples == ["发布时间：2024-03-01 10:00 浏览次数：12", "免责声明：本文仅代表作者观点，不代表本网立场。"]


def test_tail_date_lines_only_go_when_labelled() -> None:
    counts: Counter[str] = Counter()
    lines = ["正文第一段，内容完整。", "中共忻州市委组织部", "2024年6月20日"]
    assert clean_paragraphs(lines, None, counts) == lines and not counts
    samples: list[str] = []
    kept = clean_paragraphs(["2024-06-20 09:00", *lines, "2024-06-20 来源：忻州日报"], None, counts, samples)
    assert kept == lines and counts["meta_lines"] == 2 and samples == ["2024-06-20 09:00", "2024-06-20 来源：忻州日报"]


def test_traditional_meta_line_page() -> None:
    html = """<html><head><title>忻州市推進鄉村振興工作會議召開 - 忻州網</title></head><body>
    <h1>忻州市推進鄉村振興工作會議召開</h1>
    <div class="info">時間：2024年05月06日 16:20　來源：忻州日報　作者：記者 張曉東　瀏覽次數：</div>
    <div class="content"><p>本報訊（記者 張曉東）5月6日，全市推進鄉村振興工作會議召開。</p>
    <p>會議要求，各縣（市、區）要壓實責任，確保各項任務落地見效。</p><p>（編輯：王芳）</p></div></body></html>"""
    got = extract_article(html, "http://www.xinzhou.gov.cn/a/1.html")
    assert (got.source, got.authors, got.editor) == ("忻州日報", ["張曉東"], "王芳")
    assert got.published_at == "2024-05-06T16:20:00+08:00"
    assert got.paragraphs[-1].startswith("會議要求") and "（編輯：王芳）" in got.samples


def test_a_top_bar_date_is_not_the_articles_date() -> None:
    """A site's top bar prints today's (or a stale build) date; above a breadcrumb it is site chrome."""
    body = "<div class='content'><p>近日，兴县县委召开县委常委扩大会议，研究安排疫情防控工作。</p></div>"
    page = ("<html><body><div class='top'><span>2018年1月5日</span>| 联系热线:17636155855</div>"
            "<div class='crumb'>首页 &gt; 聚焦区县 &gt; 正文</div><h1>兴县县委召开常委扩大会议</h1>"
            f"<div class='info'>来源:吕梁新闻网</div>{body}</body></html>")
    assert extract_article(page, "http://127.0.0.1/a.html").published_at is None
    assert extract_article(page, "http://127.0.0.1/2020-02-28/1.html").published_at == "2020-02-28"
    # without a breadcrumb between them, a top bar is known by its hotline
    bare = page.replace("<div class='crumb'>首页 &gt; 聚焦区县 &gt; 正文</div>", "")
    assert extract_article(bare, "http://127.0.0.1/a.html").published_at is None


def test_a_date_line_above_the_headline_still_counts() -> None:
    """What it must not touch: a date printed just above the headline, below the breadcrumb."""
    page = ("<html><body><div class='crumb'>首页 &gt; 新闻</div><div class='d'>2020年2月28日 星期五</div>"
            "<h1>兴县县委召开常委扩大会议</h1><div class='content'><p>近日，兴县县委召开县委常委扩大会议，"
            "研究安排疫情防控工作。</p></div></body></html>")
    assert extract_article(page, "http://127.0.0.1/a.html").published_at == "2020-02-28"
