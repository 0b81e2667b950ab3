"""Credits and captions: move bylines, editors, photo credits and picture captions out of the body.

News pages print who wrote, edited and photographed a story as short lines at the top or bottom of
the body (``记者 张三``, ``责任编辑：王五``, ``（张三 李四）``), photo captions as ``▲…`` or ``图为…`` lines,
and the reporter inside the dateline (``本报讯（记者 张三）``). They belong in fields, not in the text.
A line only counts as a credit when it is *entirely* roles and 2–4-character names, so a sentence
such as ``记者从县委宣传部获悉，…`` is never touched; a bracketed group without roles (``（张三 李四）``) also
needs every name to open with a common surname, so closing notes like ``（附件略）`` or ``（试行）`` stay.
A dateline keeps its place in the text: only the byline inside it moves out.
"""

from __future__ import annotations

import re

from govnews.clean.base import StepResult, samples_of
from govnews.names import is_person_name, is_placeholder, looks_like_outlet, simplified_chars

# Role words by the field their names go to, longest first so 责任编辑 wins over 编辑.
_ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "authors": ("本报记者", "特约记者", "特派员", "见习记者", "实习记者", "首席记者", "全媒体记者", "融媒体记者",
                "记者", "通讯员", "采访人员", "实习生", "撰文", "撰稿", "采写", "供稿", "作者", "文字整理", "文字",
                "文"),
    "photo_credits": ("摄影", "摄像", "图片视频", "图片", "图"),
    "editor": ("责任编辑",),
    "editor:1": ("值班编辑", "本期编辑", "责编"),
    "editor:2": ("编辑", "编校"),
    "review": ("审核", "审核人", "审校", "校对", "终审", "初审", "复审", "一审", "二审", "三审", "总监制", "监制",
               "统筹",
               "审签", "签发", "编审", "视觉", "设计", "美编", "出品", "策划", "制作", "转载", "图文编辑", "美术编辑",
               "视频编辑", "网络编辑", "新媒体编辑", "制片人", "值班主任"),
    # ``文·图/张三``: one person wrote and photographed; split into authors and photo_credits.
    "text_and_photo": ("文·图", "文/图", "文／图", "图/文", "图／文", "图·文", "文图", "图文"),
    "source": ("信息来源", "稿件来源", "文章来源", "来源", "稿源", "出处"),
}
# Review names (初审/二审/三审, 审核, 校对, 图文编辑) leave the text with their line but are not stored: the
# article schema has one editor field, and 责任编辑 is the editor readers know. Editor roles are ranked
# (``editor`` = 责任编辑 first, then ``editor:1``, ``editor:2``): the field takes the names of the best one found.
EDITOR_FIELDS = ("editor", "editor:1", "editor:2")
_HAN_CHARS = "\u3400-\u4dbf\u4e00-\u9fff"
# Roles whose names may follow any short prefix that is no name (每经记者, 南都见习记者, 每经编辑: an outlet's
# abbreviation): a line of nothing but them and names is a byline. Any other role opens a credit only bare or
# behind an outlet by its suffix (资金来源, 标志设计, 一等奖作者 are a notice's text).
_ABBREVIATED_OUTLET_ROLES = frozenset((
    "本报记者", "特约记者", "特派员", "见习记者", "实习记者", "首席记者", "全媒体记者", "融媒体记者", "记者", "实习生",
    "通讯员", "责任编辑", "值班编辑", "本期编辑", "编辑", "责编"))
_BOTH_FIELDS = ("authors", "photo_credits")
_FIELD_OF_ROLE = {role: field for field, roles in _ROLE_FIELDS.items() for role in roles}


def _role_pattern(roles: tuple[str, ...]) -> str:
    """Alternation of role words; one-character roles (文, 图) need a slash or colon after them.

    Credit blocks letter-space their labels to align them (``编 辑：``, ``一 审：``), so a single space may
    stand between the characters of a role.
    """
    words = sorted(roles, key=len, reverse=True)
    return "|".join(" ?".join(w) if len(w) > 1 else f"{w}(?=\\s*[/／:：])" for w in words)


_AUTHOR_ROLES = _role_pattern(_ROLE_FIELDS["authors"])
_EDITOR_ROLES = _role_pattern(tuple(r for f in EDITOR_FIELDS for r in _ROLE_FIELDS[f]))
_ROLE = f"(?:{_role_pattern(tuple(_FIELD_OF_ROLE))})"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Minority names are transliterated with a middle dot: 阿依古丽·买买提.
_DOTTED_NAME = f"(?!{_ROLE})[{_HAN}]{{1,8}}(?:[·•・][{_HAN}]{{1,10}}){{1,2}}(?![{_HAN}·•・])"
_NAME = f"(?:{_DOTTED_NAME}|(?:(?!{_ROLE})[{_HAN}]){{2,4}}(?:(?![{_HAN}])|(?={_ROLE})))"
_NAME_SEP = r"[ 、，,]+"
_NAMES = f"{_NAME}(?:{_NAME_SEP}{_NAME}){{0,7}}"
_ROLE_AT = re.compile(f"(?P<prefix>[{_HAN}A-Za-z]{{0,8}}?)(?P<role>{_ROLE})\\s*[:：/／|｜]?\\s*")
_ROLE_INSIDE = re.compile(_ROLE)
_TOKEN_AT = re.compile("[^\\s|｜,，;；、:：()（）\\[\\]【】]+")
_SEGMENT_GAP_AT = re.compile(r"[\s|｜,，;；、]+")
_OPEN, _CLOSE = "[(（\\[【]", "[)）\\]】]"
_TRAILING_PUNCT = "。.；;，,"
_PHOTO_REPORT = re.compile(r"\s*摄影\s*报道\s*$")
_WROTE_AND_SHOT = re.compile(r"(?<=\S)\s*文\s*[/／·]\s*(?:摄|图)\s*$")
# ``报道`` closing a byline, also after where from (``记者黄旭磊／台中报导``: Taiwan's press writes 报导).
_BYLINE_SUFFIX = re.compile(
    r"(?:\s*[/／]\s*[\u4e00-\u9fff]{2,6}?)?\s*(?:报道|报导|采写|整理|整合|编译|综合)\s*$")

