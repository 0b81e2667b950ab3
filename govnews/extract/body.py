"""Finding the body container: known CMS containers first, then text density.

Government CMSs name their body element the same way on every site that runs them (TRS
``div.TRS_Editor``, Hanweb ``#zoom``, UCAP ``#UCAP-CONTENT``), and so do blog engines and big portals;
a page from an unknown template falls back to text density: the element that gathers the most
sentence-rich, link-poor paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from govnews.extract.dom import MARKED_CLASS, may_be_container
from govnews.extract.measure import Stat, measure
from govnews.extract.text import element_text, squash, tag_of

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


@dataclass(frozen=True)
class _Compound:
    """One compound of a CSS selector: ``tag#id.class1.class2[attr=value]``."""

    tag: str | None
    id: str | None
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]

    def matches(self, el: etree._Element) -> bool:
        if self.tag is not None and el.tag != self.tag:
            return False
        if self.id is not None and el.get("id") != self.id:
            return False
        if self.classes:
            tokens = _CLASS_SPLIT.split(el.get("class") or "")
            if not all(c in tokens for c in self.classes):
                return False
        return all(el.get(name) == value for name, value in self.attrs)

    @property
    def key(self) -> tuple[str, str]:
        """The index entry every element this compound matches is filed under (see ``_index``)."""
        if self.id is not None:
            return ("#", self.id)
        if self.classes:
            return (".", self.classes[0])
        if self.attrs:
            return ("[", f"{self.attrs[0][0]}={self.attrs[0][1]}")
        return ("", self.tag or "")


def _index(pool: list[etree._Element]) -> dict[tuple[str, str], list[etree._Element]]:
    """Candidates filed under the keys the rules look up (``_Compound.key``), in document order."""
    index: dict[tuple[str, str], list[etree._Element]] = {}
    for el in pool:
        keys = []
        if el.tag in _RULE_TAGS:
            keys.append(("", el.tag))
        ident = el.get("id")
        if ident is not None and ident in _RULE_IDS:
            keys.append(("#", ident))
        cls = el.get("class")
        if cls and _RULE_CLASS_HINT.search(cls):
            keys += [(".", t) for t in dict.fromkeys(_CLASS_SPLIT.split(cls)) if t in _RULE_CLASSES]
        itemprop = el.get("itemprop")
        if itemprop is not None and f"itemprop={itemprop}" in _RULE_ATTRS:
            keys.append(("[", f"itemprop={itemprop}"))
        for key in keys:
            index.setdefault(key, []).append(el)
    return index


# XPath's normalize-space() splits class lists on these four characters only, and so do we.
_CLASS_SPLIT = re.compile(r"[ \t\r\n]+")
_COMPOUND = re.compile(r"^(?P<tag>[a-z][a-z0-9-]*)?(?P<rest>(?:[#.][\w-]+|\[[\w-]+=[\w-]+\])*)$")
_PART = re.compile(r"([#.])([\w-]+)|\[([\w-]+)=([\w-]+)\]")


def compile_selector(css: str) -> tuple[_Compound, ...]:
    """The simple selectors the container rules use (tags, ids, classes, ``[attr=value]``, descendant
    combinators), as cssselect reads them, matched in Python on elements the DOM pass already collected:
    eighteen XPath scans of the whole tree cost more than the rest of the body search."""
    compounds = []
    for part in css.split():
        m = _COMPOUND.match(part)
        if not m or (not m.group("tag") and not m.group("rest")):
            raise ValueError(f"unsupported selector: {css!r}")
        ids = [v for kind, v, _, _ in _PART.findall(m.group("rest")) if kind == "#"]
        classes = tuple(v for kind, v, _, _ in _PART.findall(m.group("rest")) if kind == ".")
        attrs = tuple((a, v) for kind, _, a, v in _PART.findall(m.group("rest")) if not kind)
        compounds.append(_Compound(m.group("tag"), ids[0] if ids else None, classes, attrs))
    return tuple(compounds)


def matches(el: etree._Element, compounds: tuple[_Compound, ...]) -> bool:
    """``el`` matches the last compound and has ancestors matching the others, in order (descendant
    combinators only, so the nearest matching ancestor is always the right one to continue from)."""
    if not compounds[-1].matches(el):
        return False
    anc = el
    for compound in reversed(compounds[:-1]):
        anc = anc.getparent()
        while anc is not None and not compound.matches(anc):
            anc = anc.getparent()
        if anc is None:
            return False
    return True


COMPILED_CONTAINERS = tuple((compile_selector(css), method) for css, method in CMS_CONTAINERS)
_RULE_KEYS = {compounds[-1].key for compounds, _ in COMPILED_CONTAINERS}
_RULE_TAGS = frozenset(v for k, v in _RULE_KEYS if k == "")
_RULE_IDS = frozenset(v for k, v in _RULE_KEYS if k == "#")
_RULE_CLASSES = frozenset(v for k, v in _RULE_KEYS if k == ".")
_RULE_ATTRS = frozenset(v for k, v in _RULE_KEYS if k == "[")
_RULE_CLASS_HINT = re.compile("|".join(map(re.escape, sorted(_RULE_CLASSES))))  # a substring first, then tokens


def container_candidates(root: etree._Element) -> list[etree._Element]:
    """Elements any container rule could match (they carry a class, an id or ``itemprop``, or are UCAP's
    ``<ucapcontent>``), in document order. ``strip_invisible`` collects the same list on its way."""
    return [el for el in root.iter() if isinstance(el.tag, str) and may_be_container(el)]


def find_cms_container(
    root: etree._Element, candidates: list[etree._Element] | None = None
) -> BodyResult | None:
    """The first known CMS container holding text (the largest, when a selector matches several).

    ``candidates``: what ``container_candidates`` gives, when the caller collected it already; elements
    that left the tree since are skipped.
    """
    pool = container_candidates(root) if candidates is None else [
        el for el in candidates if el is root or el.getparent() is not None
    ]
    index = _index(pool)
    chars: dict[etree._Element, int] = {}
    for compounds, method in COMPILED_CONTAINERS:
        found = [el for el in index.get(compounds[-1].key, ()) if matches(el, compounds)]
        if not found:
            continue
        for el in found:
            if el not in chars:
                chars[el] = len(squash(element_text(el)))
        best = max(found, key=chars.__getitem__)
        if chars[best] >= MIN_CMS_CHARS:
            return BodyResult(best, method)
    return None


def _unit_score(st: Stat, chars: int, punct: int) -> float:
    """Readability-style: a paragraph is worth more for every sentence and every 100 characters."""
    return 1 + punct + min(chars / 100, 3)


def score_candidates(
    root: etree._Element, stats: dict[etree._Element, Stat] | None = None
) -> dict[etree._Element, float]:
    """Credit each paragraph unit's score to its container (full) and the container's parent (half).

    ``stats``: the current ``measure`` of ``root``, when the caller kept it up to date.
    """
    stats = measure(root) if stats is None else stats
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


def ranked_by_density(root: etree._Element, stats: dict[etree._Element, Stat] | None = None) -> list[BodyResult]:
    """The best density candidates, best first (at most ``MAX_RANKED``); the page body when none scores."""
    scores = score_candidates(root, stats)
    if not scores:
        return [BodyResult(next(root.iter("body"), root), "density")]
    ranked = sorted(scores, key=scores.__getitem__, reverse=True)[:MAX_RANKED]
    return [BodyResult(el, "density") for el in ranked]
