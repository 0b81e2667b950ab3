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

# Role words by the field their names go to, longest first so 责任编辑 wins over 编辑.
_ROLE_FIELDS: dict[str, tuple[str, ...]] = {
    "authors": ("本报记者", "特约记者", "见习记者", "实习记者", "首席记者", "融媒体记者", "记者", "通讯员",
                "实习生", "撰文", "撰稿", "作者", "文字", "文"),
    "photo_credits": ("摄影", "摄像", "图片", "图"),
    "editor": ("责任编辑", "值班编辑", "编辑", "责编"),
    "review": ("审核", "审校", "校对", "终审", "初审", "复审", "一审", "二审", "三审", "监制", "统筹", "审签",
               "签发", "编审"),
    # ``文·图/张三``: one person wrote and photographed; split into authors and photo_credits.
    "text_and_photo": ("文·图", "文/图", "文／图", "图/文", "图／文", "图·文", "文图", "图文"),
}
# Review names (初审/二审/三审, 审核, 校对) leave the text with their line but are not stored: the
# article schema has one editor field, and 责任编辑 is the editor readers know.
_BOTH_FIELDS = ("authors", "photo_credits")
_FIELD_OF_ROLE = {role: field for field, roles in _ROLE_FIELDS.items() for role in roles}


def _role_pattern(roles: tuple[str, ...]) -> str:
    """Alternation of role words; one-character roles (文, 图) need a slash or colon after them."""
    words = sorted(roles, key=len, reverse=True)
    return "|".join(w if len(w) > 1 else f"{w}(?=\\s*[/／:：])" for w in words)


_AUTHOR_ROLES = _role_pattern(_ROLE_FIELDS["authors"])
_EDITOR_ROLES = _role_pattern(_ROLE_FIELDS["editor"])
_ROLE = f"(?:{_role_pattern(tuple(_FIELD_OF_ROLE))})"
_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
# Minority names are transliterated with a middle dot: 阿依古丽·买买提.
_DOTTED_NAME = f"(?!{_ROLE})[{_HAN}]{{1,8}}(?:[·•・][{_HAN}]{{1,10}}){{1,2}}(?![{_HAN}·•・])"
_NAME = f"(?:{_DOTTED_NAME}|(?:(?!{_ROLE})[{_HAN}]){{2,4}}(?:(?![{_HAN}])|(?={_ROLE})))"
_NAME_SEP = r"[ 、，,]+"
_NAMES = f"{_NAME}(?:{_NAME_SEP}{_NAME}){{0,7}}"
_SEGMENT = re.compile(f"(?P<role>{_ROLE})\\s*[:：/／]?\\s*(?P<names>{_NAMES})")
_SEGMENT_GAP = re.compile(r"[\s|｜,，;；]*")
_OPEN, _CLOSE = "[(（\\[【]", "[)）\\]】]"
_TRAILING_PUNCT = "。.；;，,"
_BYLINE_SUFFIX = re.compile(r"\s*(?:报道|采写|整理|整合|编译|综合)\s*$")

# Words that look like 2–4 Han characters but are outlets, offices or notes, not people.
_NOT_A_NAME = re.compile(
    f"[{_HAN}]*(?:社|报|网|台|局|委|部|厅|办|院|会|站|司|处|所|中心|公司|新闻|提供|报道)|"
    f".*(?:本报|综合|编译|整理|整合|来源|转载|原创|未完|待续)")
# Common surnames (about 350 single, 36 compound): a bare ``（张三 李四）`` is a byline only if every
# item starts with one, since closing notes such as ``（附件略）`` or ``（试行）`` have the same shape.
_SINGLE_SURNAMES = frozenset(
    "王李张刘陈杨黄洛赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段"
    "雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲"
    "翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊仝郜阚权强帅屠豆朴盖练廉禹井祖漆巴丰支卿狄晋云容敬扈晁芮阙浦戈伏鹿薄邸雍辜羊"
    "乌裘亓邰赫杭宿鲜逯隆茹诸战慕亢嵇湛宾戎勾茅呼尉冶斯檀昝智幸奉衡尧"
)
_COMPOUND_SURNAME_PAIRS = ("欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒令狐夏侯轩辕端木独孤南宫西门"
                           "呼延申屠澹台公冶太史万俟闻人赫连第五钟离宗政濮阳淳于单于百里东郭左丘拓跋")