# Closing notes of documents that look like 2–4 Han characters in brackets.
_DOCUMENT_NOTE = re.compile(
    f"[{_HAN}]*(?:附件|全文|完|试行|暂行|草案|摘编|摘要|节选|待续|续|转载|来源|略|修订|征求意见|稿|图)[{_HAN}]*|"
    f"第[{_HAN}\\d]+[批期次号章节条]")


def _looks_like_person(name: str) -> bool:
    """A bare name (no role word beside it): ``is_person_name`` at its strictest, and not a document note."""
    return not _DOCUMENT_NOTE.fullmatch(name) and is_person_name(name)


_PHOTO_LINE = re.compile(
    f"{_OPEN}?\\s*(?:图片由\\s*(?P<provider>[^\\s()（）]{{1,30}}?)\\s*提供|"
    f"(?:[{_HAN}]{{0,8}}?(?:{_AUTHOR_ROLES}))?\\s*(?P<shooter>{_NAMES})\\s*(?:摄|摄影|供图)|"
    f"(?:图片来源|图片来自)\\s*[:：]\\s*(?P<source>[^()（）]{{1,30}}))\\s*{_CLOSE}?[。.]?")
_CAPTION_MARK = re.compile(r"[▲△▼▽]+\s*")
_LEAD_MARKS = re.compile(r"^[▲△▼▽■□●◆◇○]+\s*")  # stripped from captions and byline lines (□ 本报记者 张三)
_CAPTION_LINE = re.compile(r"(?:图为|[上下左右]?图\s*[:：])\s*\S.{0,198}")
# Only caption shapes: （图为…）, （图片…）, （资料图）, （上图：…）; never （附件：…流程图） or （见下图）.
_PAREN_CAPTION = re.compile(
    r"[(（]\s*(?P<inner>(?:图为|图片|资料图|资料照片|[上下左右]?图\s*[:：])[^()（）]{0,110})[)）]")
# ``… 李红梅 摄``, ``…（李红梅 摄）``, ``… 图/李红梅`` closing a caption.
_CAPTION_NAMES = f"[{_HAN}]{{2,4}}(?:[ 、，,][{_HAN}]{{2,4}}){{0,3}}"
# An agency or paper before the photographer inside a caption's brackets: ``（中评社 方敬为摄）``.
_CAPTION_OUTLET = f"[{_HAN}]{{1,8}}(?:社|报|网|台)\\s+"
_CAPTION_PHOTO = re.compile(
    rf"(?:\s+|(?<=[。！？.!?])|(?=[(（]))[(（]?\s*(?:(?P<labelled>[{_HAN}]{{0,8}}?记者\s*|(?<=[(（]){_CAPTION_OUTLET})?"
    rf"(?P<shooter>{_CAPTION_NAMES})\s*摄(?:影)?|"
    rf"图\s*[/／]\s*(?P<by>{_CAPTION_NAMES}))\s*[)）]?[。.]?$")
# ``…。新华社记者 詹彦 摄`` / ``…（人民网记者 黄玉琦摄）``: a line closing with who took the picture.
# … or with who took it in brackets (``…进行交接（黄琼蕙摄）``, ``…合影留念。（中评社 方敬为摄）``).
_CAPTION_SHOT = re.compile(
    rf"[。！？.!?\s(（][{_HAN}]{{0,8}}记者\s*{_CAPTION_NAMES}\s*摄[)）]?[。.]?$|\s{_CAPTION_NAMES}\s*摄$|"
    rf"[(（](?:{_CAPTION_OUTLET})?{_CAPTION_NAMES}\s*摄[)）][。.]?$")
# ``北武当山太原日报社耿婧媛摄``: a newspaper glued between the description and its photographer, no space at all.
_PRESS = "日报社|晚报社|报社|日报|晚报|时报|新闻网|广播电视台|电视台|融媒体中心"
_GLUED_SHOT = re.compile(
    rf"(?:{_PRESS})(?:摄影记者|记者)?(?P<shooter>[{_HAN}](?: ?[{_HAN}]){{1,2}})\s*摄(?:影)?[)）]?[。.]?$")
# ``本报记者 摄``: a photo credit whose template left out the name.
_NAMELESS_SHOT = re.compile(rf"[(（]?\s*(?:[{_HAN}]{{0,8}}?记者|摄影)\s*摄(?:影)?\s*[)）]?[。.]?")
_POSTFIX_CREDIT = re.compile(rf"(?P<names>{_NAMES})\s*(?P<role>文\s*[/／·]\s*图|图\s*[/／·]\s*文|图文|文图|摄)")
# (a mirror may letter-space it: 大 西 北 网 讯 (记者王志俭))
_DATELINE = re.compile(
    "(?P<dateline>(?:[^\\s，。] ?){0,24}?(?:讯|电|消息))(?P<gap>\\s*)[(（](?P<credits>[^()（）]{2,60})[)）]\\s*")
_LEADING_GLUED = re.compile(
    r"\s*(?:[【〔](?P<bracketed>[^【】〔〕\n]{2,40})[】〕]|[□■]\s*(?P<marked>[^。，！？\n]{2,60}?(?:报道|采写)))\s*")
# ``【香港商报讯】记者金山、通讯员申勇报道:1月20日,…``: after the dateline, the reporters and 报道 with a colon.
_REPORTED_BRACKET = re.compile(
    r"\s*(?P<tag>[(（][^()（）【】\n]{2,16}[)）])?\s*"
    r"(?P<byline>[【〔(（](?P<credits>[^()（）【】〔〕\n]{2,40}?(?:报导|报道))[】〕)）])\s*")
