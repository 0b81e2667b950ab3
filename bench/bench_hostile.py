"""What a hostile page costs the crawl, with and without the safety limits.

Run: ``.venv/bin/python bench/bench_hostile.py``. Prints

- extraction time against the number of HTML elements (why ``GOVNEWS_MAX_HTML_TAGS`` is 50,000; the
  heaviest real article pages have about 6,500 tags), and what the check itself costs on 8 MB;
- list-page parsing time against the number of links;
- the peak memory of a real ``scrapy crawl`` of one page whose server sends header lines without end,
  with ``GOVNEWS_MAX_HEADER_BYTES`` off (0) and at its default. The server runs on 127.0.0.1 and is
  stopped at the end; no other host is contacted.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from govnews.extract import extract_article
from govnews.sites.discovery import parse_list_page
from govnews.sites.registry import standard_site

REPO = Path(__file__).resolve().parents[1]


def timed(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return time.perf_counter() - started


def extraction_by_elements() -> None:
    print("extract_article on a page of n <p> elements:")
    for n in (6_500, 50_000, 200_000, 800_000):
        html = "<html><head><title>t</title></head><body><h1>标题标题标题</h1>" + "<p>县</p>" * n + "</body></html>"
        seconds = timed(extract_article, html, "http://127.0.0.1/a.html")
        print(f"  {n:>8,} elements, {len(html.encode()) / 1e6:5.2f} MB: {seconds:6.2f} s")
    body = b"<p>\xe5\x8e\xbf</p>" * 800_000
    print(f"  the GOVNEWS_MAX_HTML_TAGS check on 8 MB: {timed(body.count, b'<') * 1000:.1f} ms")


def list_parsing_by_links() -> None:
    site = standard_site(["http://127.0.0.1:8080/list.html"])
    print("parse_list_page on a list of n links:")
    for n in (1_000, 10_000, 50_000):
        html = "<ul>" + "".join(f'<li><a href="/zwyw/202403/t20240301_{i}.html">文章{i}</a> 2024-03-01</li>'
                                for i in range(n)) + "</ul>"
        print(f"  {n:>8,} links: {timed(parse_list_page, html, 'http://127.0.0.1:8080/list.html', site):6.2f} s")


def endless_headers_server() -> tuple[socket.socket, threading.Event]:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.5)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=flood, args=(conn,), daemon=True).start()

    def flood(conn: socket.socket) -> None:
        try:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
            n = 0
            while not stop.is_set():
                conn.sendall(b"X-Pad-%d: %s\r\n" % (n, b"a" * 1000))
                n += 1
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    return listener, stop


def crawl_peak_rss(url: str, max_header_bytes: int) -> tuple[float, float]:
    """Peak RSS (MB) and wall time of ``scrapy crawl article`` of ``url`` (5 s timeout, no retry)."""
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-c", "import resource, subprocess, sys; "
               "subprocess.run(sys.argv[1:]); "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)",
               sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"url={url}", "-O", f"{tmp}/o.jsonl",
               "-s", "DOWNLOAD_TIMEOUT=5", "-s", "RETRY_ENABLED=False", "-s", "LOG_LEVEL=ERROR",
               "-s", f"GOVNEWS_MAX_HEADER_BYTES={max_header_bytes}"]
        started = time.perf_counter()
        out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False,
                             env={**os.environ, "no_proxy": "*"}).stdout.split()
        return int(out[-1]) / 1024, time.perf_counter() - started


def header_flood() -> None:
    listener, stop = endless_headers_server()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/a.html"
    try:
        print("scrapy crawl of one page whose server sends header lines without end (DOWNLOAD_TIMEOUT=5):")
        cases = ((0, "no header limit (Scrapy's behaviour)"), (256 * 1024, "GOVNEWS_MAX_HEADER_BYTES=256 KiB"))
        for limit, label in cases:
            rss, seconds = crawl_peak_rss(url, limit)
            print(f"  {label:<40} peak RSS {rss:7.0f} MB, {seconds:4.1f} s")
    finally:
        stop.set()
        listener.close()


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (8 << 30, 8 << 30))  # a runaway crawl fails instead of swapping
    extraction_by_elements()
    list_parsing_by_links()
    header_flood()
