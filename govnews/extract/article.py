"""``extract_article``: one article page in, ``Extracted`` out.

Order matters: the head (meta tags, JSON-LD) is read before scripts go; the headline and the meta
lines around it are read before boilerplate removal (a share bar may sit on the date line); the body is
found last and cleaned on its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping

import parsel
from lxml import etree

from govnews.extract import dates
from govnews.extract.body import BodyResult, find_cms_container, ranked_by_density
from govnews.extract.boilerplate import (
    Verdicts,
    is_boilerplate_text,
    is_site_disclaimer,
    remember_sample,
    remove_boilerplate,
)
from govnews.extract.byline import (
    Byline,
    bare_outlet,
    clean_source,
    dateline_outlet,
    is_meta_line,
    merge_bylines,
    name_and_outlet,
    outlet_beside_date,
    parse_byline,
)
from govnews.extract.dom import parse, strip_invisible, strip_ruby, wrap_between_markers
from govnews.extract.images import collect_images
from govnews.extract.measure import Stat
from govnews.extract.meta import (
    canonical_url,
    head_date,
    marked_source_texts,
    meta_source,
    modified_date,
    read_gov_meta,
    read_meta_tags,
    script_date,
    site_name,
)
from govnews.extract.overrides import override_element, override_text
from govnews.extract.result import Extracted
from govnews.extract.text import simplified_chars, squash, tag_of, text_lines
from govnews.extract.title import (
    ECHO_LINES,
    SHORT_NAME,
    TitleResult,
    find_title,
    heading_before,
    headings_of,
    headline_above_body,
    may_be_heading,
    scan_headings,
)
from govnews.names import is_person_name

META_WINDOW_BEFORE, META_WINDOW_AFTER = 2, 10  # lines around the headline where the date line lives
MAX_META_WINDOW_LINE = 150
BODY_EDGE_LINES = 4  # lines at each end of the body that may be bylines or editor notes
_NAME_SPLIT = re.compile(r"[\s、，,;；/]+")


def extract_article(
    html: str | parsel.Selector, url: str, overrides: Mapping[str, str] | None = None
) -> Extracted:
    """Extract the fields of one article page; ``overrides`` are site selectors tried before the generic rules."""
    root = parse(html)
    counts: Counter[str] = Counter()
    out = Extracted()
    meta, out.gov_meta = read_meta_tags(root), read_gov_meta(root)
    out.canonical_url = canonical_url(root, meta, out.gov_meta, url)
    head_dates = (head_date(meta, root), script_date(root), modified_date(meta))
    marker = wrap_between_markers(root)
    walked = strip_invisible(root, counts, may_be_heading)
    containers = walked.containers
    strip_ruby(root, counts)

    page_lines = text_lines(next(root.iter("body"), root))
    marked_sources = marked_source_texts(root, candidates=containers)  # before boilerplate removal
    # the walk's positions hold unless <ruby> markup was rewritten since
    scanned = scan_headings(root) if walked.has_ruby else headings_of(walked.wanted, walked.positions)
    found_title = find_title(root, meta, out.gov_meta, page_lines, scanned)
    title_override = _overridden(root, overrides, "title", out.fallbacks)
    out.title = title_override or _visible(found_title.title)
    out.site_name = site_name(meta, out.gov_meta, found_title.site_suffix)
    window = meta_window(page_lines, out.title)

    out.published_at = _overridden(root, overrides, "published_at", out.fallbacks, dates.parse_date) or (
        find_published_at(out.gov_meta, head_dates, window, page_lines, url)
    )
    headings, positions = scanned.positioned, scanned.positions
    line_verdicts: dict[str, bool] = {}
    body, out.method, known_lines = _find_body(
        root, overrides, out.fallbacks, counts, out.samples, containers, line_verdicts
    )
    if out.method == "marked":
        out.method = marker or out.method
    if not title_override and _may_be_column_name(found_title, out.title):
        out.title = heading_before(headings, positions.get(body, 0), len(squash(out.title))) or out.title
    captions_before = counts["captions"]
    dropped_images: Counter[str] = Counter()
    out.images, out.captions = collect_images(body, url, counts, dropped_images)
    out.dropped_images = dict(dropped_images)
    if known_lines is None or counts["captions"] != captions_before:  # a caption block left the body
        known_lines = text_lines(body)
    body_lines = _lead_lines(body) + known_lines
    if not title_override:
        better = _headline_above_body(found_title, page_lines, body_lines)
        if better and better != out.title:
            out.title, window = better, meta_window(page_lines, better)
            if not (overrides or {}).get("published_at"):
                out.published_at = find_published_at(out.gov_meta, head_dates, window, page_lines, url)
    out.paragraphs = clean_paragraphs(body_lines, out.title, counts, out.samples, line_verdicts)
    edges = body_lines[:BODY_EDGE_LINES] + body_lines[-BODY_EDGE_LINES:]
    _fill_byline(out, root, overrides, merge_bylines(window + edges), page_lines, window, (meta, marked_sources))
    out.counts = {k: v for k, v in sorted(counts.items()) if v}
    return out


WEAK_TITLE_SOURCES = frozenset({"head", "line", "none"})


_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _visible(text: str | None) -> str | None:
    """Icon-font glyphs (private-use code points) render as pictures, not as part of a headline."""
    return _PRIVATE_USE.sub("", text).strip() if text and _PRIVATE_USE.search(text) else text


def _headline_above_body(found: TitleResult, page_lines: list[str], body_lines: list[str]) -> str | None:
    """The headline printed above the body, when ``<title>`` (not a heading or meta tag) gave a title that
    the page does not print there: the ``<title>`` then names the site or the column, not the article."""
    if found.source not in WEAK_TITLE_SOURCES or not body_lines:
        return None
    if _printed(found, page_lines):
        return None  # the page prints the <title> head as a line of its own: that is the headline
    first = body_lines[0]
    start = next((i for i, line in enumerate(page_lines) if line == first), None)
    if start is None:
        return None
    bare = found.source == "none" or len(squash(found.title)) <= SHORT_NAME
    line = headline_above_body(page_lines, start, _is_header_date_line, is_boilerplate_text, bare)
    key, title = squash(line), squash(found.title)
    if not line or (title and (key in title or title in key)):
        return None
    return line


def _printed(found: TitleResult, page_lines: list[str]) -> bool:
    """The title is a line of its own on the page, not only the whole ``<title>`` text echoed at the top of
    the body (a broken template does that; it is no printed headline)."""
    key = squash(found.title)
    echo = ECHO_LINES if found.site_suffix is None else 0
    return bool(key) and any(squash(line) == key for line in page_lines[echo:])


_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def _is_header_date_line(line: str) -> bool:
    """``2005-04-05 06:40更新 来源：转载文章``, ``http://www.qianlong.com/ 2005-07-18 13:03:17``."""
    if len(line) > 80 or not dates.parse_date(line):
        return False
    return _is_date_line(_URL.sub("", line)) or is_meta_line(line)


