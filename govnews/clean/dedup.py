"""Repeated text: a title printed again above the body, a body published twice, repeated paragraphs.

Mirrors and content farms paste an article more than once. Everything here compares *keys* of text
(no whitespace, no pinyin glosses, full-width ASCII folded to half-width) so copies that differ only in
those artefacts still match, and every search is a hash lookup or a single ``str.find``, never a
comparison of all pairs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from functools import lru_cache

from govnews.clean.base import StepResult, samples_of

# A repeated paragraph is removed only when it reads as prose: short lines such as 图片, a date or a
# table cell (``忻州市人力资源和社会保障局科员`` for three people of one unit) legitimately recur.
# Prose is a sentence of at least MIN_REPEATED_SENTENCE_HAN Han characters ending in 。！…, or any line
# of at least MIN_REPEATED_PARAGRAPH_HAN Han characters.
MIN_REPEATED_SENTENCE_HAN = 10
MIN_REPEATED_PARAGRAPH_HAN = 40
# A whole-body copy must be at least this long (in key characters) to count as a duplicate body.
MIN_DUPLICATE_BODY_CHARS = 20
# ... and use this many different characters: 哈哈哈哈 or a run of one character is not two bodies.
MIN_DISTINCT_BODY_CHARS = 8
# Titles shorter than this are too likely to be an ordinary first word of the body.
MIN_GLUED_TITLE_CHARS = 5
# What follows a glued title counts as a sentence start when its first this-many key characters also
# open another paragraph (the body was published twice, once with the title glued on).
EVIDENCE_CHARS = 12

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_PINYIN_LETTERS = "a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
# What a key ignores: whitespace and (possibly repeated) pinyin glosses such as (xīnwén)(xīnwén).
_KEY_NOISE = re.compile(rf"\s+|(?:[(（][{_PINYIN_LETTERS}' ]{{1,40}}[)）])+")
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20

# Openers after which a glued title is clearly followed by the body's first sentence.
_SENTENCE_OPENER = re.compile(
    r"[0-9０-９〇一二三四五六七八九十]{1,4}[年月日]|本报讯|本报|[^\s，。、：]{1,10}(?:网|报|社|台|站|电)讯|"
    r"据|近日|日前|近期|近年来|今年以来|连日来|今年|今天|今日|昨天|昨日|目前|当前|眼下|截至|随着|为进一步|"
    r"为深入|走进|来到|记者|新华社|中新社|中新网|人民网|央视网|【|[(（]记者")
_SENTENCE_END_CHARS = "。！？!?…"
_CLAUSE_PUNCT = "，,。、：:；;！!？?）)】」』”’》〉"


def _key_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """The comparison key of ``text`` plus chunk starts (in key and in text) to map key positions back."""
    parts: list[str] = []
    key_starts: list[int] = []
    text_starts: list[int] = []
    key_len = 0
    pos = 0
    for noise in _KEY_NOISE.finditer(text):
        if noise.start() > pos:
            chunk = text[pos:noise.start()].translate(_FULLWIDTH)
            key_starts.append(key_len)
            text_starts.append(pos)
            parts.append(chunk)
            key_len += len(chunk)
        pos = noise.end()
    if pos < len(text):
        key_starts.append(key_len)
        text_starts.append(pos)
        parts.append(text[pos:].translate(_FULLWIDTH))
    return "".join(parts), key_starts, text_starts


# The glosses alone, ``(?:G)+`` written ``G(?:G)*`` so the pattern opens with the bracket class and the engine
# skips ahead to brackets at C speed.
_ONE_GLOSS = rf"[(（][{_PINYIN_LETTERS}' ]{{1,40}}[)）]"
_GLOSSES = re.compile(rf"{_ONE_GLOSS}(?:{_ONE_GLOSS})*")
_WIDE = re.compile("[\uff01-\uff5e\u3000]")
_HALF = {chr(code): chr(half) for code, half in _FULLWIDTH.items()}


def _fold_width(text: str) -> str:
    """``text.translate(_FULLWIDTH)``, by one ``str.replace`` per full-width character present (C speed)."""
    for char in set(_WIDE.findall(text)):
        text = text.replace(char, _HALF[char])
    return text


def _unglossed_folded(text: str) -> str:
    """``text`` without glosses, full-width ASCII folded; blanks still in.

    Glosses and blank runs never overlap (a gloss opens with a bracket, a blank run with a blank), so removing
    the glosses first and the blanks after gives what ``_KEY_NOISE`` removes in one scan; folding comes after
    the glosses, as in ``text_key`` (a full-width letter must not turn into a gloss letter).
    """
    if "(" in text or "（" in text:
        text = _GLOSSES.sub("", text)
    return _fold_width(text)


@lru_cache(maxsize=16)  # the same body is keyed by several steps and by both cleaning passes
def text_key(text: str) -> str:
    """What two copies of a text share: no blanks, no pinyin glosses, half-width ASCII.

    Equal to ``_KEY_NOISE.sub("", text).translate(_FULLWIDTH)``; ``str.split()`` drops exactly the
    characters ``\\s`` matches.
    """
    return "".join(_unglossed_folded(text).split())


@lru_cache(maxsize=16)
def line_keys(text: str) -> tuple[str, ...]:
    """``text_key`` of every line of ``text``, from one scan of the whole text (glosses never span lines)."""
    return tuple("".join(line.split()) for line in _unglossed_folded(text).split("\n"))


def _to_text_offset(key_pos: int, key_starts: list[int], text_starts: list[int]) -> int:
    i = bisect.bisect_right(key_starts, key_pos) - 1
    return text_starts[i] + (key_pos - key_starts[i])


def _opens_another_paragraph(rest: str, others: list[str]) -> bool:
    """The text after the title also starts another paragraph: the title was glued to a copy of it."""
    head = text_key(rest[:EVIDENCE_CHARS * 3])[:EVIDENCE_CHARS]
    return len(head) == EVIDENCE_CHARS and any(text_key(o[:EVIDENCE_CHARS * 3]).startswith(head) for o in others)


def _is_sentence_start(rest: str, title: str, others: list[str]) -> bool:
    """Whether ``rest`` (what follows the title in the first paragraph) opens a new sentence."""
    if not rest or rest[0] in _CLAUSE_PUNCT:
        return False
    if rest.startswith(title) or title[-1] in _SENTENCE_END_CHARS:
        return True
    return bool(_SENTENCE_OPENER.match(rest.lstrip())) or _opens_another_paragraph(rest, others)


def _strip_glued_title(first: str, title: str, others: list[str]) -> tuple[str, int]:
    """Remove copies of ``title`` glued to the front of the first paragraph."""
    removed = 0
    while first.startswith(title) and _is_sentence_start(first[len(title):], title, others):
        first = first[len(title):].lstrip()
        removed += 1
    return first, removed


# A copy of the title under page chrome is looked for in this many lines at the head of the text, and what
# stands above it goes only if every line of it is short and no sentence.
HEAD_CHROME_LINES = 6
MAX_CHROME_LINE = 80
_SENTENCE_MARKS = re.compile(r"[。！？!?；;]")
# A summary label a template prints before a copy of the title (``本文摘要:全省230名记者…``).
_SUMMARY_LABEL = re.compile(r"^\s*(?:本文摘要|内容摘要|文章摘要|摘要|导读)\s*[:：_]\s*")
# What only page chrome prints: a breadcrumb, a bar of links, a leaked tag, an address, a date or a time, a
# hotline, a counter or an info-line label, a download or app link.
_CHROME_MARK = re.compile(
    r"[>›»→|｜]|&gt;|<[a-zA-Z/]|https?:|www\.|首\s?页|当前位置|您的位置|\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}:\d{2}|热线|电话|"
    r"来源\s*[:：]|作者\s*[:：]|浏览|点击|阅读|字体|打印|下载|登录|注册|客户端|APP|App", re.IGNORECASE)
# A line that is only a site's name (福州新闻网, 央视国际): the header of a flattened page.
_SITE_NAME = re.compile(r"\s*[\u3400-\u9fffA-Za-z0-9·]{2,16}(?:网|网站|频道|在线|客户端|门户)\s*")


def _title_copy_at(lines: list[str], i: int, title: str, title_key: str) -> int | None:
    """How many lines from ``i`` on are one copy of the title (1, or 2 when a template broke it over two
    lines: ``我县召开2026年《政府工作报告》`` / ``意见征求座谈会``); None if they are not. The last line is
    never taken: a text is never only its title."""
    if i >= len(lines) - 1 or len(lines[i]) > 2 * len(title) + 20:
        return None
    key = text_key(_SUMMARY_LABEL.sub("", lines[i], count=1))
    if key == title_key:
        return 1
    if (key and title_key.startswith(key) and len(key) >= MIN_GLUED_TITLE_CHARS and i + 2 < len(lines)
            and key + text_key(lines[i + 1]) == title_key):
        return 2
    return None


# Bodies that issue laws and documents, beyond what ``looks_like_outlet`` knows (贵州省人大常委会).
_ISSUER = re.compile(r"[\u4e00-\u9fff]{2,24}(?:常委会|常务委员会|人民代表大会|人民政府|人民法院|人民检察院|办公厅)")


def _issuer_over_title(lines: list[str], title: str, title_key: str) -> bool:
    """The text opens with the issuing body on a line of its own and the title again under it (a law site's
    header: ``贵州省人大常委会`` / ``贵州省渔业条例`` / ``(2005年…通过)``)."""
    from govnews.names import looks_like_outlet

    head = lines[0].strip() if lines else ""
    return (len(title_key) >= MIN_GLUED_TITLE_CHARS and 0 < len(head) <= 30
            and (looks_like_outlet(head) or bool(_ISSUER.fullmatch(head)))
            and not _SITE_NAME.fullmatch(head)  # a website's name is the page's header, not an issuer
            and _title_copy_at(lines, 1, title, title_key) == 1)


def _title_under_chrome(lines: list[str], title: str, title_key: str) -> tuple[int, int] | None:
    """(where the title copy starts, where the text after it starts) when the text opens with page chrome
    (a breadcrumb, a site name, a top bar, leaked tags: short lines that are no sentence) and then repeats the
    title: everything above the headline of a flattened page is the page's, not the article's."""
    if len(title_key) < MIN_GLUED_TITLE_CHARS:
        return None
    marked = False
    for i in range(1, min(HEAD_CHROME_LINES, len(lines) - 1) + 1):
        above = lines[i - 1].strip()
        if len(above) > MAX_CHROME_LINE or _SENTENCE_MARKS.search(above) or text_key(above) == title_key:
            return None
        marked = marked or bool(_CHROME_MARK.search(above) or _SITE_NAME.fullmatch(above))
        span = _title_copy_at(lines, i, title, title_key)
        if span is not None and marked:
            end = i + span
            while (more := _title_copy_at(lines, end, title, title_key)) is not None:
                end += more
            return i, end
    return None


def remove_repeated_title(text: str, title: str) -> StepResult:
    """Drop the title where it is repeated as the first line(s) (also broken over two lines, or under page
    chrome, which goes with it) or glued to the first paragraph."""
    title = title.strip()
    if not text or not title:
        return StepResult(text)
    lines = text.split("\n")
    title_key = text_key(title)
    counts: dict[str, int] = {}
    chrome: list[str] = []
    while True:
        start = 0
        while (span := _title_copy_at(lines, start, title, title_key)) is not None:
            start += span
        if not start and _issuer_over_title(lines, title, title_key):
            lines = lines[:1] + lines[2:]  # 贵州省人大常委会 / 贵州省渔业条例: the issuer stays, the copy goes
            counts["title_lines"] = counts.get("title_lines", 0) + 1
            continue
        if not start and (found := _title_under_chrome(lines, title, title_key)) is not None:
            chrome.extend(lines[:found[0]])
            counts["head_chrome"] = counts.get("head_chrome", 0) + found[0]
            start, found_start = found[1], found[0]
            counts["title_lines"] = counts.get("title_lines", 0) + start - found_start
        elif start:
            counts["title_lines"] = counts.get("title_lines", 0) + start
        if not start:
            break
        lines = lines[start:]
    if len(title) >= MIN_GLUED_TITLE_CHARS:
        lines[0], glued = _strip_glued_title(lines[0], title, lines[1:])
        if glued:
            counts["glued_title"] = glued
    if not counts:
        return StepResult(text)
    return StepResult("\n".join(lines), counts, samples_of([*chrome, title]))


def _repetition(key: str) -> tuple[int, int] | None:
    """The body published three or more times over, nothing between: (end of the first copy, start
    of the second). The smallest period of a string is where it reappears in itself doubled."""
    period = (key + key).find(key, 1)
    if period < MIN_DUPLICATE_BODY_CHARS or period >= len(key) or len(key) % period:
        return None
    return period, period


def _border_length(key: str, max_gap: int) -> tuple[int, int] | None:
    """Find ``key`` = A + copy + B + copy with len(A + B) <= max_gap and one of A, B empty.

    Returns (start of the kept copy's end, start of the removed copy) in key positions, trying the
    longest copy first so the smallest gap wins.
    """
    m = len(key)
    for length in range(m // 2, max((m - max_gap + 1) // 2, MIN_DUPLICATE_BODY_CHARS) - 1, -1):
        gap = m - 2 * length
        if gap > length // 2:
            break
        # Copy, gap, copy: the text ends with its own beginning.
        if key[m - length] == key[0] and key[length - 1] == key[-1] and key.startswith(key[m - length:]):
            return length, m - length
        # Gap (a title), copy, copy.
        if gap and key[gap] == key[m - length] and key.endswith(key[gap:gap + length]):
            return m - length, m - length
    return None


def _trailing_gap(key: str, max_gap: int) -> tuple[int, int] | None:
    """``key`` = copy + copy + B with a short B that is no sentence (a credit line such as ``责任编辑：X`` after a
    body published twice): (end of the first copy, end of the second), longest copy first. A different closing
    sentence after two copies (``补充一句不同的结尾。``) is no such tail."""
    m = len(key)
    for length in range(m // 2, max((m - max_gap + 1) // 2, MIN_DUPLICATE_BODY_CHARS) - 1, -1):
        if _SENTENCE_MARKS.search(key, 2 * length):
            return None  # the tail only grows as the copies shrink
        if key[length] == key[0] and key[length - 1] == key[2 * length - 1] and key.startswith(
                key[length:2 * length]):
            return length, 2 * length
    return None


def remove_duplicated_body(text: str) -> StepResult:
    """Keep the first copy of a body published twice (maybe with the title between or before, or a short
    credit line after both)."""
    counts: dict[str, int] = {}
    removed: list[str] = []
    while len(text) >= 2 * MIN_DUPLICATE_BODY_CHARS:
        key = "".join(line_keys(text))  # == text_key(text); the line keys are reused by remove_repeated_paragraphs
        found = _repetition(key) or _border_length(key, max_gap=100)
        tail = None
        if found is None and (trailing := _trailing_gap(key, max_gap=100)) is not None:
            found, tail = (trailing[0], trailing[0]), trailing[1]
        if found is None or len(set(key[found[1]:tail])) < MIN_DISTINCT_BODY_CHARS:
            break
        key_starts_text = _key_with_offsets(text)
        keep_end = _to_text_offset(found[0] - 1, key_starts_text[1], key_starts_text[2]) + 1
        drop_start = _to_text_offset(found[1], key_starts_text[1], key_starts_text[2])
        if tail is None:
            removed.append(text[drop_start:])
            text = text[:max(keep_end, 0)].rstrip()
        else:
            drop_end = _to_text_offset(tail - 1, key_starts_text[1], key_starts_text[2]) + 1
            removed.append(text[drop_start:drop_end])
            text = text[:max(keep_end, 0)].rstrip() + "\n" + text[drop_end:].lstrip()
        counts["duplicate_body"] = counts.get("duplicate_body", 0) + 1
    if not counts:
        return StepResult(text)
    return StepResult(text, counts, samples_of(removed))


def _han_at_least(text: str, enough: int) -> bool:
    return any(found >= enough for found, _ in enumerate(_HAN.finditer(text), 1))


_CLOSING_QUOTES = "”’」』)）\"'"
# A caption line (``▲图为活动现场。``) recurs by design: a gallery of photos captioned alike.
_PICTURE_MARKS = ("▲", "△", "图为", "上图", "下图", "左图", "右图")
_PROSE_END = ("。", "!", "…", ".")  # keys fold ！ to !


def _is_meaningful(key: str) -> bool:
    """Prose, so a repeat is an accident of the page, not a recurring label or table cell.

    Questions and labels (ending in ? or :) recur by design: an interview or survey asks every
    respondent the same question.
    """
    if key.endswith(("?", ":")) or key.startswith(_PICTURE_MARKS):
        return False
    if key.rstrip(_CLOSING_QUOTES).endswith(_PROSE_END) and _han_at_least(key, MIN_REPEATED_SENTENCE_HAN):
        return True
    return _han_at_least(key, MIN_REPEATED_PARAGRAPH_HAN)


# The longest run of paragraphs whose immediate repeat is removed (a block pasted twice in a row).
MAX_REPEATED_BLOCK = 30


def _repeated_block(kept_keys: list[str], keys: list[str], start: int,
                    where: dict[str, list[int]] | None = None) -> int:
    """Length of the block ``keys[start:start + k]`` that repeats the last ``k`` kept paragraphs, or 0.

    Only a repeat that follows its original immediately counts, and only when it holds prose. ``where``
    (each kept key's indexes in ``kept_keys``) lets only the sizes at which the first key recurs be tried.
    """
    first = keys[start]
    if not first:
        return 0
    limit = min(MAX_REPEATED_BLOCK, len(kept_keys), len(keys) - start)
    if where is None:
        sizes: Iterable[int] = range(1, limit + 1)
    else:
        sizes = (size for size in (len(kept_keys) - i for i in reversed(where.get(first, ()))) if size <= limit)
    for size in sizes:
        if kept_keys[-size] != first or keys[start:start + size] != kept_keys[-size:]:
            continue
        if any(_is_meaningful(key) for key in keys[start:start + size]):
            return size
    return 0


def remove_repeated_paragraphs(text: str) -> StepResult:
    """Drop a paragraph, or a block of paragraphs, repeated right after itself (blank- and gloss-insensitive).

    Only an immediate repeat is an accident of the page: laws, regulations and notices repeat clauses
    on purpose (``（五）法律、行政法规规定的其他义务。`` closes many articles of one law), so a paragraph
    that recurs further on always stays. Whole bodies published twice are ``remove_duplicated_body``'s.
    """
    keys = list(line_keys(text))
    if not _has_repeat(keys):
        return StepResult(text)
    lines = text.split("\n")
    removed: list[str] = []
    while True:  # removing one block can bring two copies of a longer one together: repeat until stable
        lines, keys, dropped = _drop_immediate_repeats(lines, keys)
        if not dropped:
            break
        removed.extend(dropped)
    if not removed:
        return StepResult(text)
    return StepResult("\n".join(lines), {"repeated_paragraphs": len(removed)}, samples_of(removed))


def _has_repeat(keys: list[str]) -> bool:
    """Does a non-empty key recur within ``MAX_REPEATED_BLOCK`` lines? The first paragraph dropped repeats one
    at most that far before it (nothing dropped yet), and without a first there is no other."""
    last: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key:
            if i - last.get(key, -MAX_REPEATED_BLOCK - 1) <= MAX_REPEATED_BLOCK:
                return True
            last[key] = i
    return False


def _drop_immediate_repeats(lines: list[str], keys: list[str],
                            indexed: bool = True) -> tuple[list[str], list[str], list[str]]:
    """One sweep: (kept lines, their keys, dropped lines); ``indexed=False`` tries every block size."""
    kept: list[str] = []
    kept_keys: list[str] = []
    where: dict[str, list[int]] = {}  # key -> its indexes in kept_keys, ascending
    removed: list[str] = []
    i = 0
    while i < len(lines):
        size = _repeated_block(kept_keys, keys, i, where if indexed else None)
        if size:
            removed.extend(lines[i:i + size])
            i += size
            continue
        where.setdefault(keys[i], []).append(len(kept_keys))
        kept.append(lines[i])
        kept_keys.append(keys[i])
        i += 1
    return kept, kept_keys, removed
