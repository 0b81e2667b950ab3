"""The faster machinery gives exactly what the plain one gave: container rules matched in Python against
parsel's CSS, stats kept up to date against a fresh ``measure``, ``squash`` against its regex form."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import parsel
import pytest
from lxml import etree

from govnews.encoding import decode_html
from govnews.extract.body import (
    CMS_CONTAINERS,
    COMPILED_CONTAINERS,
    _index,
    compile_selector,
    container_candidates,
    matches,
)
from govnews.extract.boilerplate import remove_boilerplate
from govnews.extract.dom import drop, parse, strip_invisible
from govnews.extract.measure import discount, measure
from govnews.extract.text import _SPACES, SPACE_CHARS, squash
from tests.support import CORPUS, REPO

PAGES = sorted((CORPUS / "pages").rglob("*.html"))[::4] + sorted((REPO / "tests" / "fixtures").rglob("*.html"))


def tree_of(path: Path) -> etree._Element:
    root = parse(decode_html(path.read_bytes()).text)
    strip_invisible(root, Counter())
    return root


@pytest.mark.parametrize("path", PAGES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_container_rules_match_what_css_matches(path: Path) -> None:
    root = tree_of(path)
    sel = parsel.Selector(root=root, type="html")
    index = _index(container_candidates(root))
    for (css, _), (compounds, _) in zip(CMS_CONTAINERS, COMPILED_CONTAINERS, strict=True):
        assert [el for el in index.get(compounds[-1].key, ()) if matches(el, compounds)] == [
            s.root for s in sel.css(css)
        ], css


def test_selector_shapes() -> None:
    root = parse("<div id='Article'><section><div class='x content y'>a</div></section></div>"
                 "<div class='content'>b</div><div class='cont w'><p><div class='content'>c</div></p></div>")
    found = [el.text for el in root.iter("div") if matches(el, compile_selector("#Article div.content"))]
    assert found == ["a"]
    assert [el.text for el in root.iter("div") if matches(el, compile_selector("div.cont.w div.content"))] == ["c"]
    with pytest.raises(ValueError):
        compile_selector("div > p")


@pytest.mark.parametrize("path", PAGES[:12], ids=lambda p: str(p.relative_to(p.parents[1])))
def test_stats_kept_up_to_date_equal_a_fresh_measure(path: Path) -> None:
    root = tree_of(path)
    stats = remove_boilerplate(root, Counter())
    assert list(stats.items()) == list(measure(root).items())


def test_discount_random_removals() -> None:
    rng = random.Random(7)
    html = "<div>" + "".join(
        f"<p>段落{i}，内容。<a href='#'>链接{i}</a><span>甲，乙<b>丙</b></span>尾{i}</p>" for i in range(30)
    ) + "</div>"
    root = parse(html)
    stats = measure(root)
    for _ in range(25):
        alive = [el for el in root.iter() if el.getparent() is not None]
        victim = rng.choice(alive)
        discount(stats, victim)
        drop(victim)
        assert list(stats.items()) == list(measure(root).items())


def test_squash_deletes_exactly_what_the_regex_deletes() -> None:
    bmp = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    assert {c for c in bmp if _SPACES.fullmatch(c)} == set(SPACE_CHARS)
    sample = "".join(bmp[::97]) + SPACE_CHARS + "正文 text\u3000end"
    assert squash(sample) == _SPACES.sub("", sample)


def test_unsafe_character_search_finds_exactly_what_sanitizing_changes() -> None:
    from govnews.extract import dom

    for code in range(0x10000):
        ch = chr(code)
        changed = dom._SURROGATES.sub("\ufffd", dom._SPACE_CONTROLS.sub(" ", dom._UNSAFE_CHARS.sub("", ch))) != ch
        assert changed == bool(dom._ANY_UNSAFE.search(ch)), hex(code)
