"""The site registry: every crawlable site as declarative data, one ``Site`` per spider.

A spider is generated for each entry (``spiders/sites.py``), so adding a site means adding an entry
here, not writing code. Selectors and URL layouts come from ``shared/sites.md`` (public crawler code
and stored pages) and were never checked against the live sites: every selector is only a first
choice, and the generic extractor takes over (and is counted) when one finds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Literal
from urllib.parse import urlsplit

import regex
from parsel import Selector

from govnews.items import Region

PaginationKind = Literal["index_n", "query", "hanweb_dataproxy", "none"]

#: Article URL patterns of the CMSs that government sites run on (see shared/sites.md).
TRS_ARTICLE = r"/t\d{8}_\d+(?:_slb)?\.s?html?$"
HANWEB_ARTICLE = r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html$"
UCAP_ARTICLE = r"/contents/\d+/\d+\.html$"
GOV_ARTICLE = f"(?:{TRS_ARTICLE})|(?:{HANWEB_ARTICLE})|(?:{UCAP_ARTICLE})"


@dataclass(frozen=True)
class Pagination:
    """How a site's list pages continue.

    ``index_n``: ``index.html`` then ``index_<n>.html`` (``suffix`` ``.html``/``.shtml``), pages found
    from TRS ``createPageHTML(total, current, "index", "html")`` or a 下一页 link.
    ``query``: ``?<param>=N``, from ``first`` upwards, until a page yields no article links.
    ``hanweb_dataproxy``: Hanweb's ``/module/web/jpage/dataproxy.jsp`` XML, ``per_page`` records per
    request, for the column ``column_id`` of unit ``unit_id`` on web ``web_id``.
    ``none``: a single list page (or discovery by sitemap/RSS only).
    """

    kind: PaginationKind = "index_n"
    suffix: str = ".html"
    param: str = "page"
    first: int = 1
    per_page: int = 20
    column_id: str = ""
    unit_id: str = ""
    web_id: str = ""


@dataclass(frozen=True)
class Site:
    """One crawlable site: where its lists are, what its articles look like, who publishes it."""

    key: str
    name: str  # "" lets the page's SiteName meta tag name the site
    region: Region | None
    allowed_domains: tuple[str, ...]
    start_urls: tuple[str, ...]
    article_url: str = GOV_ARTICLE
    pagination: Pagination = field(default_factory=Pagination)
    list_links: str | None = None  # CSS selector of the article links on a list page
    selectors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        regex.compile(self.article_url)  # a typo in an entry fails at import, not mid-crawl
        if self.list_links:
            _check_css(self.list_links, "list_links")
        object.__setattr__(self, "selectors", MappingProxyType(dict(self.selectors)))
        object.__setattr__(self, "aliases", MappingProxyType(dict(self.aliases)))

    def is_article_url(self, url: str) -> bool:
        """Whether ``url`` (without query or fragment) matches this site's article pattern."""
        path = url.split("#", 1)[0].split("?", 1)[0]
        return regex.search(self.article_url, path) is not None


def standard_site(start_urls: list[str], name: str = "", key: str = "", region: str = "",
                  region_code: str = "", article_url: str = "", list_links: str = "",
                  sitemaps: list[str] | None = None, feeds: list[str] | None = None,
                  hanweb: str = "") -> Site:
    """A ``Site`` for a government site that follows the national conventions, from plain strings.

    ``region`` is ``省/市/县`` (``山西省/临汾市/襄汾县``); ``hanweb`` is ``webid,unitid,columnid[,perpage]``
    of a Hanweb column whose list loads from ``dataproxy.jsp``. Raises ``ValueError`` naming the bad value.
    """
    urls = [*start_urls, *(sitemaps or []), *(feeds or [])]
    if not urls:
        raise ValueError("start_url: give at least one list page (or a sitemap, feed)")
    hosts = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL")
        hosts.append(parts.hostname.lower())
    return Site(
        key=key or hosts[0], name=name, region=_parse_region(region, region_code),
        allowed_domains=tuple(dict.fromkeys(hosts)), start_urls=tuple(start_urls),
        article_url=_checked_pattern(article_url) if article_url else GOV_ARTICLE,
        pagination=_hanweb_pagination(hanweb) if hanweb else Pagination("index_n"),
        list_links=list_links or None, sitemaps=tuple(sitemaps or ()), feeds=tuple(feeds or ()),
    )


def _parse_region(region: str, code: str) -> Region | None:
    if code and not regex.fullmatch(r"[0-9]{6}", code):
        raise ValueError(f"region_code={code}: must be the 6-digit administrative division code")
    if not region and not code:
        return None
    parts = [p.strip() or None for p in regex.split(r"[/,，、\s]+", region.strip())] if region else []
    province, city, county = ([*parts, None, None, None])[:3]
    return Region(province=province, city=city, county=county, code=code or None)


