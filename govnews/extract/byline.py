"""Meta lines: ``2020-11-24 10:59:00 来源:山西日报 浏览次数:``, ``记者 张三 通讯员 李四``, ``责任编辑：王五``.

A meta line is a run of ``label value`` pairs; each value ends where the next label starts, so a
trailing ``浏览次数：`` or ``点击：`` never sticks to the source. Only short lines are parsed: prose that
happens to contain 来源 is not a meta line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govnews.extract.text import collapse, simplified_chars, words
from govnews.names import PLACEHOLDERS as NOT_A_NAME
from govnews.names import is_person_name, is_placeholder, looks_like_outlet

SOURCE_LABELS = (
    "信息来源", "文章来源", "稿件来源", "新闻来源", "内容来源", "来源于", "来源", "发布机构", "稿源", "出处",
)
EDITOR_LABELS = ("责任编辑", "值班编辑", "本期编辑", "责编", "编辑")
AUTHOR_LABELS = ("作者", "全媒体记者", "融媒体记者", "记者", "通讯员", "采访人员", "撰稿", "撰文", "采写", "文字")
PHOTO_LABELS = ("摄影", "摄像", "图片", "供图")
OTHER_LABELS = tuple(
    words(
        "发布时间 发布日期 更新时间 时间 日期 浏览次数 阅读次数 访问次数 点击数 点击量 点击 阅读 浏览 字号 字体 "
        "分享到 分享 打印 关闭 索引号 发布人 评论 举报 校对 审核人 审核 编审 签发 一审 二审 三审 编校 "
        "所属分类 分类 标签 图文编辑"
    )
) + PHOTO_LABELS
_ALL = sorted(SOURCE_LABELS + EDITOR_LABELS + AUTHOR_LABELS + OTHER_LABELS, key=len, reverse=True)
_REPORTER = ("全媒体记者", "融媒体记者", "记者", "通讯员")
# Labels a credit block prints without a colon (``编辑 刘晓阳 校对 李铭``): only names may follow them.
_BARE = ("责任编辑", "本期编辑", "编辑", "作者", "撰稿", "采写")


def _spaced(label: str) -> str:
    """A label as printed, possibly letter-spaced to align a credit block (``编 辑``, ``本 期 编 辑``)."""
    return " ?".join(re.escape(c) for c in label)


# A label opens the line, follows a separator, or (with its colon) follows a date or an outlet glued to it
# (``12:11来源：``, ``证券时报网作者：``, and a value glued to the next label: ``…频道收集编辑：``);
# 记者/通讯员 may follow the outlet (新京报记者) without a colon. A noun glued to a label makes another word of
# it (资金来源：, 数据来源：): ``_glued_label_ok`` refuses those.
_LABEL = re.compile(
    r"(?:^|(?<=[\s|丨｜/【\[（(：:，,、·])|(?<=[\d\u4e00-\u9fff])(?=(?:" + "|".join(_ALL) + r")\s*[:：]))"
    r"(?P<label>" + "|".join(_spaced(label) for label in _ALL) + r")\s*[:：]\s*"
    r"|(?P<reporter>" + "|".join(_spaced(label) for label in _REPORTER) + r")\s*[:：|丨｜]?\s*"
    r"|(?:^|(?<=\s))(?P<bare>" + "|".join(_spaced(label) for label in _BARE) + r")\s*[|丨｜]?\s+"
)
# ``来源CSDN | 作者魏星``: a segment of a ``|``-separated meta line may glue its label to the value.
_GLUED_SEGMENT = re.compile(
    r"^\s*(?P<label>" + "|".join((*SOURCE_LABELS, "作者")) + r")(?P<value>[^\s:：|丨｜]{2,30})\s*$")
_SEGMENT_SEPARATOR = re.compile(r"[|丨｜]")
MAX_META_LINE = 200
_TRIM = " \t:：|丨｜/\\【】[]()（）<>《》,，。;；-—·"
# What templates print when a field was left blank.
EMPTY_VALUES = words("无 暂无 空 null none 略 未知")
_NAME_SPLIT = re.compile(r"[\s、，,;；/]+")
# A romanised name's words are one name (``Wang Wei``), not two.
_ROMANISED = re.compile(r"[A-Z][a-z]+(?: [A-Z][a-z]+){1,3}")
_DATE_LIKE = re.compile(r"\d{4}[-/.年]\d{1,2}")
# Markers after an outlet name (``游民星空[整理]``), and what ends a source value.
_SOURCE_TAG = re.compile(r"[\[【(（](?:整理|原创|转载|编译|综合|授权|独家)[\]】)）]$")
# A pinyin gloss a mirror put after a character of a name: ``张某(zhāng)``.
_GLOSS = re.compile(r"\s?[(（][A-Za-z\u00c0-\u024f\u0300-\u036f' ]{1,12}[)）]")
_PHOTO_AFTER = re.compile(r"\s*(?:摄影?|供图|拍摄)(?![\u4e00-\u9fff])")


@dataclass
class Byline:
    source: str | None = None
    editor: str | None = None
    authors: list[str] = field(default_factory=list)
    photo_credits: list[str] = field(default_factory=list)


def _pairs(line: str) -> list[tuple[str, str, bool]]:
    """(label, raw value, whether a colon followed the label) of one meta line, in order.

    Labels are found on the Simplified copy (``來源：`` counts as ``来源：``); values keep the page's script.
    """
    simplified = simplified_chars(line)
    matches = [m for m in _LABEL.finditer(simplified) if _glued_label_ok(simplified, m, line)]
    pairs = []
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        label = (m.group("label") or m.group("reporter") or m.group("bare")).replace(" ", "")
        value = line[m.end():end]
        if i + 1 < len(matches):
            value = _LABEL_VERB.sub("", value)  # ``来源:X收集编辑:``: 收集 is the next label's
            if matches[i + 1].group("reporter"):
                value = _GLUED_BEFORE.sub("", value)  # ``采写：南都记者 余毅菁``: 南都 is the reporter's outlet
        pairs.append((label, value, bool(m.group("label")) or ":" in m.group() or "：" in m.group()))
    if _SEGMENT_SEPARATOR.search(simplified):
        start = 0
        for segment in _SEGMENT_SEPARATOR.split(simplified):
            glued = _GLUED_SEGMENT.match(segment)
            if glued and not any(start <= m.start() < start + len(segment) for m in matches):
                pairs.append((glued["label"], line[start + glued.start("value"):start + glued.end("value")], True))
            start += len(segment) + 1
    return pairs


# A verb glued to the front of the next label (``收集编辑：``, ``整理：``), cut from the value before it.
_LABEL_VERB = re.compile(r"(?<=[\u4e00-\u9fff])(?:收集|整理|采集|摘编|转载|编译|采编|录入)$")
_GLUED_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,20}$")


def _glued_label_ok(simplified: str, match: re.Match[str], line: str) -> bool:
    """A label glued to the Han text before it counts only as the line's first label behind an outlet
    (``证券时报网作者：``) or as a later one after a value (``来源:X收集编辑:``); never when the text before is a
    noun that makes the label another word (``资金来源：财政资金``, ``一等奖作者：``)."""
    start = match.start()
    if start == 0 or not "\u4e00" <= simplified[start - 1] <= "\u9fff":
        return True
    glued = _GLUED_BEFORE.search(simplified, 0, start)
    before = glued.group() if glued else ""
    if simplified[:start - len(before)].strip(" \t|丨｜"):
        return True  # after another label's value: the value ends where this label starts
    return looks_like_outlet(before)


def clean_source(value: str | None) -> str | None:
    """A source value without trailing markers (``游民星空[整理]``); None for placeholders (本站原创, 网络)."""
    if not value:
        return None
    value = _SOURCE_TAG.sub("", value.strip()).strip(_TRIM)
    if not value or value in EMPTY_VALUES or is_placeholder(value) or is_person_name(value):
        return None
    return value


def _first_token(value: str) -> str | None:
    value = value.strip(_TRIM)
    value = re.split(r"\s+|[|丨｜【\[（(]", value, maxsplit=1)[0].strip(_TRIM)
    if not value or _DATE_LIKE.match(value) or len(value) > 40 or value in EMPTY_VALUES:
        return None
    return value


def _merge_spaced(tokens: list[str], labelled: bool) -> list[str]:
    """``苏 伟`` -> ``苏伟``: credit blocks letter-space two-character names to align them."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if len(tokens[i]) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1 \
                and is_person_name(tokens[i] + tokens[i + 1], labelled=labelled, credit=True):
            out.append(tokens[i] + tokens[i + 1])
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


