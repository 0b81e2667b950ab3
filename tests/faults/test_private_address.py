"""A host nobody named must resolve to a public address (``govnews.resolver``): real crawls, real name
resolution (``localhost`` is the one name that resolves to a non-public address on every machine), a real
HTTP server on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from govnews.safety import is_ip_literal, non_public_address
from tests.support import REPO, run_crawl, serve_directory

SPIDER = Path(__file__).with_name("linking_spider.py")


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fd00::1", "fe80::1",
                                     "::ffff:127.0.0.1", "not an address"])
def test_non_public_addresses(address):
    assert non_public_address(address)


@pytest.mark.parametrize("address", ["202.108.22.5", "8.8.8.8", "2400:da00::6666", "::ffff:8.8.8.8"])
def test_public_addresses(address):
    assert not non_public_address(address)


def test_ip_literals():
    assert is_ip_literal("127.0.0.1") and is_ip_literal("[::1]") and is_ip_literal("::1")
    assert not is_ip_literal("localhost") and not is_ip_literal("www.xinzhou.gov.cn")


def _linking_crawl(tmp_path: Path, start: str, *settings: str) -> tuple[str, int]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(SPIDER), "-a", f"start={start}",
           "-a", "domains=127.0.0.1,localhost", "-s", "LOG_LEVEL=INFO", "-s", "RETRY_TIMES=1",
           "-s", f"GOVNEWS_STATE_PATH={tmp_path / 'state.sqlite'}"]
    for setting in settings:
        cmd += ["-s", setting]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    return proc.stdout + proc.stderr, proc.returncode


@pytest.fixture
def linked_site(tmp_path):
    """``a.html`` on 127.0.0.1 links to ``b.html`` by the name ``localhost``."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "b.html").write_text("<html><head><title>b</title></head><body>b</body></html>", encoding="utf-8")
    with serve_directory(site) as base:
        port = base.rsplit(":", 1)[1].strip("/")
        (site / "a.html").write_text(f'<html><body><a href="http://localhost:{port}/b.html">b</a></body></html>',
                                     encoding="utf-8")
        yield base.rstrip("/"), port


def test_a_linked_host_resolving_to_loopback_is_refused_not_retried(tmp_path, linked_site):
    base, port = linked_site
    log, _ = _linking_crawl(tmp_path, f"{base}/a.html")
    assert f"Fetched {base}/a.html" in log
    assert "Fetched http://localhost" not in log
    assert "Refused (private_address" in log and f"http://localhost:{port}/" in log  # logged once per host
    assert "requests refused: private_address=2" in log  # robots.txt and the page, once each: no retries
    assert "Retrying <GET http://localhost" not in log


def test_the_setting_allows_private_addresses(tmp_path, linked_site):
    base, port = linked_site
    log, _ = _linking_crawl(tmp_path, f"{base}/a.html", "GOVNEWS_ALLOW_PRIVATE_ADDRESSES=True")
    assert f"Fetched http://localhost:{port}/b.html" in log
    assert "private_address" not in log.split("Overridden settings")[-1].replace(
        "GOVNEWS_ALLOW_PRIVATE_ADDRESSES", "")


def test_a_named_host_may_be_private(tmp_path, linked_site):
    """The user named ``localhost``: its pages, and the pages it links to on it, are fetched."""
    _, port = linked_site
    log, _ = _linking_crawl(tmp_path, f"http://localhost:{port}/a.html")
    assert f"Fetched http://localhost:{port}/a.html" in log and f"Fetched http://localhost:{port}/b.html" in log
    assert "private_address" not in log


def test_article_named_by_hostname_is_exported(tmp_path, linked_site):
    _, port = linked_site
    crawl = run_crawl("article", tmp_path, {"url": f"http://localhost:{port}/b.html"})
    assert crawl.stats.get("govnews/refused/private_address") is None
    assert crawl.stats.get("downloader/response_status_count/200")
