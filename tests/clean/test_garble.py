"""repair_gbk_garble / garbled_ratio: garbles made the way a broken pipeline makes them come back."""

from __future__ import annotations

import random
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govnews.clean import garble as garble_module
from govnews.clean.garble import REPLACEMENT, garbled_ratio, repair_gbk_garble

DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
SENTENCES = [s for s in (DATA / "clean_sentences.txt").read_text(encoding="utf-8").splitlines() if s]


def _to_traditional(text: str) -> str:
    from opencc import OpenCC

    return OpenCC("s2t").convert(text)


def garble(text: str, char_index: int, encoding: str = "gbk") -> str:
    """Replace the lead byte of ``text[char_index]`` with ``?`` and decode as a careless pipeline does."""
    data = text.encode(encoding)
    offset = len(text[:char_index].encode(encoding))
    assert len(text[char_index].encode(encoding)) == 2
    return (data[:offset] + b"?" + data[offset + 1:]).decode(encoding, errors="replace")


def _double_byte_positions(text: str) -> list[int]:
    return [i for i, c in enumerate(text) if len(c.encode("gbk")) == 2]


def _matches_with_holes(repaired: str, original: str) -> bool:
    """Equal to the original except that some characters may be U+FFFD (unrecoverable)."""
    return len(repaired) == len(original) and all(
        r in (o, REPLACEMENT) for r, o in zip(repaired, original, strict=True)
    )


def test_sites_md_example_recovers_the_lost_full_stop():
    result = repair_gbk_garble("罪人?！睍r任")
    assert result.text == "罪人。”時任"
    assert result.counts == {"repaired_runs": 1}


def test_traditional_text_with_punctuation_loss_comes_back_whole():
    original = "他說：“我們要把工作做好。”時任縣長"
    garbled = garble(original, original.index("。"))
    assert garbled != original
    assert repair_gbk_garble(garbled).text == original


def _variants() -> list[str]:
    return [variant for sentence in SENTENCES for variant in (sentence, _to_traditional(sentence))]


def _wrong_positions(repaired: str, original: str) -> list[int]:
    """Positions where the repair put a character that is neither the original nor U+FFFD."""
    assert len(repaired) == len(original), (repaired, original)
    return [i for i, (r, o) in enumerate(zip(repaired, original, strict=True)) if r not in (o, REPLACEMENT)]


def test_punctuation_losses_come_back_with_at_most_holes():
    """The usual loss (sites.md): the lead byte of 、“”。， and the like."""
    total = repaired = restored = 0
    joined = [f"{a}，{b[:6]}、{b[6:]}。“{a[:5]}”" for a, b in pairwise(SENTENCES)]
    for variant in joined + [_to_traditional(j) for j in joined]:
        for index in [i for i, c in enumerate(variant) if c in "、“”。，"]:
            garbled = garble(variant, index)
            result = repair_gbk_garble(garbled).text
            total += 1
            if result == garbled:
                continue
            assert _wrong_positions(result, variant) == [], (garbled, result, variant)
            repaired += 1
            restored += result[index] == variant[index]
    assert total >= 1000
    # Measured: 1316 losses, 1313 repaired; the mark itself restored in 16, only where the context tells
    # (。 before ”): a mark guessed from where marks usually stand was wrong four times in ten on real text.
    assert repaired / total >= 0.95, f"{repaired}/{total} repaired"
    assert restored >= 10, f"{restored}/{total} restored"


def test_random_losses_come_back_with_at_most_holes():
    """Lead byte lost at random positions: every character the repair writes is the original one or U+FFFD
    (a mark is guessed only where the context tells, see bench/garble_marks.py)."""
    rng = random.Random(20261122)
    total = repaired = holes = 0
    for variant in _variants():
        positions = _double_byte_positions(variant)
        for index in rng.sample(positions, min(3, len(positions))):
            garbled = garble(variant, index)
            result = repair_gbk_garble(garbled).text
            total += 1
            if result == garbled:
                continue  # not recognized: left alone, counted against the repair rate
            repaired += 1
            holes += result.count(REPLACEMENT)
            assert _wrong_positions(result, variant) == [], (garbled, result, variant)
    assert total >= 500
    # Measured with this seed: 606 garbles, 584 repaired (96.4%), 1.9 U+FFFD per repair, none wrong.
    assert repaired / total >= 0.95, f"repair rate {repaired / total:.3f}"
    assert holes / repaired <= 2.5, holes / repaired


