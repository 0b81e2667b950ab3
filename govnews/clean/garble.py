"""Repair GBK byte loss: a lost lead byte that shifted the pairing of the bytes after it.

When one lead byte of a GBK double-byte character is lost (it shows up as ``?``), every later byte
pairs with the wrong neighbour until an ASCII byte re-aligns the stream: ``罪人。”時任`` (GBK
``… A1A3 A1B1 9572 …``) reads ``罪人?！睍r任``. Re-encoding the garbled run to GBK and putting a
lead byte back in front recovers the text. A repair is kept only when a character-frequency model
finds the result clearly more plausible than the garble, so normal text is never touched.

A character that lost a byte (the lead byte itself, or a trail byte the broken decoder swallowed
into U+FFFD) is restored only when it is punctuation in a telling context (``。`` before ``”``);
otherwise it becomes U+FFFD: among ~100 candidates a guessed Han character is usually wrong.

Speed: every ``?`` is judged on the short window of text the judgement reads (where its run ends
is found by one regex), and judgements are cached by window, so clean stretches cost nothing and
adversarial text that repeats one garble costs a dictionary lookup per ``?``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain, pairwise
from pathlib import Path

from govnews.clean.base import MAX_SAMPLES, StepResult, samples_of, unchanged
from govnews.clean.script import traditional_characters
from govnews.lexicon import PairSet, jieba_dictionary, package_file, pinyin_phrases

REPLACEMENT = "\ufffd"
TRIGGER = "?"  # what a lost lead byte turns into
MAX_RUN = 4000  # characters of one garbled run we look at; a run is cut there
MIN_GAIN = 2.0  # a repair must beat the garble by this much per character (log-frequency units)
MIN_PLAUSIBLE = -7.5  # ...and read like ordinary text on average
MARKED_MIN_GAIN = -1.0  # the bar when the run ends in the decoder's U+FFFD (strong evidence already)
WORD_WEIGHT = 6.0  # weight of the share of adjacent pairs found in word lists
GARBLED_BELOW = -9.0  # a trigger run this implausible is counted as garbled even if not repaired

# Full-width marks a half-width normaliser folds to ASCII; inside a garbled run they are GBK A3xx pairs.
FOLDED = {c: chr(ord(c) + 0xFEE0) for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"}
MIN_FOLDED_SCORE = -7.0  # ``??h``: the character it recovers must be at least this ordinary
TAIL_READ = 24  # characters read past a run's stretch (an ASCII trail, a mark, a leaked tag, a short gloss)
_LEAKED_TAG = re.compile(r"/[a-zA-Z]{1,8}>")
_GLOSS_AT = re.compile(r"[(（][a-zA-Z\u00c0-\u024f\u0300-\u036f' ]{1,40}[)）]")
# A mirror's gloss of one or two syllables, skipped to find the character after a run (bounded: see TAIL_READ).
_SHORT_GLOSS_AT = re.compile(r"[(（][a-zA-Z\u00c0-\u024f\u0300-\u036f']{1,12}[)）]")
# A mirror's gloss that lost its ``(`` together with the garbled character before it: ``?fàn)``.
_GLOSS_REMNANT = re.compile(r"\?(?P<syllable>[a-z\u00e0-\u01dc\u0300-\u036f]{1,8})\)(?=[^\x00-\x7f]|\?)")
COMMON_PUNCTUATION = frozenset("、。·—…‘’“”〔〕《》「」『』【】！（），：；？％")


@dataclass(frozen=True)
class _Run:
    """One garbled run ``text[start:end]`` and what it should read."""

    start: int
    end: int
    repaired: str | None  # None: looked garbled, but no repair was convincing


@lru_cache(maxsize=1 << 16)
def _gbk_pair(char: str) -> bytes | None:
    """The two GBK bytes of ``char``, or None when it is not a GBK double-byte character."""
    try:
        encoded = char.encode("gbk")
    except UnicodeEncodeError:
        return None
    return encoded if len(encoded) == 2 else None


@lru_cache(maxsize=1 << 16)
def _decode_pair(lead: int, trail: int) -> str | None:
    try:
        char = bytes((lead, trail)).decode("gbk")
    except UnicodeDecodeError:
        return None
    return char if len(char) == 1 else None


def _t2s_table() -> dict[str, str]:
    return traditional_characters()


def _st_phrases() -> Iterator[str]:
    """The Simplified phrases of OpenCC's STPhrases table (its keys), read line by line."""
    import opencc

    with (Path(opencc.__file__).resolve().parent / "dictionary" / "STPhrases.txt").open(encoding="utf-8") as lines:
        for line in lines:
            yield line.partition("\t")[0].rstrip("\n")


