"""Real fleets: ``scrapy crawl fleet`` worker processes on a real redis-server, crawling the fixture mirrors
(every registry site's fixture pages; klx replaced by a generated 60-article site) served on 127.0.0.1.

- Two long-running workers, seeded with every registry site, export exactly what one process without
  Redis exports, each article once, and never send a site more than ``CONCURRENT_REQUESTS_PER_DOMAIN``
  requests at once between them.
- A worker killed with SIGKILL mid-crawl loses nothing (a live worker redoes its in-flight requests);
  with the whole fleet killed, a worker started afterwards finishes the crawl.
- Redis losing its script cache (``SCRIPT FLUSH``) or restarting (same port, ``appendonly``) mid-crawl
  costs the fleet a wait, never an article: the workers wait for Redis, load the scripts again, and
  the union of their files is still every article exactly once.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from govnews.fleet import control
from govnews.fleet.connection import Keys
from govnews.sites.registry import SITES
from tests.redisserver import redis_process
from tests.sitegen import write_site
from tests.support import REPO

ARTICLES = 60
#: What may differ between two crawls of the same pages.
VOLATILE = ("crawled_at",)


class _Mirror(SimpleHTTPRequestHandler):
    """Static files, article pages served slowly, and the most requests each real host had at once."""

    delay = 0.0
    lock = threading.Lock()
    active: ClassVar[Counter[str]] = Counter()
    peak: ClassVar[Counter[str]] = Counter()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        host = self.path.lstrip("/").split("/", 1)[0]
        with self.lock:
            self.active[host] += 1
            self.peak[host] = max(self.peak[host], self.active[host])
        try:
            if self.delay and "/t20" in self.path:
                time.sleep(self.delay)
            super().do_GET()
        finally:
            with self.lock:
                self.active[host] -= 1


@contextmanager
def serve(root: Path, delay: float) -> Iterator[tuple[str, Counter[str]]]:
    handler = type("Handler", (_Mirror,), {"delay": delay, "active": Counter(), "peak": Counter(),
                                           "lock": threading.Lock()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.peak
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def mirror(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mirror")
    shutil.copytree(REPO / "tests" / "fixtures" / "sites", root, dirs_exist_ok=True)
    shutil.rmtree(root / "klx.sxxz.gov.cn")
    write_site(root, ARTICLES)
    return root


def _crawl_cmd(output: Path, base: str, settings: dict[str, str], args: dict[str, str] | None = None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "fleet", "-o", str(output), "-s", f"GOVNEWS_MIRROR={base}/",
           "-s", "LOG_LEVEL=INFO"]
    for key, value in (args or {}).items():
        cmd += ["-a", f"{key}={value}"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}


def _worker(folder: Path, name: str, base: str, redis_url: str, prefix: str, **extra: str) -> subprocess.Popen[bytes]:
    settings = {"REDIS_URL": redis_url, "GOVNEWS_REDIS_PREFIX": prefix, "GOVNEWS_FLEET_HEARTBEAT_S": "2",
                "GOVNEWS_FLEET_REAP_S": "1", "GOVNEWS_FLEET_STATS_S": "0.5", "MAX_IDLE_TIME_BEFORE_CLOSE": "2",
                "GOVNEWS_STATS_FILE": str(folder / f"{name}.stats.json"), **extra}
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen(_crawl_cmd(folder / f"{name}.jsonl", base, settings), cwd=REPO, env=_env(),
                            stdout=log, stderr=subprocess.STDOUT)


def _records(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    data = path.read_bytes()
    assert not data or data.endswith(b"\n"), f"{path.name} ends in a partial line"
    return [{k: v for k, v in json.loads(line).items() if k not in VOLATILE} for line in data.splitlines()]


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def _finish(proc: subprocess.Popen[bytes], folder: Path, name: str, timeout: float = 120) -> None:
    proc.wait(timeout=timeout)
    assert proc.returncode == 0, (folder / f"{name}.log").read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def single_process(mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every registry site crawled by one process, with no Redis (Scrapy's scheduler, the SQLite store)."""
    folder = tmp_path_factory.mktemp("single")
    with serve(mirror, delay=0) as (base, _peak):
        settings = {"GOVNEWS_STATE_PATH": str(folder / "state.sqlite")}
        proc = subprocess.run(_crawl_cmd(folder / "out.jsonl", base, settings, {"sites": "all"}), cwd=REPO, env=_env(),
                              capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr[-3000:]
    records = {r["id"]: r for r in _records(folder / "out.jsonl")}
    assert sum(1 for r in records.values() if r["site"] == "klx") == ARTICLES
    assert len({r["site"] for r in records.values()}) == 10
    return records


def _wait(condition: Any, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def _drained(client: Any, keys: Keys) -> bool:
    return (client.zcard(keys.queue) == 0 and client.llen(keys.start_urls) == 0
            and not any(client.hlen(keys.processing(w.decode())) for w in client.hkeys(keys.workers)))


def test_two_workers_export_what_one_process_does_each_article_once(
        mirror: Path, single_process: dict[str, dict[str, Any]], redis_url: str, client: Any, key_prefix: str,
        tmp_path: Path) -> None:
    keys = Keys(key_prefix, "fleet")
    outputs = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    with serve(mirror, delay=0.05) as (base, peak):
        # Long-running workers (they wait for seeds), seeded once both are up so that both take part.
        workers = [_worker(tmp_path, name, base, redis_url, key_prefix, CONCURRENT_REQUESTS_PER_DOMAIN="2",
                           MAX_IDLE_TIME_BEFORE_CLOSE="0") for name in ("a", "b")]
        _wait(lambda: client.hlen(keys.workers) == 2, "both workers are up", timeout=120)
        assert control.seed(client, keys, sorted(SITES)) == len(SITES)
        _wait(lambda: sum(map(_lines, outputs)) >= len(single_process) and _drained(client, keys),
              "the fleet has crawled every site", timeout=120)
        for proc in workers:
            proc.send_signal(signal.SIGTERM)  # as systemd stops a worker: it finishes what it holds
        for proc in workers:
            assert proc.wait(timeout=60) == 5  # exit status "interrupted" (govnews.exitcodes)
    a, b = _records(tmp_path / "a.jsonl"), _records(tmp_path / "b.jsonl")
    assert a and b, "both workers should have taken part"
    ids = [r["id"] for r in a + b]
    assert len(ids) == len(set(ids)), "an article was exported by both workers"
    assert {r["id"]: r for r in a + b} == single_process
    assert max(peak.values()) <= 2, f"a site got more requests at once than CONCURRENT_REQUESTS_PER_DOMAIN: {peak}"
    status = [sys.executable, "-m", "govnews.cli", "fleet", "status", "--json", "--redis", redis_url, "--prefix",
              key_prefix]
    report = json.loads(subprocess.run(status, cwd=REPO, env=_env(), capture_output=True, text=True, check=True).stdout)
    assert (report["queue"], report["in_flight"], report["seeds_waiting"]) == (0, 0, 0)
    assert report["summary"]["totals"]["exported"] == len(ids)
    assert report["summary"]["sites"]["klx"]["articles"]["new"] == ARTICLES
    assert report["state"]["articles"] == len(ids)
    # Each request went through Redis once: its rewrite to the mirror stayed on the worker that popped it.
    stats = {k.decode(): int(float(v)) for k, v in client.hgetall(keys.stats).items()}
    assert stats["scheduler/enqueued/redis"] == stats["scheduler/dequeued/redis"]
    assert stats["govnews/fleet/continued_here"] >= stats["scheduler/dequeued/redis"] > len(ids)


def _busiest(client: Any, keys: Keys, procs: tuple[subprocess.Popen[bytes], ...]
             ) -> tuple[subprocess.Popen[bytes], int, str]:
    """The worker process holding the most requests, how many, and its worker id."""
    best: tuple[subprocess.Popen[bytes], int, str] = (procs[0], -1, "")
    for proc in procs:
        worker = _worker_id(client, keys, proc.pid)
        held = client.hlen(keys.processing(worker)) if worker else -1
        if worker and held > best[1]:
            best = (proc, held, worker)
    return best


def _worker_id(client: Any, keys: Keys, pid: int) -> str | None:
    for worker, info in client.hgetall(keys.workers).items():
        if json.loads(info)["pid"] == pid:
            return str(worker.decode())
    return None


def test_killed_workers_lose_nothing_and_a_restarted_fleet_resumes(
        mirror: Path, single_process: dict[str, dict[str, Any]], redis_url: str, client: Any, key_prefix: str,
        tmp_path: Path) -> None:
    keys = Keys(key_prefix, "fleet")
    control.seed(client, keys, ["klx"])
    slow = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    with serve(mirror, delay=0.12) as (base, _peak):
        a = _worker(tmp_path, "a", base, redis_url, key_prefix, **slow)
        b = _worker(tmp_path, "b", base, redis_url, key_prefix, **slow)
        _wait(lambda: _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl") >= 4, "articles are written")
        # The victim is a worker with requests in flight (the frontier of one site is narrow: at a given
        # moment one worker may hold all of it).
        _wait(lambda: _busiest(client, keys, (a, b))[1] >= 2, "a worker holds requests")
        victim, _held, dead = _busiest(client, keys, (a, b))
        survivor = b if victim is a else a
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        assert client.hlen(keys.processing(dead)) >= 1, "the victim died with requests in flight"
        # The survivor notices the silent worker and redoes its requests.
        _wait(lambda: dead.encode() not in client.hkeys(keys.workers), "the dead worker is reaped")
        _wait(lambda: int(client.hget(keys.stats, "govnews/fleet/requeued") or 0) >= 1, "the survivor reports it")
        written = sum(_lines(tmp_path / f"{n}.jsonl") for n in ("a", "b"))
        _wait(lambda: sum(_lines(tmp_path / f"{n}.jsonl") for n in ("a", "b")) >= written + 2, "the survivor writes on")
        # Now the whole fleet dies (the survivor too, with requests in flight); a new worker resumes.
        survivor_id = _worker_id(client, keys, survivor.pid)
        assert survivor_id is not None
        _wait(lambda: client.hlen(keys.processing(survivor_id)) >= 1, "the survivor holds requests")
        survivor.send_signal(signal.SIGKILL)
        survivor.wait(timeout=30)
        c = _worker(tmp_path, "c", base, redis_url, key_prefix, **slow)
        _finish(c, tmp_path, "c")
    records = [r for name in ("a", "b", "c") for r in _records(tmp_path / f"{name}.jsonl")]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an article was exported twice"
    expected = {i: r for i, r in single_process.items() if r["site"] == "klx"}
    assert {r["id"]: r for r in records} == expected, f"missing {len(set(expected) - set(ids))}"
    stats = {k.decode(): int(float(v)) for k, v in client.hgetall(keys.stats).items()}
    assert stats.get("govnews/fleet/requeued", 0) >= 2, "both dead workers' in-flight requests were redone"
    assert _lines(tmp_path / "c.jsonl") >= 1


def _klx_union(folder: Path, names: tuple[str, ...], single_process: dict[str, dict[str, Any]]) -> None:
    """The workers' files hold every klx article exactly once, as one process exported it."""
    records = [r for name in names for r in _records(folder / f"{name}.jsonl")]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "an article was exported twice"
    expected = {i: r for i, r in single_process.items() if r["site"] == "klx"}
    assert {r["id"]: r for r in records} == expected, f"missing {len(set(expected) - set(ids))}"


def _worker_stats(folder: Path, name: str) -> dict[str, Any]:
    return dict(json.loads((folder / f"{name}.stats.json").read_text("utf-8")))


def test_a_script_flush_mid_crawl_costs_nothing(
        mirror: Path, single_process: dict[str, dict[str, Any]], redis_url: str, client: Any, key_prefix: str,
        tmp_path: Path) -> None:
    keys = Keys(key_prefix, "fleet")
    control.seed(client, keys, ["klx"])
    slow = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    with serve(mirror, delay=0.1) as (base, _peak):
        a = _worker(tmp_path, "a", base, redis_url, key_prefix, **slow)
        b = _worker(tmp_path, "b", base, redis_url, key_prefix, **slow)
        _wait(lambda: _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl") >= 4, "articles are written")
        client.script_flush()  # every Lua script of the queue, politeness and state store is gone
        written = _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl")
        _wait(lambda: _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl") >= written + 4,
              "the workers write on after the flush")
        client.script_flush()
        _finish(a, tmp_path, "a")
        _finish(b, tmp_path, "b")
    _klx_union(tmp_path, ("a", "b"), single_process)
    for name in ("a", "b"):
        stats = _worker_stats(tmp_path, name)
        assert not stats.get("govnews/fetch_failed"), stats
        assert "Fleet tick failed" not in (tmp_path / f"{name}.log").read_text(errors="replace")


def test_a_redis_restart_mid_crawl_costs_a_wait_never_an_article(
        mirror: Path, single_process: dict[str, dict[str, Any]], key_prefix: str, tmp_path: Path) -> None:
    import redis

    keys = Keys(key_prefix, "fleet")
    slow = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    with redis_process(appendonly=True) as server, serve(mirror, delay=0.1) as (base, _peak):
        client = redis.Redis.from_url(server.url)
        control.seed(client, keys, ["klx"])
        a = _worker(tmp_path, "a", base, server.url, key_prefix, **slow)
        b = _worker(tmp_path, "b", base, server.url, key_prefix, **slow)
        _wait(lambda: _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl") >= 4, "articles are written")
        _wait(lambda: _busiest(client, keys, (a, b))[1] >= 1, "a worker holds requests")
        client.close()
        server.stop()  # mid-crawl: requests in flight, politeness leases and state calls under way
        time.sleep(3)
        written = _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl")
        server.start()
        _finish(a, tmp_path, "a")
        _finish(b, tmp_path, "b")
    assert _lines(tmp_path / "a.jsonl") + _lines(tmp_path / "b.jsonl") > written, "nothing written after the restart"
    _klx_union(tmp_path, ("a", "b"), single_process)
    outages = 0
    for name in ("a", "b"):
        stats = _worker_stats(tmp_path, name)
        assert not stats.get("govnews/fetch_failed"), stats  # an outage of Redis is not the site's failure
        log = (tmp_path / f"{name}.log").read_text(errors="replace")
        # one line when Redis went away and one when it came back, however many calls waited
        assert log.count("Redis unavailable (") == stats.get("govnews/fleet/redis_unavailable", 0), log[-3000:]
        assert log.count("Redis is back after") == stats.get("govnews/fleet/redis_unavailable", 0)
        outages += stats.get("govnews/fleet/redis_unavailable", 0)
    assert outages >= 1


def _default_worker(folder: Path, name: str, base: str, redis_url: str, prefix: str) -> subprocess.Popen[bytes]:
    """A worker started as README says: ``scrapy crawl fleet`` with no ``-o`` (its output is the default
    feed, under ``folder/data/fleet/``: the worker runs in ``folder``)."""
    settings = {"REDIS_URL": redis_url, "GOVNEWS_REDIS_PREFIX": prefix, "GOVNEWS_FLEET_HEARTBEAT_S": "2",
                "GOVNEWS_FLEET_REAP_S": "1", "MAX_IDLE_TIME_BEFORE_CLOSE": "2", "CONCURRENT_REQUESTS_PER_DOMAIN": "2",
                # Lines are committed every 5 s: a kill then always finds lines written but not committed,
                # the lines recovery must find in the dead worker's own file.
                "GOVNEWS_FEED_SYNC_SECONDS": "5", "GOVNEWS_MIRROR": f"{base}/", "LOG_LEVEL": "INFO"}
    cmd = [sys.executable, "-m", "scrapy", "crawl", "fleet"]
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen(cmd, cwd=folder, env=_env(), stdout=log, stderr=subprocess.STDOUT)


def test_workers_started_together_without_o_write_a_file_each_and_a_kill_exports_nothing_twice(
        mirror: Path, single_process: dict[str, dict[str, Any]], redis_url: str, client: Any, key_prefix: str,
        tmp_path: Path) -> None:
    """Review 4, #1: three workers started at the same moment with no ``-o`` shared one default file (the
    add-on's per-worker name never reached ``FEEDS``), the store kept one output record for the three, and
    after a SIGKILL recovery did not find the dead worker's written lines: they were exported again."""
    keys = Keys(key_prefix, "fleet")
    control.seed(client, keys, ["klx"])
    out = tmp_path / "data" / "fleet"
    with serve(mirror, delay=0.1) as (base, _peak):
        workers = [_default_worker(tmp_path, f"w{i}", base, redis_url, key_prefix) for i in range(3)]
        _wait(lambda: client.hlen(keys.workers) == 3, "the three workers are up", timeout=120)
        _wait(lambda: sum(map(_lines, out.glob("*.jsonl"))) >= 6, "articles are written")
        victim, _held, _dead = _busiest(client, keys, tuple(workers))
        victim_file = next(out.glob(f"*-{victim.pid}.jsonl"))
        _wait(lambda: _lines(victim_file) >= 1, "the victim has written lines")
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=30)
        for i, proc in enumerate(workers):
            if proc is not victim:
                _finish(proc, tmp_path, f"w{i}")
        # A second round over the unchanged site must export nothing: the dead worker's lines are known.
        control.seed(client, keys, ["klx"])
        again = _default_worker(tmp_path, "again", base, redis_url, key_prefix)
        _finish(again, tmp_path, "again")
    files = sorted(out.glob("*.jsonl"))
    host = _safe_host()
    assert sorted(f.name.rsplit("-", 1)[-1] for f in files) == sorted(f"{p.pid}.jsonl" for p in [*workers, again])
    assert all(f"-{host}-" in f.name for f in files), [f.name for f in files]
    records = [r for f in files for r in _records(f)]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), f"{len(ids) - len(set(ids))} article(s) exported twice"
    assert {r["id"]: r for r in records} == {i: r for i, r in single_process.items() if r["site"] == "klx"}
    for f in files:
        if f != victim_file:
            summary = json.loads(f.with_name(f.stem + ".summary.json").read_text(encoding="utf-8"))
            assert summary["totals"]["exported"] == _lines(f), f.name
    logs = "".join((tmp_path / f"w{i}.log").read_text(errors="replace")
                   for i, proc in enumerate(workers) if proc is not victim)
    kept = re.search(r"(\d+) article\(s\) found in their output and kept, (\d+) never written", logs)
    assert kept and int(kept[1]) >= 1, "the kill should have left written lines for recovery to find"


def _safe_host() -> str:
    import socket

    return "".join(c if c.isalnum() or c in "-_." else "_" for c in socket.gethostname())


def _fleet_cli(redis_url: str, prefix: str, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "govnews.cli", "fleet", *args, "--redis", redis_url, "--prefix", prefix]
    return subprocess.run(cmd, cwd=REPO, env=_env(), capture_output=True, text=True, timeout=60)


def test_status_early_in_a_crawl_and_reset_while_workers_are_alive(
        mirror: Path, redis_url: str, client: Any, key_prefix: str, tmp_path: Path) -> None:
    """Review 4, #5 and #6, on a live fleet: before the workers have added any stats the status neither says
    "no state store" nor warns that nothing was fetched; ``reset --yes`` refuses while workers beat (it
    wiped the running round), and works once they are stopped."""
    keys = Keys(key_prefix, "fleet")
    control.seed(client, keys, ["klx"])
    with serve(mirror, delay=0.2) as (base, _peak):
        # Stats summed only when a worker closes: the status runs inside the first interval.
        workers = [_worker(tmp_path, name, base, redis_url, key_prefix, GOVNEWS_FLEET_STATS_S="600",
                           CONCURRENT_REQUESTS_PER_DOMAIN="1") for name in ("a", "b")]
        _wait(lambda: control.status(client, keys)["state"]["articles"] >= 2, "articles are in the state store",
              timeout=120)
        status = _fleet_cli(redis_url, key_prefix, "status")
        assert status.returncode == 0, status.stderr
        assert client.hlen(keys.stats) == 0, "no worker should have added stats yet"
        assert "no state store" not in status.stdout
        assert "WARNING" not in status.stdout, status.stdout
        assert "no page counted yet: the workers add their stats every GOVNEWS_FLEET_STATS_S" in status.stdout
        queued_before = client.zcard(keys.queue) + sum(client.hlen(keys.processing(w.decode()))
                                                      for w in client.hkeys(keys.workers))
        refused = _fleet_cli(redis_url, key_prefix, "reset", "--yes")
        assert refused.returncode == 2
        assert refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1, refused.stderr
        assert "2 worker(s)" in refused.stderr and "--force" in refused.stderr
        assert client.hlen(keys.workers) == 2 and queued_before > 0
        assert client.zcard(keys.queue) + sum(client.hlen(keys.processing(w.decode()))
                                              for w in client.hkeys(keys.workers)) > 0, "the round was wiped"
        for proc in workers:
            proc.send_signal(signal.SIGTERM)
        for proc in workers:
            assert proc.wait(timeout=60) == 5
    _wait(lambda: not control.live_workers(client, keys), "the stopped workers' heartbeats are gone", timeout=30)
    done = _fleet_cli(redis_url, key_prefix, "reset", "--yes")
    assert done.returncode == 0 and done.stdout.startswith("deleted "), done.stderr
    assert client.zcard(keys.queue) == 0 and client.hlen(keys.workers) == 0