LEAD_MIN_CHARS = 30
_LEAD_CLASS = re.compile(r"lead|chapo|standfirst|summary|intro|abstract|digest|daoyu|zhaiyao", re.IGNORECASE)


def _lead_lines(body: etree._Element) -> list[str]:
    """The lead paragraph a template prints just before the body container (``<p class="chapo">``, 导语).

    Only an element right before the body, a ``<p>`` or a block classed as a lead, with sentence punctuation
    and no links: a caption, a date line or a share bar there is not the article's first paragraph.
    """
    prev = body.getprevious()
    while prev is not None and not isinstance(prev.tag, str):
        prev = prev.getprevious()
    if prev is None or not (tag_of(prev) == "p" or _LEAD_CLASS.search(prev.get("class") or "")):
        return []
    if next(prev.iter("a", "img"), None) is not None:
        return []
    lines = text_lines(prev)
    text = "".join(lines)
    if len(squash(text)) < LEAD_MIN_CHARS or not re.search(r"[。！？]", text) or is_boilerplate_text(text):
        return []
    return lines


def _may_be_column_name(found: TitleResult, title: str | None) -> bool:
    """A short title taken from ``<title>`` alone (``新闻动态--学会官网``) may name the column, not the article."""
    if title != found.title or found.source not in {"head", "none", "line"}:
        return False
    return len(squash(title)) <= SHORT_NAME


def _overridden(
    root: etree._Element,
    overrides: Mapping[str, str] | None,
    name: str,
    fallbacks: list[str],
    convert: Callable[[str], str | None] | None = None,
) -> str | None:
    """The override's value for ``name``; records a fallback when an override exists but finds nothing."""
    if not overrides or not overrides.get(name):
        return None
    text = override_text(root, overrides, name)
    value = convert(text) if (text and convert) else text
    if not value:
        fallbacks.append(name)
    return value


