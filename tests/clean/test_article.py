from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import parsel
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govnews.clean.article import clean_article
from govnews.items import Article, CleaningRecord, Image

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"

TITLE = "临汾市召开安全生产工作会议"
PARA1 = "临汾新闻网讯 (记者 张三) 11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。"
PARA1_CLEAN = "临汾新闻网讯 11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。"
PARA2 = "会议要求，各级各部门要压实责任，确保全市安全生产形势持续稳定。"


def _article(text: str, title: str = TITLE, **fields) -> Article:
    return Article(url="http://127.0.0.1/a.html", title=title, text=text, **fields)


def _steps(article: Article) -> list[str]:
    return [r.step for r in article.cleaning]


def test_dirty_mirror_page_is_cleaned_with_provenance():
    dirty = (
        f"当前位置：首页 > 新闻中心\n{TITLE}\n{TITLE}{PARA1}\n\u3000\u3000{PARA2}\n{PARA2}\n"
        "▲会议现场\n(张三 李四)\n责任编辑:王五\n分享到：\n评论列表\n暂无评论,快抢沙发吧~"
    )
    cleaned = clean_article(_article(dirty))
    assert cleaned.text == f"{PARA1_CLEAN}\n{PARA2}"
    assert cleaned.authors == ["张三", "李四"]
    assert cleaned.editor == "王五"
    assert cleaned.captions == ["会议现场"]
    assert cleaned.lang == "zh-Hans"
    assert cleaned.script_original == "zh-Hans"
    assert cleaned.content_hash == hashlib.sha256(cleaned.text.encode("utf-8")).hexdigest()
    steps = _steps(cleaned)
    for step in ("normalize_whitespace", "remove_widget_text", "remove_repeated_title",
                 "remove_repeated_paragraphs", "extract_credits"):
        assert step in steps
    assert steps.index("remove_widget_text") < steps.index("remove_repeated_title") < steps.index(
        "extract_credits")
    record = next(r for r in cleaned.cleaning if r.step == "remove_widget_text")
    assert record.field == "text" and record.count == sum(record.details.values()) and record.samples


def test_traditional_page_is_converted_everywhere():
    article = _article(
        "臨汾新聞網訊 11月24日，臨汾市召開安全生產工作會議，部署下一階段重點工作。\n▲會議現場",
        title="臨汾市召開安全生產工作會議", source="臨汾日報", authors=["張三"], editor="王偉",
        captions=["與會人員"], photo_credits=["趙強"],
    )
    cleaned = clean_article(article)
    assert cleaned.script_original == "zh-Hant"
    assert cleaned.title == TITLE
    assert cleaned.text.startswith("临汾新闻网讯")
    assert cleaned.source == "临汾日报"
    assert cleaned.authors == ["张三"]
    assert cleaned.editor == "王伟"
    assert cleaned.photo_credits == ["赵强"]
    assert cleaned.captions == ["与会人员", "会议现场"]
    assert "to_simplified" in _steps(cleaned)


def test_glosses_and_ruby_removed_from_title_text_and_captions():
    article = _article(f"{PARA1}新闻(xīnwén)\n{PARA2}", title="临汾(línfén)市召开安全生产工作会议",
                       captions=["<ruby>会<rt>huì</rt></ruby>议现场"])
    cleaned = clean_article(article)
    assert cleaned.title == TITLE
    assert "(xīnwén)" not in cleaned.text
    assert cleaned.captions == ["会议现场"]
    assert {"strip_pinyin_glosses", "strip_ruby_text"} <= set(_steps(cleaned))


def test_duplicated_body_keeps_first_copy():
    cleaned = clean_article(_article(f"{PARA1}\n{PARA2}\n{TITLE}\n{PARA1}\n{PARA2}"))
    assert cleaned.text == f"{PARA1_CLEAN}\n{PARA2}"
    assert "remove_duplicated_body" in _steps(cleaned)


