"""Meta lines: ``2020-11-24 10:59:00 来源:山西日报 浏览次数:``, ``记者 张三 通讯员 李四``, ``责任编辑：王五``.

A meta line is a run of ``label value`` pairs; each value ends where the next label starts, so a
trailing ``浏览次数：`` or ``点击：`` never sticks to the source. Only short lines are parsed: prose that
happens to contain 来源 is not a meta line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govnews.extract.text import collapse, simplified_chars, words

SOURCE_LABELS = (
    "信息来源", "文章来源", "稿件来源", "新闻来源", "内容来源", "来源", "发布机构", "稿源", "出处",
)
EDITOR_LABELS = ("责任编辑", "责编", "编辑")
AUTHOR_LABELS = ("作者", "记者", "通讯员", "撰稿", "撰文", "文字")
OTHER_LABELS = tuple(
    words(
        "发布时间 发布日期 更新时间 时间 日期 浏览次数 阅读次数 访问次数 点击数 点击量 点击 阅读 浏览 字号 字体 "
        "分享到 分享 打印 关闭 索引号 发布人 摄影 评论 举报 校对 审核 编审 签发 供图 图片"
    )
)
_ALL = sorted(SOURCE_LABELS + EDITOR_LABELS + AUTHOR_LABELS + OTHER_LABELS, key=len, reverse=True)
# A label opens the line or follows a separator; 记者/通讯员 may follow the outlet (新京报记者).
_LABEL = re.compile(
    r"(?:^|(?<=[\s|丨｜/【\[（(：:，,、·]))(?P<label>" + "|".join(_ALL) + r")\s*[:：]\s*"
    r"|(?P<reporter>记者|通讯员)\s*[:：]?\s*"
)
MAX_META_LINE = 200
_TRIM = " \t:：|丨｜/\\【】[]()（）<>《》,，。;；-—·"
_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,5}$|^[A-Za-z][A-Za-z .'-]{1,30}$")
# Account names and placeholders that blog themes and CMSs print where an author would be.
NOT_A_NAME = words(
    "admin administrator root webmaster editor guest user "
    "管理员 超级管理员 小编 佚名 未知 匿名 网络 本站 原创 转载 系统"
)
EMPTY_VALUES = words("无 暂无 空 null none 略")  # what templates print when a field was left blank
_NAME_SPLIT = re.compile(r"[\s、，,;；/]+")
_DATE_LIKE = re.compile(r"\d{4}[-/.年]\d{1,2}")


@dataclass
class Byline:
    source: str | None = None
    editor: str | None = None
    authors: list[str] = field(default_factory=list)


def _pairs(line: str) -> list[tuple[str, str]]:
    """(label, raw value) pairs of one meta line, in order.

    Labels are found on the Simplified copy (``來源：`` counts as ``来源：``); values keep the page's script.
    """
    matches = list(_LABEL.finditer(simplified_chars(line)))
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        pairs.append((m.group("label") or m.group("reporter"), line[m.end():end]))
    return pairs


def _first_token(value: str) -> str | None:
    value = value.strip(_TRIM)
    value = re.split(r"\s+|[|丨｜【\[（(]", value, maxsplit=1)[0].strip(_TRIM)
    if not value or _DATE_LIKE.match(value) or len(value) > 40 or value in EMPTY_VALUES:
        return None
    return value


def _names(value: str) -> list[str]:
    """Person names at the start of a value: ``张三 李四 2019-01-01`` -> [张三, 李四]."""
    names = []
    for token in _NAME_SPLIT.split(value.strip(_TRIM)):
        token = token.strip(_TRIM)
        if not token:
            continue
        if not _NAME.match(token):
            break
        if token.lower() not in NOT_A_NAME:
            names.append(token)
    return names


def parse_byline(line: str) -> Byline:
    """Source, editor and authors named in one meta line (empty when the line is long prose)."""
    found = Byline()
    line = collapse(line)
    if len(line) > MAX_META_LINE:
        return found
    for label, value in _pairs(line):
        if label in SOURCE_LABELS and not found.source:
            found.source = _first_token(value)
        elif label in EDITOR_LABELS and not found.editor:
            found.editor = _first_token(value)
        elif label in AUTHOR_LABELS:
            found.authors += [n for n in _names(value) if n not in found.authors]
    return found


def merge_bylines(lines: list[str]) -> Byline:
    """First source and editor across the lines; authors from all of them, without repeats."""
    merged = Byline()
    for line in lines:
        one = parse_byline(line)
        merged.source = merged.source or one.source
        merged.editor = merged.editor or one.editor
        merged.authors += [a for a in one.authors if a not in merged.authors]
    return merged


_META_LINE_START = re.compile(
    r"^[\[【(（]?\s*(?:" + "|".join(SOURCE_LABELS + EDITOR_LABELS + ("作者", "原标题", "发布时间", "发布日期", "时间"))
    + r")\s*[:：]"
)


def is_meta_line(line: str) -> bool:
    """A short line that only carries metadata (``[责任编辑：刘斌]``, ``原标题：…``, ``来源：新华社``)."""
    return len(line) <= 120 and bool(_META_LINE_START.match(simplified_chars(collapse(line))))
