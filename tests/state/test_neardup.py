"""govnews.state.neardup: shingles, signatures, band keys; and the threshold measured on real reposts."""

from __future__ import annotations

import pytest

from govnews.state.neardup import (
    CANDIDATE_RECALL,
    DEFAULT_THRESHOLD,
    NUM_PERM,
    Signature,
    band_params,
    distinct_documents,
    fingerprint,
    identity_marks,
    normalize_for_shingles,
    shingles,
)
from tests.state import neardup_eval
from tests.support import CORPUS

TEXT = ("3月20日，岢岚县召开春耕生产推进会，县委副书记、县长主持会议，县直相关部门和各乡镇负责人参加。"
        "会议听取了各乡镇春耕备耕工作进展情况汇报，分析了当前农业生产面临的形势，安排部署了下一阶段重点工作。")


def test_shingles_ignore_punctuation_spacing_and_width() -> None:
    assert normalize_for_shingles("ＰＭ２.５ 浓度，下降！") == "pm25浓度下降"
    assert shingles("新闻 联播，开始") == {"新闻联播开", "闻联播开始"}
    assert shingles("短") == {"短"}


def test_too_short_bodies_get_no_fingerprint() -> None:
    assert fingerprint("详见附件。") is None
    fp = fingerprint(TEXT)
    assert fp is not None and len(fp.signature.values) == 2 * NUM_PERM + 4 * len(identity_marks(TEXT))
    assert len(fp.keys) == band_params(DEFAULT_THRESHOLD)[0]