def _is_level1(char: str) -> bool:
    """GB2312 level 1: the 3,755 common characters (lead bytes 0xB0-0xD7)."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@cache
def _common_word_chars() -> frozenset[str]:
    """The GB2312 level-1 characters that occur in a word of the offline word lists (pypinyin's, OpenCC's).

    ``char_score`` asks only about level-1 characters, and these are all Han, which pypinyin's phrase file
    holds only in its keys (its values are readings): the file's characters answer without parsing it. This
    runs for every article (the quality gate scores text), so the files are read in pieces, never whole.
    """
    found: set[str] = set()
    path = package_file("pypinyin", "phrases_dict.json")
    if path is not None:
        with path.open(encoding="utf-8") as data:
            while chunk := data.read(1 << 16):
                found.update(chunk)
    for word in _st_phrases():
        found.update(word)
    return frozenset(c for c in found if _is_level1(c))


MIN_JIEBA_FREQUENCY = 3  # jieba words rarer than this (typos, odd compounds) vouch for no character pair


MIN_STANDALONE_FREQUENCY = 200_000  # jieba's commonest one-character words (的 是 这 在 …) need no neighbour


@cache
def _standalone_words() -> frozenset[str]:
    """The 22 one-character words of jieba's dictionary common enough to stand between any two words."""
    return frozenset(word for word, freq, _ in jieba_dictionary()
                     if len(word) == 1 and freq >= MIN_STANDALONE_FREQUENCY)


@cache
def _word_pairs() -> PairSet:
    """Adjacent character pairs of the offline word lists: pypinyin's, OpenCC's and jieba's (only garble needs them).

    The words are streamed from the packages' data files and the pairs kept compactly (``lexicon.PairSet``),
    not the 60 MB of importing pypinyin's phrase table.
    """
    pairs = PairSet()
    jieba_words = (word for word, freq, _ in jieba_dictionary() if freq >= MIN_JIEBA_FREQUENCY)
    for word in chain(pinyin_phrases(), _st_phrases(), jieba_words):
        pairs.update(word[i:i + 2] for i in range(len(word) - 1))
    return pairs


@lru_cache(maxsize=65536)
def char_score(char: str) -> float:
    """Rough log-frequency of a character in Chinese news text (higher is more common).

    Tiers: common punctuation, GB2312 level 1 (the 3,755 common characters), level 2, Traditional
    characters scored as their Simplified form, other GBK characters, then symbols, kana, Cyrillic,
    private-use and U+FFFD, which garbles produce and news text rarely has.
    """
    if char in COMMON_PUNCTUATION:
        return -3.0
    if char.isascii():
        return -4.0
    simplified = _t2s_table().get(char)
    if simplified is not None and simplified != char:
        return char_score(simplified) - 1.0
    try:
        lead = char.encode("gb2312")[0]
    except UnicodeEncodeError:
        return -12.0 if "\u4e00" <= char <= "\u9fff" else -14.0
    if 0xB0 <= lead <= 0xD7:
        return -5.0 if char in _common_word_chars() else -6.0
    if 0xD8 <= lead <= 0xF7:
        return -9.0
    return -8.0 if lead in (0xA1, 0xA3) else -11.0


def _mean_score(chars: str) -> float:
    scored = [char_score(c) for c in chars if not c.isascii()]
    return sum(scored) / len(scored) if scored else 0.0


