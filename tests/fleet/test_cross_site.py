"""A link of one registry site that leads to another registry site: the fleet holds every request to the
domains of the site it belongs to, exactly as ``scrapy crawl <site>`` does, and an article always gets the
fields of the registry entry its address belongs to.

Real crawls of the fixture mirror on 127.0.0.1, whose server answers some fsx and sxxz article addresses
with a 302 (or a page with a meta refresh) to an article of another site:

- fsx -> www.shanxi.gov.cn (another site's domain): refused as ``offsite`` by ``scrapy crawl fsx``, by
  ``scrapy crawl fleet -a sites=fsx`` (no Redis) and by a Redis fleet worker alike, counted crawl-wide and
  on fsx's own ``failed:`` line; never exported as site=fsx. Crawled together with shanxi, the article is
  exported once, as site=shanxi.
- sxxz -> klx.sxxz.gov.cn (a subdomain of sxxz.gov.cn, which sxxz's own spider allows): followed, and the
  article is klx's (key, name, region), not sxxz's.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from govnews.fleet.connection import Keys
from tests.fleet.test_crawl import _env, _finish, _records, _worker
from tests.support import REPO

FSX_LIST = "fsx.sxxz.gov.cn/fsxzw/zwyw/xxyw"
SXXZ_LIST = "www.sxxz.gov.cn/zwyw/xzyw"
SHANXI_BY_REDIRECT = "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240805_9900080.shtml"
SHANXI_BY_REFRESH = "http://www.shanxi.gov.cn/ywdt/sxyw/202407/t20240730_9900050.shtml"
SHANXI_BY_MIRROR = "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml"
KLX_BY_REDIRECT = "http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/202403/t20240320_700.html"
#: mirror path -> Location of the 302 the server answers with
REDIRECTS = {
    f"/{FSX_LIST}/202404/t20240411_900.html": SHANXI_BY_REDIRECT,
    # a redirect inside the mirror: it names the mirror's copy of the other site, not the site itself
    f"/{FSX_LIST}/202404/t20240411_902.html": "/" + SHANXI_BY_MIRROR.removeprefix("http://"),
    f"/{SXXZ_LIST}/202407/t20240728_4196400.shtml": KLX_BY_REDIRECT,
}


class _Redirecting(SimpleHTTPRequestHandler):
    redirects: ClassVar[dict[str, str]] = REDIRECTS

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        target = self.redirects.get(self.path)
        if target is None:
            super().do_GET()
            return
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def serve(root: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Redirecting, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _add_link(page: Path, anchor: str, href: str, day: str) -> None:
    html = page.read_text(encoding="utf-8")
    item = f'<li><a href="{href}" target="_blank">{anchor}</a><span class="date">{day}</span></li>'
    marker = '<ul class="list">' if '<ul class="list">' in html else '<div class="list"><ul>'
    page.write_text(html.replace(marker, marker + item, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("xsite")
    shutil.copytree(REPO / "tests" / "fixtures" / "sites", root, dirs_exist_ok=True)
    fsx_list = root / FSX_LIST / "index.html"
    _add_link(fsx_list, "转载省政府新闻", "./202404/t20240411_900.html", "2024-04-11")
    _add_link(fsx_list, "转载省政府要闻", "./202404/t20240411_901.html", "2024-04-11")
    _add_link(fsx_list, "转载省政府消息", "./202404/t20240411_902.html", "2024-04-11")
    refresh = root / FSX_LIST / "202404" / "t20240411_901.html"
    refresh.write_text(f'<html><head><meta http-equiv="refresh" content="0; url={SHANXI_BY_REFRESH}"></head>'
                       "<body>正在跳转</body></html>", encoding="utf-8")
    _add_link(root / SXXZ_LIST / "index.shtml", "岢岚县新闻", "./202407/t20240728_4196400.shtml", "2024-07-28")
    return root


def _crawl(folder: Path, base: str, name: str, spider: str, *args: str) -> tuple[list[dict[str, Any]], dict, str]:
    """One process, no Redis: its lines, its stats and its log."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, *args, "-o", str(folder / f"{name}.jsonl"),
           "-s", f"GOVNEWS_MIRROR={base}/", "-s", f"GOVNEWS_STATE_PATH={folder / f'{name}.sqlite'}",
           "-s", f"GOVNEWS_STATS_FILE={folder / f'{name}.stats.json'}", "-s", "LOG_LEVEL=INFO"]
    proc = subprocess.run(cmd, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads((folder / f"{name}.stats.json").read_text(encoding="utf-8"))
    return _records(folder / f"{name}.jsonl"), stats, proc.stderr


def _by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["canonical_url"]: r for r in records}


