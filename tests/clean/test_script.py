"""detect_script / to_simplified: Traditional text converted right, Simplified text left alone."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from govnews.clean.script import (
    DETECT_SAMPLE_CHARS,
    HANS,
    HANT,
    _script_sets,
    detect_script,
    opencc_t2s,
    to_simplified,
)

DATA = Path(__file__).resolve().parent / "data"
TERMS = [tuple(row.split("\t")) for row in (DATA / "gov_terms_t2s.tsv").read_text(encoding="utf-8").splitlines() if row]
SENTENCES = [s for s in (DATA / "clean_sentences.txt").read_text(encoding="utf-8").splitlines() if s]


def test_term_list_is_big_enough():
    assert len({t for t, _ in TERMS}) >= 100


@pytest.mark.parametrize(("traditional", "simplified"), TERMS)
def test_government_terms_in_traditional_text(traditional, simplified):
    """Each term inside a Traditional sentence, as mirrors print them."""
    text = f"國務院辦公廳關於{traditional}的通知"
    assert detect_script(text) == HANT
    assert to_simplified(text).text == f"国务院办公厅关于{simplified}的通知"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("國務院關於批覆設立試驗區的通知", "国务院关于批复设立试验区的通知"),
        ("幹部們著力解決群眾反映的問題", "干部们着力解决群众反映的问题"),
        ("效果顯著力度很大", "效果显著力度很大"),  # 顯著 wins over 著力 (leftmost match)
        ("他說著走進了會議室", "他说着走进了会议室"),
        ("乾隆年間的建築", "乾隆年间的建筑"),
        ("把衣服洗乾淨", "把衣服洗干净"),
    ],
)
def test_overrides_win_over_opencc(traditional, simplified):
    assert to_simplified(traditional).text == simplified


def test_counts_converted_characters():
    result = to_simplified("鄉村振興")
    assert result.text == "乡村振兴"
    assert result.counts == {"characters": 2}  # 村 is the same in both scripts
    assert result.samples == ("鄉→乡", "興→兴")


SIMPLIFIED_KEEPERS = [
    "乾隆皇帝下江南",
    "于是大家一起出发",
    "昇腾910芯片发布",
    "哪吒闹海的故事",
    "黄霑的歌曲",
    "他是著名作家，作品显著",
    "森林覆盖率提高",
    "瞭望塔建在山顶",
    "团伙成员被抓获",
    "征收土地",
    "后来他成为了干部",
    "钟表店里的钟声",
]


@pytest.mark.parametrize("text", SIMPLIFIED_KEEPERS + SENTENCES)
def test_simplified_text_is_left_alone(text):
    assert detect_script(text) == HANS
    result = to_simplified(text)
    assert result.text == text
    assert result.counts == {}


def test_detection_tolerates_a_few_names_from_the_other_script():
    simplified = "记者从县政府获悉，台湾同胞黃國昌等一行来访，双方就乡村振兴工作进行了交流。"
    traditional = "記者從縣政府獲悉，双方就鄉村振興工作進行了交流，並簽署協議。"
    assert detect_script(simplified) == HANS
    assert detect_script(traditional) == HANT


def test_stray_traditional_in_simplified_text_is_converted():
    result = to_simplified("本站提供繁體版，请点击切换到简体中文页面查看新闻内容")
    assert result.text == "本站提供繁体版，请点击切换到简体中文页面查看新闻内容"
    assert result.counts == {"characters": 1}


def test_empty_and_non_chinese():
    for text in ("", "GDP 2023", "……"):
        assert to_simplified(text).text == text


_pieces = st.sampled_from(
    ["國務院", "批覆", "著力", "顯著", "乾隆", "乾淨", "於", "于", "后", "後", "台灣", "昇", "吒", "发展", "發展",
     "的", "，", "A", "1", " ", "覆蓋", "瞭解", "哪吒"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=25).map("".join))
def test_to_simplified_is_idempotent(text):
    once = to_simplified(text).text
    assert to_simplified(once).text == once


# --- opencc_t2s: the fast converter must equal OpenCC("t2s").convert exactly --------------------

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"


@cache
def _reference() -> OpenCC:
    return OpenCC("t2s")


def _opencc_keys(name: str) -> list[str]:
    import opencc

    path = Path(opencc.__file__).resolve().parent / "dictionary" / name
    return [line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines() if line]


def _opencc_values(name: str) -> list[str]:
    import opencc

    path = Path(opencc.__file__).resolve().parent / "dictionary" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return [value for line in lines if line for value in line.split("\t")[1].split(" ")]


def test_opencc_t2s_converts_characters_and_phrases():
    assert opencc_t2s("國務院辦公廳關於鄉村振興的通知") == "国务院办公厅关于乡村振兴的通知"
    assert opencc_t2s("乾隆年間，把衣服洗乾淨") == "乾隆年间，把衣服洗干净"  # 乾隆 is a phrase; lone 乾 is 干
    assert opencc_t2s("答覆") == "答复"


def test_opencc_t2s_prefers_the_longest_phrase_not_the_leftmost():
    """回覆 (reply) starts first, but OpenCC keeps the longer 覆盆子 (raspberry)."""
    assert opencc_t2s("回覆盆子") == _reference().convert("回覆盆子") == "回覆盆子"
    assert opencc_t2s("回覆") == "回复"


def test_opencc_t2s_falls_back_to_a_shorter_phrase_at_the_same_start():
    """於呼哀哉 (4) is kept first; 藉助於 (3) overlaps it, so 藉助 (2) converts 藉."""
    assert opencc_t2s("藉助於呼哀哉") == _reference().convert("藉助於呼哀哉") == "借助於呼哀哉"
    assert opencc_t2s("藉助於") == "借助于"


def test_opencc_t2s_leaves_simplified_latin_and_punctuation_alone():
    text = "发展改革委 GDP 2023年，“十四五”规划——(完)\n\t　…"
    assert opencc_t2s(text) == text
    assert opencc_t2s("") == ""


def _corpus_texts() -> list[str]:
    from parsel import Selector

    from govnews.encoding import decode_html

    texts = []
    for page in sorted((CORPUS / "pages").glob("*/*.html")):
        html = decode_html(page.read_bytes()).text
        nodes = Selector(text=html).xpath("//body//text()[not(ancestor::script or ancestor::style)]").getall()
        texts.append("\n".join(node.strip() for node in nodes if node.strip()))
    return texts


@pytest.mark.skipif(not (CORPUS / "pages").is_dir(), reason="shared corpus not found at ../shared/corpus")
def test_opencc_t2s_equals_opencc_on_every_corpus_page_in_traditional():
    texts = _corpus_texts()
    assert len(texts) >= 50
    s2t = OpenCC("s2t")
    for text in texts:
        traditional = s2t.convert(text)
        assert opencc_t2s(traditional) == _reference().convert(traditional)


def test_opencc_t2s_equals_opencc_on_gov_terms():
    for traditional, _ in TERMS:
        for text in (traditional, f"國務院辦公廳關於{traditional}的通知"):
            assert opencc_t2s(text) == _reference().convert(text), text
    whole = (DATA / "gov_terms_t2s.tsv").read_text(encoding="utf-8")
    assert opencc_t2s(whole) == _reference().convert(whole)


def _fragment(phrase: str) -> st.SearchStrategy[str]:
    """A phrase, or a slice of it: prefixes and suffixes make near-misses and overlaps."""
    bounds = st.tuples(st.integers(0, len(phrase)), st.integers(0, len(phrase)))
    return bounds.map(lambda ij: phrase[min(ij) : max(ij)])


_PHRASES = _opencc_keys("TSPhrases.txt")
# Two phrases sharing letters (a's tail is b's head): where OpenCC's longest-first order matters.
_OVERLAPPING = sorted(
    {a + b[k:] for a in _PHRASES for b in _PHRASES for k in range(1, min(len(a), len(b))) if a[-k:] == b[:k]}
)
_t2s_pieces = st.one_of(
    st.sampled_from(_opencc_keys("TSCharacters.txt")),  # Traditional characters
    st.sampled_from(_opencc_values("TSCharacters.txt")),  # Simplified characters
    st.sampled_from(_PHRASES),
    st.sampled_from(_PHRASES).flatmap(_fragment),
    st.sampled_from(_OVERLAPPING),
    st.sampled_from(list("，。、；：？！…“”「」《》（）-.,?!*—～")),
    st.sampled_from([" ", "\n", "\t", "\u3000", "\r\n", "  "]),
    st.text(max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_t2s_pieces, max_size=30).map("".join))
def test_opencc_t2s_equals_opencc_on_mixed_text(text):
    assert opencc_t2s(text) == _reference().convert(text)


def test_particle_zhe_and_variant_characters_of_traditional_mirrors():
    text = "陜西省兩會新聞發布會在西安召開。她身著紅色外衣，閃著光，戴著帽子。"
    assert to_simplified(text, "zh-Hant").text == "陕西省两会新闻发布会在西安召开。她身着红色外衣，闪着光，戴着帽子。"
    for kept in ("著名作家鲁迅的著作", "显著成效", "土著居民", "臭名昭著", "他编著了一本书"):
        assert to_simplified(kept, "zh-Hant").text == kept
    assert to_simplified("陜西省委召开会议", "zh-Hans").text == "陕西省委召开会议"


def _detect_by_counting(text: str) -> str:
    """detect_script as first written: count every character, compare the two sets' totals."""
    trad, simp = _script_sets()
    counts = Counter(text[:DETECT_SAMPLE_CHARS])
    n_trad = sum(n for char, n in counts.items() if char in trad)
    n_simp = sum(n for char, n in counts.items() if char in simp)
    return HANT if n_trad > n_simp else HANS


_ASTRAL_TRAD = sorted(c for c in _script_sets()[0] if ord(c) > 0xFFFF)[:5]
_script_chars = st.sampled_from(["國", "發", "於", "后", "发", "国", "的", "乾", "a", " ", "，", *_ASTRAL_TRAD, "𠀀"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_script_chars, max_size=30).map("".join))
def test_detect_script_equals_counting_every_character(text):
    assert detect_script(text) == _detect_by_counting(text)


@given(st.lists(st.sampled_from(["a", "中", "國", "国", "\U00020000", "\ud800", "\x00", "ÿ"]), max_size=40),
       st.randoms(use_true_random=False))
def test_differing_characters_counted_like_a_character_loop(chars, rng):
    from govnews.clean.script import _differing_chars

    before = "".join(chars)
    after = "".join(c if rng.random() < 0.6 else rng.choice("a中国\U00020000\x00") for c in before)
    assert _differing_chars(before, after) == sum(map(str.__ne__, before, after))
