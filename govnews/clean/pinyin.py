"""Remove pinyin glosses and leaked ruby markup that mirrors add to Chinese text.

Content farms annotate words or single characters with their reading, ``新闻(xīnwén)``,
``康復(fù)``, ``辦(ban)``, usually by flattening ``<ruby>`` markup. A parenthesized Latin string
is only treated as a gloss when its syllables spell readings of the Han characters right before
it, so ``(GDP)``, ``(Kelan)`` after an English word or ``(Ma)`` after an unrelated character stay.
A capitalised romanisation without tone marks (``习近平(Xi Jinping)``, ``太原(Taiyuan)``) is text,
never a gloss: mirrors gloss in lower case or with tones.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache

from govnews.clean.base import MAX_SAMPLES, StepResult, samples_of, unchanged
from govnews.clean.script import opencc_t2s
from govnews.lexicon import pinyin_readings

MAX_GLOSS_SYLLABLES = 12  # a gloss covers at most this many characters: bounds the lookback
LOST = "\ufffd"  # what the garble repair leaves for a character it could not recover

_LATIN = "A-Za-z\u00c0-\u024f\u1e00-\u1eff\u0300-\u036f"
_GLOSS = re.compile(
    rf"[ \t]?[(（][ \t]*(?P<latin>[{_LATIN}][{_LATIN}' ’\-]{{0,79}})[)）]"
)
# ``_GLOSS`` from its bracket on: the engine skips to brackets at C speed, where ``_GLOSS``'s optional leading
# blank makes it try every position. The blank is added back in ``_glosses``.
_GLOSS_AT_BRACKET = re.compile(rf"[(（][ \t]*(?P<latin>[{_LATIN}][{_LATIN}' ’\-]{{0,79}})[)）]")
_SEPARATORS = re.compile(r"[ \t'’\-]+")


def _glosses(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, latin) of every ``_GLOSS.finditer(text)`` match, found from the brackets.

    A ``_GLOSS`` match is a bracket match, one character earlier when a blank the previous match did not
    take stands right before the bracket.
    """
    previous_end = 0
    for match in _GLOSS_AT_BRACKET.finditer(text):
        start = match.start()
        if start > previous_end and text[start - 1] in " \t":
            start -= 1
        previous_end = match.end()
        yield start, previous_end, match.group("latin")


def _fold(latin: str) -> str:
    """Lower-case, drop tone marks, and merge ü/v into u: glosses come in all these spellings."""
    decomposed = unicodedata.normalize("NFD", latin.lower())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("v", "u")


@lru_cache(maxsize=65536)
def readings(char: str) -> frozenset[str]:
    """Every toneless reading pypinyin knows for ``char`` (Traditional via its Simplified form).

    Read from pypinyin's character table (``lexicon.pinyin_readings``): the same readings as
    ``pypinyin.pinyin(char, style=Style.TONE, heteronym=True)``, without importing pypinyin.
    """
    found = {_fold(r) for r in pinyin_readings().get(char).split(",") if r}
    if not found:
        simplified = opencc_t2s(char)
        if simplified != char:
            return readings(simplified)
    if "er" in found:
        found.add("r")  # erhua: 一点儿(yīdiǎnr)
    return frozenset(found)


@cache
def syllables() -> frozenset[str]:
    """Every toneless syllable pypinyin knows (``xin``, ``zhuang``, ``lu``): what a gloss is made of."""
    return frozenset(_fold(r) for r in pinyin_readings().syllables())


def is_syllable(latin: str) -> bool:
    """Does ``latin`` (tone marks or not) spell one pinyin syllable?"""
    return _fold(latin) in syllables()


_HAN_CLASS = r"\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff\U00020000-\U0003134f"  # URO, Ext. A, compatibility, Ext. B-G
# The Han characters a gloss may spell: the run (at most MAX_GLOSS_SYLLABLES long) that ends where
# the search ends; a regex, not a character loop, as it runs once per parenthesis in the text.
_HAN_SUFFIX = re.compile(f"[{_HAN_CLASS}]{{0,{MAX_GLOSS_SYLLABLES}}}\\Z")


