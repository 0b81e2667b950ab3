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
    rf"[\w\-]{{0,80}}\.{_IMAGE_EXT}(?:\?\S{{0,100}})?|"  # a bare file name
    rf"!\[[^\]\n]{{0,80}}\]\([^)\s]{{1,300}}\)|"  # a Markdown image
    r"(?:打开网易新闻\s*查看精彩图片|点击(?:图片)?查看(?:大图|原图|高清大图)|查看原图|图片加载中[.…。]*|"
    r"\[?图片\]?|\[?img\]?)",
    re.IGNORECASE)
_PLACEHOLDER_INLINE = re.compile(r"打开网易新闻\s*查看精彩图片|[(（]相关资料图[)）]")
# What every placeholder shape spells out: 图 (each prompt, and the inline ones), ``![``, ``img`` or an image
# extension after a dot, case-insensitively as the pattern reads them ((?i) also lets İ and ı match i).
# Each alternative opens with a literal, so text without any is passed over at C speed (a line is not checked
# for it: the anchored pattern itself fails as fast on a body line).
_IMAGE_EXT_ANY_CASE = "(?:[Jj][Pp][Ee]?[Gg]|[Pp][Nn][Gg]|[Gg][Iiİı][Ff]|[Ww][Ee][Bb][Pp]|[Bb][Mm][Pp])"
_PLACEHOLDER_HINT = re.compile(rf"图|!\[|I[Mm][Gg]|i[Mm][Gg]|İ[Mm][Gg]|ı[Mm][Gg]|\.{_IMAGE_EXT_ANY_CASE}")
MAX_PLACEHOLDER_LINE = 400
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
    """Drop lines that are only an image's file name, a Markdown image or a picture prompt."""
    if not text or not _PLACEHOLDER_HINT.search(text):
        return StepResult(text)
    kept: list[str] = []
    removed: list[str] = []
    inline = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and len(stripped) <= MAX_PLACEHOLDER_LINE and _PLACEHOLDER_LINE.fullmatch(stripped):
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
