"""Run a real ``scrapy crawl`` under audit, behind the recording proxy, and collect what it did."""

from __future__ import annotations

import json
import mimetypes
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.faults.proxy import RecordingProxy
from tests.support import REPO, Crawl

_CODE_DIRS = ("govnews/", "govnews.egg-info/", "spiders/", "pipelines/", "tests/faults/", "tests/__init__.py",
              "tests/support.py")
#: Read by Python and Scrapy at start-up whatever the crawl does.
_CONFIG_FILES = ("/dev/null", "/etc/localtime", *mimetypes.knownfiles)

#: Settings every fault crawl runs with: short timeouts and one retry keep the suite fast; everything
#: else (size limits, redirects, robots.txt) is the project's default.
FAST = {"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "1", "LOG_LEVEL": "INFO"}


@dataclass
class FaultCrawl(Crawl):
    opened: list[str] = field(default_factory=list)  # every file path the crawl process opened or listed
    seconds: float = 0.0

    def items_for(self, path: str) -> list[dict[str, Any]]:
        return [item for item in self.items if item["url"].endswith(path)]

    def unexpected_reads(self, named: list[Path], crawl_dir: Path) -> list[str]:
        """Files the crawl opened or listed that are neither named by its user, nor its own output
        (``crawl_dir``), nor Python, the project's code or the configuration Scrapy reads at start-up."""
        allowed = {os.path.realpath(p) for p in named} | set(_CONFIG_FILES)
        code = (sys.prefix, sys.base_prefix, *(f"{REPO}/{d}" for d in _CODE_DIRS))
        unexpected = []
        for path in self.opened:
            if not os.path.isabs(path) or path == str(REPO) or path.endswith("scrapy.cfg"):
                continue
            if re.fullmatch(r"/proc/(self|\d+)/fd", path):
                continue  # Twisted's spawnProcess lists a forked worker's open descriptors to close them (the pool)
            real = os.path.realpath(path)
            own = str(crawl_dir.resolve())  # its output folder (opened to fsync a rename) and what is in it
            if real in allowed or (path + "/").startswith(code) or real == own or real.startswith(own + os.sep):
                continue
            unexpected.append(path)
        return sorted(set(unexpected))


def run_fault_crawl(spider: str, tmp_path: Path, proxy: RecordingProxy | None, args: dict[str, str] | None = None,
                    settings: dict[str, str] | None = None, timeout: float = 120,
                    extra: list[str] | None = None, interrupt_when: Callable[[], bool] | None = None) -> FaultCrawl:
    """``scrapy crawl`` in a subprocess, its HTTP(S) traffic through ``proxy``, its file access audited;
    with ``interrupt_when``, Ctrl-C (SIGINT) is sent as soon as that returns True."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out, stats_file, audit = tmp_path / "out.jsonl", tmp_path / "stats.json", tmp_path / "audit.log"
    cmd = [sys.executable, "-m", "tests.faults.audited", "crawl", spider, "-O", str(out),
           "-s", f"GOVNEWS_STATS_FILE={stats_file}"]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    # a state store of this crawl's own: crawls of one test must not see each other's articles as known
    for key, value in {**FAST, "GOVNEWS_STATE_PATH": str(tmp_path / "state.sqlite"), **(settings or {})}.items():
        cmd += ["-s", f"{key}={value}"]
    cmd += extra or []
    env = {k: v for k, v in os.environ.items() if k.lower() not in {"no_proxy", "http_proxy", "https_proxy"}}
    env.update({"PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings",
                "GOVNEWS_AUDIT_LOG": str(audit)})
    if proxy is not None:
        env.update({"http_proxy": proxy.url, "https_proxy": proxy.url})
    started = time.monotonic()
    with (tmp_path / "crawl.log").open("w", encoding="utf-8") as log_file:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT, text=True)
        try:
            if interrupt_when is not None:
                while proc.poll() is None and not interrupt_when() and time.monotonic() - started < timeout:
                    time.sleep(0.05)
                proc.send_signal(signal.SIGINT)  # what Ctrl-C sends; Scrapy shuts down gracefully
            proc.wait(timeout=max(1.0, timeout - (time.monotonic() - started)))
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    seconds = time.monotonic() - started
    log = (tmp_path / "crawl.log").read_text(encoding="utf-8", errors="replace")
    items = []
    if out.exists():
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    opened = [line.split("\t", 1)[1] for line in audit.read_text(encoding="utf-8").splitlines()
              if "\t" in line] if audit.exists() else []
    return FaultCrawl(items, stats, proc.returncode, log, opened, seconds)