SENTENCE_END = frozenset("。！？")
CLOSING_QUOTES = frozenset("”’」』")


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or char in _t2s_table()


def _punctuation_fits(char: str, before: str, after: str, at_end_ok: bool = True) -> bool:
    """Punctuation contexts specific enough that a Han character is very unlikely to fit them.

    ``at_end_ok``: the end of a paragraph counts as telling context (not when choosing among
    punctuation marks, where 。 and ” both end paragraphs).
    """
    paragraph_end = at_end_ok and after in ("", "\n", "\r")
    if char in SENTENCE_END:
        return _is_han(before) and (after in CLOSING_QUOTES or paragraph_end)
    if char in CLOSING_QUOTES:
        return before in SENTENCE_END and (after in "，。" or paragraph_end)
    return False


def _guess_lost_lead(trail: int, before: str, after: str) -> str:
    """The character whose lead byte became ``?``: punctuation only (lead 0xA1, then 0xA3), and only in a
    telling context (``。`` before ``”``); otherwise U+FFFD.

    The lead byte leaves no trace, so a Han character cannot be told from its ~100 alternatives. A mark
    guessed from where marks usually stand (、 between two Han characters, “ before one) was wrong four times
    in ten on real paragraphs (``bench/garble_marks.py``); in the telling contexts it was always right.
    """
    marks = [c for c in (_decode_pair(0xA1, trail), _decode_pair(0xA3, trail)) if c in COMMON_PUNCTUATION]
    if len(marks) != 1:
        return REPLACEMENT
    return marks[0] if _punctuation_fits(marks[0], before, after) else REPLACEMENT


def _guess_lost_trail(lead: int, next_byte: int | None, before: str, after: str) -> str:
    """The character whose trail byte the decoder swallowed: only punctuation, in telling context."""
    fitting = [c for c in _trail_candidates(lead, next_byte) if _punctuation_fits(c, before, after, at_end_ok=False)]
    return fitting[0] if len(fitting) == 1 else REPLACEMENT


@lru_cache(maxsize=1 << 14)
def _trail_candidates(lead: int, next_byte: int | None) -> tuple[str, ...]:
    """Characters whose trail byte the decoder could have swallowed into U+FFFD before ``next_byte``.

    An ASCII trail would have survived as a letter, and a byte that pairs validly with the next one
    would have been decoded with it, so both are excluded.
    """
    pairs_next = next_byte is not None and 0x40 <= next_byte <= 0xFE and next_byte != 0x7F
    found = []
    for trail in range(0x80, 0xFF):
        char = _decode_pair(lead, trail)
        if char is not None and not (pairs_next and _decode_pair(trail, next_byte or 0) is not None):
            found.append(char)
    return tuple(found)


@cache
def _stretch_pattern() -> re.Pattern[str]:
    """What ``_shifted_chars`` walks, as one regex: double-byte characters whose trail byte is not
    ASCII, then at most one whose trail byte is (it re-aligns the stream).

    Lets the scan find where a run ends at C speed, without a Python step per character.
    """
    high: list[str] = []
    low: list[str] = []
    for code in range(0x80, 0x10000):
        pair = _gbk_pair.__wrapped__(chr(code))  # uncached: this visits every character once
        if pair is not None:
            (low if pair[1] < 0x80 else high).append(chr(code))
    return re.compile(f"[{_char_class(high)}]*[{_char_class(low)}]?")


def _char_class(chars: list[str]) -> str:
    """A regex character class body for sorted ``chars``, as ranges."""
    ranges: list[tuple[str, str]] = []
    for char in chars:
        if ranges and ord(char) == ord(ranges[-1][1]) + 1:
            ranges[-1] = (ranges[-1][0], char)
        else:
            ranges.append((char, char))
    return "".join(re.escape(a) if a == b else f"{re.escape(a)}-{re.escape(b)}" for a, b in ranges)


