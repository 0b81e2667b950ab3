"""Where a crawl may go: the URL policy every request is checked against before it is fetched.

Everything a page says is hostile input: its links, redirects, ``<base href>``, meta refreshes,
sitemap and feed entries may point anywhere. A request is fetched only if it is

- ``http``/``https`` on one of the crawl's allowed domains (or a subdomain), on a port that is not one
  of the ports browsers refuse for HTTP (the Fetch standard's "bad ports": SMTP, SSH, ...), without
  user:password credentials, and no longer than ``URLLENGTH_LIMIT``; or
- ``file://`` inside what the user named on the command line: exactly the files named (``article``), or
  the folder of a named start page (spiders that follow links), or the ``GOVNEWS_MIRROR`` folder.

Pure functions, no Scrapy: ``govnews.middlewares.safety`` applies the policy to every request
(redirects, pagination and start requests alike) and the site spiders use it to pre-filter links.
"""

from __future__ import annotations

import ipaddress
import os
import stat
from dataclasses import dataclass
from urllib.parse import urlsplit

from w3lib.url import file_uri_to_path

#: Ports the Fetch standard blocks for HTTP(S) requests (https://fetch.spec.whatwg.org/#port-blocking):
#: talking HTTP to SMTP, IRC or SSH servers is how cross-protocol attacks work.
BAD_PORTS = frozenset({
    1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
    109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
    526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
    3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
})
WEB_SCHEMES = ("http", "https")

#: Why a URL was refused, in words (the stats key is ``govnews/refused/<reason>``).
REASONS = {
    "scheme": "not an http(s) URL",
    "file_not_named": "a local file the user did not name",
    "not_regular_file": "a named local path that is not a regular file (device, FIFO, folder)",
    "too_large": "a named local file larger than DOWNLOAD_MAXSIZE",
    "offsite": "a host outside the crawl's allowed domains",
    "port": "a port browsers refuse to speak HTTP to",
    "credentials": "a URL carrying user:password credentials",
    "url_too_long": "a URL longer than URLLENGTH_LIMIT",
    "bad_url": "a URL that cannot be parsed",
    "private_address": "a host nobody named that resolves to a non-public address (GOVNEWS_ALLOW_PRIVATE_ADDRESSES)",
}


def normalize_domain(domain: str) -> str:
    """Lower-case ASCII (IDNA/punycode) form, as hosts appear in requests; no trailing dot."""
    domain = domain.strip().lower().rstrip(".")
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


@dataclass(frozen=True)
class FileRoot:
    """A local path the user named: one file, or (``tree``) a folder and everything below it.

    ``path`` is the absolute path as named, ``real`` the same with symlinks resolved.
    """

    path: str
    real: str
    tree: bool

    def contains(self, path: str) -> bool:
        """Whether ``path`` (absolute, normalized) is this root or, for a tree, below it."""
        return any(path == base or (self.tree and path.startswith(base.rstrip(os.sep) + os.sep))
                   for base in (self.path, self.real))


def file_root(url: str, tree: bool) -> FileRoot | None:
    """The root a named ``file://`` URL grants: the file itself, or with ``tree`` its folder."""
    if urlsplit(url).scheme != "file":
        return None
    path = os.path.normpath(os.path.abspath(file_uri_to_path(url)))
    if tree and not os.path.isdir(path):
        path = os.path.dirname(path)
    return FileRoot(path, os.path.realpath(path), tree)


@dataclass(frozen=True)
class UrlPolicy:
    """The places one crawl may fetch from.

    ``allowed_domains`` empty with ``strict`` False allows every host (Scrapy's rule for spiders without
    ``allowed_domains``); govnews spiders are strict: no domain named, no http host allowed.
    ``prefixes`` are http(s) URL prefixes always allowed (an http ``GOVNEWS_MIRROR`` the user set; a
    ``file://`` mirror is a file root instead, so it is judged by path).
    """

    allowed_domains: tuple[str, ...] = ()
    file_roots: tuple[FileRoot, ...] = ()
    prefixes: tuple[str, ...] = ()
    max_url_length: int = 2083
    strict: bool = True

    @classmethod
    def build(cls, allowed_domains: list[str] | tuple[str, ...], file_roots: list[FileRoot | None],
              prefixes: list[str] | None = None, max_url_length: int = 2083, strict: bool = True) -> UrlPolicy:
        domains = tuple(dict.fromkeys(normalize_domain(d) for d in allowed_domains if d))
        return cls(domains, tuple(r for r in file_roots if r is not None), tuple(p for p in prefixes or () if p),
                   max_url_length, strict)

    def refusal(self, url: str) -> str | None:
        """Why ``url`` must not be fetched (a key of ``REASONS``), or None when it may be."""
        if self.max_url_length and len(url) > self.max_url_length:
            return "url_too_long"
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return "bad_url"
        if parts.scheme == "file":
            return self._file_refusal(url)
        if parts.scheme not in WEB_SCHEMES:
            return "scheme"
        if parts.username is not None or parts.password is not None:
            return "credentials"
        if port is not None and port in BAD_PORTS:
            return "port"
        if any(url.startswith(prefix) for prefix in self.prefixes):
            return None
        host = (parts.hostname or "").lower()
        if not host:
            return "bad_url"
        if not self.allowed_domains:
            return "offsite" if self.strict else None
        if not any(host == d or host.endswith("." + d) for d in self.allowed_domains):
            return "offsite"
        return None

    def _file_refusal(self, url: str) -> str | None:
        try:
            path = file_uri_to_path(url)
        except (ValueError, OSError):
            return "bad_url"
        # Decide on the path as written first: a path outside every root is refused without touching the
        # file system; one inside is then resolved, so a symlink cannot lead out of its root.
        lexical = os.path.normpath(os.path.abspath(path))
        if not any(root.contains(lexical) for root in self.file_roots):
            return "file_not_named"
        real = os.path.realpath(lexical)
        if not any(root.contains(real) for root in self.file_roots):
            return "file_not_named"
        return None


def local_file_problem(url: str, max_bytes: int) -> str | None:
    """For a ``file://`` URL the policy allowed: ``not_regular_file`` (devices such as /dev/zero, FIFOs,
    folders), ``too_large``, or None. Missing files are left to the download (a normal fetch failure)."""
    try:
        info = os.stat(file_uri_to_path(url))
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return "not_regular_file"
    if max_bytes and info.st_size > max_bytes:
        return "too_large"
    return None


def is_ip_literal(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``[::1]``: an address written out, not a name to resolve."""
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def non_public_address(address: str) -> bool:
    """Loopback, private (RFC 1918, ULA), shared (100.64/10), link-local (cloud metadata at 169.254.169.254),
    multicast, reserved or unspecified: anything not routed on the public internet. An IPv4-mapped IPv6
    address is judged as its IPv4 address; a string that is no address counts as non-public."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast
