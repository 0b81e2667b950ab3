"""strip_pinyin_glosses / strip_ruby_text: readings go, real parentheticals stay."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.clean.pinyin import glossed_length, readings, strip_pinyin_glosses, strip_ruby_text

DATA = Path(__file__).resolve().parent / "data"


def _tsv(name: str) -> list[tuple[str, str]]:
    rows = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [tuple(row.split("\t")) for row in rows if row]  # type: ignore[misc]


GLOSSED = _tsv("pinyin_glosses.txt")
# One toneless romanisation in a whole text, with the text it would be cleaned to were it a tool's gloss.
SPARSE = _tsv("sparse_romanisations.txt")
LEGIT = [line for line in (DATA / "legit_parentheticals.txt").read_text(encoding="utf-8").splitlines() if line]


def test_corpora_are_big_and_distinct():
    assert len({glossed for glossed, _ in GLOSSED}) >= 200
    assert len(set(LEGIT)) >= 200


def test_a_lone_toneless_romanisation_stays():
    """``华为(huawei)``: no gloss tool writes one unbroken toneless romanisation in a text; 553 of 554 glosses of
    real mirror pages carry tones. The same romanisations in a field a tool glossed (three or more) go."""
    assert len(SPARSE) >= 50
    assert [g for g, _ in SPARSE if strip_pinyin_glosses(g).text != g] == []
    for i in range(0, len(SPARSE) - 2, 3):
        rows = SPARSE[i:i + 3]
        dense = "\n".join(g for g, _ in rows)
        assert strip_pinyin_glosses(dense).text == "\n".join(w for _, w in rows)


@pytest.mark.parametrize(("text", "kept"), [
    ("公司与华为(huawei)、小米(xiaomi)签订合作协议。", "华为(huawei)、小米(xiaomi)"),
    ("现把一些容易读错的地名摘录如下:阿(ē)县:县名,在山东。莘(xīn)庄:地名,在上海。莘(shēn)县:县名,在山东。"
     "丽(lì)水:县名,在浙江。沌(zhuàn)口:地名,在湖北。", "莘(shēn)县:县名,在山东。丽(lì)水"),
    ("当严於信将“六安”读为“lù安”,六(lù)安", "六(lù)安"),
])
def test_readings_that_are_the_content_stay(text, kept):
    """A reading other than the character's default is deliberate (a mirror's tool writes defaults: not one other
    in 700 one-character glosses of real mirror pages); a paragraph listing two or more keeps all its readings."""
    assert kept in strip_pinyin_glosses(text).text


def test_default_readings_of_a_mirror_still_go_beside_a_deliberate_one_elsewhere():
    text = "莘(xīn)庄是地名。\n新闻(xīnwén)发布会在县(xiàn)政府(zhèngfǔ)举行。"
    assert strip_pinyin_glosses(text).text == "莘(xīn)庄是地名。\n新闻发布会在县政府举行。"


def test_every_glossed_string_is_cleaned():
    failures = [(g, strip_pinyin_glosses(g).text, want) for g, want in GLOSSED if strip_pinyin_glosses(g).text != want]
    assert failures == []


def test_every_legit_parenthetical_survives():
    failures = [(t, strip_pinyin_glosses(t).text) for t in LEGIT if strip_pinyin_glosses(t).text != t]
    assert failures == []


@pytest.mark.parametrize(
    ("glossed", "clean"),
    [
        ("新闻(xīnwén)发布", "新闻发布"),
        ("精神文明(jīngshénwénmíng)建设", "精神文明建设"),
        ("一曲曲(yīqūqū)", "一曲曲"),
        ("康復(fù)中心", "康復中心"),
        ("網(wǎng)絡(luò)", "網絡"),
        ("網絡(luò)", "網絡"),
        ("辦(ban)事", "辦事"),
        ("好了(le)", "好了"),
        ("文化(wénhuà)(wénhuà)自信", "文化自信"),
        ("文化（wén huà）自信", "文化自信"),
        ("新闻（XĪNWÉN）", "新闻"),
        ("绿色(lüse)", "绿色"),
        ("西安(Xī'ān)", "西安"),
    ],
)
def test_strips_glosses(glossed, clean):
    result = strip_pinyin_glosses(glossed)
    assert result.text == clean
    assert result.counts["glosses"] >= 1
    assert result.samples


@pytest.mark.parametrize(
    "text",
    [
        "岢岚县(县)", "(2021—2023年)", "记者(李安安 洛宇峰)", "标志(LOGO)", "总值(GDP)", "Kelan County (Kelan)",
        "第十批(第十批)", "指数(CPI)", "项目(Ma)", "人工智能(AI)", "模式(PPP)", "网络(5G)", "西安(xia'n)",
        "(晋政发〔2023〕5号)", "办法(试行)", "条例(草案)", "方案(e)", "(a)项", "",
    ],
)
def test_leaves_non_glosses(text):
    assert strip_pinyin_glosses(text).text == text
    assert strip_pinyin_glosses(text).counts == {}


def test_counts_and_samples():
    result = strip_pinyin_glosses("新闻(xīnwén)和文化(wénhuà)(wénhuà)")
    assert result.text == "新闻和文化"
    assert result.counts == {"glosses": 3}
    assert result.samples[0] == "新闻(xīnwén)"


def test_gloss_must_cover_whole_syllables_of_preceding_characters():
    assert glossed_length("乡村振兴", "zhenxing") == 2
    assert glossed_length("乡村振兴", "xiangcunzhenxing") == 4
    assert glossed_length("乡村振兴", "cunzhen") == 0  # not ending at the last character
    assert glossed_length("振兴", "zhen xing") == 2
    assert glossed_length("振兴", "zhe nxing") == 0  # a space inside a syllable
    assert glossed_length("振兴", "GDP") == 0


def test_readings_cover_heteronyms_traditional_and_erhua():
    assert {"xing", "hang"} <= readings("行")
    assert "fu" in readings("復")
    assert "lu" in readings("绿")  # ü folded to u
    assert "r" in readings("儿")


def test_lookback_is_bounded():
    text = "中" * 50 + "(" + "zhong" * 40 + ")"
    assert strip_pinyin_glosses(text).text == text  # 40 syllables: more than any gloss


@pytest.mark.parametrize(
    ("leaked", "clean"),
    [
        ("<ruby>康<rp>(</rp><rt>kāng</rt><rp>)</rp></ruby>復", "康復"),
        ("<RUBY>网<rt>wǎng</rt></RUBY>络", "网络"),
        ("<ruby><rb>新闻</rb><rt>xīnwén</rt></ruby>发布", "新闻发布"),
        ("康<rp>(</rp><rt>kāng</rt><rp>)</rp>复", "康复"),
    ],
)
def test_strips_ruby_markup(leaked, clean):
    result = strip_ruby_text(leaked)
    assert result.text == clean
    assert result.counts["ruby"] >= 1


@pytest.mark.parametrize("text", ["没有标记的文字", "a < b and c > d", "<p>段落</p>", "<rubyx>不是</rubyx>"])
def test_ruby_leaves_other_text(text):
    assert strip_ruby_text(text).text == text


_pieces = st.sampled_from(
    ["新闻", "文化", "網", "絡", "(", ")", "（", "）", "xīnwén", "wénhuà", "luò", "wang", "le", "GDP", " ", "2023",
     "Ma", "<ruby>", "</ruby>", "<rt>", "</rt>", "kāng", "康"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=25).map("".join))
def test_steps_are_idempotent(text):
    for step in (strip_pinyin_glosses, strip_ruby_text):
        once = step(text).text
        assert step(once).text == once


def test_back_to_back_glosses_each_read_the_cleaned_text_before_them():
    """Each gloss spells the character left after the previous gloss went: all of them go."""
    result = strip_pinyin_glosses("網(wǎng)絡(luò)" * 500 + "网络(GDP)")
    assert result.text == "網絡" * 500 + "网络(GDP)"
    assert result.counts == {"glosses": 1000}
    assert result.samples == ("網(wǎng)", "絡(luò)", "網(wǎng)")


@pytest.mark.parametrize("text", ["习近平(Xi Jinping)在太原(Taiyuan)考察。", "国家副主席习近平（Xi Jinping）",
                                  "彭丽媛 (Peng Liyuan) 是著名歌唱家。", "汾阳(Fenyang)"])
def test_capitalised_romanised_names_are_text(text):
    assert strip_pinyin_glosses(text).text == text


_BRACKET_PIECES = ["(", ")", "（", "）", " ", "\t", "a", "ā", "X", "'", "-", "新", "闻", "\n", "  "]


@given(st.lists(st.sampled_from(_BRACKET_PIECES), max_size=40).map("".join))
def test_glosses_found_from_brackets_are_the_gloss_pattern_matches(text):
    from govnews.clean.pinyin import _GLOSS, _glosses

    assert list(_glosses(text)) == [(m.start(), m.end(), m.group("latin")) for m in _GLOSS.finditer(text)]


def _readings_through_pypinyin(char: str) -> frozenset[str]:
    """``readings`` as first written: pypinyin's converter, OpenCC for a Traditional character it lacks."""
    from opencc import OpenCC
    from pypinyin import Style, pinyin

    from govnews.clean.pinyin import _fold

    options = pinyin(char, style=Style.TONE, heteronym=True, errors=lambda _: [])
    found = {_fold(r) for group in options for r in group}
    if not found:
        simplified = OpenCC("t2s").convert(char)
        if simplified != char:
            return _readings_through_pypinyin(simplified)
    if "er" in found:
        found.add("r")
    return frozenset(found)