def _shifted_chars(text: str, start: int) -> tuple[list[bytes], int]:
    """GBK pairs of the double-byte characters from ``start`` (at most MAX_RUN), and where they end."""
    pairs: list[bytes] = []
    end = start
    while end < len(text) and end - start < MAX_RUN:
        pair = _gbk_pair(text[end])
        if pair is None:
            break
        pairs.append(pair)
        end += 1
        if pair[1] < 0x80:  # an ASCII byte in lead position: the stream is aligned again
            break
    return pairs, end


def _realign(pairs: list[bytes]) -> tuple[list[str] | None, str, int]:
    """Re-pair the shifted bytes: characters 2..n, a trailing ASCII character, and the dangling lead.

    Returns (None, "", 0) when a re-paired character is not valid GBK: then it was no garble.
    """
    chars: list[str] = []
    for (_, lead), (trail, _) in pairwise(pairs):
        char = _decode_pair(lead, trail)
        if char is None:
            return None, "", 0
        chars.append(char)
    last = pairs[-1][1]
    return (chars, chr(last), 0) if last < 0x80 else (chars, "", last)


def _first_byte(char: str) -> int | None:
    if not char:
        return None
    if char.isascii():
        return ord(char)
    pair = _gbk_pair(char)
    return pair[0] if pair else None


def _glued(text: str, pos: int) -> bool:
    """Does a realigning ASCII character sit glued to CJK text (it ends at ``pos``)?

    A Latin letter between Chinese characters is a strong sign of a trail byte read as ASCII.
    """
    if pos < len(text) and text[pos] in "(（" and _GLOSS_AT.match(text, pos):
        return True  # ``睍r(shí)任``: the mirror glossed the character before the stream realigned
    # (a Latin letter with a tone mark, ``?gòu)``, is a gloss's, not CJK text)
    return pos >= len(text) or text[pos] in (TRIGGER, REPLACEMENT) or not (text[pos] <= "\u036f")


def _is_gbk_extension(char: str) -> bool:
    """A GBK double-byte character outside GB2312: in practice Traditional or rare."""
    if _gbk_pair(char) is None:
        return False
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def _lone_trail(text: str, trigger: int) -> bool:
    """``無?F``: the lead byte became ``?`` and its ASCII-range trail byte survived as a letter.

    Only GBK-extension characters have such trail bytes, so this is looked for only when some
    follow (Traditional script); ``吗?A股`` in Simplified text stays.
    """
    letter = text[trigger + 1]
    after = text[trigger + 2:trigger + 3]
    if not 0x40 <= ord(letter) < 0x7F or (trigger > 0 and text[trigger - 1].isascii()):
        return False
    if not (_glued(text, trigger + 2) or after.isdigit()):
        return False
    return any(_is_gbk_extension(c) for c in text[trigger + 2:trigger + 22])


