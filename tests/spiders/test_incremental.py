"""Incremental crawls end to end: real ``scrapy crawl`` runs sharing one state store.

Two runs of a site export nothing the second time; a changed article comes back as version 2; a
repost on another site is marked ``duplicate_of``; ``JOBDIR`` does not stop a new run at 0 pages;
``-O`` never loses the previous run's file.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from govnews.sites.registry import SITES
from govnews.urls import article_id, canonical_url
from tests.sitegen import LIST_DIR, article_html, article_path, serve_site, write_site
from tests.support import Crawl, run_crawl

OLD = time.mktime((2024, 3, 1, 0, 0, 0, 0, 0, -1))


def _site(root: Path, articles: int = 12) -> list[str]:
    urls = write_site(root, articles)
    for path in root.rglob("*.html"):  # served with an old Last-Modified, as a real archive is
        os.utime(path, (OLD, OLD))
    return urls


def _crawl(spider: str, tmp_path: Path, base: str, name: str, state: Path, **settings: str) -> Crawl:
    folder = tmp_path / name
    folder.mkdir()
    return run_crawl(spider, folder, args=settings.pop("args", None),  # type: ignore[arg-type]
                     settings={"GOVNEWS_MIRROR": f"{base}/", "GOVNEWS_STATE_PATH": str(state), **settings})


def test_a_second_run_exports_nothing_and_reads_only_the_first_list_page(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _site(root, 25)
    state = tmp_path / "state.sqlite"
    with serve_site(root) as (base, _):
        first = _crawl("klx", tmp_path, base, "one", state, JOBDIR=str(tmp_path / "job"))
        second = _crawl("klx", tmp_path, base, "two", state, JOBDIR=str(tmp_path / "job"))
    assert len(first.items) == 25 and first.stats["govnews/state/new/klx"] == 25
    assert second.returncode == 0 and second.items == []
    # JOBDIR did not filter the new run down to nothing: it read the first list page, found only known
    # links (not fetched again) and, the previous run having walked the whole site, stopped paging.
    assert second.stats["govnews/pages/klx/list"] == 1
    assert second.stats["govnews/state/skipped_known/klx"] == 10
    assert second.stats["govnews/state/stopped_paging/klx"] == 1
    assert "govnews/pages/klx/article" not in second.stats
    summary = json.loads((tmp_path / "two" / "out.summary.json").read_text(encoding="utf-8"))
    assert summary["sites"]["klx"]["articles"]["skipped_known"] == 10


def test_a_changed_article_is_exported_again_as_a_new_version(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _site(root, 5)
    state = tmp_path / "state.sqlite"
    with serve_site(root) as (base, _):
        first = _crawl("klx", tmp_path, base, "one", state)
        (root / article_path(3)).write_text(article_html(3, version=2), encoding="utf-8")  # modified now
        second = _crawl("klx", tmp_path, base, "two", state, GOVNEWS_RECHECK_DAYS="0")
    before = {item["url"]: item for item in first.items}
    assert [item["url"] for item in second.items] == [f"http://{article_path(3)}"]
    item = second.items[0]
    assert item["version"] == 2 and item["previous_hash"] == before[item["url"]]["content_hash"]
    assert item["id"] == before[item["url"]]["id"] and item["content_hash"] != item["previous_hash"]
    assert second.stats["govnews/state/not_modified/klx"] == 4  # the others: conditional requests, 304
    assert second.stats["govnews/state/changed/klx"] == 1


def _farm_copy(root: Path) -> str:
    """The same articles on a content farm: Traditional script, its own page furniture, the last paragraph
    cut, another host."""
    from opencc import OpenCC

    s2t = OpenCC("s2t")
    farm = root / "www.farm.example" / "news"
    farm.mkdir(parents=True)
    links = []
    for page in sorted((root / LIST_DIR).rglob("t2024*.html")):
        html = page.read_text(encoding="utf-8")
        html = html.replace('<div class="article">', '<div class="article"><p>本站转载 点击：1024</p>')
        html = html[:html.rindex("<p>")] + html[html.rindex("</p>") + 4:]
        (farm / page.name).write_text(s2t.convert(html), encoding="utf-8")
        links.append(f'<li><a href="/news/{page.name}">{page.name}</a></li>')
    (farm / "index.html").write_text(f'<html><body><ul class="list">{"".join(links)}</ul></body></html>',
                                     encoding="utf-8")
    return "http://www.farm.example/news/index.html"


def test_a_repost_on_another_site_is_marked_duplicate_of_the_original(tmp_path: Path) -> None:
    root = tmp_path / "site"
    originals = _site(root, 4)
    start = _farm_copy(root)
    state = tmp_path / "state.sqlite"
    farm_args = {"start_url": start, "article_url": r"^http://www\.farm\.example/news/t\d+_\d+\.html$", "key": "farm"}
    with serve_site(root) as (base, _):
        _crawl("klx", tmp_path, base, "county", state)
        shutil.copy(state, tmp_path / "state-copy.sqlite")  # the same history, for the second variant
        hidden = _crawl("govsite", tmp_path, base, "farm", state, args=farm_args)
        marked = _crawl("govsite", tmp_path, base, "farm-marked", tmp_path / "state-copy.sqlite",
                        args=farm_args, GOVNEWS_EXPORT_DUPLICATES="True")
    assert hidden.items == [] and hidden.stats["govnews/state/duplicate/farm"] == 4  # remembered, not exported
    assert hidden.stats["govnews/state/duplicate_near/farm"] == 4  # Traditional + furniture: not byte-equal
    ids = {article_id(canonical_url(u, SITES["klx"].aliases)) for u in originals}
    assert len(marked.items) == 4
    assert {item["duplicate_of"] for item in marked.items} == ids
    assert all(item["site"] == "farm" and item["script_original"] == "zh-Hant" for item in marked.items)


def test_O_replaces_the_file_but_keeps_the_previous_run_beside_it(tmp_path: Path) -> None:
    root = tmp_path / "site"
    _site(root, 3)
    folder = tmp_path / "crawl"
    folder.mkdir()
    with serve_site(root) as (base, _):
        run_crawl("klx", folder, settings={"GOVNEWS_MIRROR": f"{base}/"})
        first = (folder / "out.jsonl").read_text(encoding="utf-8")
        time.sleep(1.1)
        second = run_crawl("klx", folder, settings={"GOVNEWS_MIRROR": f"{base}/"})
    assert second.items == []  # nothing new
    kept = [p for p in folder.glob("out.*.jsonl")]
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == first
    # each file keeps the summary of the run that wrote it
    kept_summary = json.loads(kept[0].with_name(kept[0].stem + ".summary.json").read_text(encoding="utf-8"))
    assert kept_summary["totals"]["exported"] == 3
    assert json.loads((folder / "out.summary.json").read_text(encoding="utf-8"))["totals"]["exported"] == 0


@pytest.mark.parametrize("workers", ["0", "2"])
def test_documents_of_one_template_are_all_exported_and_a_repost_is_logged_with_both_ids(
        tmp_path: Path, workers: str) -> None:
    """Penalty decisions of one inspection campaign share 70%+ of their body with each other; each is
    its own document (its party, credit code, fine and case number), so every one is exported.

    How many near matches are set aside as siblings depends on the order the pages are judged in (a
    document judged first has none; two bodies may share no LSH band). The worker pool hands the articles
    on in the order their pages were fetched (``govnews.workers.InOrder``, whose own test checks the order),
    as the crawl without it does; served directly one request at a time, the count is 3 in nearly every
    run, but a full suite on a loaded machine once gave 2 with the pool, so what is asserted is what must
    hold whatever the order: every document exported, the repost not, and siblings set aside."""
    host = tmp_path / "site" / "www.kelan.example"
    (host / "xzcf" / "2024").mkdir(parents=True)
    parties = [("岢岚县福源超市", "92140929MA0K7H3L2X", "2000"), ("岢岚县惠家便利店", "92140929MA0KB25R7Q", "1500"),
               ("岢岚县鑫旺粮油门市", "92140929MA0L0D9M4C", "3000"), ("岢岚县康民大药房", "91140929MA0JX8TP5E", "2500")]
    links = []
    for n, (party, code, amount) in enumerate(parties, start=21):
        title = f"岢岚县市场监督管理局行政处罚决定书(岚市监价罚〔2024〕{n}号)"
        body = (f"<p>当事人：{party}</p><p>统一社会信用代码：{code}</p><p>经查，当事人在其经营场所销售的商品未按规定"
                "明码标价，上述行为违反了《中华人民共和国价格法》第十三条第一款的规定。本局依据《明码标价和禁止价格欺诈规定》"
                f"第二十一条，决定对当事人处以如下行政处罚：一、责令改正；二、罚款人民币{amount}元。</p><p>当事人应当自收到本决定书"
                "之日起十五日内，到指定银行缴纳罚款。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。当事人如对本处罚决定不服，"
                "可以在收到本决定书之日起六十日内向岢岚县人民政府申请行政复议，或者在六个月内依法向岢岚县人民法院提起行政诉讼。"
                f"</p><p>岢岚县市场监督管理局</p><p>2024年6月{n - 9}日</p>")
        page = (f'<html><head><meta charset="utf-8"><meta name="ArticleTitle" content="{title}">'
                f'<meta name="PubDate" content="2024-06-{n - 9} 10:00"><title>{title}</title></head>'
                f'<body><h1>{title}</h1>'
                f'<div class="TRS_Editor">{body}</div></body></html>')
        name = f"t202406{n - 9}_{n}.html"
        (host / "xzcf" / "2024" / name).write_text(page, encoding="utf-8")
        links.append(f'<li><a href="/xzcf/2024/{name}">{title}</a></li>')
        if n == 21:  # the same decision again under another address, its signature and date cut: a repost
            (host / "xzcf" / "2024" / "t20240612_99.html").write_text(
                page.replace(f"<p>岢岚县市场监督管理局</p><p>2024年6月{n - 9}日</p>", ""), encoding="utf-8")
            links.append(f'<li><a href="/xzcf/2024/t20240612_99.html">{title}</a></li>')
    (host / "xzcf" / "index.html").write_text(
        f'<html><head><meta charset="utf-8"><title>行政处罚</title></head><body><ul>{"".join(links)}</ul>'
        '</body></html>',
        encoding="utf-8")
    with serve_site(host) as (base, _):
        crawl = _crawl("govsite", tmp_path, base, "one", tmp_path / "state.sqlite", GOVNEWS_MIRROR="",
                       GOVNEWS_WORKERS=workers, CONCURRENT_REQUESTS_PER_DOMAIN="1",
                       args={"start_url": f"{base}/xzcf/index.html"})
    texts = [item["text"] for item in crawl.items]
    assert len(crawl.items) == 4 and all(any(p in t for t in texts) for p, _, _ in parties)
    assert crawl.stats["govnews/state/duplicate_near/127.0.0.1"] == 1
    assert crawl.stats["govnews/state/near_distinct/127.0.0.1"] in (2, 3)
    line = next(line for line in crawl.log.splitlines() if "Repost of" in line)
    assert "WARNING" in line and "(id " in line
