"""Body container: CMS selectors first, density for unknown templates."""

from __future__ import annotations

import pytest

from govnews.extract.body import find_by_density, find_cms_container, score_candidates
from govnews.extract.dom import parse
from govnews.extract.text import text_lines

PROSE = "会议要求，各单位要认真落实安全生产责任，确保人民群众生命财产安全。"


@pytest.mark.parametrize(
    ("container", "method"),
    [
        ("<div class='TRS_Editor'>{}</div>", "cms:TRS_Editor"),
        ("<div class='TRS_UEDITOR trs_paper_default'>{}</div>", "cms:TRS_UEDITOR"),
        ("<div id='UCAP-CONTENT'>{}</div>", "cms:UCAP"),
        ("<ucapcontent>{}</ucapcontent>", "cms:UCAP"),
        ("<div id='zoom'>{}</div>", "cms:Hanweb"),
        ("<div id='article-font-zoom'>{}</div>", "cms:zoom"),
        ("<div class='col-md-12 nry jcontent'>{}</div>", "cms:lfxww"),
        ("<div id='Article'><h1>t</h1><div class='content'>{}</div></div>", "cms:PHPCMS"),
        ("<div class='article-con'>{}</div>", "cms:county"),
        ("<div id='js_content'>{}</div>", "cms:wechat"),
        ("<div itemprop='articleBody'>{}</div>", "cms:schema.org"),
    ],
)
def test_cms_containers(container: str, method: str) -> None:
    root = parse(f"<body><div class='side'><p>侧栏</p></div>{container.format('<p>' + PROSE + '</p>')}</body>")
    found = find_cms_container(root)
    assert found is not None and found.method == method
    assert text_lines(found.element) == [PROSE]


def test_empty_cms_slot_is_skipped() -> None:
    root = parse(f"<body><div class='TRS_Editor'> </div><div id='zoom'><p>{PROSE}</p></div></body>")
    assert find_cms_container(root).method == "cms:Hanweb"
    assert find_cms_container(parse(f"<body><div class='x'><p>{PROSE}</p></div></body>")) is None


def test_density_prefers_prose_over_link_lists_and_short_lines() -> None:
    menu = "<div class='m'>" + "".join(f"<a href='/{i}'>栏目{i}</a>" for i in range(30)) + "</div>"
    body = "<div class='b'>" + f"<p>{PROSE}</p>" * 4 + "</div>"
    teaser = "<div class='t'><p>一句话简介。</p></div>"
    found = find_by_density(parse(f"<body>{menu}{teaser}{body}</body>"))
    assert found.method == "density" and found.element.get("class") == "b"


def test_density_handles_br_separated_text() -> None:
    body = "<div class='b'>" + f"{PROSE}<br>" * 4 + "</div>"
    found = find_by_density(parse(f"<body><div class='x'><p>短。</p></div>{body}</body>"))
    assert found.element.get("class") == "b"


def test_density_on_empty_page_returns_body() -> None:
    found = find_by_density(parse("<html><body></body></html>"))
    assert found.element.tag == "body"
    assert score_candidates(parse("<p>短</p>")) == {}
