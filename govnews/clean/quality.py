"""Quality gate: why a cleaned article is not worth exporting, or None to keep it.

Each reason is a stats key (``govnews/dropped/<reason>``), so the names are snake_case and stable:

- ``empty_text``: no body, or fewer than ``MIN_HAN_CHARS`` Han characters (a picture page, a stub,
  an extraction that found only furniture);
- ``missing_title``: no headline;
- ``not_chinese``: a body without a single Han character (an English page, a file listing);
- ``mostly_garbled``: the body is largely GBK garble (``garbled_ratio`` above ``MAX_GARBLED_RATIO``),
  full of U+FFFD replacement characters, or mojibake from a wrong codec, so a reader would get noise.
"""

from __future__ import annotations

import re

from govnews.clean.garble import garbled_ratio
from govnews.encoding import plausibility
from govnews.items import Article

EMPTY_TEXT = "empty_text"
MISSING_TITLE = "missing_title"
NOT_CHINESE = "not_chinese"
MOSTLY_GARBLED = "mostly_garbled"
DROP_REASONS = (EMPTY_TEXT, MISSING_TITLE, NOT_CHINESE, MOSTLY_GARBLED)

MIN_HAN_CHARS = 10
MAX_GARBLED_RATIO = 0.2
# U+FFFD: more than this many, and more than this share of the body, is "many".
MAX_REPLACEMENT_CHARS = 5
MAX_REPLACEMENT_SHARE = 0.05
# Mojibake: mean commonness (govnews.encoding.plausibility) below this, over at least this many
# non-ASCII characters of the first MOJIBAKE_SAMPLE_CHARS.
MOJIBAKE_MAX_PLAUSIBILITY = -8.0
MOJIBAKE_MIN_CHARS = 30
MOJIBAKE_SAMPLE_CHARS = 20_000

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _han_at_least(text: str, enough: int) -> int:
    """Han characters in ``text``, counted no further than ``enough``."""
    found = 0
    for found, _ in enumerate(_HAN.finditer(text), 1):
        if found >= enough:
            break
    return found


def _mostly_garbled(text: str) -> bool:
    replacements = text.count("\ufffd")
    if replacements > MAX_REPLACEMENT_CHARS and replacements > MAX_REPLACEMENT_SHARE * len(text):
        return True
    return garbled_ratio(text) > MAX_GARBLED_RATIO or _mojibake(text)


def _mojibake(text: str) -> bool:
    """Text decoded with the wrong codec (UTF-8 read as GBK: 浼氳寮鸿皟…) is made of rare characters.

    Real news text, Simplified or Traditional, scores about -5 in mean commonness; mojibake about -10.
    A sample of the start is enough: a wrong decode spoils all of it.
    """
    sample = text[:MOJIBAKE_SAMPLE_CHARS]
    if sum(1 for c in sample if not c.isascii()) < MOJIBAKE_MIN_CHARS:
        return False
    return plausibility(sample) < MOJIBAKE_MAX_PLAUSIBILITY


def drop_reason(article: Article, min_han_chars: int = MIN_HAN_CHARS) -> str | None:
    """The first reason (in ``DROP_REASONS`` order) to drop ``article``, or None to keep it.

    ``min_han_chars`` is the crawl's ``GOVNEWS_MIN_TEXT_CHARS`` setting.
    """
    text = article.text or ""
    if not text.strip():
        return EMPTY_TEXT
    if not (article.title or "").strip():
        return MISSING_TITLE
    han = _han_at_least(text, max(min_han_chars, 1))
    if han == 0:
        return NOT_CHINESE
    if han < min_han_chars:
        return EMPTY_TEXT
    if _mostly_garbled(text):
        return MOSTLY_GARBLED
    return None