def _repair_at(text: str, trigger: int) -> _Run | None:
    """Try to read ``text[trigger]`` as a lost lead byte; None when the text there is not garbled."""
    if text[trigger + 1] == REPLACEMENT:  # lead lost, trail undecodable: one character gone
        return _Run(trigger, trigger + 2, REPLACEMENT)
    pairs, end = _shifted_chars(text, trigger + 1)
    if not pairs:
        return None
    middle, ascii_tail, dangling = _realign(pairs)
    garbled = text[trigger + 1:end]
    if middle is None:
        return _unrepaired(trigger, end, garbled)
    if ascii_tail and _glued(text, end) and (len(middle) < 2 or not _convincing("".join(middle), garbled, False)):
        # The repair would make the text read ``…h市``, a Latin letter or a symbol glued between Han characters:
        # far less likely than the text after ``?`` having been decoded right (``百?縣市``): nothing is re-paired.
        # Unless the run re-pairs into text that reads (``、心电图和腹部B超``: Latin letters in Chinese text are
        # common, B超, X光, A股), which a correctly decoded ``?⑿牡缤己透共緽超`` never does.
        return _unrepaired(trigger, end, garbled)
    last, recovered, marked = "", "", bool(ascii_tail) and _glued(text, end)
    if dangling:
        if end < len(text) and 0x40 <= ord(text[end]) < 0x7F:  # the trail byte survived as ASCII
            last = recovered = _decode_pair(dangling, ord(text[end])) or ""
            if not last:
                return _unrepaired(trigger, end, garbled)
            end += 1
            marked = _glued(text, end)
        else:
            # The decoder's mark for the lost trail: U+FFFD, or ``?`` when the byte after it was ASCII
            # and went with it (``?！?/p>``: the ``<`` of ``</p>`` was eaten; the rest of the tag goes too).
            marked = end < len(text) and text[end] in (REPLACEMENT, TRIGGER)
            end += marked
            if marked and (leaked := _LEAKED_TAG.match(text, end)):
                end = leaked.end()
    if not _convincing("".join(middle) + recovered, garbled, marked):
        return _unrepaired(trigger, end, garbled)
    if dangling and not recovered:
        after = text[end] if end < len(text) else ""
        last = _guess_lost_trail(dangling, _first_byte(after), middle[-1] if middle else "", after)
    before = text[trigger - 1] if trigger > 0 else ""
    following = ((middle[0] if middle else last) or ascii_tail)[:1]
    first = _guess_lost_lead(pairs[0][0], before, following)
    run = _uncertain_marked(first + "".join(middle) + last, before, _char_after(text, end))
    return _Run(trigger, end, run + ascii_tail)


def _char_after(text: str, pos: int) -> str:
    """The character of the text at ``pos``, past a mirror's short gloss there (``時(shí)任``: 任)."""
    gloss = _SHORT_GLOSS_AT.match(text, pos)
    if gloss:
        pos = gloss.end()
    return text[pos] if pos < len(text) else ""


def _uncertain_marked(run: str, before: str, after: str) -> str:
    """A re-paired run with each doubtful character replaced by U+FFFD.

    Re-pairing is only right when no byte pair went missing inside the run; when one did
    (``?。ㄈ┯嘘P`` lost the pair of 三 and ）), wrong characters come out (醛), and they are often common
    ones (曲沃 read as 侵). So a re-paired Han character stays only when it makes a word with a neighbour as the
    run finally reads (a pair of the offline word lists) or is one of the commonest one-character words (这, 的),
    a re-paired mark only when it is a common one;
    anything else is marked, not guessed. Marking one character takes its evidence from its neighbours, so
    this repeats until nothing changes.
    """
    chars = list(run)
    pairs = _word_pairs()
    changed = True
    while changed:
        changed = False
        for i, char in enumerate(chars):
            if char == REPLACEMENT or char.isascii():
                continue
            if _is_han(char):
                simple = _simplified(char)
                left = _simplified(chars[i - 1] if i else before)
                right = _simplified(chars[i + 1] if i + 1 < len(chars) else after)
                keep = left + simple in pairs or simple + right in pairs or simple in _standalone_words()
            else:
                keep = char in COMMON_PUNCTUATION
            if not keep:
                chars[i] = REPLACEMENT
                changed = True
    return "".join(chars)


def _simplified(text: str) -> str:
    table = _t2s_table()
    return "".join(table.get(c, c) for c in text)


def _word_rate(text: str) -> float:
    """Share of adjacent character pairs that occur inside a known word: garbles have almost none."""
    simplified = _simplified(text)
    if len(simplified) < 2:
        return 0.0
    pairs = _word_pairs()
    hits = sum(simplified[i:i + 2] in pairs for i in range(len(simplified) - 1))
    return hits / (len(simplified) - 1)


def _plausibility_gain(repaired: str, garbled: str) -> float:
    unigram = _mean_score(repaired) - _mean_score(garbled)
    return unigram + WORD_WEIGHT * (_word_rate(repaired) - _word_rate(garbled))


