"""Two crawls given the same ``-O FILE``: the second refuses to start (one line, exit 2) and the first
keeps every article. Without the lock both wrote ``FILE.tmp``, and one crawl's articles vanished from
disk while its state store counted them as exported. Real crawls against a server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.sitegen import serve_site, write_site
from tests.support import REPO, serve_with


class _HeldHandler(SimpleHTTPRequestHandler):
    """Serves the site, but holds every article until ``release`` is set: the first crawl is surely
    still running while the second one starts."""

    release = threading.Event()
    asked: list[str] = []  # noqa: RUF012 (replaced per server)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.asked.append(self.path)
        if "/202403/" in self.path:
            self.release.wait(60)
        super().do_GET()


def test_a_second_crawl_into_the_same_O_file_refuses_to_start(tmp_path: Path) -> None:
    write_site(tmp_path / "site", 30)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    release = threading.Event()
    asked: list[str] = []
    handler = type("Handler", (_HeldHandler,), {"release": release, "asked": asked})
    with serve_with(tmp_path / "site", handler) as base:
        first = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "klx", "-O", str(out), "-s", f"GOVNEWS_MIRROR={base}/",
             "-s", f"GOVNEWS_STATE_PATH={tmp_path / 'one.sqlite'}", "-s", "LOG_LEVEL=WARNING"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not any("/202403/" in path for path in asked) and time.monotonic() < deadline:
                time.sleep(0.05)  # until the first crawl is fetching articles (held by the server)
            with serve_site(tmp_path / "site") as (other, _):  # the second crawl's pages are not held
                second = subprocess.run(
                    [sys.executable, "-m", "scrapy", "crawl", "klx", "-O", str(out), "-s",
                     f"GOVNEWS_MIRROR={other}/", "-s", f"GOVNEWS_STATE_PATH={tmp_path / 'two.sqlite'}"],
                    cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        finally:
            release.set()
        _, err = first.communicate(timeout=120)
    assert first.poll() is not None and first.returncode == 0, err.decode()[-2000:]
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == [
        f"error: {out} is being written by another crawl (its out.jsonl.tmp is locked); wait for it to end, "
        "or give this crawl another -O file"]
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 30 and len({item["id"] for item in lines}) == 30
    assert not (tmp_path / "out.jsonl.tmp").exists()

