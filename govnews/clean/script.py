"""Traditional → Simplified script: detect which script a text is in and convert it.

Mirrors republish our articles in Traditional script; the export is always zh-Hans. OpenCC's
``t2s`` dictionaries do the bulk of the work, through :func:`opencc_t2s` (same output as
opencc-python-reimplemented's converter, 10-30x faster); a small table of phrase overrides fixes
what it gets wrong in government vocabulary (批覆, 著力, 覆核, ...), and Simplified text is
protected from the few conversions OpenCC would wrongly make there (昇腾, 哪吒, 黄霑 are valid
Simplified names).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path

from opencc import OpenCC

from govnews.clean.base import MAX_SAMPLES, StepResult, samples_of, unchanged
from govnews.lexicon import jieba_dictionary

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


#: detect_script reads at most this much: a script does not change in the middle of an article.
DETECT_SAMPLE_CHARS = 200_000
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@cache
def _script_patterns() -> tuple[re.Pattern[str], re.Pattern[str] | None, re.Pattern[str]]:
    """(Traditional-only in the BMP, Traditional-only beyond it, Simplified-only) as character classes.

    The BMP class compiles to a bitmap the regex engine tests at C speed; a class holding characters
    beyond the BMP is a list searched one entry at a time, so those are looked for only in text that has any.
    """
    trad, simp = _script_sets()
    astral = frozenset(c for c in trad if ord(c) > 0xFFFF)
    return _char_class(trad - astral), _char_class(astral) if astral else None, _char_class(simp)


def detect_script(text: str) -> str:
    """``zh-Hant`` when Traditional-only characters outnumber Simplified-only ones, else ``zh-Hans``.

    Only the characters that differ between the scripts count, so a Traditional name in a Simplified
    article (or the reverse) does not flip the verdict. Simplified text, which has no Traditional-only
    character, costs one C-speed scan; Simplified-only characters are counted only as far as the verdict needs.
    """
    sample = text[:DETECT_SAMPLE_CHARS]
    trad_bmp, trad_astral, simp = _script_patterns()
    n_trad = len(trad_bmp.findall(sample))
    if trad_astral is not None and _ASTRAL.search(sample):
        n_trad += len(trad_astral.findall(sample))
    if not n_trad:
        return HANS
    for n_simp, _ in enumerate(simp.finditer(sample), 1):
        if n_simp >= n_trad:
            return HANS
    return HANT


@dataclass(frozen=True)
class _T2STables:
    """OpenCC t2s's data, shaped for C-speed scanning (see :func:`opencc_t2s`)."""

    phrases: dict[str, str]  # TSPhrases key -> first candidate
    min_phrase: int
    characters: dict[int, str]  # TSCharacters, for str.translate
    phrase_finder: re.Pattern[str]  # at each position, the longest phrase starting there


def _read_opencc_dictionary(name: str) -> dict[str, str]:
    """Key -> first candidate, read exactly as OpenCC does (strip, one tab, later duplicates win)."""
    table: dict[str, str] = {}
    with (_opencc_dir() / name).open(encoding="utf-8") as lines:
        for line in lines:
            key, value = line.strip().split("\t")
            table[key] = value.split(" ")[0]
    return table


def _trie_pattern(keys: Iterable[str]) -> str:
    """Prefix-factored alternation; longer continuations come first, so each match is the longest."""
    trie: dict[str, dict] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alternatives = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not alternatives:
            return ""
        body = "(?:" + "|".join(alternatives) + ")"
        return body + "?" if "" in node else body

    return emit(trie)


@cache
def _t2s_tables() -> _T2STables:
    """Load TSPhrases / TSCharacters; entries holding one of OpenCC's separators can never match."""
    separators = OpenCC().split_chars_re
    phrases = {k: v for k, v in _read_opencc_dictionary("TSPhrases.txt").items() if not separators.search(k)}
    characters = {k: v for k, v in _read_opencc_dictionary("TSCharacters.txt").items() if not separators.search(k)}
    if any(len(key) != 1 for key in characters):
        raise ValueError("TSCharacters.txt has multi-character keys; opencc_t2s assumes single characters")
    first_chars = "".join(sorted({re.escape(key[0]) for key in phrases}))
    # The leading class lets the regex engine skip to candidate positions at C speed.
    finder = re.compile(f"(?=[{first_chars}])(?=({_trie_pattern(phrases)}))")
    return _T2STables(phrases, min(map(len, phrases)), str.maketrans(characters), finder)


def _phrase_spans(text: str, tables: _T2STables) -> list[tuple[int, int]]:
    """The phrase matches OpenCC keeps, sorted by start.

    OpenCC takes the longest match (leftmost among equal lengths), then recurses on both sides;
    that equals a greedy pass over all matches ordered by (length desc, start asc) which keeps each
    match not overlapping one already kept. Matches are bucketed by length, so this stays linear.
    """
    by_length: dict[int, list[int]] = {}
    for match in tables.phrase_finder.finditer(text):
        start, longest = match.start(), match.end(1)
        by_length.setdefault(longest - start, []).append(start)
        for end in range(longest - 1, start + tables.min_phrase - 1, -1):
            if text[start:end] in tables.phrases:
                by_length.setdefault(end - start, []).append(start)
    if not by_length:
        return []
    taken = bytearray(len(text))
    spans: list[tuple[int, int]] = []
    for length in sorted(by_length, reverse=True):
        for start in by_length[length]:  # ascending: finditer scans left to right
            end = start + length
            if taken.find(1, start, end) == -1:
                taken[start:end] = b"\x01" * length
                spans.append((start, end))
    spans.sort()
    return spans


