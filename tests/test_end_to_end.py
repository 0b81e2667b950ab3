"""The bundled sample site, crawled for real: through HTTP on 127.0.0.1, and by the README's demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from jsonschema import Draft202012Validator

from govnews.schema import article_schema
from tests.support import REPO, run_crawl, serve_directory

SITE = REPO / "govnews" / "demo" / "site"


def test_sample_site_over_http_is_schema_valid(tmp_path: Path) -> None:
    with serve_directory(SITE) as base:
        crawl = run_crawl("sample", tmp_path, {"start_url": f"{base}/index.html"})
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert len(crawl.items) >= 11, crawl.stats
    validator = Draft202012Validator(article_schema())
    for item in crawl.items:
        assert not [e.message for e in validator.iter_errors(item)], item["url"]
        assert item["url"].startswith(base)
    assert len({item["id"] for item in crawl.items}) == len(crawl.items)
    assert any(k.startswith("govnews/dropped/") for k in crawl.stats), "the sample site has a page to drop"
    assert crawl.stats.get("log_count/ERROR", 0) == 0, crawl.log[-3000:]


def test_demo_command_writes_jsonl_and_prints_a_summary(tmp_path: Path) -> None:
    out = tmp_path / "demo.jsonl"
    proc = subprocess.run([sys.executable, "-m", "govnews.demo", "--http", "-o", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines and all(json.loads(line)["title"] for line in lines)
    assert f"articles written: {len(lines)}" in proc.stdout
    assert "articles dropped: " in proc.stdout and f"output: {out}" in proc.stdout