def test_garble_in_the_middle_of_a_paragraph_leaves_the_rest_alone():
    original = "第一段文字。\n县人民政府召开常务会议传达学习省委全会精神。\n第三段文字。"
    garbled = garble(original, original.index("常"))
    result = repair_gbk_garble(garbled)
    assert _matches_with_holes(result.text, original)
    assert result.text.startswith("第一段文字。\n县人民政府召开")
    assert result.text.endswith("\n第三段文字。")


def test_lost_lead_with_surviving_ascii_trail_becomes_one_replacement_char():
    original = "會議強調要把學習成果轉化爲推動工作的強大動力"
    garbled = garble(original, original.index("議"))  # 議 is D7 68: its trail byte reads "h"
    assert "?h" in garbled
    assert repair_gbk_garble(garbled).text == original.replace("議", REPLACEMENT)


CLEAN = [
    "是吗?我们今天去看看。",
    "真的吗?A股大涨",
    "你好?这是什么?",
    "网址?id=5&name=中国",
    "为什么?因为他来了",
    "α粒子和β受体，Ω为电阻单位",
    "通过ISO9001认证，PM2.5浓度下降",
    "罕见字：亓、赟、堃、喆、禤",
    "What?Is this 中文?",
    "",
    "?",
    "??",
]


@pytest.mark.parametrize("text", CLEAN + SENTENCES)
def test_clean_text_is_never_touched(text):
    assert repair_gbk_garble(text).text == text
    assert garbled_ratio(text) == 0.0


def _corpus_texts() -> list[tuple[str, str]]:
    from parsel import Selector

    pages = sorted((CORPUS / "pages").glob("*/*.html"))
    texts = []
    for page in pages:
        raw = page.read_bytes()
        try:
            html = raw.decode("utf-8")
        except UnicodeDecodeError:
            html = raw.decode("gb18030")
        texts.append((page.name, "\n".join(Selector(text=html).xpath("//body//text()").getall())))
    return texts


@pytest.mark.skipif(not (CORPUS / "pages").is_dir(), reason="shared corpus not found at ../shared/corpus")
def test_corpus_pages_are_never_touched():
    texts = _corpus_texts()
    assert len(texts) >= 50
    for name, text in texts:
        assert repair_gbk_garble(text).text == text, name
        assert garbled_ratio(text) == 0.0, name


def test_garbled_ratio_measures_the_garbled_share():
    assert garbled_ratio("罪人?！睍r任") == pytest.approx(4 / 7)  # the run is ?！睍r
    assert garbled_ratio("?！睍r" * 10) == pytest.approx(1.0)
    mixed = "正常的一段话，没有任何问题。" * 2 + "?！睍r" * 5
    assert garbled_ratio(mixed) == pytest.approx(20 / len(mixed))
    assert garbled_ratio("正常的一段话。") == 0.0


def test_question_mark_before_undecodable_byte_collapses_to_one_hole():
    """Lead byte lost and the trail byte undecodable: the whole character is gone, once."""
    result = repair_gbk_garble("干部?�极参与")
    assert result.text == "干部" + REPLACEMENT + "极参与"
    assert result.counts == {"partial_runs": 1}  # the character is lost: not reported as repaired
    assert repair_gbk_garble("是吗??�极").text == "是吗" + REPLACEMENT + "极"  # no ``?�`` left behind


def test_unrepairable_garble_is_counted_and_left_alone():
    text = "甲?睍睍睍睍乙"  # rare characters after ?, but re-pairing them gives no valid text
    result = repair_gbk_garble(text)
    assert result.text == text or _matches_with_holes(result.text, text)


_pieces = st.sampled_from(
    ["县", "人民", "政府", "。", "，", "“", "”", "(", ")", "（", "）", "?", "\ufffd", "a", "Z", "5", " ",
     "xīnwén", "睍", "r", "時", "議", "\n", "α"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_pieces, max_size=30).map("".join))
def test_repair_is_idempotent(text):
    once = repair_gbk_garble(text).text
    assert repair_gbk_garble(once).text == once


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SENTENCES), st.integers(min_value=0, max_value=10_000))
def test_repaired_garbles_stay_repaired(sentence, seed):
    index = _double_byte_positions(sentence)[seed % len(_double_byte_positions(sentence))]
    once = repair_gbk_garble(garble(sentence, index)).text
    assert repair_gbk_garble(once).text == once