def _checked_pattern(pattern: str) -> str:
    try:
        regex.compile(pattern)
    except regex.error as exc:
        raise ValueError(f"article_url={pattern}: not a valid regular expression ({exc})") from None
    return pattern


def _check_css(selector: str, argument: str) -> None:
    """A CSS selector that cannot be parsed fails here, as a ValueError naming the argument (cssselect
    raises a SyntaxError, which would otherwise surface mid-crawl as a traceback)."""
    try:
        Selector(text="<html></html>").css(selector)
    except Exception as exc:  # SelectorSyntaxError, ExpressionError
        raise ValueError(f"{argument}={selector}: not a valid CSS selector ({exc})") from None


def _hanweb_pagination(spec: str) -> Pagination:
    ids = [part.strip() for part in spec.split(",")]
    if len(ids) not in (3, 4) or not all(regex.fullmatch(r"[0-9]+", i) for i in ids) or ids[3:] == ["0"]:
        raise ValueError(f"hanweb={spec}: use webid,unitid,columnid[,perpage] (numbers)")
    per_page = int(ids[3]) if len(ids) == 4 else Pagination.per_page
    return Pagination("hanweb_dataproxy", web_id=ids[0], unit_id=ids[1], column_id=ids[2], per_page=per_page)


def _region(code: str, province: str, city: str | None = None, county: str | None = None) -> Region:
    return Region(province=province, city=city, county=county, code=code)


SHANXI = "山西省"
XINZHOU = "忻州市"
LINFEN = "临汾市"

#: Selectors of the TRS county platform ``<abbr>.sxxz.gov.cn/<abbr>zw/`` shared by Xinzhou's counties.
#: The date line under the headline only shows the day; PubDate meta and the generic rules find it too.
_XINZHOU_COUNTY_SELECTORS = {
    "title": "div.article-head h2",
    "body": "div.article-con",
}


def xinzhou_county(key: str, name: str, county: str, code: str, column: str = "zwyw/xxyw",
                   aliases: Mapping[str, str] | None = None) -> Site:
    """A county site on Xinzhou's TRS platform: ``http://<key>.sxxz.gov.cn/<key>zw/<column>/``."""
    host = f"{key}.sxxz.gov.cn"
    return Site(
        key=key, name=name, region=_region(code, SHANXI, XINZHOU, county),
        allowed_domains=(host,), start_urls=(f"http://{host}/{key}zw/{column}/index.html",),
        article_url=rf"^https?://{regex.escape(host)}/{key}zw/.+{TRS_ARTICLE}",
        pagination=Pagination("index_n", ".html"), list_links="ul.list li a, div.list-con li a",
        selectors=_XINZHOU_COUNTY_SELECTORS, aliases=aliases or {},
    )


def _ucap_site(key: str, name: str, host: str, region: Region, body: str, columns: tuple[str, ...]) -> Site:
    """A UCAP (开普云) site of Linfen: ``/channels/<col>.html?page=N`` lists, ``/contents/`` articles.

    The list address is a guess from the platform's defaults; the article address is documented.
    """
    return Site(
        key=key, name=name, region=region, allowed_domains=(host,),
        start_urls=tuple(f"http://{host}/channels/{col}.html" for col in columns),
        article_url=rf"^https?://{regex.escape(host)}{UCAP_ARTICLE}",
        pagination=Pagination("query", param="page", first=1),
        selectors={"title": "div.cont.w h1", "body": body},
    )