_COMPOUND_SURNAMES = frozenset(_COMPOUND_SURNAME_PAIRS[i:i + 2] for i in range(0, len(_COMPOUND_SURNAME_PAIRS), 2))
# Closing notes of documents that look like 2–4 Han characters in brackets.
_DOCUMENT_NOTE = re.compile(
    f"[{_HAN}]*(?:附件|全文|完|试行|暂行|草案|摘编|摘要|节选|待续|续|转载|来源|略|修订|征求意见|稿|图)[{_HAN}]*|"
    f"第[{_HAN}\\d]+[批期次号章节条]")


def _looks_like_person(name: str) -> bool:
    """2–4 Han characters opening with a common surname, and not a document note."""
    if not 2 <= len(name) <= 4 or not re.fullmatch(f"[{_HAN}]+", name) or _DOCUMENT_NOTE.fullmatch(name):
        return False
    return (name[:2] in _COMPOUND_SURNAMES and len(name) >= 3) or name[0] in _SINGLE_SURNAMES


_PHOTO_LINE = re.compile(
    f"{_OPEN}?\\s*(?:图片由\\s*(?P<provider>[^\\s()（）]{{1,30}}?)\\s*提供|"
    f"(?:{_AUTHOR_ROLES})?\\s*(?P<shooter>{_NAMES})\\s*(?:摄|摄影|供图)|"
    f"(?:图片来源|图片来自)\\s*[:：]\\s*(?P<source>[^()（）]{{1,30}}))\\s*{_CLOSE}?[。.]?")
_CAPTION_MARK = re.compile(r"[▲△▼▽]+\s*")
_LEAD_MARKS = re.compile(r"^[▲△▼▽■□●◆◇○]+\s*")  # stripped from captions and byline lines (□ 本报记者 张三)
_CAPTION_LINE = re.compile(r"(?:图为|[上下左右]?图\s*[:：])\s*\S.{0,198}")
# Only caption shapes: （图为…）, （图片…）, （资料图）, （上图：…）; never （附件：…流程图） or （见下图）.
_PAREN_CAPTION = re.compile(
    r"[(（]\s*(?P<inner>(?:图为|图片|资料图|资料照片|[上下左右]?图\s*[:：])[^()（）]{0,110})[)）]")
# ``… 李红梅 摄``, ``…（李红梅 摄）``, ``… 图/李红梅`` closing a caption.
_CAPTION_NAMES = f"[{_HAN}]{{2,4}}(?:[ 、，,][{_HAN}]{{2,4}}){{0,3}}"
_CAPTION_PHOTO = re.compile(
    rf"(?:\s+|(?<=[。！？.!?])|(?=[(（]))[(（]?\s*(?:(?P<shooter>{_CAPTION_NAMES})\s*摄(?:影)?|"
    rf"图\s*[/／]\s*(?P<by>{_CAPTION_NAMES}))\s*[)）]?[。.]?$")
_POSTFIX_CREDIT = re.compile(rf"(?P<names>{_NAMES})\s*(?P<role>文\s*[/／·]\s*图|图\s*[/／·]\s*文|图文|文图|摄)")
_DATELINE = re.compile(
    "(?P<dateline>[^\\s，。]{0,24}?(?:讯|电))(?P<gap>\\s*)[(（](?P<credits>[^()（）]{2,60})[)）]\\s*")
