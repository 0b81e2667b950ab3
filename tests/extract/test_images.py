"""Images with absolute URLs; captions found structurally and taken out of the body."""

from __future__ import annotations

from collections import Counter

from govnews.extract.dom import parse
from govnews.extract.images import collect_images, image_url
from govnews.extract.text import text_lines

BASE = "http://www.sxxz.gov.cn/zwyw/202308/t20230807_1.shtml"


def run(html: str):
    root = parse(html)
    body = root.xpath("//div[@id='b']")[0]
    counts: Counter[str] = Counter()
    images, captions = collect_images(body, BASE, counts)
    return images, captions, text_lines(body), counts


def test_centered_paragraph_under_image_is_caption() -> None:
    images, captions, lines, counts = run(
        "<div id='b'><p>正文一。</p><p style='text-align: center'><img src='./W1.jpg' alt='W1.jpg'></p>"
        "<p style='text-align:center'>图为会议现场</p><p>正文二。</p></div>")
    assert images == [{"url": "http://www.sxxz.gov.cn/zwyw/202308/W1.jpg", "caption": "图为会议现场"}]
    assert captions == ["图为会议现场"] and lines == ["正文一。", "正文二。"] and counts["captions"] == 1


def test_figcaption() -> None:
    images, captions, lines, _ = run(
        "<div id='b'><figure><img data-src='/a.jpg' src='data:image/gif;base64,x'>"
        "<figcaption>▲游客观赏秋景</figcaption></figure><p>正文。</p></div>")
    assert images == [{"url": "http://www.sxxz.gov.cn/a.jpg", "caption": "▲游客观赏秋景"}]
    assert lines == ["正文。"] and captions == ["▲游客观赏秋景"]


def test_alt_text_and_uncentered_or_long_followers_are_not_captions() -> None:
    long_centered = "这是一段居中的长文字，" * 10
    images, captions, lines, _ = run(
        "<div id='b'><p><img src='a.jpg' alt='会议现场照片'></p><p>下面的正文不是图注。</p>"
        f"<p><img src='b.jpg'></p><p align='center'>{long_centered}</p>"
        "<p><img src='a.jpg'></p></div>")
    assert [i["caption"] for i in images] == [None, None]
    assert captions == [] and len(lines) == 2


def test_image_url_rules() -> None:
    img = parse("<img data-original='//cdn.x.cn/1.jpg' src='loading.gif'>").xpath("//img")[0]
    assert image_url(img, "https://a.cn/b/") == "https://cdn.x.cn/1.jpg"
    assert image_url(parse("<img src='data:image/png;base64,x'>").xpath("//img")[0], "http://a.cn/") is None
    assert image_url(parse("<img>").xpath("//img")[0], "http://a.cn/") is None
