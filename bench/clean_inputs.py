"""Generated articles for the cleaning benchmarks: realistic dirty ones and clean ones, from a fixed seed.

Why generated: throughput is measured on thousands of ~3,000-character articles, more than the labelled
real text holds. The prose is real (government news and notices of ``tests/realtext/legit``, the stories
of ``tests/fixtures/make_dirty.py``, law clauses); the dirt is what mirrors and portals add, each kind with
the share of pages it is met on: blank indents and entities, breadcrumbs and font bars, share bars and
comment sections, bylines in the dateline and under the body, captions, word glosses, Traditional script,
a body or a paragraph printed twice, a repeated headline, watermarks, image file names, ruby, GBK byte loss.

Only installed packages (pypinyin, OpenCC) are used, never govnews, so the same seed gives the same
articles to every commit a benchmark compares.
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = 20261130
TARGET_CHARS = 3_000  # the prose of one article; dirt adds ~10-20 %
_HAN_PAIR = re.compile(r"[\u4e00-\u9fff]{2}")
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "建国志强丽华海燕文军晓明红梅伟东秀英立新玉兰春生国庆永刚桂芳子豪"


@dataclass(frozen=True)
class BenchArticle:
    """What the chain gets: the fields extraction fills."""

    title: str
    text: str
    captions: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    source: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"title": self.title, "text": self.text, "captions": list(self.captions),
                "authors": list(self.authors), "source": self.source}


LAW_SHARE = 0.3  # of the paragraphs: law clauses; the rest are news and notices


@cache
def _pool() -> tuple[list[str], list[str], list[str]]:
    """(titles, news paragraphs, law clauses) of real prose."""
    from tests.fixtures.make_dirty import STORIES

    titles = [s.title for s in STORIES]
    paragraphs = [p for s in STORIES for p in s.paragraphs]
    legit = ROOT / "tests" / "realtext" / "legit"
    for line in (legit / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if re.search(r"[\u4e00-\u9fff]", doc["title"]):
            titles.append(doc["title"])
        paragraphs += [p for p in doc["paragraphs"] if "\ufffd" not in p]
    laws = [p.strip() for law in sorted((legit / "laws").glob("*.md"))
            for p in law.read_text(encoding="utf-8").split("\n\n")
            if p.strip().startswith("第") and len(p.strip()) > 30]
    return titles, paragraphs, laws


@cache
def _converters() -> tuple[object, object]:
    from opencc import OpenCC

    return OpenCC("s2t"), OpenCC("t2s")


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.sample(_GIVEN, rng.choice((1, 2))))


def _base(rng: random.Random) -> tuple[str, list[str]]:
    titles, news, laws = _pool()
    chosen: list[str] = []
    total = 0
    while total < TARGET_CHARS:
        para = rng.choice(laws if rng.random() < LAW_SHARE else news)
        chosen.append(para)
        total += len(para)
    return rng.choice(titles), chosen


def clean_article(rng: random.Random) -> BenchArticle:
    """An article with nothing to clean: a headline and about 3,000 characters of paragraphs."""
    title, paragraphs = _base(rng)
    return BenchArticle(title, "\n".join(paragraphs))


def _gloss_words(rng: random.Random, para: str) -> str:
    from pypinyin import Style, lazy_pinyin

    pairs = list(_HAN_PAIR.finditer(para))
    for match in sorted(rng.sample(pairs, min(len(pairs), rng.randint(1, 4))), key=lambda m: -m.start()):
        word = match.group()
        reading = "".join(lazy_pinyin(word, style=Style.TONE if rng.random() < 0.7 else Style.NORMAL))
        para = para[:match.end()] + f"({reading})" * rng.choice((1, 1, 1, 2)) + para[match.end():]
    return para


def _ruby(rng: random.Random, para: str) -> str:
    from pypinyin import Style, lazy_pinyin

    pairs = list(_HAN_PAIR.finditer(para))
    if not pairs:
        return para
    match = rng.choice(pairs)
    marked = "".join(f"<ruby>{c}<rp>(</rp><rt>{r}</rt><rp>)</rp></ruby>"
                     for c, r in zip(match.group(), lazy_pinyin(match.group(), style=Style.TONE), strict=True))
    return para[:match.start()] + marked + para[match.end():]


def _garble(rng: random.Random, para: str) -> str:
    """GBK byte loss: an A1-led mark's lead byte becomes ``?`` and the bytes after it pair wrongly."""
    spots = [i for i, c in enumerate(para) if c in "，。、“”：；"]
    rng.shuffle(spots)
    for at in spots[:10]:
        try:
            raw = para[:at].encode("gbk") + b"?" + para[at].encode("gbk")[1:] + para[at + 1:].encode("gbk")
            return raw.decode("gbk")
        except UnicodeError:
            continue
    return para