def test_run_left_with_a_hole_is_counted_as_partial_not_repaired():
    original = "他说：“我们要把工作做好。”时任县长" + "国务院办公厅关于进一步加强政务公开工作的意见"
    garbled = garble(original, original.index("。"))  # the stream re-aligns only by losing 国's trail byte
    result = repair_gbk_garble(garbled)
    assert result.text == original.replace("国", REPLACEMENT, 1)
    assert result.counts == {"partial_runs": 1}
    mixed = repair_gbk_garble(garbled + "\n罪人?！睍r任")
    assert mixed.counts == {"partial_runs": 1, "repaired_runs": 1}


def test_repeated_adversarial_garble_repairs_every_copy():
    result = repair_gbk_garble("罪人?！睍r任" * 2000)
    assert result.text == "罪人。”時任" * 2000
    assert result.counts == {"repaired_runs": 2000}
    assert len(result.samples) == 3


def _reference_scan(text: str) -> tuple[str, list[tuple[int, int, str | None]]]:
    """``_scan`` the slow, obvious way: judge each ``?`` on the whole final text to its right
    (cut at MAX_RUN + 2 characters), with no window cutting and no cache."""
    final_right = ""  # final text right of ``boundary``
    boundary = len(text)
    spans: list[tuple[int, int, str | None]] = []
    for trigger in reversed([i for i, c in enumerate(text) if c == "?"]):
        start = max(trigger - 1, 0)
        view = text[start:trigger] + (text[trigger:boundary] + final_right)[:garble_module.MAX_RUN + 2]
        offset = trigger - start
        run = garble_module._evaluate(view, offset) if len(view) > offset + 1 else None
        if run is None:
            continue
        end = trigger + run.end - offset
        spans.append((trigger, min(end, boundary), run.repaired))
        if run.repaired is not None:
            right = text[end:boundary] + final_right if end <= boundary else final_right[end - boundary:]
            final_right, boundary = run.repaired + right, trigger
    return text[:boundary] + final_right, spans[::-1]


@pytest.mark.parametrize("max_run", [12, garble_module.MAX_RUN])
def test_windowed_cached_scan_matches_judging_whole_views(monkeypatch, max_run):
    """The scan judges each ``?`` on a short window and caches judgements by window: that must
    decide exactly as judging the whole view would, also where runs reach MAX_RUN."""
    monkeypatch.setattr(garble_module, "MAX_RUN", max_run)
    garble_module._evaluate_cached.cache_clear()
    rng = random.Random(max_run)
    pieces = [*"国务院办公厅罪人，。”“、睍時無?r F1\n", REPLACEMENT, "?！睍r", "無?F", "罪人?！睍r任"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(1500)]
    texts += [garble(s, i) for s in SENTENCES[:40] for i in _double_byte_positions(s)[:3]]
    for text in texts:
        assert garble_module._scan(text) == _reference_scan(text), text
    garble_module._evaluate_cached.cache_clear()


@pytest.mark.parametrize("max_run", [12, 100])
def test_window_holds_everything_judging_reads(monkeypatch, max_run):
    """``_window`` cut from the text and the processed pieces decides like the whole view, also when
    a double-byte stretch runs on into processed text (rare in real garbles, so built here)."""
    monkeypatch.setattr(garble_module, "MAX_RUN", max_run)
    rng = random.Random(max_run)
    common, rare = list("国务院办公厅罪人，。”“、"), list("すぃ爻亓")  # rare: what garble is made of
    pieces = common * 3 + list("睍時無?r F1\n") + [REPLACEMENT]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(2, 120)))
        if "?" not in text:
            continue
        trigger = rng.choice([i for i, c in enumerate(text) if c == "?"])
        boundary = rng.randint(trigger + 1, len(text))
        alphabet = rng.choice([common, rare, [*rare, "睍"]])  # 睍 re-aligns the stream
        processed = [] if boundary == len(text) else [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 90))) for _ in range(rng.randint(1, 4))
        ]
        start, final_right = max(trigger - 1, 0), "".join(reversed(processed))
        view = text[start:trigger] + (text[trigger:boundary] + final_right)[:max_run + 2]
        window, offset = garble_module._window(text, trigger, boundary, processed)
        assert offset == trigger - start and view.startswith(window)
        judged = garble_module._evaluate(window, offset) if len(window) > offset + 1 else None
        expected = garble_module._evaluate(view, offset) if len(view) > offset + 1 else None
        assert judged == expected, (text, trigger, boundary, processed)
        assert "".join(reversed(processed)) == final_right  # reading merges pieces, keeps the text