def meta_window(lines: list[str], title: str | None) -> list[str]:
    """Short lines just above and below the headline: where pages print date, source and byline."""
    key = squash(title)
    if not key:
        return []
    for i, line in enumerate(lines):
        sq = squash(line)
        if sq == key or (key in sq and len(sq) <= len(key) + 20):
            # after the headline first: the date line follows it; the line above may end a sidebar
            near = lines[i + 1:i + 1 + META_WINDOW_AFTER] + above_headline(lines[max(0, i - META_WINDOW_BEFORE):i])
            near = [ln for ln in near if len(ln) <= MAX_META_WINDOW_LINE]
            if i < ECHO_LINES and not any(dates.parse_date(ln) for ln in near):
                continue  # <title> echoed at the top of the body: the printed headline comes later
            return near
    return []


_BREADCRUMB = re.compile(
    r"^\s*(?:(?:当前|您的|你的|现在|所在|您现在的|你现在的|您当前的|您所在的)位置\s*[:：]|"
    r"(?:网站首页|首页|主页|Home)\s*(?:>|&gt;|》|›|»|→|->|/))", re.IGNORECASE)
# What a site's top bar prints beside "today's" date: a hotline, a greeting, a login, the weather.
_TOP_BAR = re.compile(r"热线|联系电话|客服|欢迎|登录|注册|设为首页|加入收藏|天气|今天是|今日是")


def above_headline(lines: list[str]) -> list[str]:
    """The lines just above the headline that may be its date or byline line: those after the last breadcrumb
    (what stands above a breadcrumb is site chrome), and no top-bar line (``2018年1月5日| 联系热线:…`` prints
    the day the page was built or viewed, not the article's)."""
    start = max((k + 1 for k, line in enumerate(lines) if _BREADCRUMB.match(line)), default=0)
    return [line for line in lines[start:] if not _BREADCRUMB.match(line) and not _TOP_BAR.search(line)]


def find_published_at(
    gov: Mapping[str, str],
    head_dates: tuple[str | None, str | None, str | None],
    window: list[str],
    page_lines: list[str],
    url: str,
) -> str | None:
    """Government ``PubDate``; the date line by the headline (what a reader sees); head meta tags and
    scripts; a labelled date anywhere; the last-modified tag; the URL."""
    meta_date, in_script, modified = head_dates
    window_text = " | ".join(window)
    window_first_is_date_line = bool(window) and _is_date_line(window[0])
    def labelled_anywhere() -> str | None:
        lines = (ln for ln in page_lines if len(ln) <= MAX_META_WINDOW_LINE)
        return next((d for d in map(dates.find_labelled_date, lines) if d), None)

    return dates.prefer_precise_lazy((
        lambda: dates.parse_date(gov.get("PubDate")),
        lambda: dates.first_date(window[:1]) if window_first_is_date_line else None,
        lambda: dates.find_labelled_date(window_text),
        lambda: dates.first_date(window),
        lambda: meta_date,
        lambda: in_script,
        labelled_anywhere,
        lambda: modified,
        lambda: dates.date_from_url(url),
    ))


def _find_body(
    root: etree._Element,
    overrides: Mapping[str, str] | None,
    fallbacks: list[str],
    counts: Counter[str],
    samples: list[str],
    containers: list[etree._Element] | None = None,
    line_verdicts: dict[str, bool] | None = None,
) -> tuple[etree._Element, str, list[str] | None]:
    """Override, then CMS containers, then density (after document-level boilerplate removal).

    A CMS container is trusted as the body, so its cleaning is conservative (``in_body``); the samples
    of removed text come from the body passes first, then from the page-wide one.
    """
    if overrides and overrides.get("body"):
        el = override_element(root, overrides, "body")
        if el is not None and squash("".join(el.itertext())):
            remove_boilerplate(el, counts, samples=samples)
            return el, "override", None
        fallbacks.append("body")
    cms = find_cms_container(root, containers)
    if cms is not None and cms.element is not None:
        remove_boilerplate(cms.element, counts, in_body=True, samples=samples)
        return cms.element, cms.method, None
    page_samples: list[str] = []
    verdicts = Verdicts()
    stats = remove_boilerplate(root, counts, samples=page_samples, verdicts=verdicts)
    ranked = ranked_by_density(root, stats)
    found, lines = _first_with_prose(ranked, counts, samples, stats, line_verdicts, verdicts)
    for text in page_samples:
        remember_sample(samples, text)
    return found.element, found.method, lines