def dirty_article(rng: random.Random) -> BenchArticle:
    """An article as mirrors and portals print it, each kind of dirt on its usual share of pages."""
    title, paragraphs = _base(rng)
    paragraphs = list(paragraphs)
    s2t, _ = _converters()
    reporter, helper, editor = _name(rng), _name(rng), _name(rng)
    if rng.random() < 0.3:
        for i in rng.sample(range(len(paragraphs)), min(3, len(paragraphs))):
            paragraphs[i] = _gloss_words(rng, paragraphs[i])
    if rng.random() < 0.05:
        paragraphs[0] = _ruby(rng, paragraphs[0])
    if rng.random() < 0.1:  # a watermark after the last full stop of several paragraphs
        mark = rng.choice(("内容来自桐川新闻网", "来源：某某资讯网", "copyright www.example.com"))
        for i in range(len(paragraphs)):
            if paragraphs[i].endswith("。") and rng.random() < 0.6:
                paragraphs[i] += mark
    if rng.random() < 0.1:  # a paragraph printed twice in a row
        i = rng.randrange(len(paragraphs))
        paragraphs.insert(i, paragraphs[i])
    if rng.random() < 0.6:
        paragraphs[0] = f"桐川县讯（记者 {reporter} 通讯员 {helper}）{paragraphs[0]}"
    body = list(paragraphs)
    if rng.random() < 0.4:
        body.insert(rng.randrange(1, len(body)), f"▲ 活动现场。（{_name(rng)} 摄）")
    if rng.random() < 0.1:
        body.insert(rng.randrange(1, len(body)), f"微信图片_2020{rng.randrange(10**9, 10**10)}.jpg")
    if rng.random() < 0.1:  # the whole body published twice
        body += body
    if rng.random() < 0.1:
        body.insert(0, title)
    if rng.random() < 0.5:
        body = ["当前位置：首页 > 新闻中心 > 县内要闻", "【字体：大 中 小】【打印本页】【关闭窗口】", *body]
    tail: list[str] = []
    if rng.random() < 0.6:
        tail.append(f"责任编辑：{editor}")
    if rng.random() < 0.5:
        tail += ["分享到：微信 微博 QQ空间", f"上一篇：{rng.choice(_pool()[0])}", f"下一篇：{rng.choice(_pool()[0])}"]
    if rng.random() < 0.2:
        tail += ["评论列表", "暂无评论,快抢沙发吧~", f"网友{rng.randrange(1000)}：说得好！"]
    if rng.random() < 0.1:
        tail.append("版权所有：桐川县人民政府 晋ICP备05001234号-1")
    lines = body + tail
    if rng.random() < 0.2:
        title, lines = s2t.convert(title), [s2t.convert(line) for line in lines]  # type: ignore[attr-defined]
    if rng.random() < 0.05:
        i = rng.randrange(len(lines))
        lines[i] = _garble(rng, lines[i])
    if rng.random() < 0.8:  # blanks: ideographic indents, entities, NBSP, empty lines, CRLF
        indent = rng.choice(("\u3000\u3000", "\xa0\xa0", "&nbsp;&nbsp;", "  "))
        lines = [indent + line + rng.choice(("", " ", "\xa0")) for line in lines]
        text = rng.choice(("\n", "\n\n", "\r\n")).join(lines)
    else:
        text = "\n".join(lines)
    return BenchArticle(title, text)


def articles(kind: str, count: int, seed: int = SEED) -> list[BenchArticle]:
    """``count`` articles of ``kind`` (``dirty`` or ``clean``); the same seed gives the same list."""
    make = dirty_article if kind == "dirty" else clean_article
    return [make(random.Random(seed * 1_000_003 + i)) for i in range(count)]