def _convincing(repaired: str, garbled: str, marked: bool) -> bool:
    """Is the repair clearly better than the garble? A decoder error mark lowers the bar.

    Only characters read off the text count, never guesses.
    """
    if not any(not c.isascii() for c in repaired):
        return marked or _mean_score(garbled) <= GARBLED_BELOW
    gain = _plausibility_gain(repaired, garbled)
    if marked:
        return gain >= MARKED_MIN_GAIN
    return gain >= MIN_GAIN and _mean_score(repaired) >= MIN_PLAUSIBLE


def _unrepaired(trigger: int, end: int, garbled: str) -> _Run | None:
    if len(garbled) >= 2 and _mean_score(garbled) <= GARBLED_BELOW:
        return _Run(trigger, end, None)
    return None


def _evaluate(view: str, trigger: int) -> _Run | None:
    char = view[trigger + 1]
    if char in FOLDED and _folded_start(view, trigger):
        # ``?；鶎…`` copied through a half-width normaliser reads ``?;鶎…``: pair the full-width form.
        if 0x40 <= ord(view[trigger + 2]) < 0x7F:
            return _repair_folded_pair(view, trigger)
        unfolded = view[:trigger + 1] + FOLDED[char] + view[trigger + 2:]
        return _repair_at(unfolded, trigger)
    if _lone_trail(view, trigger):
        return _Run(trigger, trigger + 2, REPLACEMENT)
    if char.isascii():
        return None
    return _repair_at(view, trigger)


def _repair_folded_pair(view: str, trigger: int) -> _Run | None:
    """``??h委`` / ``?,F將``: a lost lead byte, then a full-width mark folded to ASCII (？ A3BF, ， A3AC) whose
    trail byte pairs with the ASCII trail byte after it (``h``, ``F``) into the next character (縣, 現). The shape
    itself is the evidence; the recovered character must be an ordinary one (GB2312 or a Traditional form of
    one) and make a word with what follows, never a rare character."""
    trail = FOLDED[view[trigger + 1]].encode("gbk")[1]
    recovered = _decode_pair(trail, ord(view[trigger + 2]))
    if recovered is None or char_score(recovered) < MIN_FOLDED_SCORE:
        return None
    before = view[trigger - 1] if trigger > 0 else ""
    first = _guess_lost_lead(0xA3, before, recovered)
    return _Run(trigger, trigger + 3, _uncertain_marked(first + recovered, before, _char_after(view, trigger + 3)))


def _folded_start(view: str, trigger: int) -> bool:
    """Is the ASCII mark after ``?`` a folded full-width one that opens a shifted run?

    Only when a double-byte character follows it (``?;鶎``); or an ASCII trail byte glued to Han text or its
    gloss (``??h委``: ？ then 縣's trail ``h``; ``?,F(xiàn)將``: ， then 現's trail ``F``), in Traditional text,
    where characters with ASCII trail bytes are common; or the decoder's ``?`` for a lost trail, with the rest of
    the tag whose ``<`` it ate (``了?!?/p>``). ``吗?A股``, ``真的吗??A股``, ``真的吗?!?`` or ``??`` in prose stay.
    """
    nxt = view[trigger + 2:trigger + 3]
    if not nxt or trigger == 0:
        return False
    before = view[trigger - 1]
    if 0x40 <= ord(nxt) < 0x7F and nxt.isalpha():
        after = view[trigger + 3:trigger + 4]
        return (bool(after) and (_is_han(after) or bool(_SHORT_GLOSS_AT.match(view, trigger + 3)))
                and (_is_han(before) or before in ")）")  # after Han or its gloss
                and any(_is_gbk_extension(c) for c in view[trigger + 3:trigger + 23]))
    if view[trigger + 1] == TRIGGER:
        return False
    if nxt == TRIGGER:
        return _is_han(before) and bool(_LEAKED_TAG.match(view, trigger + 3))
    return not nxt.isascii() and _gbk_pair(nxt) is not None and (not before.isascii() or before in ")）")


