"""Repost labels that blogs and content farms put in front of a headline: 【转载】, [原创], 转帖：."""

from __future__ import annotations

import re

from govnews.clean.base import StepResult

# Only labels that say how the post was made, never a bracketed column name such as 【资讯汇总】 or
# 【不忘初心 牢记使命】, which are part of the headline.
_REPOST_LABEL = re.compile(r"^\s*(?:[【\[［(（]\s*(?:转载|转帖|原创|转)\s*[】\]］)）]|(?:转载|转帖)\s*[:：])\s*")


def strip_repost_label(text: str) -> StepResult:
    """``【转载】县委召开常委会`` -> ``县委召开常委会``; counts ``{"repost_label": 1}``."""
    match = _REPOST_LABEL.match(text)
    if not match or not text[match.end():].strip():
        return StepResult(text)
    return StepResult(text[match.end():], {"repost_label": 1}, (match.group().strip(),))
