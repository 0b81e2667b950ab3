"""Traditional → Simplified script: detect which script a text is in and convert it.

Mirrors republish our articles in Traditional script; the export is always zh-Hans. OpenCC's
``t2s`` does the bulk of the work; a small table of phrase overrides fixes what it gets wrong in
government vocabulary (批覆, 著力, 覆核, ...), and Simplified text is protected from the few
conversions OpenCC would wrongly make there (昇腾, 哪吒, 黄霑 are valid Simplified names).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

from opencc import OpenCC

from govnews.clean.base import StepResult, samples_of, unchanged

HANT = "zh-Hant"
HANS = "zh-Hans"

# Traditional phrase -> Simplified, applied before OpenCC so they win. Each fixes an OpenCC error
# (verified against opencc-python-reimplemented 0.1.7) or pins a neighbour so that leftmost matching
# does not cut a correct phrase in two (顯著 before 著力 in 顯著力量).
PHRASE_OVERRIDES: dict[str, str] = {
    # 覆 in the sense of 答复 / 复核 is 复 in Simplified; 覆盖 / 颠覆 keep 覆 (OpenCC gets those right).
    "批覆": "批复", "覆核": "复核", "回覆": "回复", "函覆": "函复", "覆函": "复函", "覆議": "复议",
    "覆查": "复查", "覆信": "复信", "電覆": "电复", "覆電": "复电", "覆審": "复审", "覆試": "复试",
    # 著 read zhe / zhuó is 着; 著 read zhù (著名, 著作, 显著) stays.
    "著力": "着力", "著手": "着手", "著重": "着重", "著眼": "着眼", "著想": "着想", "著落": "着落",
    "著實": "着实", "著急": "着急", "著陸": "着陆", "著裝": "着装", "著火": "着火", "著迷": "着迷",
    "著涼": "着凉", "衣著": "衣着", "穿著": "穿着", "執著": "执着", "沿著": "沿着", "隨著": "随着",
    "接著": "接着", "看著": "看着", "為著": "为着", "向著": "向着", "朝著": "朝着", "本著": "本着",
    "意味著": "意味着", "有著": "有着", "帶著": "带着", "靠著": "靠着", "睡著": "睡着", "跟著": "跟着",
    "順著": "顺着", "忙著": "忙着", "想著": "想着", "說著": "说着", "等著": "等着", "拿著": "拿着",
    "站著": "站着", "坐著": "坐着", "走著": "走着", "做著": "做着", "寫著": "写着", "聽著": "听着",
    "笑著": "笑着", "存在著": "存在着", "發揮著": "发挥着", "肩負著": "肩负着", "承載著": "承载着",
    "推動著": "推动着", "引領著": "引领着", "見證著": "见证着", "守護著": "守护着", "記錄著": "记录着",
    "圍繞著": "围绕着", "緊接著": "紧接着", "顯著": "显著", "著名": "著名", "著作": "著作", "著稱": "著称",
    "著述": "著述", "昭著": "昭著", "卓著": "卓著", "名著": "名著", "編著": "编著", "專著": "专著",
    # Proper names OpenCC rewrites.
    "哪吒": "哪吒",
}

# Characters OpenCC's t2s maps but which Simplified text uses legitimately (names, brands,
# classical quotes): never converted when the text as a whole is Simplified.
KEEP_IN_SIMPLIFIED = frozenset("乾吒夥後徵捱摺於榘甯菸薹醣麴麽昇霑暐")


def _opencc_dir() -> Path:
    import opencc

    return Path(opencc.__file__).resolve().parent / "dictionary"


@cache
def traditional_characters() -> dict[str, str]:
    """OpenCC's Traditional→Simplified character table (first choice of each entry), changed ones only."""
    table: dict[str, str] = {}
    for line in (_opencc_dir() / "TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        first = values.split(" ")[0]
        if len(key) == 1 and first and first != key:
            table[key] = first
    return table


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


@cache
def _script_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(Traditional-only, Simplified-only) characters: the ones that tell the scripts apart.

    Traditional-only: OpenCC maps them and GB2312 (the Simplified charset) lacks them.
    Simplified-only: in GB2312, OpenCC's s2t maps them, and they are not Traditional themselves.
    """
    ts = traditional_characters()
    trad = frozenset(c for c in ts if not _in_gb2312(c))
    simp: set[str] = set()
    for line in (_opencc_dir() / "STCharacters.txt").read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if len(key) == 1 and values.split(" ")[0] != key and key not in ts and _in_gb2312(key):
            simp.add(key)
    return trad, frozenset(simp)


@cache
def _char_class(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def detect_script(text: str) -> str:
    """``zh-Hant`` when Traditional-only characters outnumber Simplified-only ones, else ``zh-Hans``.

    Only the characters that differ between the scripts count, so a Traditional name in a Simplified
    article (or the reverse) does not flip the verdict.
    """
    trad, simp = _script_sets()
    counts = Counter(text)
    n_trad = sum(n for char, n in counts.items() if char in trad)
    n_simp = sum(n for char, n in counts.items() if char in simp)
    return HANT if n_trad > n_simp else HANS


@cache
def _opencc_t2s() -> OpenCC:
    return OpenCC("t2s")


@cache
def _override_pattern() -> re.Pattern[str]:
    keys = sorted(PHRASE_OVERRIDES, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


@cache
def _convertible() -> re.Pattern[str]:
    """Characters OpenCC t2s could change; a stretch without any is left as is (speed)."""
    chars = set(traditional_characters())
    for line in (_opencc_dir() / "TSPhrases.txt").read_text(encoding="utf-8").splitlines():
        chars.update(line.partition("\t")[0])
    return _char_class(frozenset(chars))


def _opencc(text: str) -> str:
    if not text or not _convertible().search(text):
        return text
    return _opencc_t2s().convert(text)


def _convert_traditional(text: str) -> str:
    """Full conversion: phrase overrides first, OpenCC on the stretches between them."""
    out: list[str] = []
    pos = 0
    for match in _override_pattern().finditer(text):
        out.append(_opencc(text[pos:match.start()]))
        out.append(PHRASE_OVERRIDES[match.group()])
        pos = match.end()
    out.append(_opencc(text[pos:]))
    return "".join(out)


@cache
def _stray_table() -> dict[int, str]:
    """For Simplified text: map only unambiguous Traditional characters to common Simplified ones."""
    return {
        ord(c): s
        for c, s in traditional_characters().items()
        if c not in KEEP_IN_SIMPLIFIED and not _in_gb2312(c) and _in_gb2312(s)
    }


def _count_changed(before: str, after: str) -> tuple[int, list[str]]:
    if len(before) != len(after):
        return max(1, abs(len(before) - len(after))), [before[:20]]
    changed = [a + "→" + b for a, b in zip(before, after, strict=True) if a != b]
    return len(changed), changed


def to_simplified(text: str) -> StepResult:
    """Convert Traditional script to Simplified; counts ``{"characters": n}`` converted.

    Traditional text gets OpenCC t2s plus :data:`PHRASE_OVERRIDES`; Simplified text only has stray
    unambiguous Traditional characters converted, so names like 昇腾 or 哪吒 survive.
    """
    if not text:
        return unchanged(text)
    traditional = detect_script(text) == HANT
    converted = _convert_traditional(text) if traditional else text.translate(_stray_table())
    if converted == text:
        return unchanged(text)
    n, changed = _count_changed(text, converted)
    return StepResult(converted, {"characters": n}, samples_of(changed))