MIN_BODY_CHARS = 20  # characters a candidate must keep after its head and tail meta lines are gone


def _first_with_prose(
    ranked: list[BodyResult],
    counts: Counter[str],
    samples: list[str],
    stats: dict[etree._Element, Stat],
    line_verdicts: dict[str, bool] | None = None,
    verdicts: Verdicts | None = None,
) -> tuple[BodyResult, list[str] | None]:
    """The best candidate that still holds text once its meta lines are gone.

    A print page's date line or a one-line byline cell can out-score the article on density; taking it
    would drop the whole article as empty. Later candidates are cleaned only when the earlier ones fail.
    """
    for found in ranked:
        remove_boilerplate(found.element, counts, samples=samples, stats=stats, verdicts=verdicts)
        lines = text_lines(found.element)
        kept = clean_paragraphs(lines, None, Counter(), None, line_verdicts)
        if sum(len(squash(line)) for line in kept) >= MIN_BODY_CHARS:
            return found, lines
    return ranked[0], None


def _is_date_line(line: str) -> bool:
    """A short line that is a date and little else (``2019-09-07 13:43 来源：新华社``)."""
    if len(line) > 60 or not dates.parse_date(line):
        return False
    rest = re.sub(dates.DATE_PATTERN, "", dates.normalize_digits(line))
    return len(squash(rest)) <= 25 and not re.search(r"[。！？]", rest)


_DATE_LINE_WORDS = re.compile(r"发布|时间|日期|来源|浏览|点击|阅读|作者|编辑|[:：|丨｜]")


def _is_page_date_line(line: str) -> bool:
    """A date line the page printed (labelled, or beside source or views), not the document's own date.

    A bare ``2024年3月1日`` under the issuing body's name at the end is the signature date: it stays.
    """
    if not _is_date_line(line):
        return False
    rest = re.sub(dates.DATE_PATTERN, "", dates.normalize_digits(line))
    return bool(_DATE_LINE_WORDS.search(simplified_chars(rest)))


def _is_head_meta(line: str, key: str) -> bool:
    return squash(line) == key or is_meta_line(line) or _is_date_line(line) or is_site_disclaimer(line)


_RELATED_ITEM = re.compile(r"^\s*[·•●◆▪]\s*\S")


def _is_related_item(line: str) -> bool:
    """``·夫妻勾结受贿近37万 原华中电管局长被判13年(图)（2005-04-01 15:57PM）``: a dated bullet item of the
    related-stories list a template printed inside the body container."""
    return len(line) <= 80 and bool(_RELATED_ITEM.match(line)) and bool(dates.parse_date(line))


# A comment form printed inside the body container: its field labels and its list of allowed tags.
_FORM_LINE = re.compile(
    r"^[(（]?\s*(?:E-?mail|邮箱|电子邮件|个人主页|主页|网址|昵称|发表名|用户名|密码|验证码|评论中可使用)[^。！？]{0,40}$|"
    r"(?:<[a-z]{1,10}\b[^<>]{0,40}>\s*){3,}",
    re.IGNORECASE,
)


def _is_tail_meta(line: str) -> bool:
    return (is_meta_line(line) or _is_page_date_line(line) or is_site_disclaimer(line) or _is_related_item(line)
            or bool(_FORM_LINE.search(line)))


# Full-width indent spaces (U+3000) decoded through a codec that lacks them come out as ``??``/``???``.
_LOST_INDENT = re.compile(r"^[?？]{2,4}(?=[\u4e00-\u9fff“「《（(])")


def _restore_indent(line: str) -> str:
    """``???为进一步…`` -> ``为进一步…``: only at a paragraph start, only before Han text or an opening quote."""
    return _LOST_INDENT.sub("", line) if line[:1] in "?？" else line