def opencc_t2s(text: str) -> str:
    """Exactly ``OpenCC("t2s").convert(text)`` (opencc-python-reimplemented), in linear time.

    OpenCC's pure-Python converter costs ~5 µs a character; here phrases are found by one regex scan
    and the rest goes through ``str.translate``. OpenCC's separator split needs no mirroring: no
    dictionary key we keep contains a separator, so no match crosses one.
    """
    tables = _t2s_tables()
    out: list[str] = []
    pos = 0
    for start, end in _phrase_spans(text, tables):
        out.append(text[pos:start].translate(tables.characters))
        out.append(tables.phrases[text[start:end]])
        pos = end
    out.append(text[pos:].translate(tables.characters))
    return "".join(out)


@cache
def _override_pattern() -> re.Pattern[str]:
    keys = sorted(PHRASE_OVERRIDES, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys)))


# Variant characters of Traditional mirrors that OpenCC leaves alone: 陜西 is 陕西.
VARIANTS = {"陜": "陕"}
_ZHE = "著"
# Words in which 著 is read zhù and stays 著 in Simplified (著名, 显著, 土著): jieba words that occur at
# least this often, OpenCC's own list of Taiwan words that keep 著, and its phrase table.
MIN_ZHU_WORD_FREQUENCY = 10


@cache
def _zhu_words() -> re.Pattern[str]:
    words = {w for w, freq, pos in jieba_dictionary()
             if _ZHE in w and len(w) > 1 and freq >= MIN_ZHU_WORD_FREQUENCY and not pos.startswith("nr")}
    words |= {opencc_t2s(w) for w in _read_opencc_dictionary("TWVariantsRevPhrases.txt") if _ZHE in w}
    words |= {w for w in _read_opencc_dictionary("STPhrases.txt") if _ZHE in w}
    words |= {v for v in PHRASE_OVERRIDES.values() if _ZHE in v}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _particle_zhe(text: str) -> str:
    """著 outside the words that keep it (著名, 显著, 编著) is the particle 着: 身著 -> 身着, 闪著 -> 闪着.

    Taiwan-standard Traditional writes the particle 著, which OpenCC's t2s leaves as it is.
    """
    if _ZHE not in text:
        return text
    out: list[str] = []
    pos = 0
    for match in _zhu_words().finditer(text):
        out.append(text[pos:match.start()].replace(_ZHE, "着"))
        out.append(match.group())
        pos = match.end()
    out.append(text[pos:].replace(_ZHE, "着"))
    return "".join(out)


def _convert_traditional(text: str) -> str:
    """Full conversion: phrase overrides first, OpenCC t2s on the stretches between them; then the
    particle 著 and variant characters OpenCC leaves."""
    return _particle_zhe(_convert_with_overrides(text)).translate(_VARIANT_TABLE)


_VARIANT_TABLE = str.maketrans(VARIANTS)


def _convert_with_overrides(text: str) -> str:
    out: list[str] = []
    pos = 0
    for match in _override_pattern().finditer(text):
        out.append(opencc_t2s(text[pos:match.start()]))
        out.append(PHRASE_OVERRIDES[match.group()])
        pos = match.end()
    out.append(opencc_t2s(text[pos:]))
    return "".join(out)


@cache
def _stray_table() -> dict[int, str]:
    """For Simplified text: map only unambiguous Traditional characters to common Simplified ones."""
    table = {
        ord(c): s
        for c, s in traditional_characters().items()
        if c not in KEEP_IN_SIMPLIFIED and not _in_gb2312(c) and _in_gb2312(s)
    }
    table.update({ord(c): s for c, s in VARIANTS.items()})
    return table


def _differing_chars(before: str, after: str) -> int:
    """How many positions of two equal-length strings hold different characters, in C-speed big-integer steps.

    Each character becomes a 32-bit lane (UTF-32); the XOR of the two is non-zero exactly in the lanes that
    differ; folding each lane's bytes into its lowest byte and masking the rest leaves one non-zero byte per
    differing character.
    """
    if not before:
        return 0
    size = 4 * len(before)
    x = (int.from_bytes(before.encode("utf-32-le", "surrogatepass"), "little")
         ^ int.from_bytes(after.encode("utf-32-le", "surrogatepass"), "little"))
    x |= x >> 16
    x |= x >> 8
    folded = (x & int.from_bytes(b"\xff\x00\x00\x00" * len(before), "little")).to_bytes(size, "little")
    return size - folded.count(0)


def _count_changed(before: str, after: str) -> tuple[int, list[str]]:
    """How many characters changed, and the first few changes as ``縣→县`` samples."""
    if len(before) != len(after):
        return max(1, abs(len(before) - len(after))), [before[:20]]
    count = _differing_chars(before, after)
    samples = list(islice((a + "→" + b for a, b in zip(before, after, strict=True) if a != b), MAX_SAMPLES))
    return count, samples


def to_simplified(text: str, script: str | None = None) -> StepResult:
    """Convert Traditional script to Simplified; counts ``{"characters": n}`` converted.

    Traditional text gets OpenCC t2s plus :data:`PHRASE_OVERRIDES`; Simplified text only has stray
    unambiguous Traditional characters converted, so names like 昇腾 or 哪吒 survive. ``script`` is
    the script already detected for the whole article: a short field (``省政府批覆``, an author
    ``於雪``) has too few telling characters to decide on its own.
    """
    if not text:
        return unchanged(text)
    traditional = (script or detect_script(text)) == HANT
    converted = _convert_traditional(text) if traditional else text.translate(_stray_table())
    if converted == text:
        return unchanged(text)
    n, changed = _count_changed(text, converted)
    return StepResult(converted, {"characters": n}, samples_of(changed))
