"""The headline, never the ``<title>`` site-name suffix.

The most reliable signal is agreement: a heading on the page whose text the ``<title>`` contains is the
headline (``<title>`` usually is ``headline_channel_site``). Without agreement, ``ArticleTitle``,
``og:title`` and the ``<title>`` head part are used, in that order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lxml import etree

from govnews.extract.dates import parse_date
from govnews.extract.meta import split_title_tag
from govnews.extract.text import collapse, element_text, short_text, squash, tag_of

HEADING_TAGS = ("h1", "h2", "h3", "ucaptitle", "h4", "h5")
_TITLE_CLASS = re.compile(r"title|headline|biaoti|bt\b", re.IGNORECASE)
_MAX_TITLE = 200
ECHO_LINES = 2  # a template that echoes <title> into the body does so in its first lines
MIN_AGREEMENT = 4
SHORT_NAME = 10  # a site or column name; headlines are longer
_SEPARATOR_CHARS = "-_|｜丨—–:：·"


@dataclass
class TitleResult:
    title: str | None
    site_suffix: str | None  # what followed the headline in <title>, typically the site name
    element: etree._Element | None  # the heading the title was read from, when one agreed
    source: str = "head"  # ArticleTitle, heading, line, og, head (the <title> head part), none


def title_tag_text(root: etree._Element) -> str:
    el = next(root.iter("title"), None)
    return collapse(element_text(el)) if el is not None else ""


def heading_candidates(root: etree._Element) -> list[tuple[etree._Element, str]]:
    """Headings (h1..h3, ``<ucaptitle>``) and elements classed like titles, in preference order."""
    return scan_headings(root).candidates


_TITLE_CLASS_TAGS = frozenset({"div", "p", "span", "td", "strong", "b"})
_POSITIONED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_LIKE = frozenset(HEADING_TAGS) | _TITLE_CLASS_TAGS | _POSITIONED


@dataclass
class Headings:
    """What one walk over the page finds for titles: headline candidates in preference order, the
    ``<h1>``..``<h6>`` with their document positions, and the position of every element."""

    candidates: list[tuple[etree._Element, str]]
    positioned: list[tuple[int, etree._Element, str]]
    positions: dict[etree._Element, int]


def scan_headings(root: etree._Element) -> Headings:
    positions: dict[etree._Element, int] = {}
    nodes = []
    for order, el in enumerate(root.iter()):
        positions[el] = order
        if may_be_heading(el):
            nodes.append(el)
    return headings_of(nodes, positions)


def may_be_heading(el: etree._Element) -> bool:
    """A tag ``headings_of`` may keep (the class test is its own, made there)."""
    tag = el.tag
    return tag.__class__ is str and tag.lower() in _HEADING_LIKE


def headings_of(nodes: list[etree._Element], positions: dict[etree._Element, int]) -> Headings:
    """``Headings`` from the elements ``may_be_heading`` let through, in document order, and the document
    position of every element (both can come from a walk the DOM pass makes anyway)."""
    found: list[tuple[int, int, etree._Element, str]] = []
    positioned: list[tuple[int, etree._Element, str]] = []
    for el in nodes:
        order = positions[el]
        tag = el.tag.lower()
        if tag in HEADING_TAGS:
            rank = HEADING_TAGS.index(tag)
        elif tag in _TITLE_CLASS_TAGS and _TITLE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}"):
            rank = 2
        elif tag in _POSITIONED:
            rank = -1  # h6: positioned only
        else:
            continue
        raw = short_text(el, _MAX_TITLE)
        if tag in _POSITIONED and raw:
            positioned.append((order, el, raw))
        if rank < 0:
            continue
        text = strip_label(raw) if raw else raw
        if text and len(text) >= 2:
            found.append((rank, order, el, text))
    found.sort(key=lambda f: (f[0], f[1]))
    return Headings([(el, text) for _, _, el, text in found], positioned, positions)


def _is_site_name(text: str, head: str, suffix: str | None) -> bool:
    """A logo heading (``<h1>网易新闻</h1>``) agrees with the ``<title>`` suffix, not with the headline."""
    sq = squash(text)
    return bool(suffix) and sq in squash(suffix) and (len(sq) < len(squash(head)) or len(sq) <= SHORT_NAME)


def visible_title_line(lines: list[str], tag_text: str) -> str | None:
    """The longest page line that ``<title>`` starts with, followed by a separator (``标题-纪检``).

    A line that repeats the whole ``<title>`` of a ``headline_site`` shape is the title element echoed into
    the body by a broken template, not a headline the page prints: it is no evidence.
    """
    tag = squash(tag_text)
    echoed = split_title_tag(tag_text)[1] is not None
    best = None
    for index, line in enumerate(lines):
        sq = squash(line)
        if len(sq) < MIN_AGREEMENT or len(sq) > _MAX_TITLE or not tag.startswith(sq):
            continue
        if echoed and sq == tag and index < ECHO_LINES:
            continue
        rest = tag[len(sq):]
        if (not rest or rest[0] in _SEPARATOR_CHARS) and (best is None or len(sq) > len(squash(best))):
            best = line
    return best


_MARKUP = re.compile(r"<[^<>]{0,200}>")
_FORUM_LABEL = re.compile(r"^(?:主题|标题|帖子主题|文章标题)\s*[:：]\s*")


def strip_markup(text: str) -> str:
    """``标题<div>——副题</div>``: CMS templates put tags into meta values; what a reader sees is the text."""
    return collapse(_MARKUP.sub("", text)) if "<" in text else text


_COMMENT_COUNT = re.compile(
    r"\s*[(（\[【]?\s*(?:\d{1,7}\s*条?\s*(?:评论|跟帖|回复|留言)|"
    r"(?:评论|跟帖|回复|留言)\s*[:：]?\s*[(（\[]?\s*\d{1,7})\s*[)）\]】]?\s*$"
)


def strip_label(text: str) -> str:
    """``主题: 标题``: a forum header labels its headline; ``标题 评论(12)``: a comment counter sits inside the
    ``<h1>``. Neither is part of the headline."""
    return _COMMENT_COUNT.sub("", _FORUM_LABEL.sub("", text))


def _agrees(candidate: str, title_tag: str) -> bool:
    cand = squash(candidate)
    return len(cand) >= MIN_AGREEMENT and cand in squash(title_tag)


def find_title(
    root: etree._Element,
    meta: Mapping[str, str],
    gov: Mapping[str, str],
    lines: list[str] | None = None,
    scanned: Headings | None = None,
) -> TitleResult:
    """The headline, the ``<title>`` suffix it was separated from, and the heading it came from.

    ``scanned``: ``scan_headings(root)``, when the caller has it.
    """
    tag_text = title_tag_text(root)
    head, suffix = split_title_tag(tag_text) if tag_text else ("", None)
    headings = (scanned or scan_headings(root)).candidates
    agreeing = [(el, text) for el, text in headings if tag_text and _agrees(text, tag_text)]
    agreeing = [(el, text) for el, text in agreeing if not _is_site_name(text, head, suffix)]
    article_title = strip_markup(gov.get("ArticleTitle", ""))
    if article_title:
        element = next((el for el, text in headings if squash(text) == squash(article_title)), None)
        suffix = _suffix_after(tag_text, article_title, suffix)
        return TitleResult(article_title, suffix, element, "ArticleTitle")
    if agreeing:
        el, text = max(agreeing, key=lambda h: len(squash(h[1])))
        return TitleResult(text, _suffix_after(tag_text, text, suffix), el, "heading")
    h1 = _sole_h1(headings, head, suffix)
    if h1 is not None:
        return TitleResult(h1[1], suffix, h1[0], "h1")
    line = visible_title_line(lines or [], tag_text) if tag_text else None
    if line:
        return TitleResult(line, _suffix_after(tag_text, line, suffix), None, "line")
    og = meta.get("og:title") or meta.get("twitter:title")
    if og and (not tag_text or _agrees(og, tag_text) or squash(head) in squash(og)):
        return TitleResult(og, _suffix_after(tag_text, og, suffix), None, "og")
    if head:
        return TitleResult(head, suffix, None)
    if headings:
        return TitleResult(headings[0][1], None, headings[0][0], "heading")
    return TitleResult(og or None, None, None, "og" if og else "none")


def _sole_h1(
    headings: list[tuple[etree._Element, str]], head: str, suffix: str | None
) -> tuple[etree._Element, str] | None:
    """The page's one ``<h1>``, when it reads like the same headline as the ``<title>`` head (they share most
    characters: a shortened or reworded ``<title>``) or the ``<title>`` is missing. A logo ``<h1>`` (the site
    name) and pages with several ``<h1>`` are left to the other rules."""
    h1s = [(el, text) for el, text in headings if tag_of(el) == "h1"]
    if len(h1s) != 1:
        return None
    el, text = h1s[0]
    sq = squash(text)
    if len(sq) <= SHORT_NAME // 2 or _is_site_name(text, head, suffix) or parse_date(text):
        return None
    if not head:
        return el, text
    shared = sum(min(sq.count(c), squash(head).count(c)) for c in set(sq))
    return (el, text) if shared >= 0.6 * min(len(sq), len(squash(head))) else None


def _suffix_after(tag_text: str, headline: str, default: str | None) -> str | None:
    """The site name: the last separated part of ``<title>`` once the headline is taken off its front."""
    if not tag_text:
        return None
    rest = tag_text
    if squash(tag_text).startswith(squash(headline)):
        rest = tag_text[len(headline):] if tag_text.startswith(headline) else ""
    if not rest.strip():
        return default if squash(headline) != squash(tag_text) else None
    _, suffix = split_title_tag("x_" + rest.lstrip(" _|｜丨-—–:"))
    return suffix or default


def heading_before(
    headings: list[tuple[int, etree._Element, str]], body_position: int, min_chars: int
) -> str | None:
    """The last heading above the body: the headline of a page whose ``<title>`` names only the column.

    ``headings`` are (document position, element, text), recorded before boilerplate removal.
    """
    best = None
    for position, _, text in headings:
        if position >= body_position:
            break
        if min_chars < len(squash(text)) <= _MAX_TITLE and not parse_date(text):
            best = text  # a heading carrying a date is the meta line, not the headline
    return best


def positioned_headings(root: etree._Element) -> tuple[list[tuple[int, etree._Element, str]], dict]:
    """Headings h1..h6 with their document positions, and the position of every element."""
    found = scan_headings(root)
    return found.positioned, found.positions


HEADER_LINES = 8  # how far above the body's first line the header (headline, date line) may sit
HEADER_IN_BODY = 6  # ...or how far into the body, when the body container holds the header too
# A label line (``访问:121369``, ``译： Chen Bin``) is no headline; ``茉莉：我是怎样…`` and ``《清洁》：…`` are.
_NOT_HEADLINE = re.compile(r"[。；;，,]$|[|｜>»]|^[^:：]{0,6}[:：]\s*(?:[\d\W_]|[A-Za-z .]+$)|https?://")
_WORDS = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


_BYLINE_START = re.compile(r"^(?:本报|本刊|本网)?(?:实习生|记者|通讯员|作者|文|图|摄影?)")


def _is_name_like(line: str) -> bool:
    """``眉间尺``, ``duscha``, ``本报记者 王某``: a byline or user name between headline and body."""
    sq = squash(line)
    han = len(_HAN.findall(sq))
    return (han <= 4 and len(sq) <= 12) or bool(_BYLINE_START.match(sq))


def is_headline_shaped(line: str, is_furniture) -> bool:
    sq = squash(line)
    return (
        MIN_AGREEMENT + 2 <= len(sq) <= 80
        and len(_WORDS.findall(sq)) >= MIN_AGREEMENT + 2
        and not _NOT_HEADLINE.search(line)
        and not parse_date(sq)
        and not is_furniture(line)
    )


def headline_above_body(lines: list[str], body_start: int, is_date_line, is_furniture, bare: bool) -> str | None:
    """The headline of the article header printed right above the body's first line.

    Every article template prints headline, then date/byline lines, then the body: when ``<title>`` names only
    the site or the column (``网易娱乐``, ``谢谢您访问…``), this is where the headline is. With a date line in the
    header, the line above it (bylines and user names skipped); with ``bare``, the first headline-shaped line
    above the body. A navigation bar, a label line (``访问:121369``) or a rule of dashes is never one.
    """
    top = max(0, body_start - HEADER_LINES)
    header = lines[top:body_start + HEADER_IN_BODY]
    dated = [i for i, line in enumerate(header) if is_date_line(line)]
    if dated:
        end = dated[-1]
    elif bare:
        end = min(len(header), body_start - top)
    else:
        return None
    skipped = 0
    for line in reversed(header[:end]):
        if is_date_line(line) or (skipped < 2 and _is_name_like(line)):
            skipped += 1
            continue
        candidate = strip_label(line)
        return candidate if is_headline_shaped(candidate, is_furniture) else None
    return None