_REPORTED_GLUED = re.compile(
    r"(?P<dateline>\s*(?:【[^【】\n]{1,20}讯】|[^\s，。：:【】]{0,24}?(?:讯|电)))\s*"
    r"(?P<credits>[^。，！？\n:：【】()（）]{2,40}?(?:报道|报导))\s*[:：]\s*")
_DATELINE_BYLINE = re.compile("(?P<gap>\\s*)[(（](?P<credits>[^()（）]{2,60})[)）]\\s*")
_GLUED_CREDIT = re.compile(
    f"(?:(?<=[。！？!?…”\"\\s]){_OPEN}\\s*(?P<bracketed>[^()（）\\[\\]【】]{{2,60}})\\s*{_CLOSE}|"
    f"(?<=[。！？!?\\s])(?P<editor>(?:{_EDITOR_ROLES})\\s*[:：][^。！？!?\\n]{{1,40}}))[\\s|｜]*$")


def _parse_names(names: str, labelled: bool = True, credit: bool | None = None) -> list[str] | None:
    """Names split on blanks, 、 and commas (``苏 伟`` letter-spaced to align a block is one name); None if
    any of them is not a person's name (``is_person_name``)."""
    tokens = [t.strip(_TRAILING_PUNCT) for t in re.split(_NAME_SEP, names)]
    tokens = [t for t in tokens if t]
    out: list[str] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if len(token) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            token += tokens[i + 1]
            i += 1
        if not is_person_name(token, labelled=labelled, credit=labelled if credit is None else credit):
            return None
        out.append(token)
        i += 1
    return out or None


def _unwrap(line: str) -> str:
    """Drop one pair of surrounding brackets and trailing punctuation."""
    line = line.strip().rstrip(_TRAILING_PUNCT).strip()
    if len(line) >= 2 and line[0] in "(（[【" and line[-1] in ")）]】":
        line = line[1:-1].strip()
    return line


def _add(found: dict[str, list[str]], field: str, names: list[str]) -> None:
    for target in _BOTH_FIELDS if field == "text_and_photo" else (field,):
        found.setdefault(target, []).extend(names)


def _parse_postfix(inner: str) -> dict[str, list[str]] | None:
    """``张三 文/图`` or ``张三 摄``: names first, then the role."""
    match = _POSTFIX_CREDIT.fullmatch(inner)
    names = _parse_names(match["names"]) if match else None
    if not names or not all(map(_looks_like_person, names)):
        return None
    return {"authors": names, "photo_credits": list(names)} if match["role"] != "摄" else {"photo_credits": names}


# An outlet and a columnist's title before the role: 观察者网专栏作者, 人民日报特约撰稿.
_OUTLET_THEN_TITLE = re.compile(
    f"[{_HAN_CHARS}A-Za-z]{{1,16}}(?:社|报|网|台|刊|杂志|客户端|频道)(?:专栏|特约|签约|首席|资深)")


def _role_prefix_ok(prefix: str, role: str) -> bool:
    """An outlet glued before a role (人民网记者, 梅州日报记者, 县融媒体中心记者, and before a reporter or editor
    role an abbreviated one: 每经记者), not a name and not a noun that makes the role a word of the text
    (资金来源, 数据来源, 标志设计, 一等奖作者)."""
    if not prefix:
        return True
    if is_person_name(prefix) or _DOCUMENT_NOTE.fullmatch(prefix):
        return False
    return (looks_like_outlet(prefix) or role.replace(" ", "") in _ABBREVIATED_OUTLET_ROLES
            or bool(_OUTLET_THEN_TITLE.fullmatch(simplified_chars(prefix))))


def _close_segment(found: dict[str, list[str]], field: str | None, tokens: list[str]) -> bool:
    """File the names read after one role; False when they are no names (the text is no credit line)."""
    if field is None:
        return True
    if field == "source":
        value = " ".join(tokens).strip(_TRAILING_PUNCT)
        # 信息来源于网络, 来源自网络: a sentence about where it came from, not a label and its value
        if not value or len(tokens) != 1 or is_placeholder(value) or value.startswith(("于", "自")):
            return False
        found.setdefault("source", []).append(value)
        return True
    if tokens and looks_like_outlet(tokens[0]) and not is_person_name(tokens[0]):
        found.setdefault("source", []).append(tokens[0])  # ``图/文：县新闻中心 张坤``, ``供稿：县委宣传部``
        tokens = tokens[1:]
        if not tokens:
            return True
    names = _parse_names(" ".join(tokens))
    if names is None:
        return False
    _add(found, field, names)
    return True


def _opens_with_role(inner: str) -> bool:
    """Does a role (maybe behind an outlet) open ``inner``, after any separators? ``_parse_segments`` reads
    nothing else first; trimming a byline suffix off the end cannot make one appear."""
    gap = _SEGMENT_GAP_AT.match(inner)
    return _ROLE_AT.match(inner, gap.end() if gap else 0) is not None


def _parse_segments(inner: str) -> dict[str, list[str]] | None:
    """``记者 张三 通讯员 李四`` -> {"authors": [...]}; None unless ``inner`` is nothing but credits.

    Read as a sequence of roles (maybe behind an outlet: ``每经记者``), each followed by its names; a
    name glued to the next role (``张三通讯员``) is cut there. Every name must pass ``is_person_name``.
    """
    if "摄" not in inner and "图" not in inner and not _opens_with_role(inner):
        return None  # neither names-then-role (张三 摄, 张三 文/图) nor a role first: no credits
    return _read_segments(inner)