@lru_cache(maxsize=1 << 14)
def glossed_length(han: str, latin: str) -> int:
    """How many trailing characters of ``han`` the Latin string spells (0: it is not a gloss).

    Matches syllables right to left against each character's readings; spaces or apostrophes in
    the gloss must fall between syllables. Memoized over (characters, position): linear in input.
    """
    chunks = [c for c in _SEPARATORS.split(_fold(latin)) if c]
    spelled = "".join(chunks)
    if not spelled or not spelled.isascii() or not spelled.isalpha():
        return 0
    cuts, total = set(), 0
    for chunk in chunks:
        total += len(chunk)
        cuts.add(total)
    seen: set[tuple[int, int]] = set()
    stack = [(0, len(spelled))]
    while stack:
        used, pos = stack.pop()
        if (used, pos) in seen or used >= len(han):
            continue
        seen.add((used, pos))
        for reading in readings(han[-1 - used]):
            start = pos - len(reading)
            if start < 0 or spelled[start:pos] != reading or any(start < c < pos for c in cuts):
                continue
            if start == 0:
                return used + 1
            stack.append((used + 1, start))
    return 0


def _is_romanised_name(latin: str) -> bool:
    """``Xi Jinping``, ``Taiyuan``: capitalised and without tone marks, the way a text spells a name in
    English on purpose; mirrors gloss in lower case or with tones (``Xī'ān``)."""
    words = re.split(r"[ '’-]+", latin.strip())
    return latin.isascii() and all(w[:1].isupper() and (len(w) == 1 or w[1:].islower()) for w in words if w)


def _found_glosses(text: str, kept: frozenset[int]) -> list[tuple[int, int, str, str]]:
    """(start, end, latin, the characters it spells) of every gloss, read left to right on the text as cleaned so
    far (a removed gloss is gone when the next one is read: ``文化(wénhuà)(wénhuà)``); glosses starting at an
    offset in ``kept`` stay in the text."""
    found: list[tuple[int, int, str, str]] = []
    out_tail = ""  # the last MAX_GLOSS_SYLLABLES characters of the cleaned text so far
    kept_until = 0  # text[:kept_until] is already read into ``out_tail``
    han_suffix = _HAN_SUFFIX.search  # this loop runs once per parenthesis: keep it lean
    for start, end, latin in _glosses(text):
        between = ""  # text[kept_until:start], when the characters before reach into cleaned text
        if start - MAX_GLOSS_SYLLABLES >= kept_until:
            han = han_suffix(text, start - MAX_GLOSS_SYLLABLES, start).group()  # type: ignore[union-attr]
        else:
            between = text[kept_until:start]
            han = han_suffix((out_tail + between)[-MAX_GLOSS_SYLLABLES:]).group()  # type: ignore[union-attr]
        covered = glossed_length(han, latin) if han and not _is_romanised_name(latin) else 0
        if not covered and not han and (text[start - 1] if start > kept_until else out_tail[-1:]) == LOST \
                and is_syllable(latin):
            covered = 1  # ``�(xiàn)``: the gloss of a character a GBK garble lost
        if not covered or start in kept:
            continue
        if start > kept_until:
            piece = between or text[kept_until:start]
            out_tail = (out_tail + piece[-MAX_GLOSS_SYLLABLES:])[-MAX_GLOSS_SYLLABLES:]
        found.append((start, end, latin, han[-covered:] if han else LOST))
        kept_until = end
    return found


# A field with fewer glosses than this is no gloss tool's output: its romanisations are the text's own.
MIN_TOOL_GLOSSES = 3
# A reading other than the default, given this many times to the same character beside a tool's glosses, is the
# tool's reading of it.
MIN_TOOL_REPEATS = 3


def _default_reading(char: str) -> str:
    """The reading pypinyin gives ``char`` out of context (its first), toneless; "" when it knows none."""
    found = pinyin_readings().get(char) or pinyin_readings().get(opencc_t2s(char))
    return _fold(found.split(",")[0]) if found else ""


def _is_deliberate(han: str, latin: str) -> bool:
    """A one-character gloss in a reading other than the character's default (阿(ē), 百(bó), 沌(zhuàn)).

    A mirror's gloss tool writes default readings: over 700 one-character glosses of real mirror pages
    (tests/realtext) held not one other reading, while a text about pronunciation gives exactly those.
    """
    return len(han) == 1 and _default_reading(han) not in ("", _fold(latin).strip())


def _is_romanisation(han: str, latin: str) -> bool:
    """``华为(huawei)``: a word written out in Latin letters, toneless and unbroken, as a brand or place name is;
    a gloss tool writes tones (or at least syllables) and glosses many words."""
    return len(han) >= 2 and latin.isascii() and latin.isalpha() and latin.islower()