_ENTRIES: tuple[Site, ...] = (
    Site(
        key="lfxww", name="临汾新闻网", region=_region("141000", SHANXI, LINFEN),
        allowed_domains=("www.lfxww.com", "lfxww.com"),
        start_urls=("http://www.lfxww.com/linfen/shizheng/index.html",
                    "http://www.lfxww.com/linfen/qyxw/index.html"),
        article_url=r"^https?://(?:www\.)?lfxww\.com/[a-z]+/[a-z]+/\d{6,8}\.html$",
        pagination=Pagination("index_n", ".html"), list_links="#contentText div ul li a",
        # source and editor are read off the labelled meta line (来源: / 责任编辑：) by the generic rules
        selectors={"title": "h2.h2.text-center.xb-h2, div.piccontext h2",
                   "published_at": "h3.h4.text-center.xb-h4",
                   "body": "div.col-md-12.nry.jcontent, div.picshow"},
    ),
    Site(
        key="xinzhou_news", name="忻州网", region=_region("140900", SHANXI, XINZHOU),
        allowed_domains=("news.xinzhou.org", "xinzhou.org", "www.xinzhou.org"),
        start_urls=("http://news.xinzhou.org/html/xznews/index.html",),
        # <id>_2.html and up are continuation pages of a long article (div#pages), not articles
        article_url=r"^https?://(?:news\.|www\.)?xinzhou\.org/html/\d{4}/[a-z]+_\d{4}/\d+\.html$",
        pagination=Pagination("index_n", ".html"), list_links="div.col-left ul li div a",
        # the headline h1 also holds the meta line as a <span>: take only its own text
        selectors={"title": "//div[@id='Article']/h1/text()", "published_at": "div#Article h1 span",
                   "body": "div#Article div.content"},
    ),
    Site(
        key="sxxz", name="忻州市人民政府", region=_region("140900", SHANXI, XINZHOU),
        allowed_domains=("www.sxxz.gov.cn", "sxxz.gov.cn"),
        start_urls=("http://www.sxxz.gov.cn/zwyw/xzyw/index.shtml",),
        article_url=r"^https?://(?:www\.)?sxxz\.gov\.cn/zwyw/[a-z]+/\d{6}/t\d{8}_\d+\.shtml$",
        pagination=Pagination("index_n", ".shtml"),
        selectors={"title": "h3.article-title, div.article h1, div.article h2",
                   "published_at": "div.article-filed span:nth-of-type(2)", "body": "div.TRS_Editor"},
    ),
    # the old county domain now redirects into the platform: www.kelan.gov.cn/x/ -> klx.sxxz.gov.cn/klxzw/x/
    xinzhou_county("klx", "岢岚县人民政府", "岢岚县", "140929",
                   aliases={"www.kelan.gov.cn": "klx.sxxz.gov.cn/klxzw",
                            "kelan.gov.cn": "klx.sxxz.gov.cn/klxzw"}),
    xinzhou_county("bdx", "保德县人民政府", "保德县", "140931"),
    xinzhou_county("fsx", "繁峙县人民政府", "繁峙县", "140924"),
    xinzhou_county("scx", "神池县人民政府", "神池县", "140927"),
    _ucap_site("linfen", "临汾市人民政府", "www.linfen.gov.cn", _region("141000", SHANXI, LINFEN),
               "div#UCAP-CONTENT", ("10905",)),
    _ucap_site("hongtong", "洪洞县人民政府", "www.hongtong.gov.cn",
               _region("141024", SHANXI, LINFEN, "洪洞县"), "div.content", ("11897",)),
    Site(
        key="shanxi", name="山西省人民政府", region=_region("140000", SHANXI),
        allowed_domains=("www.shanxi.gov.cn", "shanxi.gov.cn"),
        start_urls=("http://www.shanxi.gov.cn/ywdt/sxyw/index.shtml",),
        article_url=r"^https?://(?:www\.)?shanxi\.gov\.cn/ywdt/[a-z]+/\d{6}/t\d{8}_\d+(?:_slb)?\.shtml$",
        pagination=Pagination("index_n", ".shtml"),
        selectors={"title": "div.detail-article-title",
                   "published_at": "ul.detail-article-infos li.article-infos-source span:nth-of-type(1)",
                   "source": "ul.detail-article-infos li.article-infos-source span:nth-of-type(2)",
                   "body": "div.TRS_Editor"},
    ),
)

SITES: dict[str, Site] = {site.key: site for site in _ENTRIES}


def site_for_url(url: str, sites: Mapping[str, Site] | None = None) -> Site | None:
    """The registry site an address belongs to (its domains, or an old domain it aliases), or None.

    The most specific domain wins, so ``klx.sxxz.gov.cn`` is the county's, not the city's ``sxxz.gov.cn``.
    """
    host = (urlsplit(url).hostname or "").lower()
    if sites is None:  # the registry does not change while a crawl runs: one walk per host (5 lookups a page)
        return _registry_site_for_host(host)
    return _site_for_host(host, sites)


@lru_cache(maxsize=4096)
def _registry_site_for_host(host: str) -> Site | None:
    return _site_for_host(host, SITES)


def _site_for_host(host: str, sites: Mapping[str, Site]) -> Site | None:
    best: tuple[int, Site] | None = None
    for site in sites.values():
        domains = (*site.allowed_domains, *(alias.partition("/")[0] for alias in site.aliases))
        for domain in domains:
            if (host == domain or host.endswith("." + domain)) and (best is None or len(domain) > best[0]):
                best = (len(domain), site)
    return best[1] if best else None
