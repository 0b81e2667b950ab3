"""Text out of an lxml tree: block-aware paragraphs, whitespace rules, link density.

Walks are iterative (``etree.iterwalk``), so 10,000 nested elements do not hit Python's recursion limit.
"""

from __future__ import annotations

import re
from functools import cache

from lxml import etree


def words(spaced: str) -> frozenset[str]:
    """A frozenset from a space-separated word list: long vocabularies stay readable."""
    return frozenset(spaced.split())


BLOCK_TAGS = words(
    "address article aside blockquote center dd details dialog div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot tr td th ul "
    "ucapcontent"
)
_BREAK_TAGS = BLOCK_TAGS | {"br"}
_SPACES = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
# Zero-width characters are no space: inside a word (安全\u200b生产) they must not split it. ``collapse`` leaves
# them to the cleaning step that deletes them and records it (``normalize_whitespace``, ``zero_width``).
_BLANKS = re.compile(r"\s+")
_EDGE = " \t\r\n\u00a0\u3000\u200b\ufeff"


def collapse(text: str | None) -> str:
    """One space for every run of whitespace (ASCII, &nbsp;, ideographic); trimmed ends (zero-width ones too)."""
    return _BLANKS.sub(" ", text or "").strip(_EDGE)


def squash(text: str | None) -> str:
    """All whitespace removed: the form texts are compared in."""
    return (text or "").translate(_NO_SPACES)


# Every character ``_SPACES`` matches: Python's ``\s`` on str (ASCII whitespace, U+001C..U+001F, U+0085,
# U+00A0, U+1680, U+2000..U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the zero-width ones.
# ``str.translate`` deletes them in C, several times faster than a regex substitution (a test checks
# that both agree on every BMP character).
SPACE_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\u200b\u200c\u200d\ufeff"
)
_NO_SPACES = dict.fromkeys(map(ord, SPACE_CHARS))


def is_element(node: object) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def tag_of(node: etree._Element) -> str:
    tag = node.tag
    return tag.lower() if tag.__class__ is str else ""


def text_lines(root: etree._Element, skip: set[etree._Element] | None = None) -> list[str]:
    """The element's text as a reader sees it: one string per block (``<p>``, ``<div>``, ``<br>``, ...).

    Elements in ``skip`` (and their subtrees) contribute nothing; their tails still count.
    """
    pieces: list[str] = []
    lines: list[str] = []

    def flush() -> None:
        line = collapse("".join(pieces))
        pieces.clear()
        if line:
            lines.append(line)

    skipping: etree._Element | None = None
    rows = _data_rows(root)
    breaks = _BREAK_TAGS
    pre = 0  # depth inside <pre>: its line breaks are what a reader sees (a poem's lines, a code listing)

    def append(text: str) -> None:
        if pre and "\n" in text:
            first, *rest = text.split("\n")
            pieces.append(first)
            for part in rest:
                flush()
                pieces.append(part)
        else:
            pieces.append(text)

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag
        if tag.__class__ is not str:
            continue
        if skipping is not None:
            if event == "end" and el is skipping:
                skipping = None
                if el is not root and el.tail:
                    append(el.tail)
            continue
        if skip and event == "start" and el in skip:
            skipping = el
            continue
        if rows and event == "start" and el in rows:
            flush()
            lines.append(rows[el])
            skipping = el
            continue
        tag = tag.lower()
        if event == "start":
            if tag in breaks:
                flush()
            if tag == "pre":
                pre += 1
            if el.text:
                append(el.text)
        else:
            if tag == "pre":
                pre -= 1
            if tag in BLOCK_TAGS:
                flush()
            if el.tail and el is not root:
                append(el.tail)
    flush()
    return lines


CELL_SEPARATOR = " | "
MAX_CELL_CHARS = 200  # a cell with more text is a layout cell holding paragraphs, not a table value
_CELL_TAGS = frozenset({"td", "th"})
# What a data cell may hold: inline markup, and the paragraphs and breaks a word processor puts in its cells.
_INLINE_CELL_TAGS = frozenset({"p", "br", "span", "font", "strong", "b", "em", "i", "u", "a", "sup", "sub", "small",
                               "big", "label", "abbr"})
_LABEL_END = ("：", ":")


def _row_cells(tr: etree._Element) -> list[str] | None:
    """The cells of a table row as a reader reads them, or None when the row is layout (nested blocks, long
    cells, fewer than two cells)."""
    cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in _CELL_TAGS]
    if len(cells) < 2:
        return None
    texts = []
    for cell in cells:
        for el in cell.iterdescendants():
            if isinstance(el.tag, str) and el.tag.lower() not in _INLINE_CELL_TAGS:
                return None
        broken = next((el for el in cell.iter("p", "br") if el is not cell), None) is not None
        text = " ".join(text_lines(cell)) if broken else collapse("".join(cell.itertext()))
        if len(text) > MAX_CELL_CHARS:
            return None
        texts.append(text)
    return texts if sum(1 for t in texts if t) >= 2 else None


def _join_cells(cells: list[str]) -> str:
    """Cells joined by ``CELL_SEPARATOR``; a label cell (``来源：``) runs into its value as the page shows it."""
    out = cells[0]
    for cell in cells[1:]:
        out += ("" if out.endswith(_LABEL_END) else CELL_SEPARATOR) + cell
    return out.strip(" |")


def _data_rows(root: etree._Element) -> dict[etree._Element, str]:
    """The rows of data tables under ``root``, each as one line of its cells (a table's rows are content: one
    cell per line loses which value belongs to which row). A table counts when at least two of its rows are
    data rows, so a one-row layout table around a page's parts is left to the block walk."""
    if root.find(".//tr") is None:
        return {}
    rows: dict[etree._Element, str] = {}
    for table in root.iter("table"):
        found = {}
        for tr in table.iter("tr"):
            if _nearest_table(tr) is not table:
                continue
            cells = _row_cells(tr)
            if cells is not None:
                found[tr] = _join_cells(cells)
        if len(found) >= 2:
            rows.update(found)
    return rows


def _nearest_table(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def short_text(el: etree._Element, limit: int) -> str | None:
    """The element's collapsed text, or None as soon as it exceeds ``limit`` characters (cheap on huge nodes)."""
    pieces: list[str] = []
    size = 0
    for piece in el.itertext():
        size += len(squash(piece))
        if size > limit:
            return None
        pieces.append(piece)
    text = collapse("".join(pieces))
    return text if len(text) <= limit else None


element_text = etree.XPath("string()")
"""All the text of an element's subtree (what ``lxml.html``'s ``text_content()`` gives), for any element class:
trees are parsed without ``lxml.html``'s per-element Python class lookup."""


def text_length(el: etree._Element) -> int:
    """Characters of visible text, whitespace excluded."""
    return len(squash(element_text(el))) if is_element(el) else 0


def link_text_length(el: etree._Element) -> int:
    return sum(len(squash(element_text(a))) for a in el.iter("a"))


def link_density(el: etree._Element) -> float:
    total = text_length(el)
    if not total:
        return 0.0
    return min(1.0, link_text_length(el) / total)


@cache
def _simplified_table() -> dict[int, str]:
    """Character-for-character Traditional→Simplified table (one-to-one entries only, so offsets hold)."""
    from govnews.clean.script import traditional_characters

    return {ord(k): v for k, v in traditional_characters().items() if len(v) == 1}


def simplified_chars(text: str) -> str:
    """``text`` with each Traditional character mapped to its Simplified form, same length and offsets.

    Labels are matched on this copy (``來源：`` is ``来源：``) while values are cut from the original text.
    """
    return text.translate(_simplified_table())
