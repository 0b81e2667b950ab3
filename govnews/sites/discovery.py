"""List pages, Hanweb data proxies, sitemaps and feeds -> article links, their dates, and what comes next.

Pure functions over strings, so the site spiders stay thin and every discovery rule is unit-tested
without a crawl. Lists are newest first on every site we know, so a list entry's date decides when a
``since`` crawl can stop paginating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import regex
from lxml import etree
from parsel import Selector

from govnews.extract.overrides import override_element
from govnews.sites.registry import Pagination, Site
from govnews.urls import canonical_url

#: Dates as lists print them: 2026-07-19, 2016/09/27, 2016.09.27, 2016年9月27日.
_DATE_IN_TEXT = regex.compile(r"(?<!\d)((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
#: Dates inside article URLs: TRS ``t20230807_``, Hanweb ``/art/2023/8/7/``, PHPCMS ``/2023/news_0807/``.
_DATE_IN_URL = (
    regex.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_\d+"),
    regex.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    regex.compile(r"/((?:19|20)\d{2})/[a-z]+_(\d{2})(\d{2})/"),
)
#: TRS list paging: ``createPageHTML(12, 0, "index", "shtml")`` (total pages, 0-based current page).
_CREATE_PAGE_HTML = regex.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?"
    r"(?:\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"])?")
_TOTAL_PAGES_TEXT = regex.compile(r"共\s*(\d+)\s*页")
_NEXT_PAGE_TEXT = ("下一页", "下页", "后页", "next", "Next", ">", "›", "»")
_XML_PARSER = etree.XMLParser(recover=True, huge_tree=True, resolve_entities=False, no_network=True)
DATAPROXY_PATH = "/module/web/jpage/dataproxy.jsp"


@dataclass(frozen=True)
class ListEntry:
    """One article link found on a list page (or in a sitemap/feed), with the date the list shows."""

    url: str
    title: str = ""
    date: date | None = None


def parse_date(text: str) -> date | None:
    """The first plausible calendar date in ``text``, else None."""
    for match in _DATE_IN_TEXT.finditer(text):
        found = _to_date(*match.groups())
        if found:
            return found
    return None


def date_in_url(url: str) -> date | None:
    """The publication date many CMSs put in article paths (``t20230807_``, ``/art/2023/8/7/``)."""
    for pattern in _DATE_IN_URL:
        match = pattern.search(url)
        if match and (found := _to_date(*match.groups())):
            return found
    return None


def _to_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def host_allowed(url: str, allowed_domains: tuple[str, ...]) -> bool:
    """Scrapy's offsite rule: the host is an allowed domain or one of its subdomains."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in allowed_domains)


def article_request_url(url: str, site: Site) -> str:
    """The address to fetch: the canonical one (old domains mapped, ``_slb`` twins folded), scheme kept.

    Fetching the canonical spelling means twins are downloaded once and an old domain that only
    redirects is never contacted.
    """
    canonical = urlsplit(canonical_url(url, site.aliases))
    scheme = urlsplit(url).scheme or "http"
    return urlunsplit(canonical._replace(scheme=scheme))


@dataclass(frozen=True)
class ListPage:
    """What one list page (or one data-proxy response) holds.

    ``used_fallback`` says the site's ``list_links`` selector found no article link, so every link on
    the page was tried instead (a template change worth a look).
    """

    entries: tuple[ListEntry, ...]
    next_pages: tuple[str, ...] = ()
    total_pages: int | None = None
    used_fallback: bool = False
    bad_links: int = 0  # links that are not addresses at all ("http://[::1", a port out of range)


def parse_list_page(html: str, url: str, site: Site) -> ListPage:
    """Article links (with list dates) and the following list page(s) of one HTML list page."""
    sel = Selector(text=html)
    base = _base_href(sel, url)
    entries: list[ListEntry] = []
    bad: list[str] = []
    if site.list_links:
        entries = _entries_from_anchors(sel.css(site.list_links), base, site, bad)
    used_fallback = bool(site.list_links) and not entries
    if not entries:
        bad.clear()
        entries = _entries_from_anchors(sel.css("a[href]"), base, site, bad)
    total = total_pages(html)
    nexts = next_list_pages(html, sel, url, site.pagination, total) if entries else []
    return ListPage(tuple(entries), tuple(nexts), total, used_fallback and bool(entries), len(bad))


def _base_href(sel: Selector, url: str) -> str:
    href = sel.xpath("//head/base/@href").get()
    try:
        return urljoin(url, href.strip()) if href else url
    except ValueError:
        return url


