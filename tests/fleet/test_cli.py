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


def _bad_redis_urls(redis_url: str) -> dict[str, tuple[str, str]]:
    """What a user gets wrong about Redis -> (URL, words the one-line error must hold)."""
    from urllib.parse import urlsplit

    port = urlsplit(redis_url).port
    return {"wrong password": (f"redis://:Wr0ngSecret@127.0.0.1:{port}/0", "refused the password"),
            "no password": (f"redis://127.0.0.1:{port}/0", "wants a password"),
            "no Redis": (f"redis://:Wr0ngSecret@127.0.0.1:{_closed_port()}/0", "cannot reach Redis")}


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again: nothing listens there


def _one_line_usage_error(proc: subprocess.CompletedProcess[str], words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and words in lines[0] and "REDIS_URL=redis://" in lines[0], proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "Wr0ngSecret" not in proc.stderr + proc.stdout


def test_a_wrong_password_no_password_or_no_redis_is_one_line_and_exit_2(redis_url: str, client: Any,
                                                                         key_prefix: str) -> None:
    for _what, (url, words) in _bad_redis_urls(redis_url).items():
        for args in (("seed", "klx"), ("status",), ("reset", "--yes")):
            _one_line_usage_error(_fleet(url, key_prefix, *args), words)
    assert client.llen(f"{key_prefix}:fleet:start_urls") == 0


def test_a_crawl_whose_redis_cannot_be_reached_is_one_line_and_exit_2(redis_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    for _what, (url, words) in _bad_redis_urls(redis_url).items():
        for how in (["-s", f"REDIS_URL={url}"], []):  # a setting, or the environment (containers, systemd)
            cmd = [sys.executable, "-m", "scrapy", "crawl", "fleet", "-o", str(tmp_path / "out.jsonl"), *how]
            proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120,
                                  env={**env, "REDIS_URL": url} if not how else env)
            _one_line_usage_error(proc, words)
            assert not (tmp_path / "out.jsonl").exists() or not (tmp_path / "out.jsonl").read_text()


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


def test_reset_refuses_while_a_worker_beats_unless_forced(redis_url: str, client: Any, key_prefix: str) -> None:
    from govnews.fleet.connection import Keys

    keys = Keys(key_prefix, "fleet")
    client.rpush(keys.start_urls, json.dumps({"site": "klx"}))
    client.set(keys.heartbeat("w1"), 1, ex=60)
    refused = _fleet(redis_url, key_prefix, "reset", "--yes")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "1 worker(s)" in refused.stderr and client.llen(keys.start_urls) == 1
    forced = _fleet(redis_url, key_prefix, "reset", "--yes", "--force")
    assert forced.returncode == 0, forced.stderr
    assert client.llen(keys.start_urls) == 0 and not client.exists(keys.heartbeat("w1"))


def test_status_of_an_idle_fleet_that_fetched_nothing_still_warns(redis_url: str, client: Any,
                                                                    key_prefix: str) -> None:
    from govnews.fleet import control
    from govnews.fleet.connection import Keys

    text = control.render_status(control.status(client, Keys(key_prefix, "fleet")))
    assert "WARNING: no list or article page was fetched" in text
    assert "no state store" not in text
