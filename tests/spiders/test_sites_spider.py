"""SiteSpider callbacks driven with hand-made responses: the list-page rules without a crawl."""

from __future__ import annotations

from typing import Any

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from govnews.sites.registry import SITES
from spiders.sites import SiteSpider, spider_class_for

LINFEN = "http://www.linfen.gov.cn/channels/10905.html"


def make_spider(key: str, **args: str) -> SiteSpider:
    spidercls = spider_class_for(SITES[key])
    crawler = get_crawler(spidercls)
    crawler.stats.open_spider()
    return spidercls.from_crawler(crawler, **args)


def html_response(url: str, body: str) -> HtmlResponse:
    return HtmlResponse(url, body=body.encode("utf-8"), encoding="utf-8", request=scrapy.Request(url))


def ucap_page(doc_ids: list[int]) -> str:
    items = "".join(f'<li><a href="/contents/10905/{d}.html">标题{d}</a><span>2024-06-0{d % 9 + 1}</span></li>'
                    for d in doc_ids)
    return f'<html><body><ul class="list">{items}</ul></body></html>'


def run_list(spider: SiteSpider, response: Response, page: int = 1, origin: str = LINFEN) -> list[Any]:
    return list(spider.parse_list(response, page=page, origin=origin))


def split(outputs: list[Any]) -> tuple[list[str], list[str]]:
    """(list-page URLs, article URLs) a callback asked for."""
    lists = [r.url for r in outputs if r.callback.__name__ == "parse_list"]
    articles = [r.url for r in outputs if r.callback.__name__ == "parse_site_article"]
    assert len(lists) + len(articles) == len(outputs)
    return lists, articles


def test_query_pages_continue_while_they_bring_new_articles() -> None:
    spider = make_spider("linfen")
    lists, articles = split(run_list(spider, html_response(LINFEN, ucap_page([1, 2]))))
    assert lists == [LINFEN + "?page=2"]
    assert articles == ["http://www.linfen.gov.cn/contents/10905/1.html", "http://www.linfen.gov.cn/contents/10905/2.html"]


def test_a_site_that_ignores_the_page_parameter_is_not_paginated_forever() -> None:
    spider = make_spider("linfen")
    run_list(spider, html_response(LINFEN, ucap_page([1, 2])))
    lists, articles = split(run_list(spider, html_response(LINFEN + "?page=2", ucap_page([1, 2])), page=2))
    assert lists == [] and articles == []
    assert spider.crawler.stats.get_value("govnews/duplicate_links/linfen") == 2


def test_another_start_url_may_list_the_same_articles() -> None:
    spider = make_spider("linfen")
    run_list(spider, html_response(LINFEN, ucap_page([1, 2])))
    other = "http://www.linfen.gov.cn/channels/20000.html"
    lists, _ = split(run_list(spider, html_response(other + "?page=2", ucap_page([1, 2])), page=2, origin=other))
    assert lists == [other + "?page=3"]


def test_empty_list_page_is_counted_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    spider = make_spider("linfen")
    assert run_list(spider, html_response(LINFEN, "<html><body><p>维护中</p></body></html>")) == []
    assert spider.crawler.stats.get_value("govnews/list_empty/linfen") == 1
    assert spider.crawler.stats.get_value("govnews/list_pages/linfen") == 1
    assert "no article links (template changed?)" in caplog.text


def test_list_links_selector_miss_is_counted_but_links_still_followed(caplog: pytest.LogCaptureFixture) -> None:
    spider = make_spider("lfxww")
    url = "http://www.lfxww.com/linfen/shizheng/index.html"
    body = '<html><body><section><a href="/linfen/shizheng/2024099.html">新模板</a></section></body></html>'
    _, articles = split(run_list(spider, html_response(url, body), origin=url))
    assert articles == ["http://www.lfxww.com/linfen/shizheng/2024099.html"]
    assert spider.crawler.stats.get_value("govnews/list_fallback/lfxww") == 1
    assert "list_links selector found nothing" in caplog.text


def test_non_html_list_response_counts_as_empty() -> None:
    spider = make_spider("linfen")
    response = Response(LINFEN, body=b"%PDF-1.4", request=scrapy.Request(LINFEN))
    assert run_list(spider, response) == []
    assert spider.crawler.stats.get_value("govnews/list_empty/linfen") == 1


def test_max_pages_stops_at_the_limit_per_chain() -> None:
    spider = make_spider("linfen", max_pages="2")
    lists, _ = split(run_list(spider, html_response(LINFEN, ucap_page([1]))))
    assert lists == [LINFEN + "?page=2"]
    lists, articles = split(run_list(spider, html_response(LINFEN + "?page=2", ucap_page([3])), page=2))
    assert lists == [] and len(articles) == 1  # page 2's articles are still read


def test_max_articles_counts_across_pages() -> None:
    spider = make_spider("linfen", max_articles="3")
    _, first = split(run_list(spider, html_response(LINFEN, ucap_page([1, 2]))))
    lists, second = split(run_list(spider, html_response(LINFEN + "?page=2", ucap_page([3, 4])), page=2))
    assert len(first) == 2 and len(second) == 1 and lists == []
