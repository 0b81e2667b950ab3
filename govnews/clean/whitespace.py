"""Whitespace normalization: one canonical form so later steps, hashes and dedup compare like with like.

Pages mix ``&nbsp;``, ideographic spaces (U+3000) used as paragraph indents, zero-width characters
left by editors, tabs and CRLF. We fold all of them into single ASCII spaces, trim every paragraph
and drop empty ones. Full-width punctuation is left alone: it is the text, not layout.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from govnews.clean.base import StepResult, samples_of

# Literal entities that survive when a page double-escapes its markup.
_NBSP_ENTITY = re.compile(r"&(?:nbsp|#160|#x0*a0);?", re.IGNORECASE)
_LINE_BREAK = re.compile(r"\r\n?|[\u2028\u2029\x85]")
# Zero-width space/joiners, word joiner, BOM, soft hyphen, Mongolian vowel separator.
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]+")
# Bidirectional controls (embeddings, overrides, isolates, marks): invisible, meaningless in Chinese text, and
# able to make a line display in an order other than the one it is stored in ("Trojan Source").
_BIDI = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]+")
_IDEOGRAPHIC_SPACE = re.compile("\u3000+")
_NBSP = re.compile("[\u00a0\u202f]+")
# Other horizontal blanks: tab, vertical tab, form feed, the en/em/thin space family.
_OTHER_BLANK = re.compile("[\t\x0b\x0c\u1680\u2000-\u200a\u205f]+")
_SPACE_RUN = re.compile(" {2,}")


def _has_any(*chars: str) -> Callable[[str], bool]:
    return lambda text: any(char in text for char in chars)


# Each fold in order, with a test that is true whenever its pattern can match (a C-speed ``in`` where the
# pattern needs one of a few characters), so a fold that has nothing to do costs no regex scan.
_FOLDS: tuple[tuple[str, re.Pattern[str], str, Callable[[str], bool]], ...] = (
    ("crlf", _LINE_BREAK, "\n", _has_any("\r", "\u2028", "\u2029", "\x85")),
    ("nbsp", _NBSP_ENTITY, " ", _has_any("&")),
    ("nbsp", _NBSP, " ", _has_any("\u00a0", "\u202f")),
    ("zero_width", _ZERO_WIDTH, "", lambda text: _ZERO_WIDTH.search(text) is not None),
    ("bidi_controls", _BIDI, "", lambda text: _BIDI.search(text) is not None),
    ("ideographic_space", _IDEOGRAPHIC_SPACE, " ", _has_any("\u3000")),
    ("tabs", _OTHER_BLANK, " ", lambda text: _OTHER_BLANK.search(text) is not None),
    ("spaces", _SPACE_RUN, " ", _has_any("  ")),
)


def _fold_blanks(text: str, counts: dict[str, int]) -> str:
    """Turn every kind of blank into an ASCII space (or nothing, for zero-width ones)."""
    for kind, pattern, repl, may_match in _FOLDS:
        if not may_match(text):
            continue
        text, n = pattern.subn(repl, text)
        if n:
            counts[kind] = counts.get(kind, 0) + n
    return text


def _tidy_paragraphs(text: str, counts: dict[str, int]) -> str:
    """Trim each paragraph and drop the empty ones."""
    kept: list[str] = []
    trimmed = empty = 0
    for line in text.split("\n"):
        stripped = line.strip(" ")
        if stripped != line:
            trimmed += 1
        if stripped:
            kept.append(stripped)
        else:
            empty += 1
    if trimmed:
        counts["trimmed"] = trimmed
    if empty:
        counts["empty_lines"] = empty
    return "\n".join(kept)


# Anything the step would change, in one scan: a blank it folds (or ``&``, which may open an entity), two spaces,
# a space or an empty line at a paragraph edge. Text without any (most text) is left as it is at once.
_NEEDS_WORK = re.compile(
    "[\r\u2028\u2029\x85\u00a0\u202f\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u3000"
    "\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069"
    "\t\x0b\x0c\u1680\u2000-\u200a\u205f&]| [ \n]|\n[ \n]")


def is_normalized(text: str) -> bool:
    """True when ``normalize_whitespace`` would return ``text`` unchanged (one regex scan, no copies)."""
    return (not text or (text[0] not in " \n" and text[-1] not in " \n" and _NEEDS_WORK.search(text) is None
                         and unicodedata.is_normalized("NFC", text)))


def normalize_whitespace(text: str) -> StepResult:
    """NFC, all blanks folded to single spaces, paragraphs trimmed, no empty paragraphs, LF only."""
    if is_normalized(text):
        return StepResult(text)
    return _normalize(text)


def _normalize(text: str) -> StepResult:
    counts: dict[str, int] = {}
    folded = _fold_blanks(text, counts)
    tidy = _tidy_paragraphs(folded, counts)
    composed = unicodedata.normalize("NFC", tidy)
    if composed != tidy:
        counts["nfc"] = 1
    if composed == text:
        return StepResult(text)
    return StepResult(composed, counts, samples_of(_changed_lines(text, composed)))


def _changed_lines(before: str, after: str) -> list[str]:
    """A few original lines that the step rewrote, shown with blanks made visible."""
    kept = set(after.split("\n"))
    out = []
    for line in before.replace("\r", "").split("\n"):
        if line not in kept:
            out.append(repr(line)[1:-1])
        if len(out) >= 3:
            break
    return out
