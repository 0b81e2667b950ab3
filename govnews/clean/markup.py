"""HTML tags printed as text: a post's markup that a mirror or an editor copied in as characters.

Meipian posts and their mirrors store the body as an HTML string; a copy that escapes it once too often
reaches the page as ``<p class="ql-block"><span style="font-size:18px;">旅程从沧州出发…</span></p>``, and
extraction then hands the tags on as text. Only a whole tag of a known HTML element counts (its name, then
attributes in the HTML form ``name="value"``), so ``a<b``, ``<1>``, ``<<诗经>>``, ``<城市名称>`` and a
formula stay. A block element's tag (``p``, ``div``, ``br``, ``h1``…) ends a line; an inline one (``span``,
``b``, ``a``, ``i``…) is dropped with the text around it joined.
"""

from __future__ import annotations

import re

from govnews.clean.base import StepResult, samples_of

_BLOCK = ("p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
          "blockquote", "figure", "figcaption", "table", "tr", "td", "th", "tbody", "thead", "hr", "center", "pre")
_INLINE = ("span", "b", "strong", "em", "i", "u", "a", "font", "sup", "sub", "small", "big", "img", "label",
           "strike", "s", "mark", "code")
# An attribute: name="value", name='value', name=value or a bare name; values hold no angle brackets.
_ATTR = r"""\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?"""
_NAMES = "|".join(sorted(_BLOCK + _INLINE, key=len, reverse=True))
_TAG = re.compile(rf"<(?P<close>/)?(?P<name>{_NAMES})(?:{_ATTR})*\s*/?>", re.IGNORECASE)
_BLOCK_NAMES = frozenset(_BLOCK)
# Two or more tags in one text, or one with attributes: a lone ``<b>`` could be a reader's notation.
_MIN_BARE_TAGS = 2


def strip_literal_tags(text: str) -> StepResult:
    """Remove HTML element tags that are part of the text; block tags become line breaks."""
    if "<" not in text:
        return StepResult(text)
    tags = list(_TAG.finditer(text))
    if not tags or (len(tags) < _MIN_BARE_TAGS and not re.search(r"\s", tags[0].group())):
        return StepResult(text)
    out: list[str] = []
    line_start = False  # a block tag just ended a line: the next piece's indent goes
    pos = 0
    for tag in tags:
        piece = text[pos:tag.start()]
        out.append(piece.lstrip(" \t\u3000") if line_start else piece)
        line_start = line_start and not piece.strip(" \t\u3000")
        if tag["name"].lower() in _BLOCK_NAMES:
            joined = "".join(out).rstrip(" \t\u3000")
            out = [joined if not joined or joined.endswith("\n") else joined + "\n"]
            line_start = True
        pos = tag.end()
    rest = text[pos:]
    out.append(rest.lstrip(" \t\u3000") if line_start else rest)
    cleaned = "".join(out).strip("\n")
    return StepResult(cleaned, {"tags": len(tags)}, samples_of([t.group() for t in tags]))
