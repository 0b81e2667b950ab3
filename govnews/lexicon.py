"""jieba's dictionary as a plain word list: 349,000 words with frequency and part of speech.

The cleaning steps need to know what is a word of Chinese (names must not be words; 著 stays 著 only in
words such as 著名 or 土著). jieba's ``dict.txt`` is the best-kept general list available offline; it
is read directly (jieba itself is never imported or initialised), by whoever needs a part of it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path


def jieba_dictionary() -> Iterator[tuple[str, int, str]]:
    """(word, frequency, part of speech) for every entry; nothing when jieba is not installed."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        return
    with (Path(spec.origin).parent / "dict.txt").open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                yield parts[0], int(parts[1]), parts[2]