def test_stretch_regex_walks_exactly_what_shifted_chars_walks():
    """The regex that finds where a run ends agrees with the per-character walk on every BMP character."""
    chars = [chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c <= 0xDFFF]
    random.Random(4).shuffle(chars)
    text = "".join(chars)
    pattern = garble_module._stretch_pattern()
    for start in range(0, len(text), 7):
        assert pattern.match(text, start, start + garble_module.MAX_RUN).end() == garble_module._shifted_chars(
            text, start)[1], start
    long_run = "国务院" * 2000 + "睍r"
    for start in (0, 1000, len(long_run) - 3000):
        end = pattern.match(long_run, start, start + garble_module.MAX_RUN).end()
        assert end == garble_module._shifted_chars(long_run, start)[1]


# Real runs from mirror pages (tests/realtext/dirty.jsonl holds the pages): glosses added by the mirror,
# full-width marks folded to ASCII, a lost trail eaten with the next ASCII byte.
@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        ("千古罪人?！睍r(shí)任縣長", "千古罪人。”時(shí)任縣長"),
        ("以及參與性管理?！边@給世界", "以及參與性管理。”這給世界"),
        ("既是重點,也是難點?;鶎狱h組織是黨", "既是重點,也是難點\ufffd基層黨組織是黨"),
        ("保障新聞?wù)鎸嵭浴⒙男休浾摫O(jiān)督等", "保障新聞\ufffd實性、履行輿論監(jiān)督等"),
        ("主要是根據(jù)當(dāng)?shù)匾咔榘l(fā)生", "主要是根據(jù)當(dāng)\ufffd疫情發(fā)生"),
        ("並進行現場實地指導??h委常委、宣傳部部長", "並進行現場實地指導\ufffd縣委常委、宣傳部部長"),
        ("落后的平遙不能再落后了?！?/p>", "落后的平遙不能再落后了\ufffd\ufffd"),
    ],
)
def test_real_mirror_runs_are_repaired_or_marked_never_invented(garbled, expected):
    result = repair_gbk_garble(garbled)
    assert result.text == expected
    assert repair_gbk_garble(result.text).text == result.text


@pytest.mark.parametrize("text", ["真的吗??A股大涨", "你好??我很好", "G?ran Tomson, Ioana Vlad.", "這是什麼?;我",
                                  "價格?;A", "吗?A股", "他说?fine)"])
def test_question_marks_in_real_text_stay(text):
    assert repair_gbk_garble(text).text == text


def test_a_run_that_lost_a_whole_pair_is_marked_not_guessed():
    """（三）有關 lost the pair of 三 and ）: re-pairing would give 醛, a rare character that fits nothing."""
    result = repair_gbk_garble("?。ㄈ┯嘘P(guān)要求")
    assert "醛" not in result.text and result.text.endswith("有關(guān)要求")
    assert "\ufffd" in result.text


def test_word_lists_read_from_data_files_equal_the_imported_ones():
    """pypinyin's phrases read from its JSON file are its ``phrases_dict``; the compact pair set holds exactly
    the adjacent pairs of the three word lists (jieba's words of some frequency)."""
    from pathlib import Path

    import opencc
    from pypinyin.phrases_dict import phrases_dict

    from govnews.clean.garble import _common_word_chars, _is_level1, _word_pairs
    from govnews.lexicon import PairSet, pinyin_phrases

    phrases = list(pinyin_phrases())
    assert phrases == list(phrases_dict)
    st_phrases = Path(opencc.__file__).resolve().parent / "dictionary" / "STPhrases.txt"
    words = phrases + [line.partition("\t")[0] for line in st_phrases.read_text(encoding="utf-8").splitlines()]
    assert _common_word_chars() == frozenset(c for w in words for c in w if _is_level1(c))
    import jieba

    jieba_dict = Path(jieba.__file__).resolve().parent / "dict.txt"
    words += [w for w, f, _ in (line.split() for line in jieba_dict.read_text(encoding="utf-8").splitlines())
              if int(f) >= garble_module.MIN_JIEBA_FREQUENCY]
    reference = {w[i:i + 2] for w in words for i in range(len(w) - 1)}
    pairs = _word_pairs()
    assert len(pairs) == len(reference) and all(pair in pairs for pair in reference)
    probes = [a + b for a in "的一是在不了有和人这中大为上个国我以要他时来用们" for b in "国会议县市政府工作发展中心"]
    assert [p in pairs for p in probes] == [p in reference for p in probes]
    assert "的了" in PairSet(["的了"]) and "了的" not in PairSet(["的了"])
    assert "的" not in pairs and "的了吗" not in pairs


