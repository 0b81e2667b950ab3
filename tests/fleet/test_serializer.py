"""The queue holds JSON, never pickles, and decoding a queue entry can only ever build a request."""

from __future__ import annotations

import json

import pytest
from scrapy import FormRequest, Request, Spider
from scrapy.http import HtmlResponse
from scrapy.utils.request import request_from_dict

from govnews.fleet import serializer


class _Spider(Spider):
    name = "s"

    def parse_list(self, response: object) -> None: ...

    def count_failure(self, failure: object) -> None: ...


def test_a_request_survives_the_round_trip_as_plain_json() -> None:
    spider = _Spider()
    request = Request("http://klx.sxxz.gov.cn/a.html?x=1", callback=spider.parse_list, errback=spider.count_failure,
                      method="POST", body=b"\x00\xffbinary", headers={"If-None-Match": '"abc"'}, priority=-3,
                      meta={"govnews_site": "klx", "known": {"etag": None}, "raw": b"\x01", "pair": (1, 2)},
                      cb_kwargs={"page": 2, "origin": "http://klx.sxxz.gov.cn/", "dataproxy": False})
    entry = serializer.dumps(request.to_dict(spider=spider))
    json.loads(entry)  # plain JSON: nothing in it can run code when read
    back = request_from_dict(serializer.loads(entry), spider=spider)
    assert (back.url, back.method, back.body, back.priority) == (request.url, "POST", b"\x00\xffbinary", -3)
    assert back.callback == spider.parse_list and back.errback == spider.count_failure
    assert back.headers.get("If-None-Match") == b'"abc"'
    assert back.meta == {"govnews_site": "klx", "known": {"etag": None}, "raw": b"\x01", "pair": [1, 2]}
    assert back.cb_kwargs == request.cb_kwargs


def test_scrapy_request_subclasses_come_back_as_themselves() -> None:
    request = FormRequest("http://x.gov.cn/search", formdata={"q": "新闻"})
    back = request_from_dict(serializer.loads(serializer.dumps(request.to_dict())))
    assert type(back) is FormRequest and back.body == request.body


def test_a_response_in_cb_kwargs_cannot_be_queued() -> None:
    response = HtmlResponse("http://x.gov.cn/a.html", body=b"<html></html>")
    with pytest.raises(TypeError, match="HtmlResponse"):
        serializer.dumps(Request("http://x.gov.cn/a_2.html", cb_kwargs={"first": response}).to_dict())


@pytest.mark.parametrize("entry", [
    b'{"url": "http://x/", "_class": "subprocess.Popen"}',  # a class of the attacker's choosing
    b'{"url": "http://x/", "_class": "antigravity.Anything"}',  # importing it alone would run code
    b'["not", "a", "request"]',
    b'{"no_url": 1}',
    b"\x80\x04\x95 pickled",
])
def test_decoding_refuses_anything_but_a_scrapy_request(entry: bytes) -> None:
    with pytest.raises(ValueError):
        serializer.loads(entry)
