"""Parsing and the first DOM pass: what no reader sees goes before anything is measured.

Scripts, styles, hidden elements, comments and ``<ruby>`` annotations are removed here; each removal is
counted so ``Extracted.counts`` can say what the DOM pass did. Removing an element keeps its tail text,
which belongs to the parent.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import parsel
from lxml import etree

from govnews.extract.text import tag_of, words

INVISIBLE_TAGS = words(
    "script style noscript template iframe object embed svg canvas button select textarea input link meta"
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
LIFTED_PROSE = 200  # characters of prose in a visibility:hidden block that a page script will reveal
_SENTENCE_END = re.compile(r"[。！？]")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]{0,200}\?>", re.IGNORECASE)
# libxml2 stops at the first </html>; browsers keep going (templates that print it twice hide the body).
_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
PARSER_DEPTH_LIMIT = 250  # libxml2 stops building the tree near here (255 without huge_tree)
FLAT_DEPTH = 200
VOID_TAGS = words("area base br col embed hr img input link meta param source track wbr")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,30})\b[^<>]{0,2000}>")
ZJEG_BEGIN, ZJEG_END = "ZJEG_RSS.content.begin", "ZJEG_RSS.content.end"
MARKED_CLASS = "govnews-marked-content"


def parse(html: str | parsel.Selector) -> etree._Element:
    """A private, mutable lxml tree: a given Selector's tree is copied, never changed."""
    if isinstance(html, parsel.Selector):
        return copy.deepcopy(html.root)
    text = _END_TAGS.sub("", _XML_DECL.sub("", sanitize_markup(html or ""))) or "<html></html>"
    root = parse_html(text)
    if tree_depth(root) >= PARSER_DEPTH_LIMIT:
        root = parse_html(flatten_deep_nesting(text))
    return root


def parse_html(text: str) -> etree._Element:
    """libxml2's HTML parser as parsel sets it up (recovering, huge trees, NULs dropped), but with plain lxml
    elements: ``lxml.html``'s element classes cost a Python call on every element access."""
    body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    root = etree.fromstring(body, parser=parser)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


# C0 controls but tab/newline/CR, DEL, C1 controls, lone surrogates, and the two non-characters lxml rejects.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_SPACE_CONTROLS = re.compile("[\x0b\x0c\x85]")
_SURROGATES = re.compile("[\ud800-\udfff]")
# ECMA-48 escape sequences: CSI (ESC [ parameters intermediates final: ``ESC[31m``) and the others (ESC, any
# intermediates, a final byte: ``ESC(B``, ``ESC=``).
_ANSI_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|[ -/]*[0-~])")
# Any character one of the three substitutions below would change: one search, and clean pages (nearly all)
# skip the three passes.
_ANY_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.IGNORECASE)


def sanitize_markup(html: str) -> str:
    """Text every later step can hold: no control characters (lxml refuses them when a removal moves text,
    and they must not reach the export), lone surrogates as U+FFFD (they cannot be encoded), and an
    unclosed ``<title>`` closed where the markup after it starts (else the whole page is its text)."""
    if _ANY_UNSAFE.search(html):
        if "\x1b" in html:  # a terminal colour code pasted into a page: without its ESC, ``[31m`` would stay
            html = _ANSI_ESCAPE.sub("", html)
        html = _SPACE_CONTROLS.sub(" ", _UNSAFE_CHARS.sub("", html))
        html = _SURROGATES.sub("\ufffd", html)
    opening = _TITLE_OPEN.search(html)
    if opening and not _TITLE_CLOSE.search(html, opening.end()):
        end = html.find("<", opening.end())
        end = len(html) if end < 0 else end
        html = f"{html[:end]}</title>{html[end:]}"
    return html