_DATELINE_BYLINE = re.compile("(?P<gap>\\s*)[(（](?P<credits>[^()（）]{2,60})[)）]\\s*")
_GLUED_CREDIT = re.compile(
    f"(?:(?<=[。！？!?…”\"\\s]){_OPEN}\\s*(?P<bracketed>[^()（）\\[\\]【】]{{2,60}})\\s*{_CLOSE}|"
    f"(?<=[。！？!?\\s])(?P<editor>(?:{_EDITOR_ROLES})\\s*[:：][^。！？!?\\n]{{1,40}}))\\s*$")


def _parse_names(names: str) -> list[str] | None:
    """2–4-character names split on blanks, 、 and commas; None if any of them is not a person."""
    out: list[str] = []
    for token in re.split(_NAME_SEP, names):
        token = token.strip(_TRAILING_PUNCT)
        if not token:
            continue
        if _NOT_A_NAME.fullmatch(token):
            return None
        out.append(token)
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


def _parse_segments(inner: str) -> dict[str, list[str]] | None:
    """``记者 张三 通讯员 李四`` -> {"authors": [...]}; None unless ``inner`` is nothing but credits."""
    inner = _BYLINE_SUFFIX.sub("", inner)
    if postfix := _parse_postfix(inner):
        return postfix
    found: dict[str, list[str]] = {}
    pos = 0
    for match in _SEGMENT.finditer(inner):
        names = _parse_names(match["names"])
        if names is None or not _SEGMENT_GAP.fullmatch(inner, pos, match.start()):
            return None
        _add(found, _FIELD_OF_ROLE[match["role"]], names)
        pos = match.end()
    if not found or not _SEGMENT_GAP.fullmatch(inner, pos):
        return None
    return found


def _parse_credit_text(inner: str, min_bare: int = 0) -> dict[str, list[str]] | None:
    """Credits with roles, or bare names (at least ``min_bare`` of them), which are the authors.

    One bare bracketed name at the end of a text is as likely a note (（盖章）, （石楼县）, a poem's
    （李白）) as a byline, so closing groups need two names; a dateline's bracket allows one.
    """
    found = _parse_segments(inner)
    if found is None and min_bare and re.fullmatch(_NAMES, inner):
        names = _parse_names(inner)
        ok = names and len(names) >= min_bare and all(map(_looks_like_person, names))
        found = {"authors": names} if ok else None
    return found


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
MAX_CAPTION_LINE = 200


class _Taken:
    """What the step moved out of the text so far."""

    def __init__(self) -> None:
        self.extracted: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.removed: list[str] = []
        self._seen: dict[str, set[str]] = {}  # beside each list, so dropping repeats stays linear

    def take(self, found: dict[str, list[str]], removed_text: str | None, count_as: str = "") -> None:
        for field, values in found.items():
            key = count_as or field
            self.counts[key] = self.counts.get(key, 0) + len(values)
            if field == "review":
                continue  # 审核/校对 names are removed with their line but have no field
            bucket = self.extracted.setdefault(field, [])
            seen = self._seen.setdefault(field, set())
            for value in values:
                if value not in seen:
                    seen.add(value)
                    bucket.append(value)
        if removed_text is not None:
            self.removed.append(removed_text)


def _edge_credit(line: str, at_end: bool) -> dict[str, list[str]] | None:
    """A whole first/last line of credits; bare ``（张三 李四）`` only counts at the end."""
    line = _LEAD_MARKS.sub("", line.strip())
    if not line or len(line) > MAX_CREDIT_LINE:
        return None
    bare = at_end and line[0] in "(（" and line.rstrip(_TRAILING_PUNCT)[-1:] in ")）"
    return _parse_credit_text(_unwrap(line), min_bare=2 if bare else 0)


def _glued_credit(line: str) -> tuple[int, dict[str, list[str]]] | None:
    """A byline or editor credit glued to the end of the last paragraph: (where it starts, credits)."""
    match = _GLUED_CREDIT.search(line, max(0, len(line) - 100))
    if match is None or not line[:match.start()].strip():
        return None
    if match["bracketed"] is not None:
        found = _parse_credit_text(match["bracketed"].strip(), min_bare=2)
    else:
        found = _parse_segments(match["editor"])
    return (match.start(), found) if found else None


