"""Canonical article addresses, so one article has one ``id`` however it was reached.

Government sites publish the same document under several addresses: ``http`` and ``https``, tracking
parameters, an elder-friendly ``_slb`` twin (shanxi.gov.cn), and old domains that now redirect.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import regex
from w3lib.url import canonicalize_url as w3lib_canonicalize

#: Query parameters that never select a different document.
TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "spm", "from",
    "share_token", "sharer", "isappinstalled", "wfr", "scene", "_t", "tt_from",
})
_SLB_TWIN = regex.compile(r"_slb(?=\.s?html?$)")


def canonical_url(url: str, aliases: Mapping[str, str] | None = None) -> str:
    """Collapse an article address to one spelling.

    ``aliases`` maps an old host (or ``host/path-prefix``) to its replacement, e.g.
    ``{"www.kelan.gov.cn": "klx.sxxz.gov.cn/klxzw"}``. ``file://`` URLs are kept as they are apart
    from the fragment.
    """
    parts = urlsplit(url.strip())
    if parts.scheme == "file":
        return urlunsplit(parts._replace(fragment=""))
    host = (parts.hostname or "").lower()
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
    """Stable id of an article: SHA-1 of its canonical URL, hex."""
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()
