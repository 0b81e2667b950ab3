"""``scrapy crawl govsite``: a standard government site named on the command line (a Hanweb site here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from spiders.sites import GovSiteSpider
from tests.spiders.test_sites_crawl import crawl_site, mirror  # noqa: F401  (mirror is a fixture)
from tests.support import run_crawl

DEQING = "http://www.deqing.gov.cn"
ARTICLES = {
    f"{DEQING}/art/2024/9/12/art_1229_5003.html": ("德清县召开数字经济发展大会", "2024-09-12T08:00:00+08:00"),
    f"{DEQING}/art/2024/9/6/art_1229_5002.html": ("德清县发布乡村旅游精品线路", "2024-09-06T08:00:00+08:00"),
    f"{DEQING}/art/2024/8/30/art_1229_5001.html": ("德清县开展秋季征兵体检", "2024-08-30T08:00:00+08:00"),
}
HANWEB_ARGS = {"start_url": f"{DEQING}/col/col1229/index.html", "hanweb": "12,5588,1229,2",
               "region": "浙江省/湖州市/德清县", "region_code": "330521"}


def test_hanweb_dataproxy_site_is_crawled_batch_by_batch(mirror: str, tmp_path: Path) -> None:  # noqa: F811
    result = crawl_site("govsite", mirror, tmp_path, **HANWEB_ARGS)
    by_url = result.by_url()
    assert set(by_url) == set(ARTICLES)
    for url, (title, published_at) in ARTICLES.items():
        item = by_url[url]
        assert (item["title"], item["published_at"], item["source"]) == (title, published_at, "德清县融媒体中心")
        assert item["site"] == "www.deqing.gov.cn"
        assert item["site_name"] == "德清县人民政府"  # no name given: the SiteName meta tag
        assert item["region"] == {"province": "浙江省", "city": "湖州市", "county": "德清县", "code": "330521"}
    stats = result.stats
    assert stats["govnews/list_pages/www.deqing.gov.cn"] == 2  # two data-proxy batches of two records
    assert stats["govnews/offsite_links/www.deqing.gov.cn"] == 1  # the content-farm repost in batch one


def test_sitemap_and_feed_discovery_with_name_and_since(mirror: str, tmp_path: Path) -> None:  # noqa: F811
    result = crawl_site("govsite", mirror, tmp_path, sitemap=f"{DEQING}/sitemap.xml", feed=f"{DEQING}/rss.xml",
                        name="德清县政府门户", key="deqing", since="2024-09-01")
    # 5001 is in the sitemap without a date (fetched, then skipped by its page date) and in the feed over
    # https (a duplicate); 5002 comes from the feed with ?from=rss; the index's offsite child is ignored
    assert set(result.by_url()) == {f"{DEQING}/art/2024/9/12/art_1229_5003.html",
                                    f"{DEQING}/art/2024/9/6/art_1229_5002.html"}
    assert {item["site"] for item in result.items} == {"deqing"}
    assert {item["site_name"] for item in result.items} == {"德清县政府门户"}
    assert all(item["region"] == {"province": None, "city": None, "county": None, "code": None}
               for item in result.items)  # unknown region: same shape, every part null
    assert result.stats["govnews/skipped_old/deqing"] >= 1
    assert "contentfarm" not in " ".join(k for k in result.stats)


@pytest.mark.parametrize(("args", "message"), [
    ({}, "start_url: give at least one list page"),
    ({"start_url": "www.x.gov.cn/index.html"}, "is not an http(s) URL"),
    ({"start_url": "http://www.x.gov.cn/", "region_code": "14102"}, "region_code=14102"),
    ({"start_url": "http://www.x.gov.cn/", "hanweb": "12,5588"}, "hanweb=12,5588"),
])
def test_govsite_argument_errors(args: dict[str, str], message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        GovSiteSpider(**args)


def test_govsite_argument_error_is_one_line_on_the_command_line(tmp_path: Path) -> None:
    result = run_crawl("govsite", tmp_path, args={"start_url": "http://www.x.gov.cn/", "max_pages": "x"},
                       timeout=60)
    assert result.returncode == 2
    assert "error: govsite: max_pages=x: must be a whole number of at least 1" in result.log


def test_govsite_keeps_its_spider_name_when_given_a_site_name() -> None:
    spider = GovSiteSpider(start_url="http://www.x.gov.cn/list/index.html", name="某县人民政府")
    assert spider.name == "govsite"
    assert spider.site.name == "某县人民政府" and spider.site.allowed_domains == ("www.x.gov.cn",)
