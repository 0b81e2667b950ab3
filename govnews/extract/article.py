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
from govnews.extract.body import find_by_density, find_cms_container
from govnews.extract.boilerplate import is_boilerplate_text, remove_boilerplate
from govnews.extract.byline import Byline, is_meta_line, merge_bylines
from govnews.extract.dom import parse, strip_invisible, strip_ruby, wrap_between_markers
from govnews.extract.images import collect_images
from govnews.extract.meta import (
    canonical_url,
    head_date,
    modified_date,
    read_gov_meta,
    read_meta_tags,
    script_date,
    site_name,
)
from govnews.extract.overrides import override_element, override_text
from govnews.extract.result import Extracted
from govnews.extract.text import squash, text_lines
from govnews.extract.title import SHORT_NAME, TitleResult, find_title, heading_before, positioned_headings

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
    strip_invisible(root, counts)
    strip_ruby(root, counts)

    page_lines = text_lines(next(root.iter("body"), root))
    found_title = find_title(root, meta, out.gov_meta, page_lines)
    title_override = _overridden(root, overrides, "title", out.fallbacks)
    out.title = title_override or found_title.title
    out.site_name = site_name(meta, out.gov_meta, found_title.site_suffix)
    window = meta_window(page_lines, out.title)

    out.published_at = _overridden(root, overrides, "published_at", out.fallbacks, dates.parse_date) or (
        find_published_at(out.gov_meta, head_dates, window, page_lines, url)
    )
    headings, positions = positioned_headings(root)
    body, out.method = _find_body(root, overrides, out.fallbacks, counts)
    if out.method == "marked":
        out.method = marker or out.method
    if not title_override and _may_be_column_name(found_title, out.title):
        out.title = heading_before(headings, positions.get(body, 0), len(squash(out.title))) or out.title
    out.images, out.captions = collect_images(body, url, counts)
    body_lines = text_lines(body)
    out.paragraphs = clean_paragraphs(body_lines, out.title, counts)
    edges = body_lines[:BODY_EDGE_LINES] + body_lines[-BODY_EDGE_LINES:]
    _fill_byline(out, root, overrides, merge_bylines(window + edges), page_lines)
    out.counts = {k: v for k, v in sorted(counts.items()) if v}
    return out


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
            near = lines[max(0, i - META_WINDOW_BEFORE):i] + lines[i + 1:i + 1 + META_WINDOW_AFTER]
            return [ln for ln in near if len(ln) <= MAX_META_WINDOW_LINE]
    return []


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
    labelled_anywhere = next(
        (d for d in (dates.find_labelled_date(ln) for ln in page_lines if len(ln) <= MAX_META_WINDOW_LINE) if d),
        None,
    )
    return dates.prefer_precise(
        dates.parse_date(gov.get("PubDate")),
        dates.find_labelled_date(window_text),
        dates.parse_date(window_text),
        meta_date,
        in_script,
        labelled_anywhere,
        modified,
        dates.date_from_url(url),
    )


def _find_body(
    root: etree._Element, overrides: Mapping[str, str] | None, fallbacks: list[str], counts: Counter[str]
) -> tuple[etree._Element, str]:
    """Override, then CMS containers, then density (after document-level boilerplate removal)."""
    if overrides and overrides.get("body"):
        el = override_element(root, overrides, "body")
        if el is not None and squash("".join(el.itertext())):
            remove_boilerplate(el, counts)
            return el, "override"
        fallbacks.append("body")
    cms = find_cms_container(root)
    if cms is not None and cms.element is not None:
        remove_boilerplate(cms.element, counts)
        return cms.element, cms.method
    remove_boilerplate(root, counts)
    found = find_by_density(root)
    remove_boilerplate(found.element, counts)
    return found.element, found.method


def _is_date_line(line: str) -> bool:
    """A short line that is a date and little else (``2019-09-07 13:43 来源：新华社``)."""
    if len(line) > 60 or not dates.parse_date(line):
        return False
    rest = re.sub(dates.DATE_PATTERN, "", dates.normalize_digits(line))
    return len(squash(rest)) <= 25 and not re.search(r"[。！？]", rest)


def clean_paragraphs(lines: list[str], title: str | None, counts: Counter[str]) -> list[str]:
    """Body lines without control texts, the repeated headline, and meta lines at either end."""
    kept = []
    for line in lines:
        if is_boilerplate_text(line):
            counts["boilerplate_lines"] += 1
        else:
            kept.append(line)
    key = squash(title)
    while kept and (squash(kept[0]) == key or is_meta_line(kept[0]) or _is_date_line(kept[0])):
        kept.pop(0)
        counts["meta_lines"] += 1
    while kept and (is_meta_line(kept[-1]) or _is_date_line(kept[-1])):
        kept.pop()
        counts["meta_lines"] += 1
    return kept


def _fill_byline(
    out: Extracted, root: etree._Element, overrides: Mapping[str, str] | None, near: Byline, page_lines: list[str]
) -> None:
    """Source, authors and editor: override, then government meta, then the meta lines."""
    gov = out.gov_meta
    out.source = _overridden(root, overrides, "source", out.fallbacks) or gov.get("ContentSource") or near.source
    authors = _overridden(root, overrides, "authors", out.fallbacks)
    if authors:
        out.authors = [a for a in _NAME_SPLIT.split(authors) if a]
    else:
        out.authors = near.authors or [a for a in _NAME_SPLIT.split(gov.get("Author", "")) if a]
    page_editor = merge_bylines([ln for ln in page_lines if "编" in ln and len(ln) <= 60]).editor
    out.editor = _overridden(root, overrides, "editor", out.fallbacks) or near.editor or page_editor
