"""A spam farm's keyword header: the line of porn and gambling search terms a hijacked mirror prints above a copy.

Content farms that copy county news put their search bait at the top of every page
(``国产精品人人做…,免费黄色视频网站,人妻精品久久久久中文字幕…``), and extraction keeps it as the first line. It is
recognised by its vocabulary, never by position alone: only one of the first lines, with no sentence punctuation,
holding an unambiguous term and whose terms add up to ``MIN_SPAM_SCORE`` (unambiguous terms count twice, terms a
news headline can hold, such as 午夜, 欧美 or 在线观看, once), so a headline about 三级医院 or 午夜场 stays.
"""

from __future__ import annotations

import re

from govnews.clean.base import StepResult, samples_of

# Terms no news text uses, and terms that are spam only beside others.
_STRONG = ("一区二区", "二区三区", "无码", "有码", "人妻", "熟女", "少妇", "做爰", "国产精品", "精品国产", "久久久",
           "乱码", "亚洲av", "亚洲AV", "日韩精品", "免费黄色", "黄色视频", "香蕉视频", "精品一区", "高清不卡", "伦精品",
           "国产亚洲", "麻豆", "看片", "91精品", "婷婷")
_WEAK = ("午夜", "在线观看", "在线播放", "成人", "三级", "欧美", "日韩", "不卡", "激情", "中文字幕", "高清", "av", "AV")
_STRONG_AT = re.compile("|".join(map(re.escape, _STRONG)))
_WEAK_AT = re.compile("|".join(map(re.escape, _WEAK)))
# An ASCII ? between two characters is a character a mirror lost (一区?区三区), not a question.
_SENTENCE_END = re.compile(r"[。！？!]|\?(?=\s|$)")
MIN_SPAM_SCORE = 4
SPAM_HEAD_LINES = 3
MAX_SPAM_LINE = 300


def spam_score(line: str) -> int:
    """Two for each distinct unambiguous term, one for each distinct term spam shares with news."""
    strong = set(_STRONG_AT.findall(line))
    weak = {term for term in _WEAK_AT.findall(line) if not any(term in s for s in strong)}
    return 2 * len(strong) + len(weak)


def is_spam_keywords(line: str) -> bool:
    stripped = line.strip()
    return (0 < len(stripped) <= MAX_SPAM_LINE and not _SENTENCE_END.search(stripped)
            and _STRONG_AT.search(stripped) is not None and spam_score(stripped) >= MIN_SPAM_SCORE)


def remove_spam_keywords(text: str) -> StepResult:
    """Drop keyword-bait lines among the first ``SPAM_HEAD_LINES`` non-empty lines, when text follows them."""
    lines = text.split("\n")
    head = [i for i, line in enumerate(lines) if line.strip()][:SPAM_HEAD_LINES]
    spam = {i for i in head if is_spam_keywords(lines[i])}
    if not spam or all(i in spam or not line.strip() for i, line in enumerate(lines)):
        return StepResult(text)
    kept = [line for i, line in enumerate(lines) if i not in spam]
    removed = [lines[i].strip() for i in sorted(spam)]
    return StepResult("\n".join(kept).lstrip("\n"), {"spam_keywords": len(spam)}, samples_of(removed))
