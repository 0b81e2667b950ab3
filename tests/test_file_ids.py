"""The id of a ``file://`` article is a function of that file's own path: real ``article`` crawls sharing
one state store. It used to be taken relative to the folder the named pages had in common, so naming one
more file elsewhere gave the same page a new id and the store exported it again."""

from __future__ import annotations

from pathlib import Path

from govnews.urls import article_id
from tests.faults.pages import article_html
from tests.support import run_crawl


def test_a_file_keeps_its_id_whatever_else_a_run_names(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    (pages / "sub").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    a, c, other = pages / "a.html", pages / "sub" / "c.html", tmp_path / "elsewhere" / "b.html"
    for n, path in enumerate((a, c, other), start=1):
        path.write_text(article_html(n), encoding="utf-8")
    state = str(tmp_path / "state.sqlite")
    runs = []
    for name, named in (("one", [a]), ("two", [a, c]), ("three", [a, other])):
        (tmp_path / name).mkdir()
        runs.append(run_crawl("article", tmp_path / name, args={"url": ",".join(p.as_uri() for p in named)},
                              settings={"GOVNEWS_STATE_PATH": state}))
    [first] = runs[0].items
    assert first["canonical_url"] == a.as_uri() and first["id"] == article_id(a.as_uri())
    # same file, same id: known and unchanged, so not exported again however the other files lie
    for run, new in zip(runs[1:], (c, other), strict=True):
        assert [i["url"] for i in run.items] == [new.as_uri()]
        assert sum(v for k, v in run.stats.items() if k.startswith("govnews/state/unchanged/")) == 1
    assert sum(i["url"] == a.as_uri() for run in runs for i in run.items) == 1


def test_a_fixed_root_names_files_below_it_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "pages" / "articles").mkdir(parents=True)
    page = tmp_path / "pages" / "articles" / "a.html"
    page.write_text(article_html(1), encoding="utf-8")
    (tmp_path / "run").mkdir()
    crawl = run_crawl("article", tmp_path / "run", args={"url": page.as_uri()},
                      settings={"GOVNEWS_FILE_ROOT": str(tmp_path / "pages")})
    [item] = crawl.items
    assert item["canonical_url"] == "file:articles/a.html" and item["id"] == article_id("file:articles/a.html")
