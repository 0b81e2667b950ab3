from __future__ import annotations

import pytest

from govnews.clean.quality import DROP_REASONS, drop_reason
from govnews.items import Article

BODY = "11月24日，临汾市召开安全生产工作会议，部署下一阶段重点工作。"


def _article(text: str, title: str = "临汾市召开安全生产工作会议") -> Article:
    return Article(url="http://127.0.0.1/a.html", title=title, text=text)


def _lose_gbk_lead_bytes(text: str, every: int) -> str:
    """Simulate the mirror-site damage: every n-th double-byte character loses its lead byte."""
    raw, out, i, n = text.encode("gbk"), bytearray(), 0, 0
    while i < len(raw):
        if raw[i] >= 0x81:
            out += (b"?" + raw[i + 1:i + 2]) if n % every == 0 else raw[i:i + 2]
            n, i = n + 1, i + 2
        else:
            out.append(raw[i])
            i += 1
    return out.decode("gbk", errors="replace")


def test_a_normal_article_is_kept():
    assert drop_reason(_article(BODY)) is None


def test_a_lightly_garbled_article_is_kept():
    text = BODY * 20 + _lose_gbk_lead_bytes(BODY, every=3)
    assert drop_reason(_article(text)) is None


@pytest.mark.parametrize(
    ("text", "title", "reason"),
    [
        ("", "标题", "empty_text"),
        (" \n ", "标题", "empty_text"),
        ("图片\n2020-11-24", "标题", "empty_text"),
        (BODY, "", "missing_title"),
        (BODY, "  ", "missing_title"),
        ("The State Council held an executive meeting on Wednesday.", "Title", "not_chinese"),
        ("2020-11-24 10:59:00 | 12345", "标题", "not_chinese"),
        (BODY + "\ufffd" * 30, "标题", "mostly_garbled"),
        (_lose_gbk_lead_bytes(BODY * 4, every=2), "标题", "mostly_garbled"),
    ],
)
def test_drop_reasons(text, title, reason):
    assert drop_reason(_article(text, title)) == reason


def test_reasons_are_snake_case_stats_keys():
    assert DROP_REASONS == ("empty_text", "missing_title", "not_chinese", "mostly_garbled")
    assert all(r.isidentifier() and r == r.lower() for r in DROP_REASONS)


def test_fast_on_huge_text():
    assert drop_reason(_article("中" * 200_000)) is None


def test_minimum_body_length_is_a_parameter() -> None:
    article = Article(url="http://x.gov.cn/a.html", title="标题", text="县委召开常委会议。")  # 8 Han
    assert drop_reason(article) == "empty_text"
    assert drop_reason(article, min_han_chars=8) is None
    assert drop_reason(article, min_han_chars=9) == "empty_text"


def test_mojibake_from_a_wrong_codec_is_mostly_garbled() -> None:
    body = "8月7日，岢岚县召开乡村振兴工作推进会，总结上半年工作，安排部署下一阶段重点任务。会议要求压实责任。"
    mojibake = body.encode("utf-8").decode("gb18030", "replace")
    assert drop_reason(Article(url="http://x.gov.cn/a.html", title="推进会", text=mojibake)) == "mostly_garbled"
    for fine in (body, "國務院辦公廳關於進一步加強鄉村振興工作的通知已經印發，各地要認真貫徹落實，確保取得實效。"):
        assert drop_reason(Article(url="http://x.gov.cn/a.html", title="推进会", text=fine)) is None