def test_existing_records_and_fields_are_kept():
    earlier = CleaningRecord(step="boilerplate_nodes", field="text", count=2, details={"nodes": 2})
    article = _article(f"{PARA1}\n（记者 李四）", authors=["张三"], editor="赵六", cleaning=[earlier])
    cleaned = clean_article(article)
    assert cleaned.cleaning[0] == earlier
    assert cleaned.authors == ["张三", "李四"]  # merged, deduplicated, order kept
    assert cleaned.editor == "赵六"  # an editor from extraction is not replaced
    assert article.cleaning == [earlier] and article.authors == ["张三"]  # the input is not mutated


def test_clean_article_leaves_clean_text_alone():
    cleaned = clean_article(_article(f"{PARA1_CLEAN}\n{PARA2}"))
    assert cleaned.text == f"{PARA1_CLEAN}\n{PARA2}"
    # Only the source is filled in, from the dateline (临汾新闻网讯), and that is recorded.
    assert cleaned.source == "临汾新闻网"
    assert [(r.step, r.field, r.details) for r in cleaned.cleaning] == [
        ("extract_credits", "source", {"dateline_source": 1})]


def test_dateline_byline_moves_to_authors():
    cleaned = clean_article(_article(f"{PARA1}\n{PARA2}"))
    assert cleaned.text == f"{PARA1_CLEAN}\n{PARA2}"
    assert cleaned.authors == ["张三"]
    assert set(_steps(cleaned)) == {"extract_credits"}
    # Every name moved out of the text is recorded with the field it went to and the line it came from.
    origins = [r for r in cleaned.cleaning if r.field == "authors"]
    assert len(origins) == 1 and origins[0].samples[0].startswith("张三 ← ")
    assert clean_article(cleaned).cleaning == cleaned.cleaning


_DIRTY_PIECES = [
    TITLE, PARA1, PARA2, "新闻(xīnwén)(xīnwén)发布", "網絡(wǎngluò)安全", "臨汾市召開會議，部署工作。",
    "评论列表", "发表评论", "分享到：", "【字体：大 中 小】【打印本页】", "上一篇：旧闻", "相关推荐",
    "\u3000\u3000", " \t ", "\u200b", "&nbsp;", "(张三 李四)", "责任编辑:王五", "▲会议现场", "图片",
    "当前位置：首页 > 新闻", "浏览次数：12", "（记者 赵六 通讯员 孙七）", "版权所有 临汾日报社",
]


@st.composite
def dirty_articles(draw) -> Article:
    pieces = draw(st.lists(st.sampled_from(_DIRTY_PIECES), min_size=1, max_size=10))
    seps = draw(st.lists(st.sampled_from(["\n", "", "\r\n", " "]), min_size=len(pieces), max_size=len(pieces)))
    body = "".join(p + s for p, s in zip(pieces, seps, strict=True))
    if draw(st.booleans()):
        body = body + "\n" + body  # published twice
    title = draw(st.sampled_from([TITLE, "臨汾市召開安全生產工作會議", "新闻(xīnwén)发布", " 标题\u3000"]))
    return _article(body, title=title, captions=draw(st.lists(st.sampled_from(_DIRTY_PIECES[:6]), max_size=2)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dirty_articles())
def test_clean_article_is_idempotent(article):
    once = clean_article(article)
    twice = clean_article(once)
    assert twice == once


_TRICKY = [*"中文会议临汾市召开（）()：:，。▲ \n\u3000记者张三李四编辑图为讯摄影aoīxn?！", "记者 ", "（记者 张三）",
           "责任编辑：", "评论列表\n", "相关推荐\n", "本报讯", "新闻(xīnwén)", "會議", TITLE]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TRICKY), max_size=50).map("".join), st.sampled_from([TITLE, "会议", "标题"]))
def test_clean_article_is_idempotent_on_character_soup(text, title):
    once = clean_article(_article(text, title=title))
    assert clean_article(once) == once


# --- nothing legitimate lost: the labelled body snippets of the corpus survive cleaning ---