def tree_depth(root: etree._Element) -> int:
    depth = deepest = 0
    for event, _ in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def flatten_deep_nesting(html: str, max_depth: int = FLAT_DEPTH) -> str:
    """Drop the tags nested deeper than ``max_depth``, keeping their text.

    libxml2 silently discards everything below its depth limit (255, or 2047 for huge trees); browsers
    do not, so pathological nesting must not make the body vanish. One linear pass over the tags.
    """
    out: list[str] = []
    depth = dropped = last = 0
    for m in _TAG.finditer(html):
        out.append(html[last:m.start()])
        last = m.end()
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name in VOID_TAGS:
            out.append(m.group(0))
        elif not closing:
            depth += 1
            if depth > max_depth:
                dropped += 1
            else:
                out.append(m.group(0))
        else:
            depth = max(0, depth - 1)
            if dropped:
                dropped -= 1
            else:
                out.append(m.group(0))
    out.append(html[last:])
    return "".join(out)


def drop(el: etree._Element) -> None:
    """Remove ``el`` with its subtree but keep its tail text in place."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def unwrap(el: etree._Element) -> None:
    """Replace ``el`` by its content (text, children, tail)."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    prev = el.getprevious()
    lead = el.text or ""
    if lead:
        if prev is not None:
            prev.tail = (prev.tail or "") + lead
        else:
            parent.text = (parent.text or "") + lead
    children = list(el)
    last_tail = el.tail or ""
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if last_tail:
        if children:
            children[-1].tail = (children[-1].tail or "") + last_tail
        elif prev is not None:
            prev.tail = (prev.tail or "") + last_tail
        else:
            parent.text = (parent.text or "") + last_tail
    parent.remove(el)


def _is_comment_marker(text: str):
    return lambda n: not isinstance(n.tag, str) and text in (n.text or "")


def _is_meta_marker(name: str):
    return lambda n: tag_of(n) == "meta" and (n.get("name") or "").lower() == name.lower()


BODY_MARKERS = (  # (node kind to look at, begin, end, method)
    (etree.Comment, _is_comment_marker(ZJEG_BEGIN), _is_comment_marker(ZJEG_END), "cms:ZJEG_RSS"),
    ("meta", _is_meta_marker("ContentStart"), _is_meta_marker("ContentEnd"), "meta"),
)


def wrap_between_markers(root: etree._Element) -> str | None:
    """Hanweb marks the body with ``<!--ZJEG_RSS.content.begin-->`` comments or ``<meta name=ContentStart>``.

    The nodes between the begin and end markers (siblings of the begin marker) are moved into one
    ``div.govnews-marked-content``; returns which marker was used (``"meta"`` or ``"cms:ZJEG_RSS"``).
    Only comments, then only ``<meta>`` elements are visited (lxml filters them in C).
    """
    for kind, is_begin, is_end, method in BODY_MARKERS:
        begin = next((n for n in root.iter(kind) if is_begin(n)), None)
        if begin is not None and begin.getparent() is not None:
            _wrap_after(begin, is_end)
            return method
    return None


def _wrap_after(begin: etree._Element, is_end) -> None:
    parent = begin.getparent()
    box = parent.makeelement("div", {"class": MARKED_CLASS})
    parent.insert(parent.index(begin) + 1, box)
    box.text, begin.tail = begin.tail, None
    for sib in list(box.itersiblings()):
        if is_end(sib):
            break
        box.append(sib)


@dataclass
class Walked:
    """What the DOM pass noted of the elements that stay, in document order, so later steps need no walk
    of their own: body-container candidates (``may_be_container``), elements a ``wanted`` test kept, the
    document position of every element, and whether ``<ruby>`` markup (which ``strip_ruby`` rewrites, and
    so renumbers) is present."""

    containers: list[etree._Element] = field(default_factory=list)
    wanted: list[etree._Element] = field(default_factory=list)
    positions: dict[etree._Element, int] = field(default_factory=dict)
    has_ruby: bool = False


_RUBY_TAGS = frozenset({"ruby", "rt", "rp", "rb"})


