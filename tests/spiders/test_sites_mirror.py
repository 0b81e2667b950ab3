"""The offline mirror middleware (govnews/middlewares/mirror.py): real addresses in and out."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from govnews.middlewares.mirror import MirrorMiddleware, mirror_url, original_url

MIRROR = "http://127.0.0.1:8765/"


@pytest.mark.parametrize(("url", "mirrored"), [
    ("http://www.shanxi.gov.cn/ywdt/sxyw/index.shtml", "http://127.0.0.1:8765/www.shanxi.gov.cn/ywdt/sxyw/index.shtml"),
    ("https://klx.sxxz.gov.cn/klxzw/", "http://127.0.0.1:8765/klx.sxxz.gov.cn/klxzw/"),
    ("http://WWW.Linfen.gov.cn", "http://127.0.0.1:8765/www.linfen.gov.cn/"),
    ("http://www.linfen.gov.cn/channels/10905.html?page=2",
     "http://127.0.0.1:8765/www.linfen.gov.cn/channels/10905.html%3Fpage%3D2"),
    ("http://h.gov.cn/dataproxy.jsp?path=%2F&a=1", "http://127.0.0.1:8765/h.gov.cn/dataproxy.jsp%3Fpath%3D%252F%26a%3D1"),
])
def test_mirror_url_and_back(url: str, mirrored: str) -> None:
    assert mirror_url(url, MIRROR) == mirrored
    scheme = url.split(":", 1)[0]
    back = original_url(mirrored, MIRROR, scheme)
    assert back == (url if url != "http://WWW.Linfen.gov.cn" else "http://www.linfen.gov.cn/")


def test_original_url_ignores_addresses_outside_the_mirror() -> None:
    assert original_url("http://127.0.0.1:9999/www.x.gov.cn/a.html", MIRROR) is None


def make_middleware(mirror: str = MIRROR) -> MirrorMiddleware:
    return MirrorMiddleware.from_crawler(get_crawler(settings_dict={"GOVNEWS_MIRROR": mirror}))


def test_request_goes_to_the_mirror_and_response_comes_back_real() -> None:
    middleware = make_middleware()
    request = Request("https://www.shanxi.gov.cn/ywdt/a.shtml?x=1", meta={"keep": 1})
    mirrored = middleware.process_request(request)
    assert mirrored is not None
    assert mirrored.url == "http://127.0.0.1:8765/www.shanxi.gov.cn/ywdt/a.shtml%3Fx%3D1"
    assert mirrored.dont_filter and mirrored.meta["keep"] == 1
    assert middleware.process_request(mirrored) is None  # not rewritten twice
    response = HtmlResponse(mirrored.url, body=b"<html></html>", request=mirrored)
    assert middleware.process_response(mirrored, response).url == "https://www.shanxi.gov.cn/ywdt/a.shtml?x=1"


def test_non_http_requests_and_foreign_responses_are_left_alone() -> None:
    middleware = make_middleware()
    assert middleware.process_request(Request("file:///tmp/a.html")) is None
    request = Request("http://127.0.0.1:8765/www.x.gov.cn/a.html")
    assert middleware.process_request(request) is None
    other = Request("http://elsewhere.example/a.html")
    response = HtmlResponse(other.url, body=b"", request=other)
    assert middleware.process_response(other, response) is response


def test_without_the_setting_the_middleware_is_off() -> None:
    with pytest.raises(NotConfigured):
        MirrorMiddleware.from_crawler(get_crawler(settings_dict={}))
