"""Word lists and readings of installed packages, read from their data files without importing them.

The cleaning steps need to know what is a word of Chinese (names must not be words; 著 stays 著 only in
words such as 著名 or 土著) and how a character is read (a gloss must spell the characters before it).
jieba's ``dict.txt`` (349,000 words with frequency and part of speech) and pypinyin's ``pinyin_dict.json``
(the readings of 42,000 characters) and ``phrases_dict.json`` (47,000 phrases) are the best-kept lists
available offline. They are read directly, by whoever needs a part of them: importing jieba initialises a
segmenter, and importing pypinyin loads its whole phrase table (55 MB of a crawl's memory) before the
first page; what govnews keeps is a small fraction of either.
"""

from __future__ import annotations

import importlib.util
import json
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path


def package_file(package: str, name: str) -> Path | None:
    """A data file inside an installed package, found without importing the package (None: not installed)."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / name


def jieba_dictionary() -> Iterator[tuple[str, int, str]]:
    """(word, frequency, part of speech) for every entry; nothing when jieba is not installed."""
    path = package_file("jieba", "dict.txt")
    if path is None:
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                yield parts[0], int(parts[1]), parts[2]


# One entry of pypinyin's pinyin_dict.json: ``"12295": "líng,yuán,xīng",`` (code point, readings).
_READING_ENTRY = re.compile(r'^"(\d+)": "([^"\\]*)",?$', re.MULTILINE)


class Readings:
    """pypinyin's readings of each character, compactly: code points in one array, readings in one string.

    ``get(char)`` is what ``pypinyin.pinyin(char, style=Style.TONE, heteronym=True)`` returns for a single
    character, as a comma-separated string ("" for a character it does not know): a test checks every
    character against pypinyin itself.
    """

    def __init__(self, entries: Iterable[tuple[int, str]]) -> None:
        ordered = sorted(entries)
        self._codes = array("I", (code for code, _ in ordered))
        self._text = "\n".join(value for _, value in ordered)
        self._starts = array("I")
        position = 0
        for _, value in ordered:
            self._starts.append(position)
            position += len(value) + 1

    def __len__(self) -> int:
        return len(self._codes)

    def syllables(self) -> frozenset[str]:
        """Every reading of every character, as pypinyin writes them (with tone marks)."""
        return frozenset(re.split("[,\n]", self._text)) - {""}

    def get(self, char: str) -> str:
        if len(char) != 1:
            return ""
        code = ord(char)
        i = bisect_left(self._codes, code)
        if i == len(self._codes) or self._codes[i] != code:
            return ""
        start = self._starts[i]
        end = self._text.find("\n", start)
        return self._text[start:end if end >= 0 else len(self._text)]


@cache
def pinyin_readings() -> Readings:
    """pypinyin's character readings (its ``pinyin_dict.json``); empty when pypinyin is not installed."""
    path = package_file("pypinyin", "pinyin_dict.json")
    if path is None:
        return Readings(())
    text = path.read_text(encoding="utf-8")
    return Readings((int(m[1]), m[2]) for m in _READING_ENTRY.finditer(text))


# A key of pypinyin's phrases_dict.json: ``"一丁不识": [`` on a line of its own.
_PHRASE_KEY = re.compile(r'^("(?:[^"\\]|\\.)*"): \[$')


def pinyin_phrases() -> Iterator[str]:
    """The phrases of pypinyin's ``phrases_dict.json`` (its keys), without their readings, line by line."""
    path = package_file("pypinyin", "phrases_dict.json")
    if path is None:
        return
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.startswith('"') and (match := _PHRASE_KEY.match(line.rstrip("\n"))):
                yield json.loads(match[1])


class PairSet:
    """A set of two-character strings, held as one string of second characters per first character.

    The 108,000 adjacent pairs of the offline word lists take under 1 MB this way, where a ``set`` of
    ``str`` takes 15 MB; filling it creates no object per pair either, so loading it does not raise the
    process's peak memory. Membership is a dictionary lookup and a search in a short string.
    """

    def __init__(self, pairs: Iterable[str] = ()) -> None:
        self._after: dict[str, str] = {}
        self._size = 0
        self.update(pairs)

    def update(self, pairs: Iterable[str]) -> None:
        after = self._after
        for pair in pairs:
            if len(pair) != 2:
                continue
            seconds = after.get(pair[0], "")
            if pair[1] not in seconds:
                after[pair[0]] = seconds + pair[1]
                self._size += 1

    def __len__(self) -> int:
        return self._size

    def __contains__(self, pair: object) -> bool:
        return isinstance(pair, str) and len(pair) == 2 and pair[1] in self._after.get(pair[0], "")


class WordSet:
    """A set of words, held as one ``"\\nrest\\nrest\\n"`` string per first character.

    jieba's 24,000 words that open with a surname take 0.2 MB this way, where a ``frozenset`` takes 4 MB;
    membership is a dictionary lookup and a search in one short string. Words must not hold a newline.
    """

    def __init__(self, words: Iterable[str] = ()) -> None:
        self._groups: dict[str, str] = {}
        self._size = 0
        for word in words:
            self.add(word)

    def add(self, word: str) -> None:
        if not word or "\n" in word:
            raise ValueError(f"not a word: {word!r}")
        group = self._groups.get(word[0], "\n")
        if f"\n{word[1:]}\n" not in group:
            self._groups[word[0]] = f"{group}{word[1:]}\n"
            self._size += 1

    def __len__(self) -> int:
        return self._size

    def __contains__(self, word: object) -> bool:
        return (isinstance(word, str) and bool(word) and "\n" not in word
                and f"\n{word[1:]}\n" in self._groups.get(word[0], ""))

