"""Body images and their captions, found structurally.

Only ``http``/``https`` addresses are kept: a page is hostile input, and an exported ``file:///etc/...``,
``javascript:``, ``ftp:`` or megabyte ``data:`` address would hand whatever downloads a dataset's images a
local file or a script. Protocol-relative ``//host/x.jpg`` takes the page's scheme; relative addresses on
a ``file://`` page resolve to local files and are dropped too. Dropped addresses are counted by reason
(``Extracted.dropped_images``: ``data``, ``file``, ``scheme`` (javascript:, ftp:, ...), ``bad_url``).

A caption is a ``<figcaption>`` or a short centered block right under the image (the way TRS and
UEditor bodies lay out photo captions). ``img[alt]`` is not a caption: CMSs fill it with file names or
the headline. Caption blocks are removed from the body so their text is not also a paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

from lxml import etree

from govnews.extract.dom import drop
from govnews.extract.text import collapse, element_text, squash, tag_of

LAZY_SRC_ATTRS = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "data-url", "src")
MAX_CAPTION = 80
_CENTERED_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|pic-?desc|img-?desc|pictext|imgtext|pic_?txt|img_?txt|picnote", re.IGNORECASE)
_BLOCKS = frozenset({"p", "div", "center", "figure", "td", "section", "span", "font", "strong", "a"})


WEB_SCHEMES = ("http", "https")
# What browsers strip from a URL before parsing it (the URL standard: ASCII tab and newline anywhere).
_TAB_NEWLINE = re.compile(r"[\t\n\r]")


def image_url(img: etree._Element, base_url: str, dropped: Counter[str] | None = None) -> str | None:
    """The image's absolute ``http(s)`` address; lazy-loading attributes win over a placeholder ``src``.
    When no attribute gives one, the first other address found is counted in ``dropped`` by reason."""
    url, refused = image_address(img, base_url)
    if refused and dropped is not None:
        dropped[refused] += 1
    return url


def image_address(img: etree._Element, base_url: str) -> tuple[str | None, str | None]:
    """``(http(s) address, None)``, ``(None, why the address it has was refused)``, or ``(None, None)`` for an
    image without any address."""
    refused: str | None = None
    for attr in LAZY_SRC_ATTRS:
        src = _TAB_NEWLINE.sub("", img.get(attr) or "").strip()
        if not src:
            continue
        url, reason = web_url(src, base_url)
        if url is not None:
            return url, None
        refused = refused or reason
    return None, refused


def web_url(href: str, base_url: str) -> tuple[str | None, str]:
    """``(absolute http(s) URL, "")``, or ``(None, reason)``: ``data``, ``file``, ``scheme`` or ``bad_url``."""
    try:
        scheme = urlsplit(href).scheme.lower()
        if scheme in ("data", "file"):
            return None, scheme
        if scheme and scheme not in WEB_SCHEMES:
            return None, "scheme"
        url = urljoin(base_url, href) if base_url else href
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:  # "http://[::1/x": one malformed address must not cost the article
        return None, "bad_url"
    if parts.scheme.lower() not in WEB_SCHEMES:  # relative to a file:// page, or to no page at all
        return None, {"file": "file", "": "bad_url"}.get(parts.scheme.lower(), "scheme")
    if not parts.hostname:
        return None, "bad_url"
    return url, ""


def _is_centered(el: etree._Element) -> bool:
    return (
        tag_of(el) == "center"
        or (el.get("align") or "").lower() == "center"
        or bool(_CENTERED_STYLE.search(el.get("style") or ""))
        or bool(_CAPTION_CLASS.search(el.get("class") or ""))
    )


def _holder(img: etree._Element, body: etree._Element) -> etree._Element:
    """The outermost ancestor below ``body`` that holds the image and no other text."""
    holder = img
    for anc in img.iterancestors():
        if anc is body or tag_of(anc) not in _BLOCKS or _has_text(anc):
            break
        holder = anc
    return holder


def _has_text(el: etree._Element) -> bool:
    """Stops at the first non-blank text: cheap even on a huge container."""
    return any(t.strip() for t in el.itertext())


def _caption_block(img: etree._Element, body: etree._Element) -> etree._Element | None:
    """``<figcaption>`` of the image's figure, else a short centered block right after the image."""
    for anc in img.iterancestors():
        if tag_of(anc) == "figure":
            return next(anc.iter("figcaption"), None)
        if anc is body:
            break
    holder = _holder(img, body)
    if squash(holder.tail):
        return None
    nxt = holder.getnext()
    if nxt is None or not isinstance(nxt.tag, str) or next(nxt.iter("img"), None) is not None:
        return None
    text = collapse(element_text(nxt))
    centered = _is_centered(nxt) or (tag_of(nxt) in {"span", "font", "strong"} and _is_centered(holder))
    if centered and 0 < len(text) <= MAX_CAPTION:
        return nxt
    return None


def collect_images(
    body: etree._Element, base_url: str, counts: Counter[str], dropped: Counter[str] | None = None
) -> tuple[list[dict[str, str | None]], list[str]]:
    """Images of the body with their captions, and the caption texts (removed from the body); images
    without an http(s) address are left out, counted in ``dropped`` by reason."""
    images: list[dict[str, str | None]] = []
    captions: list[str] = []
    seen: set[str] = set()
    doomed: list[etree._Element] = []
    for img in list(body.iter("img")):
        url, refused = image_address(img, base_url)
        if refused and dropped is not None:
            dropped[refused] += 1
        if (not url and refused in (None, "data")) or (url and url in seen):
            continue  # data: images are mostly spacers and placeholders: nothing under them is a caption
        if url:
            seen.add(url)
        # A picture whose address was refused (a local file, a script) is still a picture: its caption leaves
        # the body all the same.
        block = _caption_block(img, body)
        caption = collapse(element_text(block)) if block is not None else None
        if block is not None and caption and block not in doomed:
            doomed.append(block)
            captions.append(caption)
        if url:
            images.append({"url": url, "caption": caption or None})
    for block in doomed:
        drop(block)
        counts["captions"] += 1
    return images, captions