def _head(pieces: list[str], size: int) -> str:
    """The first ``size`` characters of the processed text (``pieces`` holds it right to left).

    The small pieces read are merged into one, so the next call does not walk them again; a large
    piece is only read from, never copied whole.
    """
    merged: list[str] = []
    got = 0
    while pieces and got < size and len(pieces[-1]) <= 2 * size:
        got += len(pieces[-1])
        merged.append(pieces.pop())
    joined = "".join(merged)
    head = joined + pieces[-1][:size - got] if got < size and pieces else joined
    if merged:
        pieces.append(joined)
    return head[:size]


LOOKAHEAD = 64  # processed characters fetched first: enough unless a double-byte stretch runs on


def _needed_end(view: str, trigger: int, end: int, complete: bool) -> int | None:
    """How far past ``view[trigger]`` (a ``?``) judging it reads: ``_evaluate`` never looks further.

    ``view[:end]`` is what is known so far (``complete``: all there is). None: not enough known yet.
    """
    if trigger + 1 >= end:
        return end if complete else None
    char = view[trigger + 1]
    needed = trigger + (24 if 0x40 <= ord(char) < 0x7F or char in FOLDED else 3)  # 20 characters of context
    if not char.isascii() or char in FOLDED:
        stop = trigger + 1 + MAX_RUN  # (conditionals, not min/max: this runs once per ``?``)
        first = trigger + 1 if not char.isascii() else trigger + 2
        stretch_end = _stretch_pattern().match(view, first, stop if stop < end else end).end()  # type: ignore[union-attr]
        if stretch_end + TAIL_READ > needed:  # _repair_at reads a few characters past the stretch
            needed = stretch_end + TAIL_READ
    if needed > end:
        return end if complete else None
    return needed


def _window(text: str, trigger: int, boundary: int, processed: list[str]) -> tuple[str, int]:
    """The part of the final text that judging ``text[trigger]`` reads, and where ``?`` sits in it.

    The final text is ``text[:boundary]`` followed by the processed pieces. Judging reads the
    character before ``?`` and at most MAX_RUN + 2 after it, usually far fewer: cutting the view
    there changes no decision and lets equal windows share one cached judgement.
    """
    start = trigger - 1 if trigger else 0
    cap = trigger + MAX_RUN + 2
    local_end = boundary if boundary < cap else cap
    needed = _needed_end(text, trigger, local_end, local_end == cap or local_end == len(text))
    if needed is not None:
        return text[start:needed], trigger - start
    rest = cap - local_end  # how many processed characters the view can hold
    head = _head(processed, min(LOOKAHEAD, rest))
    view = text[start:local_end] + head
    needed = _needed_end(view, trigger - start, len(view), len(head) < min(LOOKAHEAD, rest) or rest <= LOOKAHEAD)
    if needed is None:
        view = text[start:local_end] + _head(processed, rest)
        needed = _needed_end(view, trigger - start, len(view), True)
    return view[:needed], trigger - start


MAX_CACHED_WINDOW = 256  # longer windows are rare and cost as much to hash as to judge
_evaluate_cached = lru_cache(maxsize=1 << 13)(_evaluate)  # adversarial text repeats its windows


def _evaluate_window(window: str, trigger: int) -> _Run | None:
    """``_evaluate``, remembered for short windows (bounded memory)."""
    if len(window) <= MAX_CACHED_WINDOW:
        return _evaluate_cached(window, trigger)
    return _evaluate(window, trigger)


def _drop_head(pieces: list[str], count: int) -> None:
    while count > 0 and pieces:
        piece = pieces.pop()
        if len(piece) > count:
            pieces.append(piece[count:])
        count -= len(piece)


def _scan(text: str) -> tuple[str, list[tuple[int, int, str | None]]]:
    """Repair runs right to left: the repaired text, and (start, end, replacement) of each run.

    Right to left, each ``?`` is judged against text that is already final on its right, exactly
    what a second pass would see: that makes the step idempotent.
    """
    processed: list[str] = []  # final text right of ``boundary``, rightmost piece first
    boundary = len(text)
    spans: list[tuple[int, int, str | None]] = []
    trigger = text.rfind(TRIGGER)
    while trigger >= 0:
        window, offset = _window(text, trigger, boundary, processed)
        run = _evaluate_window(window, offset) if len(window) > offset + 1 else None
        if run is not None:
            end = trigger + run.end - offset
            spans.append((trigger, min(end, boundary), run.repaired))
            if run.repaired is not None:
                if end > boundary:
                    _drop_head(processed, end - boundary)
                elif end < boundary:
                    processed.append(text[end:boundary])
                processed.append(run.repaired)
                boundary = trigger
        trigger = text.rfind(TRIGGER, 0, trigger)
    spans.reverse()
    return text[:boundary] + "".join(reversed(processed)), spans


