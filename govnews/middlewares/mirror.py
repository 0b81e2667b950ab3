"""Fetch every page from a local mirror while spiders keep seeing the real addresses.

The real sites cannot be reached from tests (or from an offline machine), yet spiders, offsite
filtering, ids and canonical URLs must all work on the real addresses. With the setting
``GOVNEWS_MIRROR`` set to a base URL such as ``http://127.0.0.1:8765/``, a request for
``http(s)://<host>/<path>?<query>`` is downloaded from ``<mirror>/<host>/<path>%3F<query>`` and the
response's ``url`` is set back to the original, so nothing downstream sees the mirror.

Mirror layout on disk (serve it with any static file server, e.g. ``python -m http.server``):
``http://www.shanxi.gov.cn/ywdt/sxyw/index.shtml`` -> ``www.shanxi.gov.cn/ywdt/sxyw/index.shtml``;
a query becomes part of the file name, exactly as the URL spells it (``%2F`` stays ``%2F``):
``…/channels/10905.html?page=2`` -> ``…/channels/10905.html?page=2``.
Directory URLs (``…/klxzw/``) are served by the server's ``index.html``.

``govnews.settings`` enables it in ``DOWNLOADER_MIDDLEWARES`` at 120: after offsite filtering (50) and
robots.txt (100) have judged the real address. Without the setting the middleware is disabled
(``NotConfigured``). Default of ``GOVNEWS_MIRROR``: empty.
"""

from __future__ import annotations

from urllib.parse import quote, unquote, urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

_QUERY_MARK = "%3F"


def mirror_url(url: str, mirror: str) -> str:
    """Where ``url`` lives in the mirror rooted at ``mirror``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = _QUERY_MARK + quote(parts.query, safe="") if parts.query else ""
    return f"{mirror.rstrip('/')}/{parts.netloc.lower()}{path}{query}"


def original_url(mirrored: str, mirror: str, scheme: str = "http") -> str | None:
    """The real address a mirror URL stands for (None when ``mirrored`` is not inside the mirror).

    The scheme is not part of the mirror path; ``scheme`` supplies it.
    """
    root = mirror.rstrip("/") + "/"
    if not mirrored.startswith(root):
        return None
    host, _, path = mirrored[len(root):].partition("/")
    path, mark, query = _split_query(path)
    return f"{scheme}://{host}/{path}" + (f"?{unquote(query)}" if mark else "")


def _split_query(path: str) -> tuple[str, str, str]:
    index = path.upper().find(_QUERY_MARK)
    if index < 0:
        return path, "", ""
    return path[:index], "?", path[index + len(_QUERY_MARK):]


class MirrorMiddleware:
    """Downloader middleware: real address in, mirror download, real address out."""

    def __init__(self, mirror: str) -> None:
        self.mirror = mirror.rstrip("/")
        self.mirror_host = urlsplit(self.mirror).netloc

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorMiddleware:
        mirror = crawler.settings.get("GOVNEWS_MIRROR", "")
        if not mirror:
            raise NotConfigured  # no message: Scrapy would log a warning on every crawl
        return cls(mirror)

    def process_request(self, request: Request, spider: Spider | None = None) -> Request | None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("http", "https") or parts.netloc == self.mirror_host:
            return None  # already a mirror download (or a redirect the mirror server issued)
        meta = {**request.meta, "govnews_mirror_scheme": parts.scheme, "dont_obey_robotstxt": True}
        # dont_filter: the real address already passed the dupefilter and the offsite check.
        return request.replace(url=mirror_url(request.url, self.mirror), meta=meta, dont_filter=True)

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        scheme = request.meta.get("govnews_mirror_scheme", "http")
        original = original_url(request.url, self.mirror, scheme)
        return response.replace(url=original) if original else response