def test_same_text_same_fingerprint_and_similarity_tracks_overlap() -> None:
    a, b = fingerprint(TEXT), fingerprint(TEXT + "。")
    assert a == b and a is not None and b is not None
    other = "保德县召开安全生产工作会议，各乡镇和县直有关单位负责人参加，会议通报了一季度全县安全生产形势。"
    c = fingerprint(TEXT[: len(TEXT) // 2] + other)
    assert c is not None and 0.2 < a.signature.similarity(c.signature) < 0.7


@pytest.mark.parametrize("threshold", [0.5, 0.6, 0.7, 0.8, 0.9])
def test_band_parameters_find_pairs_at_the_threshold(threshold: float) -> None:
    bands, rows = band_params(threshold)
    assert bands * rows <= NUM_PERM
    if threshold >= 0.7:  # below that, 128 permutations cannot reach 0.99 with 4+ rows: datasketch's optimum
        assert 1 - (1 - threshold ** rows) ** bands >= CANDIDATE_RECALL


def test_precision_and_recall_on_real_reposts() -> None:
    """The documented figures (README, "Duplicates"): no pair of different articles is flagged, and the
    verbatim, Traditional-script, glossed and re-framed reposts are found."""
    if not CORPUS.exists():
        pytest.skip("../shared/corpus is absent")
    score = neardup_eval.score(DEFAULT_THRESHOLD)
    assert score.precision == 1.0, score
    assert score.recall >= 0.7, score
    assert score.by_kind["same topic"][0] == 0  # 45 pairs of different reports on one topic: none flagged


def _texts() -> list[str]:
    """Texts of many sizes and scripts, from one gram to a long report."""
    other = "保德县召开安全生产工作会议，各乡镇和县直有关单位负责人参加，会议通报了一季度全县安全生产形势。"
    return ["", "短", TEXT[:5], TEXT[:61], TEXT, TEXT + other, "ＰＭ２.５ 浓度 Ünïcode 測試繁體 " * 40,
            (TEXT + other) * 30]


def test_signatures_are_datasketch_minhash_values() -> None:
    """The signature computed without the datasketch package equals datasketch's own MinHash, value for
    value: same permutations, same hash, same arithmetic (datasketch stays a test dependency for this)."""
    import numpy as np
    from datasketch import MinHash

    from govnews.state import neardup

    reference = MinHash(num_perm=NUM_PERM, seed=neardup._SEED)
    assert reference.scheme == "affine32"
    assert np.array_equal(neardup._permutations(), reference.permutations)
    for text in _texts():
        grams = [g.encode("utf-8") for g in shingles(text)]
        theirs = MinHash(num_perm=NUM_PERM, seed=neardup._SEED)
        theirs.update_batch(grams)
        assert np.array_equal(neardup.minhash_values(grams), theirs.hashvalues), text[:20]


def test_optimal_parameter_table_is_datasketchs() -> None:
    """Below about 0.605 the band index falls back to datasketch's optimum; its values for the thresholds
    0.01 to 0.60 are stored, so the crawl never imports datasketch's LSH module (and scipy) for them."""
    from datasketch.lsh import _optimal_param

    from govnews.state import neardup

    assert sorted(neardup._OPTIMAL_PARAMS) == list(range(1, 61))
    for hundredths, stored in neardup._OPTIMAL_PARAMS.items():
        assert stored == _optimal_param(hundredths / 100, NUM_PERM, 0.1, 0.9), hundredths
        assert band_params(hundredths / 100) == stored
    assert band_params(0.555) == _optimal_param(0.555, NUM_PERM, 0.1, 0.9)  # off the table: asks datasketch


def test_the_crawl_imports_neither_datasketch_nor_numpy_to_judge() -> None:
    """Importing the state store and comparing signatures loads neither package (start-up memory)."""
    import subprocess
    import sys

    code = ("import sys; from govnews.state.sqlite import SQLiteStateStore; from govnews.state.judge import Judge; "
            "from govnews.state.neardup import Signature, distinct_documents; Signature(bytes(256)).similarity("
            "Signature(bytes(256))); distinct_documents(Signature(bytes(264)), Signature(bytes(260))); "
            "print(sorted(m for m in ('numpy', 'datasketch', 'scipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_identity_marks_are_the_numbers_of_two_or_more_digits() -> None:
    assert identity_marks("罚款人民币3,286,500.00元") == identity_marks("罚款人民币３２８６５００.００元")
    same = identity_marks("岚政任〔2024〕015号")
    assert same == identity_marks("岚政任〔2024〕15号 2024") != identity_marks("〔2024〕16号")
    assert identity_marks("一、1个工作日；2.详见附件") == frozenset()


PENALTY = ("当事人：{party}，统一社会信用代码：{code}。经查，当事人在其经营场所销售的商品未按规定明码标价，"
           "上述行为违反了《中华人民共和国价格法》第十三条第一款的规定。依据《明码标价和禁止价格欺诈规定》"
           "第二十一条，决定对当事人处以如下行政处罚：一、责令改正；二、罚款人民币{amount}元。当事人应当自收到本决定书"
           "之日起十五日内缴纳罚款。当事人如对本处罚决定不服，可以在收到本决定书之日起六十日内申请行政复议，"
           "或者在六个月内依法提起行政诉讼。岚市监价罚〔2024〕{no}号，2024年6月{day}日。")


def _signature(text: str) -> Signature:
    fp = fingerprint(text)
    assert fp is not None
    return fp.signature


def test_documents_of_one_template_are_told_apart_by_their_numbers() -> None:
    a = PENALTY.format(party="岢岚县福源超市", code="92140929MA0K7H3L2X", amount="2000", no="21", day="12")
    b = PENALTY.format(party="岢岚县惠家便利店", code="92140929MA0KB25R7Q", amount="1500", no="22", day="13")
    assert _signature(a).similarity(_signature(b)) >= DEFAULT_THRESHOLD  # similarity alone: a "repost"
    assert distinct_documents(_signature(a), _signature(b))


def test_a_repost_cut_short_or_with_furniture_keeps_its_numbers() -> None:
    a = PENALTY.format(party="岢岚县福源超市", code="92140929MA0K7H3L2X", amount="2000", no="21", day="12")
    cut = a[: a.index("当事人应当")]  # fewer numbers than the original, none of its own
    framed = "发布时间：2024-06-20 浏览次数：318\n" + a  # more numbers than the original
    assert not distinct_documents(_signature(a), _signature(cut))
    assert not distinct_documents(_signature(a), _signature(framed))
    assert not distinct_documents(_signature(framed), _signature(a))
    # a signature stored before the numbers were kept: judged by similarity alone, as before
    old = Signature(_signature(a).values[: 2 * NUM_PERM])
    assert old.similarity(_signature(a)) == 1.0 and not distinct_documents(old, _signature(cut + "99"))


def test_template_documents_of_the_evaluation_are_never_flagged() -> None:
    score = neardup_eval.score(DEFAULT_THRESHOLD)
    assert score.by_kind["template"][0] == 0, score
    # without the check, similarity alone calls some of them reposts: the set does test something
    assert neardup_eval.score(DEFAULT_THRESHOLD, verify=False).by_kind["template"][0] > 0