def _read_segments(inner: str) -> dict[str, list[str]] | None:
    """``_parse_segments`` without the quick rejection (the reference it is tested against)."""
    # 记者 张璐 摄影报道, 福州晚报记者 陈木易 文/摄: reported (wrote) and photographed
    photo_report = bool(_PHOTO_REPORT.search(inner))
    inner = _BYLINE_SUFFIX.sub("", _PHOTO_REPORT.sub("", inner))
    if postfix := _parse_postfix(inner):
        return postfix
    if _WROTE_AND_SHOT.search(inner):  # behind a role: the names before it wrote and photographed
        photo_report, inner = True, _WROTE_AND_SHOT.sub("", inner)
    found: dict[str, list[str]] = {}
    field: str | None = None
    tokens: list[str] = []
    pos, end = 0, len(inner)
    while pos < end:
        if gap := _SEGMENT_GAP_AT.match(inner, pos):
            pos = gap.end()
            continue
        role = _ROLE_AT.match(inner, pos)
        if role and _role_prefix_ok(role["prefix"], role["role"]):
            if tokens and not _close_segment(found, field, tokens):
                return None
            # A role right after a role with no names (``文/梅州日报记者：``) restates it.
            field, tokens = _FIELD_OF_ROLE[role["role"].replace(" ", "")], []
            pos = role.end()
            continue
        token = _TOKEN_AT.match(inner, pos)
        if field is None or token is None:
            return None
        text = token.group()
        glued = _ROLE_INSIDE.search(text, 2)
        if glued and field != "source":
            text = text[:glued.start()]
            if not _looks_like_person(text) and _role_prefix_ok(text, glued.group()):
                pos = token.start() + len(text)  # ``采写：南都见习记者 林子沛``: the outlet of the next role
                continue
        tokens.append(text)
        pos = token.start() + len(text)
    if not tokens or not _close_segment(found, field, tokens) or not found:
        return None
    if photo_report and "authors" in found:
        found["photo_credits"] = list(found["authors"])
    return found


_META_LABEL = re.compile(
    r"(?:原标题|发布时间|发布日期|更新时间|时间|日期|来源|稿件来源|文章来源|信息来源|作者|责任编辑|编辑|录入|发布人|"
    r"点击|点击数|浏览|浏览次数|阅读|阅读次数|通讯员|记者|摄影|摄像|审核人|审核|校对|签发|刊发日期|发稿时间|"
    r"发表时间|语音阅读|朗读)\s*[:：]")