def strip_invisible(
    root: etree._Element, counts: Counter[str], wanted: Callable[[etree._Element], bool] | None = None
) -> Walked:
    """Scripts, styles, widgets, comments and hidden elements: never part of what a reader reads.

    Returns what the same walk noted of the elements that stay (see ``Walked``).
    """
    doomed = []
    walked = Walked()
    containers, kept, positions = walked.containers, walked.wanted, walked.positions
    walker = etree.iterwalk(root, events=("start", "comment", "pi"))
    for event, el in walker:
        if event != "start":
            doomed.append((el, "comments"))
            continue
        kind = _invisible_kind(el)
        if kind and el is not root:
            doomed.append((el, kind))
            walker.skip_subtree()
            continue
        positions[el] = len(positions)
        if may_be_container(el):
            containers.append(el)
        if wanted is not None and wanted(el):
            kept.append(el)
        if el.tag in _RUBY_TAGS:
            walked.has_ruby = True
    for el, kind in doomed:
        drop(el)
        if kind not in {"comments", "head_nodes"}:
            counts[kind] += 1
    return walked


def may_be_container(el: etree._Element) -> bool:
    """Carries what a body-container rule looks at: a class, an id, ``itemprop``, or is ``<ucapcontent>``."""
    return el.tag == "ucapcontent" or el.get("class") is not None or el.get("id") is not None or (
        el.get("itemprop") is not None
    )


_HEAD_NODES = frozenset({"meta", "link"})
_SCRIPT_TAGS = frozenset({"script", "style", "noscript"})


def _invisible_kind(el: etree._Element) -> str | None:
    tag = el.tag
    if tag.__class__ is not str:
        return None
    tag = tag.lower()
    if tag in INVISIBLE_TAGS:
        if tag in _HEAD_NODES:
            return "head_nodes"  # read before this pass; not worth counting
        return "script_nodes" if tag in _SCRIPT_TAGS else "widget_nodes"
    if tag == "a" and _is_permalink_mark(el):
        return "widget_nodes"
    style = el.get("style")
    if style is None:
        return "hidden_nodes" if el.get("hidden") is not None else None
    if el.get("hidden") is not None or _DISPLAY_NONE.search(style):
        return "hidden_nodes"
    if _HIDDEN_STYLE.search(style) and not _holds_prose(el):
        return "hidden_nodes"
    return None


_PERMALINK_MARK = re.compile(r"[#¶§⚓🔗\s]{1,3}")


def _is_permalink_mark(el: etree._Element) -> bool:
    """A heading's permalink (``<a class="header-anchor" href="#春晓">#</a>``): a same-page link whose whole
    text is a mark such as ``#`` or ``¶``; read aloud it would put ``# 春晓`` in the text."""
    href = el.get("href")
    if not href or not href.startswith("#") or len(el):
        return False
    text = el.text or ""
    return bool(text.strip()) and bool(_PERMALINK_MARK.fullmatch(text))


def _holds_prose(el: etree._Element) -> bool:
    """WeChat's ``#js_content`` ships as ``visibility: hidden`` and a script reveals it: a hidden block full of
    sentences is what the reader reads (a hidden menu or tooltip is not prose). Stops reading early."""
    size = sentences = 0
    for piece in el.itertext():
        size += len(piece.strip())
        sentences += len(_SENTENCE_END.findall(piece))
        if size >= LIFTED_PROSE and sentences >= 2:
            return True
    return False


def strip_ruby(root: etree._Element, counts: Counter[str]) -> None:
    """Keep the base text of ``<ruby>``; drop the ``<rt>`` reading and ``<rp>`` parentheses."""
    rubies = list(root.iter("ruby"))
    for ruby in rubies:
        for note in [n for n in ruby.iter() if tag_of(n) in {"rt", "rp"}]:
            if tag_of(note) == "rt":
                counts["ruby"] += 1
            drop(note)
        for inner in [n for n in ruby.iter() if tag_of(n) == "rb"]:
            unwrap(inner)
        unwrap(ruby)
    for stray in [n for n in root.iter("rt", "rp")]:
        counts["ruby"] += tag_of(stray) == "rt"
        drop(stray)
