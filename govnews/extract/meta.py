"""The page head: government meta tags, Open Graph, JSON-LD, canonical URL and site name.

Government sites follow 国办发〔2017〕47号 (``SiteName``, ``ArticleTitle``, ``PubDate``, ...). Sites spell the
names in any case (``contentSource``, ``url``), so lookups are case-insensitive and the result uses the
spelling of the convention.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from govnews.extract.dates import BEIJING, parse_date
from govnews.extract.text import collapse, element_text

GOV_META_NAMES = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
    "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
    "Image", "Url", "catalogs", "contentid",
)
# Names every web page may carry; they count as government meta only beside a convention-specific one.
_GENERIC_NAMES = frozenset({"Keywords", "Author", "Description", "Image", "Url"})
_BY_LOWER = {name.lower(): name for name in GOV_META_NAMES}
DATE_META_KEYS = (
    "article:published_time", "og:release_date", "og:article:published_time", "publishdate", "pubdate",
    "publish_date", "publishtime", "datepublished", "weibo: article:create_at", "dc.date.issued",
    "dc.date", "sailthru.date", "firstpublishedtime", "releasedate",
)


def read_meta_tags(root: etree._Element) -> dict[str, str]:
    """Every ``<meta name|property|itemprop=... content=...>``, keys lower-cased, first non-empty wins."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        key = el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv")
        value = collapse(el.get("content"))
        if key and value:
            found.setdefault(key.strip().lower(), value)
    return found


def read_gov_meta(root: etree._Element) -> dict[str, str]:
    """The government-convention tags present with a value, named as the convention writes them."""
    found: dict[str, str] = {}
    for el in root.iter("meta"):
        name = _BY_LOWER.get((el.get("name") or "").strip().lower())
        value = collapse(el.get("content"))
        if name and value:
            found.setdefault(name, value)
    if not any(name not in _GENERIC_NAMES for name in found):
        return {}
    return found


def json_ld_objects(root: etree._Element) -> Iterator[Mapping[str, object]]:
    """JSON-LD objects of the page (``@graph`` flattened); broken JSON is skipped."""
    for script in root.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            continue
        items = data if isinstance(data, list) else [data]
        for item in items:
            if isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    yield from (g for g in graph if isinstance(g, dict))


def head_date(meta: Mapping[str, str], root: etree._Element) -> str | None:
    """Publication date from meta tags, JSON-LD or ``<time itemprop=datePublished>``."""
    for key in DATE_META_KEYS:
        parsed = parse_date(meta.get(key))
        if parsed:
            return parsed
    for obj in json_ld_objects(root):
        parsed = parse_date(str(obj.get("datePublished") or ""))
        if parsed:
            return parsed
    for el in root.iter("time"):
        if (el.get("itemprop") or "").lower() == "datepublished" or el.get("pubdate") is not None:
            parsed = parse_date(el.get("datetime") or element_text(el))
            if parsed:
                return parsed
    return None


_SCRIPT_DATE = re.compile(
    r"[\"']?(?:pubtime|pub_time|publish_time|publishtime|publishdate|publish_date|pubdate|datepublished)[\"']?"
    r"\s*[:=]\s*[\"']([^\"']{8,40})[\"']",
    re.IGNORECASE,
)
# WeChat articles carry their creation time only as a Unix timestamp: var ct = "1581517074".
_SCRIPT_EPOCH = re.compile(r"\bvar\s+ct\s*=\s*[\"'](\d{10})[\"']")
MAX_SCRIPT_SCAN = 200_000  # characters of one script searched: data blobs beyond that are not metadata




def script_date(root: etree._Element) -> str | None:
    """A publication date that only page scripts carry (``"pubtime": "..."``, WeChat's ``var ct``).

    Most scripts name no date key: a literal search rules them out before the full pattern runs.
    """
    for script in root.iter("script"):
        code = (script.text or "")[:MAX_SCRIPT_SCAN]
        if not code:
            continue
        if "pub" in code.lower():  # every key _SCRIPT_DATE knows contains it, in some case
            for m in _SCRIPT_DATE.finditer(code):
                parsed = parse_date(m.group(1))
                if parsed:
                    return parsed
        m = _SCRIPT_EPOCH.search(code) if "ct" in code else None
        if m:
            return datetime.fromtimestamp(int(m.group(1)), BEIJING).strftime("%Y-%m-%dT%H:%M:%S+08:00")
    return None