def _content_glosses(text: str, found: list[tuple[int, int, str, str]]) -> frozenset[int]:
    """Starts of the glosses that are the text's content, not a mirror's: deliberate readings and, in a
    paragraph holding two of them (a list of place names and their readings), every gloss of it; and
    romanisations, in a field with too few glosses to be a tool's."""
    kept: set[int] = set()
    deliberate = [_is_deliberate(han, latin) for _, _, latin, han in found]
    if any(deliberate) and len(found) - sum(deliberate) >= MIN_TOOL_GLOSSES:
        # A tool whose reading of a character is not pypinyin's first (長(cháng) for 长 in 部長(cháng)) writes it
        # every time; a text about readings names one a time or two. Beside a tool's default glosses, the same
        # character with the same reading MIN_TOOL_REPEATS times is the tool's.
        repeats = Counter((han, _fold(latin).strip()) for _, _, latin, han in found)
        deliberate = [d and repeats[(han, _fold(latin).strip())] < MIN_TOOL_REPEATS
                      for d, (_, _, latin, han) in zip(deliberate, found, strict=True)]
    if any(deliberate):
        lines: dict[int, list[int]] = {}
        for index, (start, *_) in enumerate(found):
            lines.setdefault(text.count("\n", 0, start), []).append(index)
        for members in lines.values():
            listed = sum(deliberate[i] for i in members)
            for i in members:
                if deliberate[i] or listed >= 2:
                    kept.add(found[i][0])
    if len(found) < MIN_TOOL_GLOSSES:
        kept.update(start for start, _, latin, han in found if _is_romanisation(han, latin))
    return frozenset(kept)


def strip_pinyin_glosses(text: str) -> StepResult:
    """Remove parenthesized romanizations that spell the Han characters before them.

    Counts ``{"glosses": n}``. The characters a gloss must spell are read from the text as already
    cleaned, so repeated glosses (``文化(wénhuà)(wénhuà)``) go too. Readings that are the text's content stay:
    see ``_content_glosses``.
    """
    found = _found_glosses(text, frozenset())
    if not found:
        return unchanged(text)
    kept = _content_glosses(text, found)
    if kept:
        found = _found_glosses(text, kept)
        if not found:
            return unchanged(text)
    out: list[str] = []
    kept_until = 0
    for start, end, _, _ in found:
        out.append(text[kept_until:start])
        kept_until = end
    out.append(text[kept_until:])
    removed = [han + text[start:end].strip() for start, end, _, han in found[:MAX_SAMPLES]]
    return StepResult("".join(out), {"glosses": len(found)}, samples_of(removed))


_RUBY = re.compile(r"<ruby\b[^<>]{0,100}>((?:[^<]|<(?!/?ruby\b)){0,300}?)</ruby\s*>", re.IGNORECASE)
_RUBY_ANNOTATION = re.compile(r"<(rt|rp)\b[^<>]{0,100}>[^<]{0,60}</\1\s*>", re.IGNORECASE)
_RUBY_TAG = re.compile(r"</?(?:ruby|rb|rt|rp|rtc)\b[^<>]{0,100}>", re.IGNORECASE)
MAX_RUBY_PASSES = 20  # removing tags can expose nested ones; real leaks settle in one or two passes


def _strip_ruby_once(text: str, samples: list[str]) -> tuple[str, int]:
    """One pass: whole ``<ruby>`` elements to their base, stray annotations out, then lone tags out."""
    def base(match: re.Match[str]) -> str:
        samples.append(match.group())
        return _RUBY_TAG.sub("", _RUBY_ANNOTATION.sub("", match.group(1)))

    cleaned, elements = _RUBY.subn(base, text)
    cleaned, stray = _RUBY_ANNOTATION.subn("", cleaned)
    cleaned, lone = _RUBY_TAG.subn("", cleaned)
    return cleaned, elements + stray + lone


def strip_ruby_text(text: str) -> StepResult:
    """Reduce literal ``<ruby>康<rp>(</rp><rt>kāng</rt><rp>)</rp></ruby>`` to its base text ``康``.

    Counts ``{"ruby": n}``: elements, stray ``<rt>``/``<rp>`` annotations and leftover ruby tags
    removed. Repeats while a pass exposes new markup, so a second call changes nothing.
    """
    if "<" not in text:
        return unchanged(text)
    samples: list[str] = []
    cleaned, total = text, 0
    for _ in range(MAX_RUBY_PASSES):
        cleaned, removed = _strip_ruby_once(cleaned, samples)
        if not removed:
            break
        total += removed
    if cleaned == text:
        return unchanged(text)
    return StepResult(cleaned, {"ruby": total}, samples_of(samples))