def _names(value: str, latin_ok: bool, labelled: bool) -> list[str]:
    """Person names at the start of a value: ``张三 李四 2019-01-01`` -> [张三, 李四].

    Stops at the first token that is not a name; nothing when the names are a photographer's (``X 摄``).
    """
    names = []
    consumed = 0
    stripped = _GLOSS.sub("", value).strip(_TRIM)
    protected = _ROMANISED.sub(lambda m: m.group().replace(" ", "\x00"), stripped) if latin_ok else stripped
    tokens = [t.strip(_TRIM).replace("\x00", " ") for t in _NAME_SPLIT.split(protected) if t.strip(_TRIM)]
    for token in _merge_spaced(tokens, labelled):
        if token.lower() in NOT_A_NAME:
            consumed = stripped.find(token, consumed) + len(token)
            continue
        if not is_person_name(token, latin_ok=latin_ok, labelled=labelled, credit=True):
            break
        names.append(token)
        consumed = stripped.find(token[-1], consumed) + 1
    if names and _PHOTO_AFTER.match(stripped, consumed):
        return []
    return names


def parse_byline(line: str) -> Byline:
    """Source, editor and authors named in one meta line (empty when the line is long prose).

    Every name is checked by ``is_person_name``: 记者了解到 or 作者：网络整理 give no author.
    """
    found = Byline()
    line = collapse(line)
    if len(line) > MAX_META_LINE:
        return found
    for label, value, colon in _pairs(line):
        if label in SOURCE_LABELS and not found.source:
            found.source = clean_source(_first_token(value))
        elif label in EDITOR_LABELS and not found.editor:
            editors = _names(value, latin_ok=colon, labelled=colon)
            found.editor = "、".join(editors) if editors else (_account(value) if colon else None)
        elif label in AUTHOR_LABELS:
            explicit = colon and label not in _REPORTER
            found.authors += [n for n in _names(value, latin_ok=explicit, labelled=colon) if n not in found.authors]
        elif label in PHOTO_LABELS and colon:
            found.photo_credits += [n for n in _names(value, latin_ok=False, labelled=True)
                                    if n not in found.photo_credits]
    return found