def _drop_gloss_remnants(text: str) -> tuple[str, list[int]]:
    """``?gòu)`` -> ``?``: a garbled character and the ``(`` of the gloss the mirror gave it were lost together.

    Only a real pinyin syllable counts (``他说?fine)`` stays). Returns the text and where the ``?`` left for
    each remnant stands in it: that character is lost whether or not a run can be re-paired from there.
    """
    from govnews.clean.pinyin import is_syllable

    out: list[str] = []
    marks: list[int] = []
    pos = length = 0
    for match in _GLOSS_REMNANT.finditer(text):
        if not is_syllable(match["syllable"]):
            continue
        out.append(text[pos:match.start()])
        length += match.start() - pos
        marks.append(length)
        out.append(TRIGGER)
        length += 1
        pos = match.end()
    if not marks:
        return text, []
    out.append(text[pos:])
    return "".join(out), marks


def _mark_lost(text: str, marks: list[int], spans: list[tuple[int, int, str | None]]) -> str:
    """U+FFFD for each remnant ``?`` (at ``marks`` before the scan) that no re-paired run took in; next to
    another such mark it only widens the hole, so adjacent ones become one."""
    rewritten = [(start, end, new) for start, end, new in spans if new is not None]
    chars = list(text)
    shift, index, last = 0, 0, -2
    for mark in marks:
        while index < len(rewritten) and rewritten[index][1] <= mark:
            start, end, new = rewritten[index]
            shift += len(new or "") - (end - start)
            index += 1
        if index < len(rewritten) and rewritten[index][0] <= mark:
            continue  # inside a re-paired run
        at = mark + shift
        if 0 <= at < len(chars) and chars[at] == TRIGGER:
            chars[at] = "" if last == at - 1 else REPLACEMENT
            last = at
    return "".join(chars)


def repair_gbk_garble(text: str) -> StepResult:
    """Undo GBK lead-byte loss; counts ``{"repaired_runs": n, "partial_runs": p, "unrepaired_runs": m}``.

    A partial run was rewritten but still holds U+FFFD (a character that could not be recovered);
    unrepaired runs are left as they are (``garbled_ratio`` measures them).
    """
    if TRIGGER not in text:
        return unchanged(text)
    original = text
    text, marks = _drop_gloss_remnants(text)
    repaired_text, spans = _scan(text)
    if not spans and not marks:
        return unchanged(original)
    if marks:
        marked = _mark_lost(repaired_text, marks, spans)
        if marked != repaired_text:  # a U+FFFD can change how a ``?`` before it reads: settle as a second call would
            repaired_text = repair_gbk_garble(marked).text
    rewritten = [(start, end, new) for start, end, new in spans if new is not None]
    partial = sum(REPLACEMENT in new for _, _, new in rewritten)
    counts = {"repaired_runs": len(rewritten) - partial, "partial_runs": partial,
              "unrepaired_runs": len(spans) - len(rewritten), "gloss_remnants": len(marks)}
    samples = [f"{text[start:end]}→{new}" for start, end, new in rewritten[:MAX_SAMPLES]]
    return StepResult(repaired_text, {k: v for k, v in counts.items() if v}, samples_of(samples))


def garbled_ratio(text: str) -> float:
    """Share of ``text`` (in characters) inside garbled runs, repairable or not."""
    if TRIGGER not in text:
        return 0.0
    _, spans = _scan(text)
    return sum(end - start for start, end, _ in spans) / len(text)