def _assert_fsx_stayed_home(records: list[dict[str, Any]], stats: dict[str, Any]) -> None:
    assert {r["site"] for r in records} == {"fsx"}
    assert not {SHANXI_BY_REDIRECT, SHANXI_BY_REFRESH, SHANXI_BY_MIRROR} & set(_by_url(records))
    assert len(records) == 3
    # the 302s and the meta refresh: refused where they were met, counted as the site's own failures
    assert stats["govnews/refused/offsite"] == 3
    assert stats["govnews/failed_by_site/fsx/refused_offsite"] == 3


def test_a_site_crawl_and_the_fleet_refuse_a_redirect_to_another_registry_site(mirror: Path, tmp_path: Path) -> None:
    with serve(mirror) as base:
        own, own_stats, own_log = _crawl(tmp_path, base, "own", "fsx")
        fleet, fleet_stats, fleet_log = _crawl(tmp_path, base, "fleet", "fleet", "-a", "sites=fsx")
    _assert_fsx_stayed_home(own, own_stats)
    _assert_fsx_stayed_home(fleet, fleet_stats)
    strip = ("crawled_at",)
    assert [{k: v for k, v in r.items() if k not in strip} for r in sorted(own, key=lambda r: r["id"])] == \
        [{k: v for k, v in r.items() if k not in strip} for r in sorted(fleet, key=lambda r: r["id"])]
    for log in (own_log, fleet_log):  # the per-site summary says it under fsx
        lines = log.splitlines()
        fsx = next(i for i, line in enumerate(lines) if line.strip().startswith("fsx: "))
        assert lines[fsx + 1].strip() == "failed: refused_offsite=3", lines[fsx:fsx + 3]


def test_an_article_gets_the_fields_of_the_site_its_address_belongs_to(mirror: Path, tmp_path: Path) -> None:
    """fsx and shanxi crawled together: the shanxi article an fsx link redirected to is exported once, by
    shanxi's own crawl, as shanxi's; a sxxz link redirected into klx.sxxz.gov.cn (sxxz's domain allows it,
    as ``scrapy crawl sxxz`` does) is klx's article."""
    with serve(mirror) as base:
        records, stats, _log = _crawl(tmp_path, base, "both", "fleet", "-a", "sites=fsx,shanxi,sxxz")
        city, _city_stats, _ = _crawl(tmp_path, base, "city", "sxxz")
    urls = _by_url(records)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for url in (SHANXI_BY_REDIRECT, SHANXI_BY_REFRESH, SHANXI_BY_MIRROR):
        assert urls[url]["site"] == "shanxi" and urls[url]["site_name"] == "山西省人民政府"
        assert urls[url]["region"]["code"] == "140000"
    assert stats["govnews/failed_by_site/fsx/refused_offsite"] == 3
    for got in (urls[KLX_BY_REDIRECT], _by_url(city)[KLX_BY_REDIRECT]):
        assert (got["site"], got["region"]["county"], got["region"]["code"]) == ("klx", "岢岚县", "140929")
        assert got["url"] == KLX_BY_REDIRECT
    assert {r["site"] for r in records} == {"fsx", "shanxi", "sxxz", "klx"}
    assert all(r["site"] == "fsx" for r in records if "fsx.sxxz.gov.cn" in r["canonical_url"])


def test_a_redis_fleet_worker_refuses_it_too(mirror: Path, redis_url: str, client: Any, key_prefix: str,
                                            tmp_path: Path) -> None:
    from govnews.fleet import control

    keys = Keys(key_prefix, "fleet")
    control.seed(client, keys, ["fsx"])
    with serve(mirror) as base:
        worker = _worker(tmp_path, "w", base, redis_url, key_prefix)
        _finish(worker, tmp_path, "w")
    stats = json.loads((tmp_path / "w.stats.json").read_text(encoding="utf-8"))
    _assert_fsx_stayed_home(_records(tmp_path / "w.jsonl"), stats)
    report = control.status(client, keys)
    assert report["failures_by_site"]["fsx"] == {"refused_offsite": 3}
    assert "    failed: refused_offsite=3" in control.render_status(report).splitlines()
