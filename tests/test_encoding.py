"""Decoding by the bytes: every lie a Chinese site tells about its charset."""

from __future__ import annotations

import pytest

from govnews.encoding import decode_html, meta_charset, normalize_charset

TEXT = "岢岚县召开乡村振兴工作推进会。“镕”字与𠮷字也要保住。"


def page(charset_meta: str | None, body: str = TEXT) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>测试</title></head><body><p>{body}</p></body></html>"


@pytest.mark.parametrize(("codec", "meta", "header"), [
    ("gbk", "utf-8", "utf-8"),       # GBK served as UTF-8: Scrapy alone yields U+FFFD
    ("gbk", None, None),             # nothing declared
    ("gbk", "gb2312", None),         # declared narrower than it is
    ("gb18030", "gbk", "gbk"),
    ("utf-8", "gb2312", None),       # UTF-8 under a gb2312 meta
    ("utf-8", "gb2312", "gbk"),
    ("utf-8", None, None),
])
def test_decodes_right_whatever_is_declared(codec: str, meta: str | None, header: str | None) -> None:
    body_text = TEXT if codec == "gb18030" else TEXT.replace("𠮷", "吉")
    decoded = decode_html(page(meta, body_text).encode(codec), header)
    assert body_text in decoded.text
    assert decoded.method != "lossy"


def test_reports_the_mismatch() -> None:
    decoded = decode_html(page("utf-8").replace("𠮷", "吉").encode("gbk"), "utf-8")
    assert decoded.encoding == "gb18030"
    assert decoded.describe == "gb18030 (declared utf-8)"


def test_bom_wins() -> None:
    decoded = decode_html(b"\xef\xbb\xbf" + page("gbk").encode("utf-8"))
    assert decoded.method == "bom" and TEXT in decoded.text


def test_broken_bytes_are_decoded_lossily_and_said_so() -> None:
    body = page(None).replace("𠮷", "吉").encode("gbk")
    cut = body.index(b"</p>")
    broken = body[:cut] + b"\xff" + body[cut:]
    decoded = decode_html(broken, "utf-8")
    # decoded run by run: everything but the broken byte survives, and the provenance says how
    assert TEXT.replace("𠮷", "吉") + "\ufffd</p>" in decoded.text
    assert decoded.method == "mixed" and decoded.describe == "utf-8+gb18030 (mixed, declared utf-8)"


def test_utf8_template_around_a_gbk_article() -> None:
    """Pages pasted together from two encodings: each part decoded in its own."""
    head = "<html><head><meta charset='utf-8'></head><body><div>县委召开常委会议。</div>".encode()
    article = "<p>安排部署下一阶段重点任务。“镕”字也在。</p></body></html>".encode("gbk")
    decoded = decode_html(head + article)
    assert "<div>县委召开常委会议。</div><p>安排部署下一阶段重点任务。“镕”字也在。</p>" in decoded.text
    assert decoded.method == "mixed"


def test_pure_gbk_is_not_mistaken_for_mixed() -> None:
    for text in (TEXT.replace("𠮷", "吉"), "下一阶段", "一", "經濟發展（繁體）"):
        decoded = decode_html(page(None, text).encode("gbk"))
        assert text in decoded.text and decoded.method == "gb18030", (text, decoded)


def test_ascii_page() -> None:
    assert decode_html(b"<html><p>hello</p></html>").text.endswith("</html>")


def test_charset_helpers() -> None:
    assert normalize_charset("GB2312") == normalize_charset("gbk") == "gb18030"
    assert normalize_charset("UTF8") == "utf-8"
    assert normalize_charset("no-such-charset") is None
    assert meta_charset(b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">') == "gb2312"
    assert meta_charset(b"<html><body>charset=utf-8</body>") is None


def test_big5_mirror_mislabelled_as_utf8() -> None:
    text = "國務院辦公廳關於進一步加強鄉村振興工作的通知已經印發，各地要認真貫徹落實，確保取得實效。"
    html = f'<html><head><meta charset="utf-8"><title>測試</title></head><body><p>{text}</p></body></html>'
    decoded = decode_html(html.encode("big5"), "utf-8")
    assert text in decoded.text and decoded.method == "big5"


def test_gbk_traditional_text_stays_gbk() -> None:
    text = "國務院辦公廳關於進一步加強鄉村振興工作的通知已經印發。"
    decoded = decode_html(page(None, text).encode("gbk"))
    assert text in decoded.text and decoded.method == "gb18030"
