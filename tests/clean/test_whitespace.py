from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from govnews.clean.whitespace import _FOLDS, _fold_blanks, _normalize, is_normalized, normalize_whitespace


def test_folds_every_blank_kind():
    dirty = "\u3000\u3000临汾市\u00a0召开&nbsp;会议\t\t部署\u200b工作。\r\n\r\n  第二段。  "
    result = normalize_whitespace(dirty)
    assert result.text == "临汾市 召开 会议 部署工作。\n第二段。"
    for kind in ("ideographic_space", "nbsp", "tabs", "zero_width", "crlf", "trimmed", "empty_lines"):
        assert result.counts.get(kind), kind


def test_keeps_single_space_between_latin_words_and_fullwidth_punctuation():
    text = "华为Mate20X 5G版发布，售价（含税）：4999元！\nHello World"
    result = normalize_whitespace(text)
    assert result.text == text
    assert result.counts == {}


def test_collapses_repeated_spaces_to_one():
    assert normalize_whitespace("AIoT   (人工智能物联网)").text == "AIoT (人工智能物联网)"


def test_nfc():
    decomposed = "Cafe\u0301 新闻"
    result = normalize_whitespace(decomposed)
    assert result.text == unicodedata.normalize("NFC", decomposed)
    assert result.counts.get("nfc") == 1


def test_empty_and_blank_only_input():
    assert normalize_whitespace("").text == ""
    assert normalize_whitespace(" \u3000\n\t\n").text == ""


def test_samples_show_changed_lines():
    result = normalize_whitespace("a\u00a0b\n正文")
    assert result.samples and "a" in result.samples[0]


def test_linear_on_huge_blank_runs():
    text = ("\u3000 \t" * 100_000) + "正文" + ("\n" * 100_000)
    assert normalize_whitespace(text).text == "正文"


@given(st.text(alphabet=st.sampled_from(list("新闻 \u3000\u00a0\t\r\n\u200bab&nbsp;，e\u0301")), max_size=60))
def test_idempotent(text):
    once = normalize_whitespace(text).text
    twice = normalize_whitespace(once)
    assert twice.text == once
    assert twice.counts == {}


# Every character the step treats specially, each whitespace character Python knows, and ordinary text.
_BLANKS = [chr(c) for c in range(0x3100) if chr(c).isspace()] + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",
                                                                   "\u00ad", "\u180e", "\u2028", "\u2029", "\u3000",
                                                                   "\u202e", "\u200f", "\u2066"]
_ALPHABET = [*_BLANKS, "&", "nbsp;", "&#160;", "&#x00a0", "新", "闻", "a", "e\u0301", "\u0301", "，", "\n", " "]


@given(st.lists(st.sampled_from(_ALPHABET), max_size=40).map("".join))
def test_fast_check_agrees_with_the_full_step(text):
    """The one-scan check that lets clean text through must never pass text the full step would change."""
    if is_normalized(text):
        assert _normalize(text).text == text
    assert normalize_whitespace(text).text == _normalize(text).text
    # Each fold is skipped only when its pattern cannot match: the same as running all seven.
    counts: dict[str, int] = {}
    folded = text
    for kind, pattern, repl, _ in _FOLDS:
        folded, n = pattern.subn(repl, folded)
        if n:
            counts[kind] = counts.get(kind, 0) + n
    probed: dict[str, int] = {}
    assert _fold_blanks(text, probed) == folded
    assert probed == counts


def test_zero_width_and_bidi_controls_go_without_splitting_words():
    """A zero-width space or BOM inside a word goes (no space: 安全 生产 is two words); a bidi override
    (U+202E, Trojan Source) or isolate goes; both are recorded."""
    result = normalize_whitespace("我县召开安全\u200b生产\ufeff工作会议。\n\u202e会议要求\u2066加强值守\u2069。")
    assert result.text == "我县召开安全生产工作会议。\n会议要求加强值守。"
    assert result.counts == {"zero_width": 2, "bidi_controls": 3}


def test_text_without_invisible_characters_is_untouched():
    for text in ("مرحبا بالعالم", "Hello, 世界 (2021—2023年)", "עברית ו-English"):
        assert normalize_whitespace(text).text == text
