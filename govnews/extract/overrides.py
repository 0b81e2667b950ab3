"""Site-specific selectors: tried first, and when they find nothing the generic path runs.

A selector starting with ``/`` or ``(`` is XPath, anything else CSS (the convention of the site registry).
"""

from __future__ import annotations

from collections.abc import Mapping

import parsel
from cssselect import SelectorError
from lxml import etree

from govnews.extract.text import collapse

OVERRIDE_FIELDS = ("title", "published_at", "source", "editor", "authors", "body")


def is_xpath(selector: str) -> bool:
    return selector.lstrip().startswith(("/", "("))


def select(root: etree._Element, selector: str) -> list[parsel.Selector]:
    """Matches of one override selector; a malformed selector matches nothing rather than raising."""
    sel = parsel.Selector(root=root, type="html")
    try:
        return list(sel.xpath(selector) if is_xpath(selector) else sel.css(selector))
    except (ValueError, SelectorError, etree.XPathError):
        return []


def _text_of(match: parsel.Selector) -> str:
    root = match.root
    if isinstance(root, str):
        return collapse(root)
    if isinstance(root, etree._Element):
        return collapse("".join(root.itertext()))
    return collapse(str(root))


def override_text(root: etree._Element, overrides: Mapping[str, str] | None, name: str) -> str | None:
    """Text of the first non-empty match of the ``name`` override, or None (no override or no match)."""
    selector = (overrides or {}).get(name)
    if not selector:
        return None
    for match in select(root, selector):
        text = _text_of(match)
        if text:
            return text
    return None


def override_element(root: etree._Element, overrides: Mapping[str, str] | None, name: str) -> etree._Element | None:
    """First element matched by the ``name`` override, or None."""
    selector = (overrides or {}).get(name)
    if not selector:
        return None
    for match in select(root, selector):
        if isinstance(match.root, etree._Element):
            return match.root
    return None
