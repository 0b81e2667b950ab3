"""Decode page bytes the way a reader's browser would, not the way the page claims.

Chinese local sites routinely lie about their charset: GBK bytes behind a UTF-8 header (Scrapy alone
turns them into U+FFFD), UTF-8 bytes under a ``gb2312`` ``<meta>``, or nothing declared at all. The
rules, in order of trust:

1. a byte-order mark;
2. strict UTF-8, when the bytes validate and contain non-ASCII text: GBK text almost never validates
   as UTF-8, so this beats any declaration;
3. the declared charsets (HTTP header, then ``<meta>``), when they decode strictly; the GB family is
   widened to GB18030, its superset, so a GBK page declared ``gb2312`` keeps its rarer characters;
4. strict GB18030, the other encoding these sites use (or Big5, for Traditional mirrors, when GB18030
   reads as nonsense and Big5 does not);
5. charset-normalizer's detection;
6. the best candidate with replacement characters, reported as ``lossy``.

Between 2 and 3, a page that is not valid UTF-8 may still be mostly UTF-8 with GBK pieces pasted in
(a UTF-8 template around a GBK article, or a few stray bytes). It is decoded as UTF-8 with GBK for the
bytes that are not UTF-8 (method ``mixed``) when that reads as more plausible Chinese than strict
GB18030, which would turn the UTF-8 part into mojibake such as 浼氳.
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
    """Text plus how it was obtained: ``method`` is one of bom, utf8, mixed, declared, ascii, gb18030,
    big5, detected, lossy."""

    text: str
    encoding: str
    method: str
    declared: str | None = None

    @property
    def describe(self) -> str:
        """Short provenance string for the article, e.g. ``gb18030 (declared utf-8)``."""
        notes = [f"declared {self.declared}"] if self.declared and normalize_charset(self.declared) != self.encoding \
            else []
        if self.method in ("mixed", "lossy"):
            notes.insert(0, self.method)
        return f"{self.encoding} ({', '.join(notes)})" if notes else self.encoding


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
        mixed = _mixed_if_better(body)
        if mixed is not None:
            return Decoded(mixed, MIXED, "mixed", declared_raw)

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
        big5 = _big5_if_better(body, text)
        if big5 is not None:
            return Decoded(big5, "big5hkscs", "big5", declared_raw)
        return Decoded(text, "gb18030", "gb18030", declared_raw)

    best = from_bytes(body[:200_000]).best()
    if best is not None:
        codec = normalize_charset(best.encoding) or best.encoding
        text = _strict(body, codec)
        if text is not None:
            return Decoded(text, codec, "detected", declared_raw)

    return _lossy(body, declared_raw)


MIXED = "utf-8+gb18030"
#: Mean ``char_score`` a decoding must beat the alternative by to be believed (real text scores about
#: -5, mojibake about -10).
PLAUSIBILITY_MARGIN = 1.5
#: Below this mean commonness a decoding is not believable Chinese at all.
IMPLAUSIBLE = -8.0
PLAUSIBILITY_SAMPLE = 50_000
# A GBK character's trail byte may be ASCII (镕 is E9 46, "F"): a run keeps one such byte after it.
_NON_ASCII_RUN = regex.compile(rb"[\x80-\xff]+[\x40-\x7e]?")


_ASCII = regex.compile(r"[\x00-\x7f]+")


def plausibility(text: str) -> float:
    """Mean commonness (``govnews.clean.garble.char_score``) of the non-ASCII characters of a text.

    Every GBK page comes this way (several times): ASCII goes in one C pass, and the scores are summed in
    text order, as a plain loop would, without a Python call per character (``char_score`` is cached in C).
    """
    from govnews.clean.garble import char_score  # the frequency tables load only on this rare path

    wide = _ASCII.sub("", text)
    return sum(map(char_score, wide)) / len(wide) if wide else 0.0


def _decode_run(run: bytes) -> str:
    """One stretch of non-ASCII bytes: UTF-8 or GB18030, whichever decodes it (and reads better)."""
    candidates = [t for t in (_strict(run, "utf-8"), _strict(run, "gb18030")) if t is not None]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        candidates = [run.decode("utf-8", "replace"), run.decode("gb18030", "replace")]
    losses = [t.count("\ufffd") for t in candidates]
    if losses[0] != losses[1]:  # fewer replacement characters wins before readability is asked
        return candidates[losses.index(min(losses))]
    return max(candidates, key=plausibility)


def decode_mixed(body: bytes) -> str:
    """Decode each stretch of non-ASCII bytes on its own: pages pasted together from a UTF-8 template
    and a GBK article switch encoding between tags, never inside a run of Chinese text."""
    out: list[str] = []
    pos = 0
    for match in _NON_ASCII_RUN.finditer(body):
        out.append(body[pos:match.start()].decode("ascii"))
        out.append(_decode_run(match.group()))
        pos = match.end()
    out.append(body[pos:].decode("ascii"))
    return "".join(out)


def _big5_if_better(body: bytes, gb_text: str) -> str | None:
    """Taiwanese and Hong Kong mirrors use Big5, which often also decodes as (nonsense) GB18030."""
    gb_sample = gb_text[:PLAUSIBILITY_SAMPLE]
    if plausibility(gb_sample) > IMPLAUSIBLE:
        return None
    big5 = _strict(body, "big5hkscs")
    if big5 is None or plausibility(big5[:PLAUSIBILITY_SAMPLE]) < plausibility(gb_sample) + PLAUSIBILITY_MARGIN:
        return None
    return big5


def _mixed_if_better(body: bytes) -> str | None:
    """The run-by-run decoding, when it reads clearly better than strict GB18030 (or than nothing)."""
    mixed = decode_mixed(body)
    gb = _strict(body, "gb18030")
    mixed_score = plausibility(mixed)
    if gb is None:
        return mixed if mixed_score > IMPLAUSIBLE else None
    return mixed if mixed_score > plausibility(gb) + PLAUSIBILITY_MARGIN else None


def _lossy(body: bytes, declared: str | None) -> Decoded:
    """No codec decodes cleanly: keep the one that needs the fewest replacement characters."""
    candidates = {"utf-8", "gb18030", normalize_charset(declared) or "utf-8"}
    scored = []
    for codec in sorted(candidates):
        text = body.decode(codec, "replace")
        scored.append((text.count("\ufffd"), codec, text))
    _, codec, text = min(scored)
    return Decoded(text, codec, "lossy", declared)