_META_NOISE = re.compile(r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|[|｜]")
# Labels whose value is a name the fields keep: a value there that gives no name keeps the line in the text.
_CREDIT_VALUE_LABEL = re.compile(r"(?:作者|责任编辑|编辑|通讯员|记者|摄影|摄像)\s*[:：]")
# What a credit label may hold and still name nobody: nothing, a placeholder, a CMS login or id, a count.
_NO_NAME_VALUE = re.compile(r"[\s\d:：|｜,，.]*|[a-z][a-z0-9_]{1,30}|[A-Za-z0-9_]*\d[A-Za-z0-9_]*")


# A counter a template printed without its label's colon (``阅读()``, ``浏览(35)``): no value of any label.
_EMPTY_COUNTER = re.compile(r"(?:阅读|浏览|点击)(?:次数|量)?\s*[(（]\s*\d*\s*[)）]")


def _meta_line(line: str) -> dict[str, list[str]] | None:
    """A page's metadata line left in the text (``2020-12-29 14:59 来源:重庆日报 作者:``, ``原标题:…``,
    ``编辑: 杨玉娟 审核人:叶玲玲 阅读次数:2287``): only labels, their short values and dates. Its source,
    authors, editor and photo credits go to the fields; a line whose credit label names someone the name test
    refuses stays in the text (its value is never dropped unseen)."""
    from govnews.extract.byline import parse_byline

    line = _EMPTY_COUNTER.sub(" ", line).strip()
    if not line or len(line) > MAX_META_LINE or _SENTENCE.search(line) or not _META_LABEL.search(line):
        return None
    if line.startswith(("原标题", "原標題")):
        return {"review": []}
    labels = list(_META_LABEL.finditer(line))
    rest = _META_NOISE.sub(" ", line[:labels[0].start()])
    if rest.strip() or any(len(_value_after(line, m, labels)) > MAX_META_VALUE for m in labels):
        return None
    byline = parse_byline(line)
    found: dict[str, list[str]] = {"review": []}
    if byline.source:
        found["source"] = [byline.source]
    if byline.authors:
        found["authors"] = byline.authors
    editors = [e for e in (byline.editor or "").split("、")
               if e and is_person_name(e, latin_ok=True, labelled=True, credit=True)]
    if editors:
        found["editor:2"] = editors
    if byline.photo_credits:
        found["photo_credits"] = byline.photo_credits
    for label in labels:
        kind = _CREDIT_VALUE_LABEL.fullmatch(label.group())
        if kind is None:
            continue
        field = {"作者": "authors", "通讯员": "authors", "记者": "authors", "摄影": "photo_credits",
                 "摄像": "photo_credits"}.get(label.group().rstrip(":： "), "editor:2")
        value = (_value_after(line, label, labels).split() or [""])[0]
        if (field not in found and not is_placeholder(value) and not _NO_NAME_VALUE.fullmatch(value)
                and not (looks_like_outlet(value) and not is_person_name(value))):
            return None  # a name the name test refused: the line stays, its value is not dropped unseen
    return found


def _value_after(line: str, label: re.Match[str], labels: list[re.Match[str]]) -> str:
    later = [m.start() for m in labels if m.start() > label.start()]
    return _META_NOISE.sub("", line[label.end():later[0] if later else len(line)]).strip()


def _parse_credit_text(inner: str, min_bare: int = 0) -> dict[str, list[str]] | None:
    """Credits with roles, or bare names (at least ``min_bare`` of them), which are the authors.

    One bare bracketed name at the end of a text is as likely a note (（盖章）, （石楼县）, a poem's
    （李白）) as a byline, so closing groups need two names; a dateline's bracket allows one.
    """
    found = _parse_segments(inner)
    if found is None and min_bare and re.fullmatch(_NAMES, inner):
        names = _bare_names(inner)
        found = {"authors": names} if names and len(names) >= min_bare else None
    if found is None and min_bare:
        found = _outlet_and_names(inner)
    return found


def _bare_names(inner: str) -> list[str] | None:
    """The names of a bracketed group without roles (``（张明提 弓芳芳）``), or None.

    Every name must pass the strict test, except that in a group of two or more, where one does, the others
    need only pass it as names in a byline do (弓芳芳: 弓 is a surname the 百家姓 lists, the ranking does not).
    """
    names = _parse_names(inner, labelled=False, credit=True)
    if not names:
        return None
    strict = [_looks_like_person(n) for n in names]
    if all(strict):
        return names
    if len(names) >= 2 and any(strict) and all(
            s or (is_person_name(n, credit=True) and not _DOCUMENT_NOTE.fullmatch(n))
            for n, s in zip(names, strict, strict=True)):
        return names
    return None


def _outlet_and_names(inner: str) -> dict[str, list[str]] | None:
    """``平舆融媒 常启慧 朱青``, ``县电视台鲁冠均``: the outlet, then its reporters' names, and nothing else."""
    tokens = inner.split()
    if not tokens:  # empty brackets: （）
        return None
    if len(tokens) == 1:  # glued: try the outlet ending before a two- or three-character name
        for size in (3, 2):
            outlet, name = inner[:-size], inner[-size:]
            if len(outlet) >= 2 and looks_like_outlet(outlet) and _looks_like_person(name):
                return {"authors": [name], "source": [outlet]}
        return None
    outlet, names = tokens[0], _parse_names(" ".join(tokens[1:]), labelled=False)
    if not names or not looks_like_outlet(outlet) or not all(map(_looks_like_person, names)):
        return None
    return {"authors": names, "source": [outlet]}


def _photo_credits(line: str) -> list[str] | None:
    """``图片由X提供``, ``张三 摄``, ``图片来源：X``, or a line of photo roles only (``摄影：张三``)."""
    match = _PHOTO_LINE.fullmatch(line)
    if match is None:
        found = _parse_segments(_unwrap(line)) if len(line) <= MAX_CREDIT_LINE else None
        return found["photo_credits"] if found and list(found) == ["photo_credits"] else None
    if match["shooter"]:
        return _parse_names(match["shooter"])
    return [(match["provider"] or match["source"]).strip()]


def _marked_caption(line: str) -> str | None:
    mark = _CAPTION_MARK.match(line)
    return line[mark.end():].strip() if mark and mark.end() < len(line) else None


def _caption(line: str) -> str | None:
    if _CAPTION_LINE.fullmatch(line):
        return line
    paren = _PAREN_CAPTION.fullmatch(line)
    return paren["inner"].strip() if paren else None


# Longer lines are prose, not credits.
MAX_CREDIT_LINE = 80
# A metadata line is at most this long, each of its values at most this long.
MAX_META_LINE, MAX_META_VALUE = 120, 30
_SENTENCE = re.compile(r"[。！？!?；;]")
# Where names came from is recorded for this many lines, each cut to this length.
MAX_ORIGINS, MAX_ORIGIN_LINE = 50, 120
# A single bracketed name closing the last paragraph is a byline only after this much prose.
MIN_PROSE_BEFORE_BARE_NAME = 40
MAX_CAPTION_LINE = 200
MAX_CREDIT_CAPTION = 100


class _Taken:
    """What the step moved out of the text so far."""

    def __init__(self) -> None:
        self.extracted: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.removed: list[str] = []
        self.origins: dict[tuple[str, tuple[str, ...], str], None] = {}  # ordered set: repeats kept once
        self._seen: dict[str, set[str]] = {}  # beside each list, so dropping repeats stays linear

    def take(self, found: dict[str, list[str]], removed_text: str | None, count_as: str = "") -> None:
        for field, values in found.items():
            key = count_as or field
            self.counts[key] = self.counts.get(key, 0) + len(values)
            if removed_text is not None and field != "captions" and len(self.origins) < MAX_ORIGINS:
                self.origins[(field, tuple(values), removed_text[:MAX_ORIGIN_LINE])] = None
            if field == "review":
                continue  # 审核/校对 names are removed with their line but have no field
            bucket = self.extracted.setdefault(field, [])
            seen = self._seen.setdefault(field, set())
            for value in values:
                if value not in seen or field == "captions":  # one caption per picture, repeats included
                    seen.add(value)
                    bucket.append(value)
        if removed_text is not None:
            self.removed.append(removed_text)


_PRESS_THEN_NAMES = re.compile(
    rf"[{_HAN}]{{2,12}}(?:日报|晚报|时报|报社|报|新闻网|网|电视台|台|通讯社|社|融媒体中心|融媒)"
    rf"(?: +[{_HAN}]{{2,4}}){{1,4}}")


def _edge_credit(line: str, at_end: bool) -> dict[str, list[str]] | None:
    """A whole first/last line of credits; bare ``（张三 李四）`` only counts at the end."""
    line = _LEAD_MARKS.sub("", line.strip()).rstrip(" |｜")
    if not line or len(line) > MAX_CREDIT_LINE:
        return None
    bare = at_end and line[0] in "(（" and line.rstrip(_TRAILING_PUNCT)[-1:] in ")）"
    found = _parse_credit_text(_unwrap(line), min_bare=2 if bare else 0)
    if found is None and at_end and not bare:
        found = _outlet_and_names(line)
    elif found is None and not at_end and _PRESS_THEN_NAMES.fullmatch(line):
        found = _outlet_and_names(line)  # 农民日报 陈彦宇 under the headline: a paper, a space, its reporters
    return found


def _glued_credit(line: str) -> tuple[int, dict[str, list[str]]] | None:
    """A byline or editor credit glued to the end of the last paragraph: (where it starts, credits)."""
    match = _GLUED_CREDIT.search(line, max(0, len(line) - 100))
    if match is None or not line[:match.start()].strip():
        return None
    if match["bracketed"] is not None:
        before = line[:match.start()].rstrip()
        # One name closing a paragraph of prose is its reporter (…举行。（张巨峰）); after a short line it is
        # as likely a quotation's attribution (…济沧海。（李白）).
        long_prose = len(before) >= MIN_PROSE_BEFORE_BARE_NAME and before[-1:] in "。！？!?”"
        found = _parse_credit_text(match["bracketed"].strip(), min_bare=1 if long_prose else 2)
    else:
        found = _parse_segments(match["editor"])
    return (match.start(), found) if found else None


def split_caption(caption: str) -> dict[str, list[str]] | None:
    """A caption without its marks, and a trailing ``X 摄`` / ``图/X`` moved to photo_credits.

    Public so captions found elsewhere (figcaptions) can be cleaned the same way:
    ``▲ 宋家沟村杏花盛开 李红梅 摄`` -> {"captions": ["宋家沟村杏花盛开"], "photo_credits": ["李红梅"]}.
    """
    caption = undouble(_LEAD_MARKS.sub("", caption).strip())
    found: dict[str, list[str]] = {}
    photo = _CAPTION_PHOTO.search(caption, max(0, len(caption) - 40))
    names = _parse_names(photo["shooter"] or photo["by"]) if photo else None
    # A reporter's or an outlet's label vouches for the name as a byline's label does (中评社 方敬为摄).
    person = ((lambda n: is_person_name(n, labelled=True, credit=True)) if photo and photo["labelled"]
              else _looks_like_person)
    if photo and names and all(map(person, names)) and caption[:photo.start()].strip():
        found["photo_credits"] = names
        caption = caption[:photo.start()].strip()
    elif glued := glued_outlet_shot(caption):
        start, names = glued
        found["photo_credits"] = names
        caption = caption[:start].strip()
    if caption:
        found["captions"] = [caption]
    return found or None


def glued_outlet_shot(caption: str) -> tuple[int, list[str]] | None:
    """``北武当山太原日报社耿婧媛摄`` -> (4, ["耿婧媛"]): where the credit (the newspaper, its place and the
    photographer) starts, and the photographer; None unless a place word stands before the paper's name, a
    description before that, and the name is a person's (``credit``: 百家姓 surnames count)."""
    from govnews.names import place_before

    match = _GLUED_SHOT.search(caption, max(0, len(caption) - 30))
    if match is None:
        return None
    start = place_before(caption, match.start())
    names = _parse_names(match["shooter"], labelled=False, credit=True)
    if start is None or not caption[:start].strip() or not names or len(names) != 1:
        return None
    return start, names


def undouble(line: str) -> str:
    """A caption a mirror printed twice in a row (``图为X。 记者 Y 摄图为X。 记者 Y 摄``) once."""
    half = len(line) // 2
    if len(line) >= 8 and len(line) % 2 == 0 and line[:half] == line[half:]:
        return line[:half].strip()
    return line


_PLAIN_ROLE = "|".join(sorted(_FIELD_OF_ROLE, key=len, reverse=True))
# ``聂荣生:摄影,编辑,制作``: a name, then what the person did; one of it taking the pictures.
_NAME_THEN_ROLES = re.compile(
    rf"(?P<name>[{_HAN}]{{2,4}})\s*[:：]\s*(?P<roles>(?:{_PLAIN_ROLE})(?:\s*[,，、/／]\s*(?:{_PLAIN_ROLE})){{0,5}})[。.]?")


def name_then_roles(line: str) -> dict[str, list[str]] | None:
    """``聂荣生:摄影,编辑,制作`` -> photo_credits and editor ``聂荣生``: a person's name, a colon, and nothing but
    role words, a photo role among them; the name goes to each role's field."""
    match = _NAME_THEN_ROLES.fullmatch(line)
    if match is None or not _looks_like_person(match["name"]):  # no label vouches for it: the strict test
        return None
    fields = {_FIELD_OF_ROLE[role] for role in re.split(r"\s*[,，、/／]\s*", match["roles"])}
    if "photo_credits" not in fields:
        return None
    found: dict[str, list[str]] = {}
    for field in sorted(fields):
        _add(found, field, [match["name"]])
    return found


def _caption_or_photo(line: str) -> dict[str, list[str]] | None:
    if by_name := name_then_roles(line):
        return by_name
    if caption := _marked_caption(line):
        if photo := _photo_credits(caption):
            return {"photo_credits": photo}
        return split_caption(caption)
    if photo := _photo_credits(line):
        return {"photo_credits": photo}
    caption = _caption(line)
    if caption:
        return split_caption(caption)
    if _NAMELESS_SHOT.fullmatch(line):
        return {"review": []}  # 本报记者 摄: nobody to credit, and no text either
    # A short line that closes with a reporter's photo credit is a caption (…风光。新华社记者 詹彦 摄), and so
    # does one that closes with a newspaper and its photographer (北武当山太原日报社耿婧媛摄).
    if len(line) > MAX_CREDIT_CAPTION:
        return None
    if not glued_outlet_shot(line) and (_ROLE_AT.match(_unwrap(line)) or not _CAPTION_SHOT.search(undouble(line))):
        return None
    found = split_caption(line)
    return found if found and found.get("photo_credits") and found.get("captions") else None


# Every caption or photo-credit shape holds a shot (摄), a picture word (图片, 图为, 供图, 资料图, 照片), the role
# 图 before its slash or colon, or a caption mark: a line without any (地图 and 蓝图 have none) is not looked at
# further, nor a text without any.
_CAPTION_HINT = re.compile(r"摄|▲|△|▼|▽|照片|供图|资料图|图(?: ?片|为|\s*[/／:：])")  # literals first: C-speed skip


def _take_captions(lines: list[str], taken: _Taken) -> list[str]:
    """Remove caption and photo-credit lines wherever they sit (captions are often moved together)."""
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        found = (_caption_or_photo(stripped)
                 if stripped and len(stripped) <= MAX_CAPTION_LINE and _CAPTION_HINT.search(stripped) else None)
        if found:
            taken.take(found, stripped)
            continue
        kept.append(line)
    return kept


_DATE_ONLY = re.compile(
    r"\s*(?:[A-Za-z][A-Za-z ]{1,30}\s*[·|｜]\s*)?"  # a romanised site name before it: Xin Lang Cai Jing·
    r"(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*")


_OUTLET_AND_DATE = re.compile(
    rf"\s*(?P<outlet>[{_HAN}]{{2,20}})\s+(?P<date>(?:19|20)\d{{2}}(?:[-/.]\d{{1,2}}[-/.]\d{{1,2}}|"
    rf"年\d{{1,2}}月\d{{1,2}}日)(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)\s*")


def _date_only(line: str) -> dict[str, list[str]] | None:
    """``2016-01-22`` (``2016-01-22 10:31``) alone on a line at the head: the page's date line, no text; with the
    publishing office before it (``辽宁省卫生健康委员会 2022年12月06日``), that office is the source."""
    if _DATE_ONLY.fullmatch(line):
        return {"review": []}
    match = _OUTLET_AND_DATE.fullmatch(line)
    if match and looks_like_outlet(match["outlet"]) and not is_person_name(match["outlet"]):
        return {"source": [match["outlet"]]}
    return None


def _take_leading_credits(lines: list[str], taken: _Taken) -> list[str]:
    """Remove credit lines from the top (``记者 张三``, ``文/张三``), and a byline that opens the first
    paragraph (``【全媒体记者 李索】近日…``, ``□记者 张三 报道 近日…``)."""
    start = 0
    while start < len(lines) and (found := _edge_credit(lines[start], at_end=False)):
        taken.take(found, lines[start].strip())
        start += 1
    lines = lines[start:]
    # Under a subtitle or a repeated headline, a whole line of credits or page metadata still counts: it
    # is looked for until HEAD_LINES lines of text are kept (one pass, so a second call finds nothing).
    kept_head: list[str] = []
    index = paragraphs = 0
    while index < min(len(lines), MAX_HEAD_SCAN) and paragraphs < HEAD_LINES:
        found = _edge_credit(lines[index], at_end=False) or _meta_line(lines[index]) or (
            None if kept_head else _date_only(lines[index]))
        if found is not None:
            taken.take(found, lines[index].strip())
        else:
            kept_head.append(lines[index])
            paragraphs += is_paragraph(lines[index])
        index += 1
    lines = kept_head + lines[index:]
    for index, line in enumerate(lines[:head_span(lines, DATELINE_LINES)]):
        if (reported := _REPORTED_GLUED.match(line)) is None:
            continue
        found = _parse_segments(reported["credits"].strip())
        if found and found.get("authors") and line[reported.end():].strip():
            taken.take(found, reported["credits"].strip())
            lines[index] = reported["dateline"].strip() + line[reported.end():]
    if lines and (glued := _LEADING_GLUED.match(lines[0])):
        found = _parse_segments((glued["bracketed"] or glued["marked"]).strip())
        if found and found.get("authors") and lines[0][glued.end():].strip():
            taken.take(found, glued.group().strip())
            lines[0] = lines[0][glued.end():]
            return lines
    _take_reported_byline(lines, taken)
    return lines


def _take_reported_byline(lines: list[str], taken: _Taken) -> None:
    """``【记者陈建佳/新竹报导】交通部…``, ``（特派员陈明/苗栗报导）苗栗县政府…``, also behind an outlet's tag
    (``（观传媒南投新闻）【记者X/南投报导】…``): a bracketed byline that says it reported, opening the first paragraph
    under the page's headline and chrome. Only the first one: a page listing several stories keeps the others."""
    for index, line in enumerate(lines[:head_span(lines, 1)]):
        glued = _REPORTED_BRACKET.match(line)
        if glued is None or not line[glued.end():].strip():
            continue
        found = _parse_segments(glued["credits"].strip())
        if found and found.get("authors"):
            taken.take(found, glued["byline"].strip())
            lines[index] = (glued["tag"] or "") + line[glued.end():].lstrip()
        return


# Lines after the last credit line that are still page, not article: this many at most.
MAX_TAIL_FURNITURE = 3
_TAIL_FURNITURE = re.compile(r"Powered by|版权所有|ICP|技术支持|欢迎光临|合作单位|友情链接", re.IGNORECASE)
_ANY_PUNCT = re.compile(r"[\d\W_]")


def _is_tail_furniture(line: str) -> bool:
    """A line a page prints under the article (``< >``, ``合作单位``, ``Powered by Discuz!``, a footer): no Han at
    all, a footer word, a widget line, or a bare label of a few characters (never an attachment: 附件)."""
    from govnews.clean.widgets import classify_widget_line

    line = line.strip()
    if not line:
        return True
    if not re.search(f"[{_HAN}]", line):
        return len(line) <= 40
    if len(line) <= 6 and not _ANY_PUNCT.search(line) and not line.startswith("附"):
        return True
    return bool(_TAIL_FURNITURE.search(line)) or classify_widget_line(line) is not None


def _skip_tail_furniture(lines: list[str], taken: _Taken) -> list[str]:
    """Drop the page's lines under the last credit line: a credit line ends the article, so what follows it
    and is furniture by shape is the page's (only then: a short line closing a text is not furniture alone)."""
    for count in range(1, min(MAX_TAIL_FURNITURE, len(lines) - 1) + 1):
        if not _is_tail_furniture(lines[-count]):
            return lines
        above = lines[-count - 1]
        if _edge_credit(above, at_end=True) or _glued_credit(above):
            for line in lines[-count:]:
                taken.counts["tail_furniture"] = taken.counts.get("tail_furniture", 0) + 1
                taken.removed.append(line.strip())
            return lines[:-count]
    return lines


def _take_trailing_credits(lines: list[str], taken: _Taken) -> list[str]:
    """Remove credit lines from the bottom, and bylines or editors glued to the last paragraph (also under the
    page furniture that follows them)."""
    while lines:
        if found := _edge_credit(lines[-1], at_end=True):
            taken.take(found, lines.pop().strip())
        elif glued := _glued_credit(lines[-1]):
            start, found = glued
            taken.take(found, lines[-1][start:].strip())
            lines[-1] = lines[-1][:start].rstrip()
        elif len(skipped := _skip_tail_furniture(lines, taken)) < len(lines):
            lines = skipped  # furniture between credit lines too: one call reads them all (idempotent)
        else:
            break
    return lines


def _take_dateline_byline(lines: list[str], taken: _Taken) -> None:
    """``本报讯（记者 张三）近日…`` -> ``本报讯 近日…``: the reporters move out, the dateline stays.

    Several bylines in a row are read with one cursor and the line is rebuilt once, so it stays linear.
    """
    for index, line in enumerate(lines[:head_span(lines, DATELINE_LINES)]):
        if _DATELINE.match(line.strip()):
            _take_dateline_at(lines, index, taken)
            # The same dateline further on opens a second copy of the body: both copies lose the byline, so
            # they stay alike for remove_duplicated_body.
            for later in range(index + 1, len(lines)):
                if lines[later] == line:
                    lines[later] = lines[index]


# Credit and metadata lines are looked for in this many paragraphs at the head of the text.
HEAD_LINES = 4
# A dateline may open the second or third paragraph, under a lead or a subtitle.
DATELINE_LINES = 3
# A head line with no more Han characters than this and no sentence's end (a repeated headline, a date line,
# a site's ``【返回】`` or ``主打稿``) is no paragraph: the head's limits count paragraphs, not lines. No more lines
# than MAX_HEAD_SCAN are looked at.
SHORT_HEAD_LINE, MAX_HEAD_SCAN = 30, 10


_HAN_CHAR = re.compile(f"[{_HAN}]")


def is_paragraph(line: str) -> bool:
    """Prose rather than a headline, a date line or a piece of page chrome: many Han characters (an info line
    of dates and times has few), or a sentence's end."""
    stripped = line.strip()
    return bool(_SENTENCE.search(stripped)) or (
        len(stripped) > SHORT_HEAD_LINE and len(_HAN_CHAR.findall(stripped)) > SHORT_HEAD_LINE)


def head_span(lines: list[str], paragraphs: int) -> int:
    """How many lines from the top hold the first ``paragraphs`` paragraphs (with the short lines before and
    among them), at most ``MAX_HEAD_SCAN``."""
    seen = 0
    for index, line in enumerate(lines[:MAX_HEAD_SCAN]):
        seen += is_paragraph(line)
        if seen >= paragraphs:
            return index + 1
    return min(len(lines), MAX_HEAD_SCAN)


def _take_dateline_at(lines: list[str], index: int, taken: _Taken) -> None:
    first = lines[index].strip()
    dateline = _DATELINE.match(first)
    if dateline is None:
        return
    pos = dateline.end("dateline")
    spaced = False
    while byline := _DATELINE_BYLINE.match(first, pos):
        found = _parse_credit_text(byline["credits"].strip(), min_bare=1)
        if not found or not found.get("authors"):
            break
        taken.take({"authors": found["authors"]}, first[pos:byline.end()].strip(), count_as="dateline_authors")
        if found.get("photo_credits"):  # (福州晚报记者 陈木易 文/摄): the reporter took the pictures too
            taken.take({"photo_credits": found["photo_credits"]}, None)
        spaced = spaced or bool(byline["gap"]) or byline.end() > byline.end("credits") + 1
        pos = byline.end()
    if pos > dateline.end("dateline"):
        lines[index] = dateline["dateline"] + (" " if spaced else "") + first[pos:]


def extract_credits(text: str) -> StepResult:
    """Move bylines, editors, photo credits and captions out of the text into ``extracted``."""
    if not text:
        return StepResult(text)
    taken = _Taken()
    lines = text.split("\n")
    if _CAPTION_HINT.search(text):
        lines = _take_captions(lines, taken)
    lines = _take_leading_credits(lines, taken)
    _take_dateline_byline(lines, taken)
    lines = _take_trailing_credits(lines, taken)
    if not taken.counts:
        return StepResult(text)
    extracted, counts, origins = _one_editor(taken)
    return StepResult("\n".join(lines), counts, samples_of(taken.removed), extracted, origins)


_Origins = tuple[tuple[str, tuple[str, ...], str], ...]


def _one_editor(taken: _Taken) -> tuple[dict[str, list[str]], dict[str, int], _Origins]:
    """The editor field is one role's names: 责任编辑 over 责编/值班编辑 over 编辑; names of the other editor
    roles leave the text with their lines, recorded as ``review``."""
    extracted = dict(taken.extracted)
    best = next((field for field in EDITOR_FIELDS if extracted.get(field)), None)
    for field in EDITOR_FIELDS:
        names = extracted.pop(field, [])
        if field == best:
            extracted["editor"] = names
    counts: dict[str, int] = {}
    for field, n in taken.counts.items():
        key = field if field not in EDITOR_FIELDS else ("editor" if field == best else "review")
        counts[key] = counts.get(key, 0) + n
    origins = tuple((field if field not in EDITOR_FIELDS else ("editor" if field == best else "review"), names, line)
                    for field, names, line in taken.origins)
    return extracted, counts, origins
