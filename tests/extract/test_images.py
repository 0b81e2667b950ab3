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


def test_only_web_addresses_are_exported_and_the_rest_counted() -> None:
    """A body is hostile input: a local file, a script, an FTP server or a megabyte data: blob is no image
    address for a dataset (a downloader would read /etc/hostname)."""
    blob = "data:image/png;base64," + "A" * 200_000
    hostile = ["file:///etc/hostname", "FILE:///etc/passwd", "javascript:alert(1)", " JavaScript:alert(1)",
               "ftp://ftp.x.cn/a.jpg", blob, "vbscript:x", "http://[::1/a.png", "http://:80/a.jpg"]
    body = "".join(f"<p><img src='{src}'></p>" for src in hostile)
    images, _, _, _ = run(f"<div id='b'><p>正文。</p>{body}</div>")
    assert images == []
    dropped: Counter[str] = Counter()
    root = parse(f"<div id='b'>{body}</div>")
    collect_images(root.xpath("//div[@id='b']")[0], BASE, Counter(), dropped)
    assert dropped == {"file": 2, "scheme": 4, "data": 1, "bad_url": 2}


def test_web_addresses_survive_as_written() -> None:
    images, _, _, _ = run(
        "<div id='b'><p><img src='//img.sxxz.gov.cn/a.jpg'></p><p><img src='/图片/会议.jpg'></p>"
        "<p><img src='https://www.sxxz.gov.cn/%E5%9B%BE/1.jpg'></p><p><img src='HTTP://WWW.SXXZ.GOV.CN/b.jpg'></p>"
        "<p><img src='  ./c.jpg?x=1&amp;y=%20 '></p><p><img src='./d\n.jpg'></p></div>")
    assert [i["url"] for i in images] == [
        "http://img.sxxz.gov.cn/a.jpg", "http://www.sxxz.gov.cn/图片/会议.jpg",
        "https://www.sxxz.gov.cn/%E5%9B%BE/1.jpg", "http://WWW.SXXZ.GOV.CN/b.jpg",
        "http://www.sxxz.gov.cn/zwyw/202308/c.jpg?x=1&y=%20", "http://www.sxxz.gov.cn/zwyw/202308/d.jpg"]
    assert image_url(parse("<img src='//cdn.x.cn/1.jpg'>").xpath("//img")[0], "https://a.cn/") \
        == "https://cdn.x.cn/1.jpg"


def test_a_lazy_address_wins_over_a_hostile_placeholder_and_counts_nothing() -> None:
    dropped: Counter[str] = Counter()
    img = parse("<img data-src='/real.jpg' src='file:///etc/hostname'>").xpath("//img")[0]
    assert image_url(img, BASE, dropped) == "http://www.sxxz.gov.cn/real.jpg" and not dropped
    img = parse("<img data-src='javascript:x' src='/real.jpg'>").xpath("//img")[0]
    assert image_url(img, BASE, dropped) == "http://www.sxxz.gov.cn/real.jpg" and not dropped


def test_pictures_of_a_local_page_are_left_out_but_their_captions_still_leave_the_body() -> None:
    """Relative addresses on a file:// page resolve to local files: not exported, yet the caption under the
    picture is still a caption, not a paragraph."""
    root = parse("<div id='b'><p>正文一。</p><figure><img src='../images/p1.jpg'><figcaption>新铺设的道路"
                 "</figcaption></figure><p>正文二。</p></div>")
    body = root.xpath("//div[@id='b']")[0]
    dropped: Counter[str] = Counter()
    images, captions = collect_images(body, "file:///home/me/site/articles/a.html", Counter(), dropped)
    assert images == [] and captions == ["新铺设的道路"] and dropped == {"file": 1}
    assert text_lines(body) == ["正文一。", "正文二。"]


def test_a_data_placeholder_takes_no_caption_from_the_text_under_it() -> None:
    images, captions, lines, _ = run("<div id='b'><p><img src='data:image/gif;base64,R0lG'></p>"
                                     "<p style='text-align:center'>第一章 总则</p><p>正文。</p></div>")
    assert images == [] and captions == [] and lines == ["第一章 总则", "正文。"]
