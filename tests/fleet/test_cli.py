"""``govnews fleet`` on a real Redis, and the promise that CI cannot pass by skipping the Redis tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from govnews.sites.registry import SITES
from tests.support import REPO


def _fleet(redis_url: str, prefix: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "govnews.cli", "fleet", *args, "--redis", redis_url, "--prefix", prefix]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=60)


def test_seed_one_a_list_or_all_and_refuse_unknown_sites(redis_url: str, client: Any, key_prefix: str,
                                                         tmp_path: Path) -> None:
    key = f"{key_prefix}:fleet:start_urls"
    assert _fleet(redis_url, key_prefix, "seed", "klx").returncode == 0
    listed = tmp_path / "sites.txt"
    listed.write_text("bdx  # 保德\nfsx\n\n", encoding="utf-8")
    assert _fleet(redis_url, key_prefix, "seed", "--from", str(listed)).returncode == 0
    assert [json.loads(s)["site"] for s in client.lrange(key, 0, -1)] == ["klx", "bdx", "fsx"]
    bad = _fleet(redis_url, key_prefix, "seed", "klx", "nosuchsite")
    assert bad.returncode == 2 and "nosuchsite" in bad.stderr and client.llen(key) == 3  # nothing queued
    assert _fleet(redis_url, key_prefix, "seed", "--all").returncode == 0
    assert client.llen(key) == 3 + len(SITES)
    status = json.loads(_fleet(redis_url, key_prefix, "status", "--json").stdout)
    assert (status["seeds_waiting"], status["queue"], status["workers"]) == (3 + len(SITES), 0, [])
    assert _fleet(redis_url, key_prefix, "reset").returncode == 2  # needs --yes
    assert _fleet(redis_url, key_prefix, "reset", "--yes").returncode == 0 and client.llen(key) == 0


def test_under_ci_a_missing_redis_server_fails_instead_of_skipping(tmp_path: Path) -> None:
    (tmp_path / "test_needs_redis.py").write_text("def test_it(redis_url):\n    assert redis_url\n")
    env = {**os.environ, "GOVNEWS_REDIS_SERVER": "", "PYTHONPATH": str(REPO)}
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
            "-c", os.devnull, "--confcutdir", str(REPO / "tests"), "-p", "tests.conftest", str(tmp_path)]
    env.pop("CI", None)
    env.pop("GOVNEWS_REQUIRE_REDIS", None)
    local = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert "1 skipped" in local.stdout, local.stdout[-2000:]
    ci = subprocess.run(args, cwd=REPO, env={**env, "GOVNEWS_REQUIRE_REDIS": "1"}, capture_output=True, text=True,
                        timeout=120)
    assert ci.returncode != 0 and "must run here" in ci.stdout, ci.stdout[-2000:]


def test_status_gives_failures_by_reason_per_site(redis_url: str, client: Any, key_prefix: str) -> None:
    from govnews.fleet import control
    from govnews.fleet.connection import Keys

    keys = Keys(key_prefix, "fleet")
    client.hset(keys.stats, mapping={"govnews/pages/klx/article": 40, "govnews/state/new/klx": 38,
                                     "item_scraped_count": 38, "govnews/fetch_failed/timeout": 2,
                                     "govnews/fetch_failed/http_404": 1, "govnews/failed_by_site/klx/timeout": 2,
                                     "govnews/failed_by_site/klx/http_404": 1})
    report = control.status(client, keys)
    assert report["failures_by_site"] == {"klx": {"timeout": 2, "http_404": 1}}
    text = control.render_status(report)
    assert "fetch failures: http_404=1, timeout=2" in text
    klx = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("  klx:")))
    assert text.splitlines()[klx + 1] == "    failed: http_404=1, timeout=2"
    # Summed stats lag and lose a killed worker's last interval: the status says which count is exact.
    assert "the state store's count is exact" in text
