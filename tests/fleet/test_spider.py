"""The fleet spider: every request it makes is one any worker can run (callbacks of the fleet spider,
the site in its meta), seeds name registry sites, and failures are counted per site."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from twisted.internet import error
from twisted.python.failure import Failure

from govnews.fleet import serializer
from spiders.base import SpiderArgumentError
from spiders.fleet import SITE_META, FleetSpider


def _spider(**kwargs: str) -> FleetSpider:
    crawler = get_crawler(FleetSpider, {"REDIS_URL": "redis://127.0.0.1:1/0"})  # never connected to here
    return FleetSpider.from_crawler(crawler, **kwargs)


def test_seed_requests_are_the_site_spiders_own_pointed_at_the_fleet_spider() -> None:
    spider = _spider()
    requests = spider.make_request_from_data(b'{"site": "lfxww"}')
    assert [r.url for r in requests] == ["http://www.lfxww.com/linfen/shizheng/index.html",
                                         "http://www.lfxww.com/linfen/qyxw/index.html"]
    for request in requests:
        assert request.meta[SITE_META] == "lfxww"
        assert request.callback == spider.parse_list and request.errback == spider.count_failure
        serializer.dumps(request.to_dict(spider=spider))  # any worker can take it from the queue


@pytest.mark.parametrize("seed", [b'{"site": "nosuchsite"}', b"http://klx.sxxz.gov.cn/", b'["klx"]'])
def test_a_seed_that_names_no_registry_site_is_counted_and_ignored(seed: bytes) -> None:
    spider = _spider()
    assert spider.make_request_from_data(seed) == []
    assert spider.crawler.stats.get_value("govnews/fleet/bad_seed") == 1


def test_named_sites_without_redis_and_their_errors() -> None:
    crawler = get_crawler(FleetSpider, {})
    assert FleetSpider.from_crawler(crawler, sites="klx,bdx").sites == ["klx", "bdx"]
    with pytest.raises(SpiderArgumentError, match="nosuchsite"):
        FleetSpider(sites="klx,nosuchsite")
    with pytest.raises(SpiderArgumentError, match="REDIS_URL"):
        FleetSpider.from_crawler(get_crawler(FleetSpider, {}))


def test_a_failed_fetch_is_counted_by_reason_and_site() -> None:
    spider = _spider()
    request = Request("http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/202403/t20240320_1.html",
                      meta={SITE_META: "klx"})
    failure = Failure(error.TimeoutError("no answer"))
    failure.request = request  # type: ignore[attr-defined]
    spider.count_failure(failure)
    stats = spider.crawler.stats.get_stats()
    assert stats["govnews/fetch_failed/timeout"] == 1
    assert stats["govnews/failed_by_site/klx/timeout"] == 1