# Review 1 (notes on real mirror pages): runs where the old repair wrote characters that were never there.
@pytest.mark.parametrize(
    ("garbled", "expected"),
    [
        # 縣 was decoded right: re-pairing it would leave ``h`` glued between Han characters (百�h市).
        ("綜合競(jìng)爭(zhēng)力百?gòu)?qiáng)縣市。", "綜合競(jìng)爭(zhēng)力百\ufffd縣市。"),
        # A pair went missing inside the run: 曲沃 re-paired as the common 侵, which makes no word there.
        ("李劍彬?qū)η挚h的文化資源", "李劍彬\ufffd\ufffd\ufffd的文化資源"),
        ("此次在當(dāng)?shù)刂饕侣劽襟w公布", "此次在當(dāng)\ufffd\ufffd\ufffd聞媒體公布"),
        ("又說(shuō)因?yàn)榇说乜拷诤?,形容波濤", "又說(shuō)因\ufffd此地\ufffd\ufffd\ufffd,形容波濤"),
        # Two glosses lost with their characters, one hole: never ``另�è)?``.
        ("另?yè)?jù)《山西省通志》", "另\ufffd《山西省通志》"),
        # ， folded to ``,`` whose trail pairs with ``F`` into 現; the lost 。 is not guessed before Han text.
        ("這堆垃圾就非常扎眼?,F(xiàn)在這條", "這堆垃圾就非常扎眼\ufffd現(xiàn)在這條"),
        # ！ folded to ``!``, then the decoder's ``?`` that ate the ``<`` of ``</p>``.
        ("落后的平遙不能再落后了?!?/p>", "落后的平遙不能再落后了\ufffd\ufffd"),
    ],
)
def test_review_runs_are_marked_not_invented(garbled, expected):
    result = repair_gbk_garble(garbled)
    assert result.text == expected
    assert repair_gbk_garble(result.text).text == result.text


def test_a_run_ending_in_a_latin_letter_that_reads_is_repaired():
    """``、心电图和腹部B超`` lost its first byte: 部's trail pairs with the ``B`` (緽). A Latin letter in Chinese
    text (B超, X光) is no sign the text was decoded right when the re-paired run reads; a lone one is (百?縣市)."""
    garbled = "肝功能、肾功能、血糖、血脂?⑿牡缤己透共緽超等"
    assert repair_gbk_garble(garbled).text == "肝功能、肾功能、血糖、血脂\ufffd心电图和腹部B超等"
    assert repair_gbk_garble("綜合競爭力百?縣市。").text == "綜合競爭力百?縣市。"


@pytest.mark.parametrize("text", ["真的吗?!?", "他说?fine)我", "价格?,A股", "是这样吗?!是的", "a?b(ni)c"])
def test_question_marks_before_folded_marks_and_latin_stay(text):
    assert repair_gbk_garble(text).text == text


@pytest.mark.parametrize(("sentence", "lost"), [
    ("30日,县委副书记、县长王春梅主持召开2026年会议", "副"),
    ("同样任职中新社的记者陈选斌,此行与祝欢兵分两路", "职"),
    ("山西省激发重点群体活力带动城乡居民增收实施方案", "发"),
    ("1997年的12月3日,当时参会的山西代表还带着方便面", "时"),
])
def test_a_lost_han_character_is_never_guessed_as_a_mark(sentence, lost):
    """Where a Han character lost its lead byte, a mark that 'fits the slot' was guessed 4 times in 10 (县委”书记);
    now the hole is marked, and no re-paired character is wrong."""
    index = sentence.index(lost)
    result = repair_gbk_garble(garble(sentence, index)).text
    assert _wrong_positions(result, sentence) == [], result
    assert result[index] == REPLACEMENT