def modified_date(meta: Mapping[str, str]) -> str | None:
    """Last resort before the URL: when a page was last changed is at least the right day most often."""
    for key in ("article:modified_time", "og:updated_time", "datemodified", "dateupdate", "lastmodifiedtime"):
        parsed = parse_date(meta.get(key))
        if parsed:
            return parsed
    return None


def canonical_url(root: etree._Element, meta: Mapping[str, str], gov: Mapping[str, str], url: str) -> str | None:
    """``<link rel=canonical>``, ``og:url`` or the ``Url`` meta, resolved against the page URL."""
    candidates = [
        link.get("href") for link in root.iter("link") if "canonical" in (link.get("rel") or "").lower()
    ]
    candidates += [meta.get("og:url"), gov.get("Url")]
    for href in candidates:
        href = (href or "").strip()
        if not href or href.startswith(("javascript:", "#")):
            continue
        try:
            resolved = urljoin(url, href) if url else href
        except ValueError:  # a malformed address ("http://[x") is no canonical URL, and no reason to fail
            continue
        if resolved.startswith(("http://", "https://")):
            return resolved
    return None


_TITLE_SEPARATORS = re.compile(r"\s*(?:_|\||｜|丨|—+|–|::|-{2,})\s*|\s+-\s+")


# Discuz! Archiver and paged articles number the page in <title>: ``标题(页 1) - 版块 - 论坛``.
_PAGE_NUMBER = re.compile(r"\s*[(（]\s*(?:页|第)\s*\d{1,3}\s*页?\s*[)）]\s*$")


def split_title_tag(title: str) -> tuple[str, str | None]:
    """``标题_临汾新闻网`` -> (``标题``, ``临汾新闻网``): the headline part and the site-name suffix."""
    parts = [_PAGE_NUMBER.sub("", p) for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        return title.strip(), None
    return parts[0].strip(), parts[-1].strip()


def site_name(meta: Mapping[str, str], gov: Mapping[str, str], title_suffix: str | None) -> str | None:
    return gov.get("SiteName") or meta.get("og:site_name") or title_suffix or None


# Head tags that name the originating outlet; ``article:author`` is left out (portals put their own name there).
SOURCE_META_KEYS = ("contentsource", "source", "og:source", "article:source", "dc.source", "citation_publisher")


def meta_source(meta: Mapping[str, str]) -> str | None:
    """The outlet a head tag names (``<meta name="source" content="新华网">``); URLs and ids are no outlet."""
    for key in SOURCE_META_KEYS:
        value = (meta.get(key) or "").strip()
        if value and len(value) <= 40 and not re.search(r"https?:|www\.|\.(?:com|cn|net)\b|^\d+$", value):
            return value
    return None


_SOURCE_CLASS = re.compile(r"(?:^|[_-])source$", re.IGNORECASE)


def marked_source_texts(
    root: etree._Element, limit: int = 5, candidates: list[etree._Element] | None = None
) -> list[str]:
    """Texts of the first elements whose class or id says they hold the source (``a_source``, ``source``).

    Portals print the outlet in such an element beside the date, often glued to other spans in the text
    (``金融市场棱镜2019-09-23``), so the markup tells where the outlet ends. Texts with digits (a whole
    ``date-source`` box) are skipped; callers keep only texts that stand by the headline. ``candidates``:
    the elements with a class or an id, in document order, when the DOM pass collected them already.
    """
    found: list[str] = []
    pool = root.iter() if candidates is None else (el for el in candidates if el is root or el.getparent() is not None)
    for el in pool:
        if not isinstance(el.tag, str):
            continue
        raw = f"{el.get('class') or ''} {el.get('id') or ''}"
        if "source" not in raw.casefold() or not any(_SOURCE_CLASS.search(name) for name in raw.split()):
            continue
        text = collapse(element_text(el))
        if 2 <= len(text) <= 30 and not re.search(r"\d", text):
            found.append(text)
            if len(found) >= limit:
                break
    return found