def clean_paragraphs(
    lines: list[str],
    title: str | None,
    counts: Counter[str],
    samples: list[str] | None = None,
    verdicts: dict[str, bool] | None = None,
) -> list[str]:
    """Body lines without control texts, the repeated headline, and meta lines or disclaimers at either end.

    ``samples`` receives excerpts of what was removed (see ``remember_sample``). ``verdicts`` remembers which
    lines are control texts, for a second call on the same lines.
    """
    samples = [] if samples is None else samples
    verdicts = {} if verdicts is None else verdicts
    kept = []
    for line in map(_restore_indent, lines):
        furniture = verdicts.get(line)
        if furniture is None:
            furniture = verdicts[line] = is_boilerplate_text(line, notices=False)
        if furniture:
            counts["boilerplate_lines"] += 1
            remember_sample(samples, line)
        else:
            kept.append(line)
    key = squash(title)
    while kept and _is_head_meta(kept[0], key):
        remember_sample(samples, kept.pop(0))
        counts["meta_lines"] += 1
    while kept and _is_tail_meta(kept[-1]):
        remember_sample(samples, kept.pop())
        counts["meta_lines"] += 1
    return kept


TAIL_LINES = 12  # lines after the body where pages print 来源 / 作者 / 责任编辑 (``版权声明 来源：当代商报``)


def _tail_lines(page_lines: list[str], paragraphs: list[str]) -> list[str]:
    """The short lines that follow the body's last paragraph on the page."""
    if not paragraphs:
        return []
    last = paragraphs[-1]
    for i in range(len(page_lines) - 1, -1, -1):
        if page_lines[i] == last:
            return [ln for ln in page_lines[i + 1:i + 1 + TAIL_LINES] if len(ln) <= MAX_META_WINDOW_LINE]
    return []


def _marked_source(texts: list[str], window: list[str]) -> str | None:
    """The text of a ``class="source"`` element that stands in a line by the headline."""
    for text in texts:
        if any(text in line for line in window):
            value = parse_byline(text).source if is_meta_line(text) else clean_source(text)
            if value:
                return value
    return None


def _unlabelled_source(window: list[str], paragraphs: list[str]) -> tuple[str | None, list[str]]:
    """The outlet a page names without a label, and any author printed with it (``石佳/中国青年报``):
    beside the date by the headline, alone next to the date line, or in the dateline opening the body."""
    for line in window:
        if pair := name_and_outlet(line):
            return pair[1], [pair[0]]
    for line in window:
        if outlet := outlet_beside_date(line):
            return outlet, []
    outlet = bare_outlet(window) or (dateline_outlet(paragraphs[0]) if paragraphs else None)
    return outlet, []


def _meta_authors(value: str) -> list[str]:
    """Names in an ``Author`` meta tag, each checked (a CMS id such as ``104363`` is nobody's name)."""
    return [a for a in _NAME_SPLIT.split(value) if a and is_person_name(a, latin_ok=False, labelled=True)]


def _fill_byline(
    out: Extracted,
    root: etree._Element,
    overrides: Mapping[str, str] | None,
    near: Byline,
    page_lines: list[str],
    window: list[str],
    head: tuple[Mapping[str, str], list[str]],
) -> None:
    """Source, authors and editor: override, then government meta, then the labelled meta lines by the
    headline and at the body's edges, then head tags, then what the page prints without labels, then the
    lines after the body."""
    gov = out.gov_meta
    meta, marked_sources = head
    tail = merge_bylines(_tail_lines(page_lines, out.paragraphs))
    unlabelled, unlabelled_authors = _unlabelled_source(window, out.paragraphs)
    out.source = (_overridden(root, overrides, "source", out.fallbacks) or clean_source(gov.get("ContentSource"))
                  or near.source or clean_source(meta_source(meta)) or _marked_source(marked_sources, window)
                  or unlabelled or tail.source)
    page_editor = merge_bylines([ln for ln in page_lines if len(ln) <= 60 and "编" in simplified_chars(ln)]).editor
    out.editor = _overridden(root, overrides, "editor", out.fallbacks) or near.editor or tail.editor or page_editor
    authors = _overridden(root, overrides, "authors", out.fallbacks)
    if authors:
        out.authors = [a for a in _NAME_SPLIT.split(authors) if a]
    else:
        # A CMS that fills its Author tag with whoever published the page (``author`` = ``editor`` =
        # 严玉洁, printed as 责任编辑 under the story) names the editor, not a writer.
        editors = {*_NAME_SPLIT.split(out.editor or ""), *_NAME_SPLIT.split(meta.get("editor", ""))} - {""}
        out.authors = near.authors or unlabelled_authors or [
            a for a in _meta_authors(gov.get("Author", "")) if a not in editors]
