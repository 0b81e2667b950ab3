"""Test helpers that run the real thing: an HTTP server on 127.0.0.1 and real ``scrapy crawl`` runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govnews.demo.server import serve_directory, serve_with

__all__ = ["CORPUS", "REPO", "Crawl", "run_crawl", "serve_directory", "serve_with"]

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@dataclass
class Crawl:
    items: list[dict[str, Any]]
    stats: dict[str, Any]
    returncode: int
    log: str = field(repr=False)

    def by_url(self) -> dict[str, dict[str, Any]]:
        return {item["url"]: item for item in self.items}


def run_crawl(spider: str, tmp_path: Path, args: dict[str, str] | None = None,
              settings: dict[str, str] | None = None, timeout: float = 300) -> Crawl:
    """Run ``scrapy crawl`` for real, in a subprocess in the repo root, with ``-O <tmp>/out.jsonl`` and a
    state store of its own in ``<tmp>/state.sqlite`` (pass ``GOVNEWS_STATE_PATH`` to share one)."""
    out = tmp_path / "out.jsonl"
    stats_file = tmp_path / "stats.json"
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-O", str(out),
           "-s", f"GOVNEWS_STATS_FILE={stats_file}", "-s", "LOG_LEVEL=INFO",
           "-s", f"GOVNEWS_STATE_PATH={tmp_path / 'state.sqlite'}"]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in (settings or {}).items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout)
    items = []
    if out.exists():
        items = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    stats = json.loads(stats_file.read_text(encoding="utf-8")) if stats_file.exists() else {}
    return Crawl(items, stats, proc.returncode, proc.stdout + proc.stderr)

