"""Body images and their captions, found structurally.

A caption is a ``<figcaption>`` or a short centered block right under the image (the way TRS and
UEditor bodies lay out photo captions). ``img[alt]`` is not a caption: CMSs fill it with file names or
the headline. Caption blocks are removed from the body so their text is not also a paragraph.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urljoin

from lxml import etree

from govnews.extract.dom import drop
from govnews.extract.text import collapse, element_text, squash, tag_of

LAZY_SRC_ATTRS = ("data-src", "data-original", "data-actualsrc", "data-lazy-src", "data-url", "src")
MAX_CAPTION = 80
_CENTERED_STYLE = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_CAPTION_CLASS = re.compile(r"caption|pic-?desc|img-?desc|pictext|imgtext|pic_?txt|img_?txt|picnote", re.IGNORECASE)
_BLOCKS = frozenset({"p", "div", "center", "figure", "td", "section", "span", "font", "strong", "a"})


def image_url(img: etree._Element, base_url: str) -> str | None:
    """The image's absolute address; lazy-loading attributes win over a placeholder ``src``."""
    for attr in LAZY_SRC_ATTRS:
        src = (img.get(attr) or "").strip()
        if src and not src.startswith(("data:", "javascript:")):
            try:
                return urljoin(base_url, src) if base_url else src
            except ValueError:  # "http://[::1/x": one malformed address must not cost the article
                return None
    return None


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
    body: etree._Element, base_url: str, counts: Counter[str]
) -> tuple[list[dict[str, str | None]], list[str]]:
    """Images of the body with their captions, and the caption texts (removed from the body)."""
    images: list[dict[str, str | None]] = []
    captions: list[str] = []
    seen: set[str] = set()
    doomed: list[etree._Element] = []
    for img in list(body.iter("img")):
        url = image_url(img, base_url)
        if not url or url in seen:
            continue
        seen.add(url)
        block = _caption_block(img, body)
        caption = collapse(element_text(block)) if block is not None else None
        if block is not None and caption and block not in doomed:
            doomed.append(block)
            captions.append(caption)
        images.append({"url": url, "caption": caption or None})
    for block in doomed:
        drop(block)
        counts["captions"] += 1
    return images, captions