_BLOCKS = "p|div|li|h1|h2|h3|h4|h5|h6|td|th|section|article|blockquote|pre|dd|dt|tr|table|ul|ol|center"
_BLOCK_TEST = " or ".join(f"self::{tag}" for tag in _BLOCKS.split("|"))


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace")


def _crude_paragraphs(html: str, xpath: str) -> list[str]:
    """Text of each block element (without nested blocks), scripts and styles left out."""
    paragraphs = []
    for root in parsel.Selector(text=html).xpath(xpath)[:1]:
        for block in root.xpath(f"descendant-or-self::*[{_BLOCK_TEST}]"):
            inline = block.xpath(
                f"./text() | ./*[not({_BLOCK_TEST}) and not(self::script or self::style)]"
                "//text()[not(ancestor::script) and not(ancestor::style)]").getall()
            text = "".join(inline).strip()
            if text:
                paragraphs.append(text)
    return paragraphs


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _labels() -> list[dict]:
    if not (CORPUS / "labels.jsonl").exists():
        return []
    return [json.loads(line) for line in (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]


@pytest.mark.skipif(not (CORPUS / "labels.jsonl").exists(), reason="../shared/corpus is absent")
def test_corpus_body_snippets_survive_cleaning():
    lost, checked = [], 0
    for label in _labels():
        html = _decode((CORPUS / "pages" / label["file"]).read_bytes())
        raw_text = "\n".join(_crude_paragraphs(html, label["body_xpath"]))
        cleaned = _squash(clean_article(_article(raw_text, title=label["title"])).text)
        for key in ("body_first", "body_middle", "body_last"):
            snippet = _squash(label[key])
            if snippet not in _squash(raw_text):
                continue  # the crude extraction missed it; not a cleaning loss
            checked += 1
            if snippet not in cleaned:
                lost.append(f"{label['file']} {key}: {label[key]}")
    assert checked >= 150, checked
    assert not lost, "\n".join(lost)


def test_a_traditional_article_converts_every_field_even_short_ones() -> None:
    """The script is decided on title and body together; 批覆 or 於 alone prove nothing."""
    article = Article(url="http://x.gov.cn/a.html", title="省政府批覆", editor="於雪", site_name="資訊網",
                      text="國務院辦公廳關於進一步加強鄉村振興工作的通知已經印發，各地要認真貫徹落實。",
                      images=[Image("http://x.gov.cn/1.jpg", "專家爲村民測量血壓(xuèyā)"),
                              Image("http://x.gov.cn/2.jpg", None)])
    cleaned = clean_article(article)
    assert (cleaned.title, cleaned.editor, cleaned.site_name) == ("省政府批复", "于雪", "资讯网")
    assert [image.caption for image in cleaned.images] == ["专家为村民测量血压", None]
    assert ("strip_pinyin_glosses", "images") in {(r.step, r.field) for r in cleaned.cleaning}
    assert clean_article(cleaned) == cleaned


def test_a_simplified_article_keeps_its_short_fields() -> None:
    article = Article(url="http://x.gov.cn/a.html", title="乾隆年间的於姓家族", editor="於雪",
                      text="县博物馆展出乾隆年间於氏家族的族谱和生活用品，吸引了众多市民参观。")
    cleaned = clean_article(article)
    assert (cleaned.title, cleaned.editor, cleaned.script_original) == ("乾隆年间的於姓家族", "於雪", "zh-Hans")


def test_captions_from_the_markup_lose_marks_and_photo_credits() -> None:
    caption = "▲ 宋家沟村杏花盛开 李红梅 摄"
    article = Article(url="http://x.gov.cn/a.html", title="杏花", captions=[caption],
                      text="宋家沟村的杏花开了，吸引了众多游客前来观赏拍照，乡村旅游持续升温。",
                      images=[Image("http://x.gov.cn/1.jpg", caption), Image("http://x.gov.cn/2.jpg", "会议现场")])
    cleaned = clean_article(article)
    assert cleaned.captions == ["宋家沟村杏花盛开"] and cleaned.photo_credits == ["李红梅"]
    assert [image.caption for image in cleaned.images] == ["宋家沟村杏花盛开", "会议现场"]
    record = next(r for r in cleaned.cleaning if r.field == "captions")
    assert record.step == "extract_credits" and record.samples == ["李红梅"]
    assert clean_article(cleaned) == cleaned


# --- skipping settled steps: the same result as running every step in every pass ---

def _units() -> list[tuple[str, object]]:
    """The steps of one pass as ``clean_article`` applies them, each a function of the article."""
    from govnews.clean import article as chain

    def per_field(step, fields):
        return lambda a: chain.apply_step(a, step, fields)

    def remove_title(a):
        title = a.title
        return chain.apply_step(a, lambda text: chain.remove_repeated_title(text, title), ("text",),
                                name="remove_repeated_title")

    media = ("title", "text", "captions", "image_captions")
    return [
        ("repair_gbk_garble", per_field(chain.repair_gbk_garble, ("title", "text"))),
        ("strip_literal_tags", per_field(chain.strip_literal_tags, media)),
        ("strip_ruby_text", per_field(chain.strip_ruby_text, media)),
        ("strip_pinyin_glosses", per_field(chain.strip_pinyin_glosses, media)),
        ("normalize_whitespace", per_field(chain.normalize_whitespace, media)),
        ("remove_widget_text", per_field(chain.remove_widget_text, ("text",))),
        ("remove_spam_keywords", per_field(chain.remove_spam_keywords, ("text",))),
        ("remove_image_placeholders", per_field(chain.remove_image_placeholders, ("text",))),
        ("remove_watermarks", per_field(chain.remove_watermarks, ("text",))),
        ("remove_copy_jammer", per_field(chain.remove_copy_jammer, ("text",))),
        ("strip_repost_label", per_field(chain.strip_repost_label, ("title",))),
        ("strip_title_promotion", per_field(chain.strip_title_promotion, ("title",))),
        ("to_simplified", chain._convert_script),
        ("remove_repeated_title", remove_title),
        ("remove_duplicated_body", per_field(chain.remove_duplicated_body, ("text",))),
        ("remove_repeated_paragraphs", per_field(chain.remove_repeated_paragraphs, ("text",))),
        ("extract_credits", chain._take_credits),
        ("normalize_whitespace (all)", per_field(chain.normalize_whitespace,
                                                 (*chain.SINGLE_FIELDS, *chain.LIST_FIELDS, "image_captions"))),
    ]


def _check_units_idempotent(article: Article) -> None:
    """Along two passes, each step settled by construction changes nothing run again right after itself: the
    one assumption skipping makes (any other step is re-run after it changed something)."""
    import copy

    from govnews.clean.article import SETTLED_BY_CONSTRUCTION

    state = copy.deepcopy(article)
    for _ in range(2):
        for name, unit in _units():
            unit(state)
            if name.split(" ")[0] in SETTLED_BY_CONSTRUCTION:
                again = copy.deepcopy(state)
                assert not unit(again), name
                assert again == state, name


def test_a_step_that_is_not_idempotent_is_run_again():
    """remove_repeated_title leaves ``T\nT`` of ``TT\nT``, and removes the first ``T`` only when run again."""
    article = _article(f"{TITLE}{TITLE}\n{TITLE}\n")
    cleaned = clean_article(article)
    assert cleaned == clean_article(article, skip_settled=False)
    assert cleaned.text == TITLE


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dirty_articles())
def test_each_step_is_idempotent_inside_the_chain(article):
    _check_units_idempotent(article)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dirty_articles())
def test_skipping_settled_steps_gives_what_running_every_step_gives(article):
    assert clean_article(article) == clean_article(article, skip_settled=False)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_TRICKY), max_size=50).map("".join), st.sampled_from([TITLE, "会议", "标题"]))
def test_skipping_settled_steps_on_character_soup(text, title):
    article = _article(text, title=title)
    assert clean_article(article) == clean_article(article, skip_settled=False)
    _check_units_idempotent(article)
