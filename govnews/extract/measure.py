"""Text statistics of every element, computed bottom-up in one pass.

Boilerplate removal and the density fallback ask "how much text, how much of it links, how many
sentences" of many nested elements; computing ``text_content()`` for each would be quadratic in the
nesting depth, so each text piece is counted once and summed into its ancestors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from govnews.extract.text import _NO_SPACES, BLOCK_TAGS, squash, tag_of

_PUNCT = re.compile(r"[，。！？；、,!?;]")


@dataclass(slots=True)
class Stat:
    chars: int = 0  # visible characters, whitespace excluded
    links: int = 0  # of which inside <a>
    punct: int = 0  # sentence punctuation: a proxy for prose
    direct_chars: int = 0  # text not inside a nested block element (a <div> of <br>-separated text)
    direct_punct: int = 0
    paragraphs: int = 0  # <p> descendants
    anchors: int = 0  # <a> elements, itself included

    @property
    def link_density(self) -> float:
        return min(1.0, self.links / self.chars) if self.chars else 0.0


def _piece(text: str | None) -> tuple[int, int]:
    if not text:
        return 0, 0
    return len(squash(text)), len(_PUNCT.findall(text))  # whitespace holds no punctuation


def measure(root: etree._Element) -> dict[etree._Element, Stat]:
    """Stat of every element under ``root`` (comments and processing instructions are skipped)."""
    stats: dict[etree._Element, Stat] = {}
    known = stats.get
    no_spaces, punct = _NO_SPACES, _PUNCT.findall
    for _, el in etree.iterwalk(root, events=("end",)):
        tag = el.tag
        if tag.__class__ is not str:
            continue
        text = el.text
        chars = len(text.translate(no_spaces)) if text else 0
        marks = len(punct(text)) if chars else 0
        direct_chars, direct_marks = chars, marks
        links = paragraphs = anchors = 0
        for child in el:
            tail = child.tail
            if tail:
                tail_chars = len(tail.translate(no_spaces))
                if tail_chars:
                    tail_marks = len(punct(tail))
                    chars += tail_chars
                    marks += tail_marks
                    direct_chars += tail_chars
                    direct_marks += tail_marks
            cst = known(child)
            if cst is None:
                continue
            chars += cst.chars
            links += cst.links
            marks += cst.punct
            paragraphs += cst.paragraphs
            anchors += cst.anchors
            if child.tag.lower() not in BLOCK_TAGS:
                direct_chars += cst.direct_chars
                direct_marks += cst.direct_punct
        tag = tag.lower()
        if tag == "a":
            links = chars
            anchors += 1
        elif tag == "p":
            paragraphs += 1
        stats[el] = Stat(chars, links, marks, direct_chars, direct_marks, paragraphs, anchors)
    return stats


def discount(stats: dict[etree._Element, Stat], removed: etree._Element) -> None:
    """Update ``stats`` for ``removed`` leaving the tree, as if everything measured were measured afresh.

    Its counts leave every measured ancestor; its tail text stays in the tree (``drop`` keeps it) and
    so in its parent's counts. An ``<a>`` ancestor's links stay equal to its characters; text not inside a
    nested block reaches an ancestor's ``direct_*`` counts only through non-block elements. The subtree's
    own entries are forgotten, so iterating ``stats`` still follows the live tree in post-order.
    """
    gone = stats.get(removed)
    if gone is None:
        return
    d_chars, d_links, d_punct = gone.chars, gone.links, gone.punct
    d_paragraphs, d_anchors = gone.paragraphs, gone.anchors
    block = tag_of(removed) in BLOCK_TAGS
    d_direct, d_direct_punct = (0, 0) if block else (gone.direct_chars, gone.direct_punct)
    for anc in removed.iterancestors():
        st = stats.get(anc)
        if st is None:
            break
        st.chars -= d_chars
        st.punct -= d_punct
        st.paragraphs -= d_paragraphs
        st.anchors -= d_anchors
        st.direct_chars -= d_direct
        st.direct_punct -= d_direct_punct
        if tag_of(anc) == "a":
            d_links = st.links - st.chars
            st.links = st.chars
        else:
            st.links -= d_links
        if tag_of(anc) in BLOCK_TAGS:
            d_direct = d_direct_punct = 0
    for el in removed.iter():
        stats.pop(el, None)