def split_caption(caption: str) -> dict[str, list[str]] | None:
    """A caption without its marks, and a trailing ``X 摄`` / ``图/X`` moved to photo_credits.

    Public so captions found elsewhere (figcaptions) can be cleaned the same way:
    ``▲ 宋家沟村杏花盛开 李红梅 摄`` -> {"captions": ["宋家沟村杏花盛开"], "photo_credits": ["李红梅"]}.
    """
    caption = _LEAD_MARKS.sub("", caption).strip()
    found: dict[str, list[str]] = {}
    photo = _CAPTION_PHOTO.search(caption, max(0, len(caption) - 40))
    names = _parse_names(photo["shooter"] or photo["by"]) if photo else None
    if photo and names and all(map(_looks_like_person, names)) and caption[:photo.start()].strip():
        found["photo_credits"] = names
        caption = caption[:photo.start()].strip()
    if caption:
        found["captions"] = [caption]
    return found or None


def _caption_or_photo(line: str) -> dict[str, list[str]] | None:
    if caption := _marked_caption(line):
        if photo := _photo_credits(caption):
            return {"photo_credits": photo}
        return split_caption(caption)
    if photo := _photo_credits(line):
        return {"photo_credits": photo}
    caption = _caption(line)
    return split_caption(caption) if caption else None


def _take_captions(lines: list[str], taken: _Taken) -> list[str]:
    """Remove caption and photo-credit lines wherever they sit (captions are often moved together)."""
    kept: list[str] = []
    for line in lines:
        stripped = line.strip()
        found = _caption_or_photo(stripped) if stripped and len(stripped) <= MAX_CAPTION_LINE else None
        if found:
            taken.take(found, stripped)
            continue
        kept.append(line)
    return kept


def _take_leading_credits(lines: list[str], taken: _Taken) -> list[str]:
    """Remove credit lines from the top (``记者 张三``, ``文/张三``)."""
    start = 0
    while start < len(lines) and (found := _edge_credit(lines[start], at_end=False)):
        taken.take(found, lines[start].strip())
        start += 1
    return lines[start:]


def _take_trailing_credits(lines: list[str], taken: _Taken) -> list[str]:
    """Remove credit lines from the bottom, and bylines or editors glued to the last paragraph."""
    while lines:
        if found := _edge_credit(lines[-1], at_end=True):
            taken.take(found, lines.pop().strip())
        elif glued := _glued_credit(lines[-1]):
            start, found = glued
            taken.take(found, lines[-1][start:].strip())
            lines[-1] = lines[-1][:start].rstrip()
        else:
            break
    return lines


def _take_dateline_byline(lines: list[str], taken: _Taken) -> None:
    """``本报讯（记者 张三）近日…`` -> ``本报讯 近日…``: the reporters move out, the dateline stays.

    Several bylines in a row are read with one cursor and the line is rebuilt once, so it stays linear.
    """
    first = lines[0].strip() if lines else ""
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
        spaced = spaced or bool(byline["gap"]) or byline.end() > byline.end("credits") + 1
        pos = byline.end()
    if pos > dateline.end("dateline"):
        lines[0] = dateline["dateline"] + (" " if spaced else "") + first[pos:]


def extract_credits(text: str) -> StepResult:
    """Move bylines, editors, photo credits and captions out of the text into ``extracted``."""
    if not text:
        return StepResult(text)
    taken = _Taken()
    lines = _take_leading_credits(_take_captions(text.split("\n"), taken), taken)
    _take_dateline_byline(lines, taken)
    lines = _take_trailing_credits(lines, taken)
    if not taken.counts:
        return StepResult(text)
    return StepResult("\n".join(lines), taken.counts, samples_of(taken.removed), taken.extracted)
