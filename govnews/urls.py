"""Canonical article addresses, so one article has one ``id`` however it was reached.

Government sites publish the same document under several addresses: ``http`` and ``https``, tracking
parameters, an elder-friendly ``_slb`` twin (shanxi.gov.cn), and old domains that now redirect.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import regex
from w3lib.url import canonicalize_url as w3lib_canonicalize

#: Query parameters that never select a different document.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "spm", "from",
    "share_token", "sharer", "isappinstalled", "wfr", "scene", "_t", "tt_from",
})
_SLB_TWIN = regex.compile(r"_slb(?=\.s?html?$)")
#: Between URLs named in one argument: whitespace, or a comma that starts another URL.
_URL_SEPARATOR = regex.compile(r"\s+|,(?=\s*(?:https?|file)://)", regex.IGNORECASE)


def canonical_url(url: str, aliases: Mapping[str, str] | None = None) -> str:
    """Collapse an article address to one spelling.

    ``aliases`` maps an old host (or ``host/path-prefix``) to its replacement, e.g.
    ``{"www.kelan.gov.cn": "klx.sxxz.gov.cn/klxzw"}``. ``file://`` URLs are kept as they are apart
    from the fragment. Raises ``ValueError`` for what is not an address (``http://[::1``, a port out of
    range), as ``urllib.parse`` does.
    """
    parts = urlsplit(url.strip())
    if parts.scheme == "file":
        return urlunsplit(parts._replace(fragment=""))
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = parts.path or "/"
    for old, new in (aliases or {}).items():
        old_host, _, old_prefix = old.partition("/")
        if host == old_host and path.startswith("/" + old_prefix if old_prefix else "/"):
            new_host, _, new_prefix = new.partition("/")
            rest = path[len(old_prefix) + 1:] if old_prefix else path
            host = new_host
            path = ("/" + new_prefix.strip("/") if new_prefix else "") + "/" + rest.lstrip("/")
            break
    path = _SLB_TWIN.sub("", path)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if k.lower() not in TRACKING_PARAMS])
    return w3lib_canonicalize(urlunsplit(("http", host, path, query, "")))


def article_id(canonical: str) -> str:
    """Stable id of an article: SHA-1 of its canonical URL, hex (for a local file, of its own absolute
    path, or of its path below a fixed root: ``relative_file_url``)."""
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()


def split_urls(value: str) -> list[str]:
    """URLs named in one argument (``-a url=A,B``, ``A B``, or one a line): a comma splits only where the
    next URL starts, so ``?ids=1,2`` stays one URL."""
    return [u for u in _URL_SEPARATOR.split(value.strip()) if u]


def declared_canonical(page_url: str, declared: str | None, gov_url: str | None) -> str | None:
    """``declared`` (the extractor's canonical URL), unless it is only a relative ``<meta name="Url">``
    resolved against where the page was fetched.

    The national convention puts the page's full address in that tag; a relative value names no address
    of its own (every page of a template that prints ``Url=t2024_1.html`` would "be" the same page), so
    it is not a canonical URL.
    """
    if not declared or not gov_url:
        return declared
    raw = gov_url.strip()
    if urlsplit(raw).scheme or raw.startswith("//"):
        return declared
    return None if urljoin(page_url, raw) == declared else declared


def relative_file_url(url: str, root: str | None) -> str:
    """``file:///home/me/site/articles/a.html`` below root ``/home/me/site`` -> ``file:articles/a.html``.

    The absolute path of a local copy says where it was checked out, not what it is: keeping it would
    give the same page another id on every machine (and publish the user's folder names in a dataset).
    URLs that are not files, or not below ``root``, are returned unchanged."""
    if not root or not url.startswith("file:"):
        return url
    prefix = urlsplit(Path(root).resolve().as_uri()).path.rstrip("/") + "/"
    path = urlsplit(url).path
    if not path.startswith(prefix):
        return url
    return "file:" + path[len(prefix):]
