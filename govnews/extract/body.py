"""Finding the body container: known CMS containers first, then text density.

Government CMSs name their body element the same way on every site that runs them (TRS
``div.TRS_Editor``, Hanweb ``#zoom``, UCAP ``#UCAP-CONTENT``), and so do blog engines and big portals;
a page from an unknown template falls back to text density: the element that gathers the most
sentence-rich, link-poor paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

import parsel
from lxml import etree

from govnews.extract.dom import MARKED_CLASS
from govnews.extract.measure import Stat, measure
from govnews.extract.text import tag_of

# (selector, method) in order of trust. Government CMSs and the Shanxi sources first (see sites.md).
CMS_CONTAINERS: tuple[tuple[str, str], ...] = (
    (f"div.{MARKED_CLASS}", "marked"),
    ("div.TRS_Editor", "cms:TRS_Editor"),
    ("div.TRS_UEDITOR", "cms:TRS_UEDITOR"),
    ("#UCAP-CONTENT", "cms:UCAP"),
    ("ucapcontent", "cms:UCAP"),
    ("#zoom", "cms:Hanweb"),
    ("#article-font-zoom", "cms:zoom"),
    ("div.nry.jcontent", "cms:lfxww"),
    ("#Article div.content", "cms:PHPCMS"),
    ("div.article-con", "cms:county"),
    ("div.cont.w div.content", "cms:UCAP"),
    ("#vsb_content", "cms:VSB"),
    # Engines and portals whose body container is the same on every page they serve.
    ("[itemprop=articleBody]", "cms:schema.org"),
    ("#js_content", "cms:wechat"),
    ("div.entry-content", "cms:wordpress"),
    ("div.post-content", "cms:blog"),
    ("#artibody", "cms:sina"),
    ("#endText", "cms:netease"),
)
MIN_CMS_CHARS = 20  # a container with less text is an empty template slot: try the next rule
BODY_TAGS = frozenset({"div", "section", "article", "td", "main", "body", "ucapcontent", "font", "span", "center"})
UNIT_TAGS = frozenset({"p", "pre", "blockquote", "h4", "h5", "h6", "li"})


@dataclass
class BodyResult:
    element: etree._Element | None
    method: str


def find_cms_container(root: etree._Element) -> BodyResult | None:
    """The first known CMS container holding text (the largest, when a selector matches several)."""
    sel = parsel.Selector(root=root, type="html")
    stats: dict[etree._Element, Stat] | None = None
    for css, method in CMS_CONTAINERS:
        matches = [s.root for s in sel.css(css)]
        if not matches:
            continue
        stats = stats or measure(root)
        best = max(matches, key=lambda el: stats.get(el, Stat()).chars)
        if stats.get(best, Stat()).chars >= MIN_CMS_CHARS:
            return BodyResult(best, method)
    return None


def _unit_score(st: Stat, chars: int, punct: int) -> float:
    """Readability-style: a paragraph is worth more for every sentence and every 100 characters."""
    return 1 + punct + min(chars / 100, 3)


def score_candidates(root: etree._Element) -> dict[etree._Element, float]:
    """Credit each paragraph unit's score to its container (full) and the container's parent (half)."""
    stats = measure(root)
    scores: dict[etree._Element, float] = {}
    for el, st in stats.items():
        tag = tag_of(el)
        if tag in UNIT_TAGS and st.chars >= 10 and st.link_density <= 0.5:
            target = el.getparent()
            score = _unit_score(st, st.chars, st.punct)
        elif tag in BODY_TAGS and st.direct_chars >= 20:
            target = el
            score = _unit_score(st, st.direct_chars, st.direct_punct)
        else:
            continue
        for weight in (1.0, 0.5, 0.25):
            if target is None:
                break
            if tag_of(target) in BODY_TAGS:
                scores[target] = scores.get(target, 0.0) + score * weight
            target = target.getparent()
    return {el: s * (1 - stats[el].link_density) for el, s in scores.items()}


def find_by_density(root: etree._Element) -> BodyResult:
    return ranked_by_density(root)[0]


MAX_RANKED = 5


def ranked_by_density(root: etree._Element) -> list[BodyResult]:
    """The best density candidates, best first (at most ``MAX_RANKED``); the page body when none scores."""
    scores = score_candidates(root)
    if not scores:
        return [BodyResult(next(root.iter("body"), root), "density")]
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:MAX_RANKED]
    return [BodyResult(el, "density") for el in ranked]