def _account(value: str) -> str | None:
    """An editor's account as the CMS prints it (``杨倩_NF4425``, ``HN666``): one token, not a placeholder."""
    token = _first_token(value)
    if not token or token.lower() in NOT_A_NAME or not re.fullmatch(r"[\w\u4e00-\u9fff·.-]{2,30}", token):
        return None
    return None if looks_like_outlet(token) else token  # ``编辑:黄河新闻网吕梁频道`` names an outlet, no editor


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


# Widget words printed on date lines beside the outlet (``2019年09月11日01:53 新浪科技 我有话说(1307人参与)``).
_DATE_LINE_NOISE = re.compile(
    r"我有话说\S*|收藏本文|收藏|分享到?|评论\S*|字号|打印|关注|举报|[大中小]|A[+-]?|阅读\S*|浏览\S*|"
    r"\d*\s*(?:人参与|条评论|次阅读|阅读|浏览)|原创|转载|星期[一二三四五六日天]|周[一二三四五六日]|[\d,]+|[(（].*[)）]|"
    # audio controls (``2023年09月26日 17:22 试听``) and a forum post's role (``2005-09-11 18:04:42 楼主``)
    r"试听|收听|朗读|听全文|听新闻|语音播报|播放|暂停|楼主|沙发|板凳|\d+\s*楼|"
    # the site's own address (``http://www.sina.net 2005年03月21日 11:21 《理财周刊》``): where, not who
    r"(?:https?://)?[\w-]+(?:\.[\w-]+)+/?\S*"
)
# An unlabelled outlet longer than this must end like one (网, 报, 社, 中心, ...): 新浪财经-自媒体综合 is 10.
MAX_BARE_OUTLET = 10
# A word glued to the date that labels it (``海姑娘写于2005年3月16日``, ``建立于:``, ``最后更新:``): not an outlet.
_DATE_LABEL_END = re.compile(r"(?:于|更新|时间|日期|发表|发布|修改|创建|建立)$")
_HAS_LABEL = re.compile("|".join(_ALL))
_SENTENCE_PUNCT = re.compile(r"[。！？；，,!?;]")