def _entries_from_anchors(nodes: list, base: str, site: Site, bad: list[str] | None = None) -> list[ListEntry]:
    """Article links among ``nodes`` (anchors or their containers), addressed as they will be fetched.

    A link that is no address at all is left out (and added to ``bad``): one must not cost the page.
    """
    entries: dict[str, ListEntry] = {}
    for anchor in (a for node in nodes for a in node.xpath("descendant-or-self::a[@href]")):
        href = anchor.attrib.get("href", "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        try:
            url = article_request_url(urljoin(base, href), site)
        except ValueError:
            if bad is not None:
                bad.append(href)
            continue
        if not site.is_article_url(url) or url in entries:
            continue
        title = " ".join(anchor.xpath("string()").get("").split()) or anchor.attrib.get("title", "")
        entries[url] = ListEntry(url, title, _entry_date(anchor, url))
    return list(entries.values())


def _entry_date(anchor: Selector, url: str) -> date | None:
    """The date printed beside a list link (same ``li``/``tr``), else the one in its URL."""
    row = anchor.xpath("ancestor::*[self::li or self::tr or self::dd or self::dt][1]")
    text = row.xpath("string()").get("") if row else anchor.xpath("string(..)").get("")
    return parse_date(text) or date_in_url(url)


def total_pages(html: str) -> int | None:
    """Total list pages the page announces (TRS ``createPageHTML`` or 共N页), else None."""
    match = _CREATE_PAGE_HTML.search(html) or _TOTAL_PAGES_TEXT.search(html)
    return int(match.group(1)) if match else None


def next_list_pages(html: str, sel: Selector, url: str, pagination: Pagination,
                    total: int | None) -> list[str]:
    """The list page after ``url``: TRS paging script, a 下一页 link, or ``?page=N+1``."""
    if pagination.kind == "query":
        return _next_query_page(url, pagination, total)
    script = _CREATE_PAGE_HTML.search(html)
    if script:
        count, current = int(script.group(1)), int(script.group(2))
        prefix = script.group(3) or "index"
        suffix = "." + script.group(4) if script.group(4) else pagination.suffix
        return [urljoin(url, f"{prefix}_{current + 1}{suffix}")] if current + 1 < count else []
    link = _next_page_link(sel, url)
    return [link] if link else []


def _next_page_link(sel: Selector, url: str) -> str | None:
    for anchor in sel.xpath("//a[@href]"):
        text = anchor.xpath("normalize-space(string())").get("")
        classes = anchor.attrib.get("class", "")
        if text in _NEXT_PAGE_TEXT or "next" in classes.split():
            href = anchor.attrib["href"].strip()
            try:
                target = urljoin(url, href)
            except ValueError:
                continue
            if href and not href.startswith(("javascript:", "#")) and target != url:
                return target
    return None


def query_page_number(url: str, pagination: Pagination) -> int:
    """Which page of a ``?page=N`` list ``url`` is (``pagination.first`` when the parameter is absent)."""
    match = regex.search(rf"[?&]{regex.escape(pagination.param)}=(\d+)", url)
    return int(match.group(1)) if match else pagination.first


def _next_query_page(url: str, pagination: Pagination, total: int | None) -> list[str]:
    number = query_page_number(url, pagination) + 1
    if total is not None and number - pagination.first >= total:
        return []
    parts = urlsplit(url)
    kept = [p for p in parts.query.split("&") if p and not p.startswith(pagination.param + "=")]
    query = "&".join([*kept, f"{pagination.param}={number}"])
    return [urlunsplit(parts._replace(query=query, fragment=""))]


def dataproxy_url(site: Site, start_record: int) -> str:
    """One Hanweb ``dataproxy.jsp`` request: ``per_page`` records of the column from ``start_record``.

    Real sites POST these parameters; the JSP reads them from the query string just as well, and a GET
    keeps the request cacheable and mirrorable. Parameters are sorted so the address is stable.
    """
    p = site.pagination
    params = {
        "appid": "1", "col": "1", "columnid": p.column_id, "endrecord": str(start_record + p.per_page - 1),
        "path": "/", "permissiontype": "0", "perpage": str(p.per_page), "sourceContentType": "1",
        "startrecord": str(start_record), "unitid": p.unit_id, "webid": p.web_id,
    }
    root = urlsplit(site.start_urls[0])
    return urlunsplit((root.scheme, root.netloc, DATAPROXY_PATH, urlencode(sorted(params.items())), ""))


def parse_dataproxy(xml: bytes | str, url: str, site: Site) -> ListPage:
    """Article links of one Hanweb data-proxy response and the request for the next records.

    The response is ``<datastore><totalrecord>N</totalrecord><recordset><record><![CDATA[<li>…</li>]]>
    </record>…</recordset></datastore>``; each record is a list item in the site's list template.
    """
    root = _parse_xml(xml)
    if root is None:
        return ListPage(())
    records = "".join(r.text or "" for r in root.iter("record"))
    entries = _entries_from_anchors(Selector(text=f"<ul>{records}</ul>").css("li, a"), url, site)
    total_records = _int_of(root.findtext(".//totalrecord"))
    per_page = site.pagination.per_page
    pages = _int_of(root.findtext(".//totalpage")) or (
        -(-total_records // per_page) if total_records is not None else None)
    start_match = regex.search(r"[?&]startrecord=(\d+)", url)
    start = int(start_match.group(1)) if start_match else 1
    following = start + per_page
    more = entries and (following <= total_records if total_records is not None else len(entries) >= per_page)
    nexts = (dataproxy_url(site, following),) if more else ()
    return ListPage(tuple(entries), nexts, pages)


def _int_of(text: str | None) -> int | None:
    return int(text.strip()) if text and text.strip().isdigit() else None


def _parse_xml(xml: bytes | str) -> etree._Element | None:
    """Parse forgivingly (CMS output is often not well-formed XML); namespaces dropped for lookups."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    if not data.strip():
        return None
    try:
        root = etree.fromstring(data, _XML_PARSER)
    except etree.XMLSyntaxError:
        return None
    if root is None:
        return None
    for node in root.iter():
        if isinstance(node.tag, str) and "}" in node.tag:
            node.tag = node.tag.split("}", 1)[1]
    return root


def article_entries(entries: list[ListEntry], site: Site, bad: list[str] | None = None) -> list[ListEntry]:
    """The entries of a sitemap or feed that are articles of ``site``, addressed as they will be fetched
    (entries that are no address at all are left out, and added to ``bad``)."""
    found: dict[str, ListEntry] = {}
    for entry in entries:
        try:
            url = article_request_url(entry.url, site)
        except ValueError:
            if bad is not None:
                bad.append(entry.url)
            continue
        if site.is_article_url(url) and url not in found:
            found[url] = ListEntry(url, entry.title, entry.date)
    return list(found.values())


def parse_sitemap(xml: bytes | str) -> tuple[list[ListEntry], list[str]]:
    """A sitemap's page URLs (with ``lastmod`` dates) and, for a sitemap index, its child sitemaps."""
    root = _parse_xml(xml)
    if root is None:
        return [], []
    pages = [ListEntry(loc.strip(), "", parse_date(node.findtext("lastmod") or ""))
             for node in root.iter("url") if (loc := node.findtext("loc"))]
    children = [loc.strip() for node in root.iter("sitemap") if (loc := node.findtext("loc"))]
    return pages, children


def parse_feed(xml: bytes | str) -> list[ListEntry]:
    """Entries of an RSS 2.0 or Atom feed: link, title and publication date."""
    root = _parse_xml(xml)
    if root is None:
        return []
    entries = []
    for item in (n for n in root.iter() if n.tag in ("item", "entry")):
        link = item.findtext("link") or ""
        if not link.strip():
            link = next((a.get("href", "") for a in item.iter("link") if a.get("href")), "")
        when = item.findtext("pubDate") or item.findtext("published") or item.findtext("updated") or ""
        if link.strip():
            entries.append(ListEntry(link.strip(), " ".join((item.findtext("title") or "").split()),
                                     _feed_date(when)))
    return entries


def _feed_date(text: str) -> date | None:
    """RSS dates are RFC 822 (``Mon, 07 Aug 2023 08:00:00 +0800``); Atom's are ISO 8601."""
    if not text.strip():
        return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return parse_date(text)


MAX_CONTINUATION_PAGES = 20


def continuation_pages(html: str, url: str) -> list[str]:
    """Further pages of an article split over several (PHPCMS ``div#pages``: ``<id>_2.html``, ``<id>_3.html``).

    Only links to the same document id in the same folder count, in page order, page 1 excluded.
    """
    parts = urlsplit(url)
    folder, _, name = parts.path.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem or regex.search(r"_\d+$", stem):
        return []
    pattern = regex.compile(rf"^{regex.escape(folder)}/{regex.escape(stem)}_(\d+)\.{regex.escape(ext)}$")
    pages: dict[int, str] = {}
    for href in Selector(text=html).xpath("//a/@href").getall():
        try:
            target = urlsplit(urljoin(url, href.strip()))
        except ValueError:
            continue
        match = pattern.match(target.path) if target.netloc == parts.netloc else None
        if match and 1 < int(match.group(1)) <= MAX_CONTINUATION_PAGES + 1:
            pages.setdefault(int(match.group(1)), urlunsplit(target._replace(query="", fragment="")))
    return [pages[n] for n in sorted(pages)]


def merge_article_pages(first_html: str, other_htmls: list[str], body_selector: str | None) -> str | None:
    """Page one of a split article with the bodies of the other pages appended to its body container.

    None when the container cannot be found on page one (the caller then keeps page one as it is).
    """
    if not body_selector:
        return None
    selectors = {"body": body_selector}
    first = Selector(text=first_html).root
    target = override_element(first, selectors, "body")
    if target is None:
        return None
    for html in other_htmls:
        source = override_element(Selector(text=html).root, selectors, "body")
        for child in list(source) if source is not None else []:
            target.append(child)
    return etree.tostring(first, encoding="unicode", method="html")
