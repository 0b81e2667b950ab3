"""Image placeholders and watermarks: text a page or a mirror put where it is not body.

* Portals and mirrors leave the trace of a picture: its file name (``微信图片_20201125180628.jpg``,
  ``20200923_e5a976e1cb725a99194293497df92720.jpg``), a Markdown image (``![](/Files/…jpg)``), or a
  prompt (``打开网易新闻 查看精彩图片``, ``点击查看大图``, ``(相关资料图)``). Only whole lines of that
  shape go, and the few prompts wherever they stand; a sentence that mentions a picture stays.
* A mirror appends its watermark to the end of many paragraphs (``…。内容来自某某网``, ``…。copyright
  某某``). A tail of words (no clause punctuation, brackets or quotes) that at least ``MIN_WATERMARKED``
  paragraphs share after their last full stop is that watermark; a law closing several items with the
  same clause (``…。禁止下列行为：``) or note (``（2011年1月8日删除）``) keeps it.
"""

from __future__ import annotations

import re
from collections import Counter

from govnews.clean.base import StepResult, samples_of

_IMAGE_EXT = r"(?:jpe?g|png|gif|webp|bmp)"
_PLACEHOLDER_LINE = re.compile(
    # a file name, also a thumbnail's with two extensions (…png_scale_.png)
    rf"[\w\-]{{0,80}}(?:\.{_IMAGE_EXT}[A-Za-z0-9_\-]{{1,20}})?\.{_IMAGE_EXT}(?:\?\S{{0,100}})?|"
    rf"!\[[^\]\n]{{0,80}}\]\([^)\s]{{1,300}}\)|"  # a Markdown image
    r"(?:打开网易新闻\s*查看精彩图片|点击(?:图片)?查看(?:大图|原图|高清大图)|查看原图|图片加载中[.…。]*|"
    r"\[?图片\]?|\[?img\]?|自动草稿)",  # 自动草稿: WordPress's "Auto Draft", the alt text of a pasted picture
    re.IGNORECASE)
_PLACEHOLDER_INLINE = re.compile(r"打开网易新闻\s*查看精彩图片|[(（]相关资料图[)）]")
# What every placeholder shape spells out: 图 (each prompt, and the inline ones), 自动草稿, ``![``, ``img`` or an image
# extension after a dot, case-insensitively as the pattern reads them ((?i) also lets İ and ı match i).
# Each alternative opens with a literal, so text without any is passed over at C speed (a line is not checked
# for it: the anchored pattern itself fails as fast on a body line).
_IMAGE_EXT_ANY_CASE = "(?:[Jj][Pp][Ee]?[Gg]|[Pp][Nn][Gg]|[Gg][Iiİı][Ff]|[Ww][Ee][Bb][Pp]|[Bb][Mm][Pp])"
_PLACEHOLDER_HINT = re.compile(rf"图|自动草稿|!\[|I[Mm][Gg]|i[Mm][Gg]|İ[Mm][Gg]|ı[Mm][Gg]|\.{_IMAGE_EXT_ANY_CASE}")
MAX_PLACEHOLDER_LINE = 400
# A picture's file name without its extension, left where the image was: a lower-case hex hash of 16-40 digits
# with letters and digits both (``1769743413552eb9``); a number or a word is none.
_HASH_LINE = re.compile(r"(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{16,40}")
_HASH_LINE_HINT = re.compile(r"(?m)^[ \t]*[0-9a-f]{16,40}[ \t]*$")
# Watermarks: the tail after a paragraph's last sentence end, shared by this many paragraphs.
MIN_WATERMARKED = 3
MAX_WATERMARK = 40
# The tail after a full stop: words, a name or a domain, with no clause punctuation, brackets or quotes
# (laws close items with the same clause on purpose: 禁止下列行为：, （2011年1月8日删除）, “黑广播”的；).
_TAIL = re.compile(rf"(?<=[。！？!?])(?P<tail>[^\W_][\w .·:/@-]{{1,{MAX_WATERMARK}}})$")
# The same tail read from the last sentence end: no tail character ends a sentence, so the only place a
# tail can start is right after the line's last one (one ``rfind`` per mark instead of a search per position).
_TAIL_BODY = re.compile(rf"[^\W_][\w .·:/@-]{{1,{MAX_WATERMARK}}}")
_SENTENCE_ENDS = "。！？!?"


