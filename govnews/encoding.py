"""Decode page bytes the way a reader's browser would, not the way the page claims.

Chinese local sites routinely lie about their charset: GBK bytes behind a UTF-8 header (Scrapy alone
turns them into U+FFFD), UTF-8 bytes under a ``gb2312`` ``<meta>``, or nothing declared at all. The
rules, in order of trust:

1. a byte-order mark;
2. strict UTF-8, when the bytes validate and contain non-ASCII text: GBK text almost never validates
   as UTF-8, so this beats any declaration;
3. the declared charsets (HTTP header, then ``<meta>``), when they decode strictly; the GB family is
   widened to GB18030, its superset, so a GBK page declared ``gb2312`` keeps its rarer characters;
4. strict GB18030, the other encoding these sites use;
5. charset-normalizer's detection;
6. the best candidate with replacement characters, reported as ``lossy``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import regex
from charset_normalizer import from_bytes

_META_CHARSET = regex.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", regex.IGNORECASE
)
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "hz-gb-2312", "euc-cn", "x-euc-cn"}
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


@dataclass(frozen=True)
class Decoded:
    """Text plus how it was obtained: ``method`` is one of bom, utf8, declared, ascii, gb18030, detected,
    lossy."""

    text: str
    encoding: str
    method: str
    declared: str | None = None

    @property
    def describe(self) -> str:
        """Short provenance string for the article, e.g. ``gb18030 (declared utf-8)``."""
        if self.declared and normalize_charset(self.declared) != self.encoding:
            return f"{self.encoding} (declared {self.declared})"
        return self.encoding


def normalize_charset(name: str | None) -> str | None:
    """Map a declared charset to a Python codec name; GB family to gb18030; unknown names to None."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _GB_FAMILY:
        return "gb18030"
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in {"gb2312", "gbk"} else codec


def meta_charset(body: bytes) -> str | None:
    """The charset a page's ``<meta>`` declares, looking only at its head (first 4 KiB)."""
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, http_charset: str | None = None) -> Decoded:
    """Decode a page, trusting the bytes over the declarations (see the module docstring)."""
    declared_raw = http_charset or meta_charset(body)
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom):].decode(codec, "replace"), codec, "bom", declared_raw)

    if not body.isascii():
        text = _strict(body, "utf-8")
        if text is not None:
            return Decoded(text, "utf-8", "utf8", declared_raw)

    for declared in (http_charset, meta_charset(body)):
        codec = normalize_charset(declared)
        if codec and codec != "utf-8":
            text = _strict(body, codec)
            if text is not None:
                return Decoded(text, codec, "declared", declared_raw)
    if body.isascii():  # pure ASCII reads the same in any declared ASCII-compatible charset
        return Decoded(body.decode("ascii"), normalize_charset(declared_raw) or "utf-8", "ascii", declared_raw)

    text = _strict(body, "gb18030")
    if text is not None:
        return Decoded(text, "gb18030", "gb18030", declared_raw)

    best = from_bytes(body[:200_000]).best()
    if best is not None:
        codec = normalize_charset(best.encoding) or best.encoding
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec, "detected", declared_raw)

    return _lossy(body, declared_raw)


def _lossy(body: bytes, declared: str | None) -> Decoded:
    """No codec decodes cleanly: keep the one that needs the fewest replacement characters."""
    candidates = {"utf-8", "gb18030", normalize_charset(declared) or "utf-8"}
    scored = []
    for codec in sorted(candidates):
        text = body.decode(codec, "replace")
        scored.append((text.count("\ufffd"), codec, text))
    _, codec, text = min(scored)
    return Decoded(text, codec, "lossy", declared)
