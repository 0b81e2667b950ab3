"""When an incremental run may stop paging early: real ``scrapy crawl`` runs against a server on 127.0.0.1.

A run stops paging a list at the first page with nothing new only if the last run that walked that list
(its start URL, the "column") walked all of it with no list or article page failing. Anything else costs
articles for good: a list page that failed once hides what lies behind it, an article that failed once is
never reached again, and a new column that cross-posts known articles on its first page is cut after it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.sitegen import LIST_DIR, article_html, article_path, write_site
from tests.support import Crawl, run_crawl, serve_with


class _FailingHandler(SimpleHTTPRequestHandler):
    failing: set[str] = set()  # noqa: RUF012 (replaced per server)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.path in self.failing:
            self.send_error(503, "busy")
            return
        super().do_GET()


def _serve(root: Path, failing: set[str]) -> AbstractContextManager[str]:
    """A server on 127.0.0.1 for ``root`` that answers 503 for the paths in ``failing`` (changeable)."""
    return serve_with(root, type("Handler", (_FailingHandler,), {"failing": failing}))


def _crawl(spider: str, tmp_path: Path, base: str, name: str, args: dict[str, str] | None = None) -> Crawl:
    folder = tmp_path / name
    folder.mkdir()
    return run_crawl(spider, folder, args=args, settings={
        "GOVNEWS_MIRROR": f"{base}/", "GOVNEWS_STATE_PATH": str(tmp_path / "state.sqlite"), "RETRY_TIMES": "0",
        "GOVNEWS_MAX_ERROR_RATE": "1"})


def _numbers(crawl: Crawl) -> set[str]:
    return {item["url"] for item in crawl.items}


def test_a_list_page_that_failed_once_is_walked_past_on_the_next_runs(tmp_path: Path) -> None:
    root = tmp_path / "site"
    urls = write_site(root, 15, per_page=5)
    failing = {f"/{LIST_DIR}/index_1.html"}
    with _serve(root, failing) as base:
        first = _crawl("klx", tmp_path, base, "one")
        failing.clear()
        second = _crawl("klx", tmp_path, base, "two")
        third = _crawl("klx", tmp_path, base, "three")
    assert len(first.items) == 5 and first.stats["govnews/fetch_failed/http_5xx"] == 1
    # Page 1 shows nothing new, but the walk of run 1 was broken: run 2 walks on and finds the other 10.
    assert "govnews/state/stopped_paging/klx" not in second.stats
    assert _numbers(first) | _numbers(second) == set(urls) and len(second.items) == 10
    # Run 2 walked the list with no failure, so run 3 may stop at page 1 again.
    assert third.items == [] and third.stats["govnews/state/stopped_paging/klx"] == 1
    assert third.stats["govnews/pages/klx/list"] == 1


def test_an_article_that_failed_once_is_fetched_on_the_next_run(tmp_path: Path) -> None:
    root = tmp_path / "site"
    urls = write_site(root, 15, per_page=5)
    failing = {f"/{article_path(2)}"}  # on the last list page
    with _serve(root, failing) as base:
        first = _crawl("klx", tmp_path, base, "one")
        second = _crawl("klx", tmp_path, base, "two")  # still failing: still not a complete walk
        failing.clear()
        third = _crawl("klx", tmp_path, base, "three")
        fourth = _crawl("klx", tmp_path, base, "four")
    assert len(first.items) == 14 and second.items == []
    assert second.stats["govnews/pages/klx/list"] == 3 and second.stats["govnews/fetch_failed/http_5xx"] == 1
    assert [item["url"] for item in third.items] == [f"http://{article_path(2)}"]
    assert _numbers(first) | _numbers(third) == set(urls)
    assert fourth.items == [] and fourth.stats["govnews/pages/klx/list"] == 1


def test_a_new_column_of_a_known_site_is_walked_fully_the_first_time(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_site(root, 15, per_page=5)
    host = LIST_DIR.split("/")[0]
    column = root / host / "klxzw/zwyw/bmdt"
    (column / "202404").mkdir(parents=True)
    known = "".join(f'<li><a href="/{article_path(n)[len(host) + 1:]}">第{n}期</a></li>' for n in range(15, 10, -1))
    new = []
    for n in range(101, 106):
        (column / "202404" / f"t202404{n - 100:02d}_{n}.html").write_text(article_html(n), encoding="utf-8")
        new.append(f'<li><a href="./202404/t202404{n - 100:02d}_{n}.html">第{n}期</a></li>')
    page = ('<html><head><meta charset="utf-8"><title>部门动态</title></head><body><ul class="list">{}</ul>'
            '<div class="page"><script>createPageHTML(2, {}, "index", "html");</script></div></body></html>')
    (column / "index.html").write_text(page.format(known, 0), encoding="utf-8")
    (column / "index_1.html").write_text(page.format("".join(new), 1), encoding="utf-8")
    with _serve(root, set()) as base:
        first = _crawl("govsite", tmp_path, base, "one", {"start_url": f"http://{LIST_DIR}/index.html"})
        second = _crawl("govsite", tmp_path, base, "two", {"start_url": f"http://{host}/klxzw/zwyw/bmdt/index.html"})
    assert len(first.items) == 15
    # Page 1 of the new column only cross-posts known articles; page 2 holds five new ones.
    assert sorted(item["url"].rsplit("_", 1)[1] for item in second.items) == [f"{n}.html" for n in range(101, 106)]
    assert not any(key.startswith("govnews/state/stopped_paging") for key in second.stats)


def test_an_article_dropped_for_a_transient_reason_breaks_the_walk_too(tmp_path: Path) -> None:
    """A CMS under load answers 200 with an empty page: dropped as empty_text, not stored, so the next run
    must reach it again."""
    root = tmp_path / "site"
    urls = write_site(root, 15, per_page=5)
    page = root / article_path(2)  # on the last list page
    good = page.read_text(encoding="utf-8")
    page.write_text('<html><head><meta charset="utf-8"><title>系统繁忙</title></head><body></body></html>',
                    encoding="utf-8")
    with _serve(root, set()) as base:
        first = _crawl("klx", tmp_path, base, "one")
        page.write_text(good, encoding="utf-8")
        second = _crawl("klx", tmp_path, base, "two")
    assert len(first.items) == 14 and first.stats["govnews/dropped/empty_text"] == 1
    assert [item["url"] for item in second.items] == [f"http://{article_path(2)}"]
    assert _numbers(first) | _numbers(second) == set(urls)


class _GoneHandler(_FailingHandler):
    gone: set[str] = set()  # noqa: RUF012 (replaced per server)
    moved: dict[str, str] = {}  # noqa: RUF012 (path -> where a 301 sends it)

    def do_GET(self) -> None:
        if self.path in self.gone:
            self.send_error(410, "gone")
            return
        if self.path in self.moved:
            self.send_response(301)
            self.send_header("Location", self.moved[self.path])
            self.end_headers()
            return
        super().do_GET()


def test_a_link_that_answers_404_or_410_on_three_runs_in_a_row_no_longer_holds_its_column_open(
        tmp_path: Path) -> None:
    """A dead article link (a page taken down, a typo in the CMS's list) answers 404 or 410 on every run.
    It used to leave its column "not walked completely" for ever, so every scheduled run walked every
    list page. After GOVNEWS_GONE_AFTER_RUNS (3) runs in a row it is gone: counted, not fetched again
    until GOVNEWS_RECHECK_DAYS after its last 404/410, and the column may stop paging again. A link that
    comes back is exported, and forgotten as missing."""
    import json

    root = tmp_path / "site"
    urls = write_site(root, 15, per_page=5)
    dead = root / article_path(14)  # both on the first list page
    kept = dead.read_text(encoding="utf-8")
    dead.unlink()  # 404
    # 410, at the end of a redirect (the redirect itself must not count as an answer)
    moved = {f"/{article_path(12)}": f"/{article_path(12).replace('.html', '-old.html')}"}  # within the mirror
    gone = set(moved.values())
    handler = type("Handler", (_GoneHandler,), {"failing": set(), "gone": gone, "moved": moved})
    runs = []
    with serve_with(root, handler) as base:
        for n in range(4):
            runs.append(_crawl("klx", tmp_path, base, f"run{n}"))
        folder = tmp_path / "recheck"
        folder.mkdir()
        settings = {"GOVNEWS_MIRROR": f"{base}/", "GOVNEWS_STATE_PATH": str(tmp_path / "state.sqlite"),
                    "RETRY_TIMES": "0", "GOVNEWS_MAX_ERROR_RATE": "1", "GOVNEWS_RECHECK_DAYS": "0"}
        recheck = run_crawl("klx", folder, settings=settings)  # due again: both fetched, both still dead
        dead.write_text(kept, encoding="utf-8")  # the page is back
        folder = tmp_path / "back"
        folder.mkdir()
        back = run_crawl("klx", folder, settings=settings)
        last = _crawl("klx", tmp_path, base, "last")
    first, second, third, fourth = runs
    assert len(first.items) == 13
    for run in (first, second, third):  # the whole column is walked while the links are not yet gone
        assert run.stats["govnews/fetch_failed/http_404"] == 1 and run.stats["govnews/fetch_failed/http_4xx"] == 1
        assert run.stats["govnews/pages/klx/list"] == 3 and "govnews/state/stopped_paging/klx" not in run.stats
    assert "govnews/state/gone/klx" not in second.stats and third.stats["govnews/state/gone/klx"] == 2
    summary = json.loads((tmp_path / "run2" / "out.summary.json").read_text(encoding="utf-8"))
    assert summary["sites"]["klx"]["links"]["gone"] == 2 and summary["totals"]["gone"] == 2
    assert "gone links (HTTP 404/410 on several runs in a row): 2 answered 404/410 again" in third.log
    # Run 3 walked everything else without a failure: run 4 stops at page 1 and does not ask for the dead links.
    assert fourth.items == [] and fourth.stats["govnews/pages/klx/list"] == 1
    assert fourth.stats["govnews/state/stopped_paging/klx"] == 1
    assert fourth.stats["govnews/state/skipped_gone/klx"] == 2 and "govnews/fetch_failed" not in fourth.stats
    # Due for a recheck, they are asked for again; still dead, they do not hold the column open.
    assert recheck.stats["govnews/fetch_failed/http_404"] == 1 and recheck.stats["govnews/state/gone/klx"] == 2
    # The page that came back is exported; the other stays gone, and the column may stop paging.
    assert [item["url"] for item in back.items] == [f"http://{article_path(14)}"]
    assert _numbers(first) | _numbers(back) == set(urls) - {f"http://{article_path(12)}"}
    assert last.items == [] and last.stats["govnews/state/stopped_paging/klx"] == 1
    assert last.stats["govnews/state/skipped_gone/klx"] == 1