def _tail(line: str) -> str:
    """``_TAIL.search(line.rstrip())["tail"].strip()``, or "" when it finds none."""
    body = line.rstrip()
    if not body or body[-1] in _SENTENCE_ENDS:  # most lines: nothing after the last full stop
        return ""
    cut = max(map(body.rfind, _SENTENCE_ENDS))
    if cut < 0 or not 2 <= len(body) - cut - 1 <= MAX_WATERMARK + 1:
        return ""
    match = _TAIL_BODY.fullmatch(body, cut + 1)
    return match.group().strip() if match else ""


def remove_image_placeholders(text: str) -> StepResult:
    """Drop lines that are only an image's file name (also its bare hash), a Markdown image or a picture prompt."""
    if not text or not (_PLACEHOLDER_HINT.search(text) or _HASH_LINE_HINT.search(text)):
        return StepResult(text)
    kept: list[str] = []
    removed: list[str] = []
    inline = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= MAX_PLACEHOLDER_LINE and (
                _PLACEHOLDER_LINE.fullmatch(stripped) or _HASH_LINE.fullmatch(stripped)):
            removed.append(stripped)
            continue
        if "图" in line:
            line, n = _PLACEHOLDER_INLINE.subn("", line)
            if n:
                inline += n
                removed.append(line[:20])
                if not line.strip():
                    continue
        kept.append(line)
    if not removed:
        return StepResult(text)
    counts = {k: v for k, v in {"lines": len(removed) - inline, "inline": inline}.items() if v}
    return StepResult("\n".join(kept), counts, samples_of(removed))


def remove_watermarks(text: str) -> StepResult:
    """Drop a tail that at least ``MIN_WATERMARKED`` paragraphs share after their last sentence end."""
    if not text or text.count("\n") + 1 < MIN_WATERMARKED:
        return StepResult(text)
    lines = text.split("\n")
    tails = [_tail(line) for line in lines]
    common = Counter(t for t in tails if t)
    marks = {t for t, n in common.items() if n >= MIN_WATERMARKED and re.search(r"[\w\u4e00-\u9fff]", t)}
    if not marks:
        return StepResult(text)
    out = []
    removed = 0
    for line, tail in zip(lines, tails, strict=True):
        if tail in marks:
            line = line.rstrip()[:-len(tail)].rstrip()
            removed += 1
        out.append(line)
    return StepResult("\n".join(out), {"watermarks": removed}, samples_of(sorted(marks)))


# A forum's anti-copy "jammer" (Discuz prints random characters in a hidden font between sentences; a copy keeps
# them): runs of one- and two-character ASCII tokens split by single spaces, most of them a letter or digit
# glued to a mark (``Y(``, ``a1``, ``N*``, ``o$``). Formulas (``x + y = z``) and letter lists (``A B C D``) have
# no such glued tokens.
_JAMMER_RUN = re.compile(r"(?<![!-~])(?:[!-~]{1,2} ){3,}[!-~]{1,2}(?![!-~])")
# Two-character tokens with a mark in them (``Y(``, ``i(``, ``o$``), and letter-digit pairs (``R0``, ``a1``).
_MARKED = re.compile(r".?[!-/:-@\[-`{-~].?")
_LETTER_DIGIT = re.compile(r"[A-Za-z][0-9]|[0-9][A-Za-z]")
MIN_JAMMER_MARKED = 3
_HAN_CHAR = re.compile(r"[\u3400-\u9fff]")


def _is_jammer(run: str) -> bool:
    """At least three marked tokens, and half the run of glued tokens: grid references (``A1 B2 C3``), numbers,
    formulas and words have none or few."""
    tokens = run.split(" ")
    pairs = [token for token in tokens if len(token) == 2]
    marked = sum(1 for token in pairs if _MARKED.fullmatch(token))
    mixed = sum(1 for token in pairs if _LETTER_DIGIT.fullmatch(token))
    return marked >= MIN_JAMMER_MARKED and (marked + mixed) * 2 >= len(tokens)


def remove_copy_jammer(text: str) -> StepResult:
    """Drop a forum's anti-copy jammer runs (``: Y( a1 U: V( {``) inside Chinese text; counts ``{"jammer": n}``.

    Only in a text that holds Han (a code listing or an English text is not a forum copy of a Chinese post).
    """
    if not text or " " not in text or not _HAN_CHAR.search(text):
        return StepResult(text)
    removed: list[str] = []

    def cut(match: re.Match[str]) -> str:
        if not _is_jammer(match.group()):
            return match.group()
        removed.append(match.group())
        return ""

    cleaned = _JAMMER_RUN.sub(cut, text)
    if not removed:
        return StepResult(text)
    cleaned = "\n".join(line.strip() for line in cleaned.split("\n"))
    return StepResult(cleaned, {"jammer": len(removed)}, samples_of(removed))