def outlet_beside_date(line: str) -> str | None:
    """The outlet a date line names without a label: ``2019-09-26 10:56:28 证券时报网``,
    ``中国网 2019-11-25 10:37:31``, ``2019-09-05 11:10 游民星空[整理] 1``.

    Only when the date is the line's anchor and exactly one outlet-like token is left beside it.
    """
    from govnews.extract.dates import DATE_PATTERN, normalize_digits

    line = collapse(line)
    if len(line) > 80 or _SENTENCE_PUNCT.search(line) or _HAS_LABEL.search(simplified_chars(line)):
        return None
    digits = normalize_digits(line)
    date = re.search(DATE_PATTERN, digits)
    if date is None or len(digits) != len(line):
        return None
    rest = f"{line[:date.start()]} {line[date.end():]}"
    tokens = [t for t in rest.split() if t.strip(_TRIM) and not _DATE_LINE_NOISE.fullmatch(t)]
    if len(tokens) != 1:
        return None
    token = _SOURCE_TAG.sub("", tokens[0]).strip(_TRIM)
    if not 2 <= len(token) <= 20 or not re.search(r"[\u4e00-\u9fffA-Za-z]", token):
        return None
    if _DATE_LABEL_END.search(token) or re.search(r"[(（)）]|\d{4}\s*年", token):
        return None  # a date label, or a fragment of another note (``查看旧版(2007年11月18号以前``)
    if len(token) > MAX_BARE_OUTLET and not looks_like_outlet(token):
        return None  # a list page's headline beside its date (``桐川县开展防汛应急演练 2026-06-30``)
    return clean_source(token)


_NAME_SLASH_OUTLET = re.compile(r"^(?P<name>[^\s/／]{2,12})\s*[/／]\s*(?P<outlet>[^\s/／]{2,20})$")


def name_and_outlet(line: str) -> tuple[str, str] | None:
    """``石佳/中国青年报`` under a headline: the author, then the outlet."""
    match = _NAME_SLASH_OUTLET.match(collapse(line))
    if match is None or not is_person_name(match["name"]) or not looks_like_outlet(match["outlet"]):
        return None
    return match["name"], match["outlet"]


def bare_outlet(lines: list[str]) -> str | None:
    """An outlet printed alone on the line before or after a date-only line (``新华社`` / ``2020-01-03 18:13``)."""
    from govnews.extract.dates import DATE_PATTERN, normalize_digits

    def date_only(text: str) -> bool:
        digits = normalize_digits(collapse(text))
        return bool(re.fullmatch(r"\s*" + DATE_PATTERN + r"\s*", digits))

    for i, line in enumerate(lines):
        token = collapse(line)
        if len(token) > 20 or " " in token or not looks_like_outlet(token) or is_person_name(token):
            continue
        if (i + 1 < len(lines) and date_only(lines[i + 1])) or (i > 0 and date_only(lines[i - 1])):
            return clean_source(token)
    return None


# ``新京报讯``, ``长江网10月4日讯``, ``新华社北京9月1日电``: the outlet that opens a dateline.
_DATELINE_OUTLET = re.compile(
    r"^\s*(?:[【\[]\s*)?(?:据\s*)?(?P<outlet>[\u4e00-\u9fffA-Za-z]{1,12}(?:社|报|网|台|新闻|客户端|日报|晚报|时报))"
    r"(?:[\u4e00-\u9fff]{0,6}?)?(?:\d{1,2}月\d{1,2}日)?(?:讯|电|消息)"
)


def dateline_outlet(paragraph: str) -> str | None:
    """The outlet named by the dateline opening the body; ``本报讯`` names none (the paper is the site).

    ``据黔东南政府网消息``: a repost's "according to" is no part of the outlet's name."""
    head = paragraph[:40]
    match = _DATELINE_OUTLET.match(simplified_chars(head))
    if match is None or match["outlet"].startswith(("本报", "本网", "本台", "本刊")):
        return None
    return clean_source(head[match.start("outlet"):match.end("outlet")])