def test_readings_from_the_table_equal_pypinyins_for_every_character():
    """Every character pypinyin or OpenCC's t2s table knows, and some neither knows, read the same."""
    from pypinyin import Style, pinyin

    from govnews.clean.script import traditional_characters
    from govnews.lexicon import pinyin_readings

    table = pinyin_readings()
    assert len(table) > 40_000
    known = [chr(code) for code in table._codes]
    for char in known:
        assert table.get(char).split(",") == pinyin(char, style=Style.TONE, heteronym=True)[0], char
    others = [c for c in traditional_characters() if not table.get(c)] + list("a1，。ｘ\U0002a6d7")
    for char in others:
        assert readings.__wrapped__(char) == _readings_through_pypinyin(char), char


def test_a_tools_own_reading_of_a_character_goes_with_its_other_glosses():
    """A mirror whose tool reads 長 as cháng every time (pypinyin's first reading is zhǎng): beside its default
    glosses, the same reading given to the same character three times is the tool's, not the text's."""
    text = ("大西北網(wǎng)訊 融媒開(kāi)新篇。省委宣傳部副部長(cháng)、黨組書(shū)記、局長(cháng)彭鴻嘉,"
            "天水市副市長(cháng)逯克宗")
    want = "大西北網訊 融媒開新篇。省委宣傳部副部長、黨組書記、局長彭鴻嘉,天水市副市長逯克宗"
    assert strip_pinyin_glosses(text).text == want


def test_a_text_about_one_readings_repeats_stays():
    text = "长(cháng)城、长(cháng)江、长(cháng)度都读cháng,而长(zhǎng)辈读zhǎng。"
    assert strip_pinyin_glosses(text).text == text
