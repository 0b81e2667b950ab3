"""``govnews report``: the text summary, and the HTML page checked in a real headless Chromium."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govnews.report.dataset import dataset_report, render_report
from govnews.report.summary import crawl_summary, render_summary
from tests.support import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
CHROMEDRIVER = shutil.which("chromedriver")


def test_the_crawl_writes_a_summary_beside_its_output(two_runs: list[Path]) -> None:
    summary = json.loads(two_runs[1].with_name("out.summary.json").read_text(encoding="utf-8"))
    klx = summary["sites"]["klx"]
    assert klx["pages"] == {"list": 2, "article": 3, "not_modified": 0}  # robots.txt is not a page
    assert klx["articles"]["new"] == 3 and summary["totals"]["exported"] == 3
    assert summary["outputs"] == [str(two_runs[1])]
    sample = json.loads(two_runs[0].with_name("out.summary.json").read_text(encoding="utf-8"))
    assert sample["totals"]["dropped"] == {"empty_text": 1}
    assert sample["sites"]["local"]["articles"]["dropped"] == {"empty_text": 1}
    assert sample["sites"]["local"]["cleaning"]["strip_pinyin_glosses"] > 0


def test_summary_counts_by_site_and_kind() -> None:
    stats = {"govnews/pages/a/list": 2, "govnews/pages/a/article": 5, "govnews/state/new/a": 4,
             "govnews/state/not_modified/a": 1, "govnews/dropped/empty_text": 2,
             "govnews/dropped_by_site/a/empty_text": 1, "govnews/fetch_failed": 3, "item_scraped_count": 4,
             "spider_exceptions/ValueError": 1}
    summary = crawl_summary(stats, "x", "finished")
    assert summary["sites"]["a"]["pages"] == {"list": 2, "article": 5, "not_modified": 1}
    assert summary["totals"]["pages"] == 8 and summary["dropped_without_site"] == {"empty_text": 1}
    assert summary["errors"] == {"govnews/fetch_failed": 3, "spider_exceptions/ValueError": 1}
    assert "a: 2/5/1 | 4 0 0 0 0 | empty_text=1" in render_summary(summary)
    assert "WARNING: no list or article page" in render_summary(crawl_summary({}, "x", "finished"))


def test_without_a_state_store_the_total_does_not_claim_zero_new() -> None:
    stats = {"item_scraped_count": 6, "govnews/pages/a/article": 6}
    total = render_summary(crawl_summary(stats, "x", "finished")).splitlines()[-1]
    assert "6 exported (no state store: new and changed not told apart)" in total and "0 new" not in total
    tracked = render_summary(crawl_summary({**stats, "govnews/state/new/a": 6}, "x", "finished"))
    assert "6 exported (6 new, 0 changed)" in tracked


def test_a_file_named_twice_is_counted_once(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    lines = [{"id": f"{n:040x}", "version": 1, "site": "a", "published_at": "2024-01-0{n}"} for n in range(1, 4)]
    lines.append({**lines[0], "version": 2})  # a new version of an article is another line to count
    out.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    report = dataset_report([out, out])
    assert report["sites"]["a"]["articles"] == 4 and report["repeated_lines"] == 4
    assert "4 line(s) repeat an article already counted" in render_report(report)


def test_report_command_prints_and_writes_html(two_runs: list[Path], tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-m", "govnews.cli", "report", *map(str, two_runs), "--html", str(html)],
                          cwd=REPO, capture_output=True, text=True, check=True)
    assert "16 articles in 2 file(s) (2 crawl summaries found beside them)" in proc.stdout
    assert "klx 岢岚县人民政府: 3 articles, published 2024-02-26 to 2024-03-20" in proc.stdout
    assert "dropped: empty_text=1" in proc.stdout
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page and "http" not in page.split("<body>")[0]  # self-contained
    report = dataset_report(two_runs)
    assert report["articles"] == 16 and set(report["sites"]) == {"klx", "local"}


@pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER), reason="chromium and chromedriver are not installed")
def test_the_html_report_renders_its_charts_in_headless_chromium(two_runs: list[Path], tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    html = tmp_path / "report.html"
    subprocess.run([sys.executable, "-m", "govnews.cli", "report", *map(str, two_runs), "--html", str(html)],
                   cwd=REPO, capture_output=True, check=True)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1100,1400",
                "--disable-dev-shm-usage"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.get(html.as_uri())
        assert driver.title == "govnews dataset report"
        for chart, bars in (("chart-days", 16), ("chart-drops", 1), ("chart-cleaning", 8)):
            svg = driver.find_element(By.ID, chart)
            assert svg.is_displayed() and svg.size["width"] > 300, chart
            rects = svg.find_elements(By.CSS_SELECTOR, "rect.bar")
            assert len(rects) == bars, chart
            assert all(r.size["height"] > 0 and r.size["width"] > 0 for r in rects), chart
        rows = driver.find_elements(By.CSS_SELECTOR, "#sites tr")
        assert len(rows) == 3 and "klx" in rows[1].text
        assert "16 articles from 2 site(s)" in driver.find_element(By.ID, "totals").text
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert errors == []
        driver.save_screenshot(str(tmp_path / "report.png"))
    finally:
        driver.quit()
