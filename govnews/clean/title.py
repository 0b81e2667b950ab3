"""Labels content farms put around a headline: a repost label in front (【转载】, [原创], 转帖：) and a site's
promotion behind it (``…乡村振兴故事:雷火电竞官方网站``)."""

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


# A headline of at least MIN_PROMOTED_HEADLINE characters, a separator, and a short suffix that names a site's
# entrance (官方网站, 官网, 官方入口, 登录入口, 网页版, APP下载): what a content farm appends to every title it copies.
MIN_PROMOTED_HEADLINE = 8
_PROMOTION = re.compile(
    r"\s*[:：_|｜-]\s*(?P<promo>[\u4e00-\u9fffA-Za-z0-9]{0,12}"
    r"(?:官方网站|官网|官方入口|官方平台|登录入口|注册入口|网页版|手机版|[Aa][Pp][Pp]下载|客户端下载))\s*$")


def strip_title_promotion(text: str) -> StepResult:
    """``全省230名记者探寻茶乡写乡村振兴故事:雷火电竞官方网站`` -> the headline; counts ``{"promotion": 1}``.

    Only a suffix ending in a site-entrance word, behind a separator, after a headline of its own: a headline
    about a website (``县政府官方网站改版上线``) has no separator before the word.
    """
    match = _PROMOTION.search(text)
    if not match or len(text[:match.start()].strip()) < MIN_PROMOTED_HEADLINE:
        return StepResult(text)
    return StepResult(text[:match.start()].rstrip(), {"promotion": 1}, (match["promo"],))
