"""since / max_pages / max_articles on a real crawl of the shanxi mirror, and arguments that are wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from govnews.sites.registry import SITES
from spiders.base import SpiderArgumentError
from spiders.sites import SiteSpider, parse_limit, parse_since, spider_class_for
from tests.spiders.test_sites_crawl import crawl_site, mirror  # noqa: F401  (mirror is a fixture)
from tests.support import run_crawl

SHANXI_FIRST_PAGE = {"http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240807_9900101.shtml",
                     "http://www.shanxi.gov.cn/ywdt/sxyw/202408/t20240805_9900080.shtml"}


def test_since_stops_paginating_at_older_list_pages(mirror: str, tmp_path: Path) -> None:  # noqa: F811
    # page 1 is August 2024, page 2 July 2024, page 3 2023: page 3 is never read
    result = crawl_site("shanxi", mirror, tmp_path, since="2024-08-01")
    assert set(result.by_url()) == SHANXI_FIRST_PAGE
    assert result.stats["govnews/list_pages/shanxi"] == 2
    assert result.stats["govnews/skipped_old/shanxi"] == 1


def test_since_on_a_date_boundary_keeps_that_day(mirror: str, tmp_path: Path) -> None:  # noqa: F811
    result = crawl_site("shanxi", mirror, tmp_path, since="2024-07-30")
    assert len(result.items) == 3
    assert min(item["published_at"] for item in result.items).startswith("2024-07-30")


def test_max_pages_limits_list_pages_per_start_url(mirror: str, tmp_path: Path) -> None:  # noqa: F811
    result = crawl_site("shanxi", mirror, tmp_path, max_pages="1")
    assert set(result.by_url()) == SHANXI_FIRST_PAGE
    assert result.stats["govnews/list_pages/shanxi"] == 1


def test_max_articles_caps_the_articles_fetched(mirror: str, tmp_path: Path) -> None:  # noqa: F811
    result = crawl_site("shanxi", mirror, tmp_path, max_articles="1")
    assert len(result.items) == 1
    assert result.stats["govnews/list_pages/shanxi"] == 1  # no reason to read further lists


@pytest.mark.parametrize(("args", "message"), [
    ({"since": "2024-02-30"}, "since=2024-02-30: not a date; use YYYY-MM-DD"),
    ({"since": "yesterday"}, "since=yesterday: not a date"),
    ({"max_pages": "0"}, "max_pages=0: must be a whole number of at least 1"),
    ({"max_articles": "ten"}, "max_articles=ten: must be a whole number"),
])
def test_invalid_arguments_are_refused_by_name(args: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        spider_class_for(SITES["shanxi"])(**args)


def test_invalid_argument_fails_fast_with_one_line(tmp_path: Path) -> None:
    result = run_crawl("shanxi", tmp_path, args={"since": "2024-02-30"}, timeout=60)
    assert result.returncode == 2
    assert "error: shanxi: since=2024-02-30: not a date; use YYYY-MM-DD" in result.log
    assert "Traceback" not in result.log
    assert result.items == []


@pytest.mark.parametrize(("setting", "wanted"), [
    ("GOVNEWS_MAX_ERROR_RATE=abc", "a number"), ("DOWNLOAD_MAXSIZE=lots", "a number"),
    ("GOVNEWS_RECHECK_DAYS=x", "a number"), ("GOVNEWS_ALLOW_PRIVATE_ADDRESSES=maybe", "true or false"),
])
def test_a_setting_value_of_the_wrong_kind_fails_fast_with_one_line(tmp_path: Path, setting: str, wanted: str) -> None:
    name, _, value = setting.partition("=")
    result = run_crawl("shanxi", tmp_path, settings={name: value}, timeout=60)
    assert result.returncode == 2
    assert f"error: setting {name}={value!r}: expected {wanted}" in result.log
    assert "Traceback" not in result.log


def test_a_whole_number_setting_takes_a_fraction_scrapy_reads_as_one(tmp_path: Path) -> None:
    """DOWNLOAD_TIMEOUT's default is 30, but Scrapy reads it as a float: 2.5 is a good value."""
    result = run_crawl("article", tmp_path, args={"url": "file:///nonexistent/page.html"},
                       settings={"DOWNLOAD_TIMEOUT": "2.5"}, timeout=60)
    assert result.returncode == 3 and "error: setting" not in result.log


@pytest.mark.parametrize("value", ["2024-1-5", "20240105", "2024-01-05T00:00", " 2024-01-05", "２０２４-01-05"])
def test_parse_since_accepts_only_iso_dates(value: str) -> None:
    with pytest.raises(ValueError, match="since="):
        parse_since(value)


def test_parse_since_and_limits_accept_good_values() -> None:
    assert parse_since("2024-01-05").isoformat() == "2024-01-05"
    assert parse_since(None) is None and parse_since("") is None
    assert parse_limit("max_pages", "3") == 3 and parse_limit("max_pages", None) is None
    for bad in ("-1", "1.5", "３", "0"):
        with pytest.raises(ValueError, match=f"max_pages={bad}"):
            parse_limit("max_pages", bad)


def test_one_spider_class_per_site() -> None:
    import spiders.sites as module
    classes = {cls.name: cls for cls in vars(module).values()
               if isinstance(cls, type) and issubclass(cls, SiteSpider) and getattr(cls, "name", None)}
    assert set(classes) == {*SITES, "govsite"}
    assert all(classes[key].site is SITES[key] for key in SITES)
    assert spider_class_for(SITES["klx"]).__name__ == "KlxSpider"
    assert "岢岚县人民政府" in (spider_class_for(SITES["klx"]).__doc__ or "")


def test_a_misspelt_argument_is_refused_not_ignored() -> None:
    """-a max_page=1 (for max_pages) would otherwise crawl the whole site."""
    spider_cls = spider_class_for(SITES["shanxi"])
    with pytest.raises(SpiderArgumentError, match="unknown argument max_page; shanxi takes: since, max_pages"):
        spider_cls(max_page="1")
    assert spider_cls(max_pages="1", _job="scrapyd-job-id").max_pages == 1
