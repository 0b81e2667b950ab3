"""A fleet on one machine: pages per minute with 1 and 2 workers, and Redis memory per million URLs.

Run: ``.venv/bin/python bench/bench_fleet.py [throughput|memory|all] [--articles 1200] [--urls 100000]
[--furniture-kb 38] [--pool 0] [--rounds 3]``.

To see whether a second worker adds what the issue asks (0.8x of the first), the runs must keep the CPU
busy: enough articles that start-up and the last list pages do not dominate (12,000 and more), each
worker one process (``--pool 0``, the default: a fleet uses a machine's cores through its workers, one
per core, while ``GOVNEWS_WORKERS`` is how a single crawl process uses them), and ``--rounds`` to
interleave repeats, since another process on the machine moves single figures. ``--furniture-kb``
gives the generated article pages the bulk of a real portal's (navigation, side columns, footer,
scripts: ``tests/sitegen.furniture``): bare generated pages cost about a fifth of a real page's CPU,
which overstates the share Redis takes of a page.

``throughput`` generates four county sites of the Xinzhou platform (``tests/sitegen.py``: klx, bdx, fsx,
scx; ``--articles`` articles in all, 50 to a list page), serves them with nginx on 127.0.0.1 (a private
config in a temporary folder), starts a redis-server on 127.0.0.1 (``tests/redisserver.py``), and crawls
them with the ``fleet`` spider three ways, each from scratch: one process without Redis (``-a sites=``,
Scrapy's scheduler, the SQLite store: the single-machine baseline), two such processes at once with two
sites each (what two processes can do on this machine at this moment, with nothing shared: the peer
of the two-worker fleet), one fleet worker, and two fleet workers started together (the four sites
seeded in Redis). Politeness is off (``GOVNEWS_FLEET_POLITENESS=False``,
no delay for a local mirror) so the workers' CPU is what is measured. Pages per minute are the pages
that reached a spider callback, divided by the time from the first worker's start to the last worker's
finish (Scrapy's ``start_time``/``finish_time``; interpreter start-up is not counted). Each run's output
is checked: every article exactly once across the workers. The CPU time of the workers (user + sys,
from the kernel's accounting of each finished process) per page shows what the fleet's coordination
costs, whatever else the machine is running; it is also given without each worker's start-up (measured
first: a worker that finds nothing to crawl), which two workers pay twice. The CPU redis-server and
nginx used (``/proc/<pid>/stat``) and the Redis commands (``INFO stats``; Lua's own calls included) are
given a page too, and the load average at each run's start: the machine may be shared.
``--runs`` picks and orders the runs; ``--profile DIR`` runs each worker under ``py-spy record --gil``
(CPU samples: where the worker's own time goes) and keeps the collapsed stacks in ``DIR``.

``store`` decides about and commits ``--count`` new articles through ``Judge.decide`` as a crawl does, on the
SQLite store and on a fresh redis-server, and prints each one's CPU an article, redis-server's CPU, the
commands Redis ran and the round trips the worker made: what a fleet's coordination costs, apart from
fetching and extracting.

``memory`` fills a fresh redis-server through the real code paths and reads ``MEMORY USAGE`` / ``INFO
memory``: ``--urls`` queued article requests (``ReliablePriorityQueue``, JSON entries) and their
fingerprints (``FleetDupeFilter``'s 20-byte digests), and ``--urls`` remembered articles in the Redis
state store (``stage`` + ``commit``, each with a near-duplicate signature and 17 band keys; random, which
is how hashes are distributed). Sorted sets, sets and hashes grow linearly, so per million is a scale-up.
The band-key buckets do not (their encoding depends on how full they are), so they are measured again
at the density 10 million articles give them: 1/256 of the buckets filled as they would be, times 256,
with Redis's default ``hash-max-listpack-entries`` (128) and with 512.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.redisserver import redis_server  # noqa: E402
from tests.sitegen import article_path, write_site  # noqa: E402

MIB = 2**20


@contextmanager
def nginx(root: Path) -> Iterator[tuple[str, int]]:
    """nginx serving ``root`` on 127.0.0.1 (a free port), from a private config; stopped at the end.
    Yields its base URL and its pid (one process: ``master_process off``)."""
    import socket

    folder = Path(tempfile.mkdtemp(prefix="govnews-nginx-"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    temp = " ".join(f"{name}_temp_path {folder / name};"
                    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (folder / "nginx.conf").write_text(f"""
daemon off; master_process off; worker_processes 1; user root;
error_log {folder / 'error.log'}; pid {folder / 'nginx.pid'};
events {{ worker_connections 4096; }}
http {{ access_log off; {temp} types {{ text/html html; }} default_type text/html;
  server {{ listen 127.0.0.1:{port}; root {root}; }} }}
""")
    proc = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", str(folder / "nginx.conf"),
                             "-p", str(folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


SITES = ("klx", "bdx", "fsx", "scx")
#: Set by ``--profile DIR``: every worker runs under ``py-spy record`` and leaves its samples there.
PROFILE: Path | None = None


def _crawl(folder: Path, name: str, base: str, settings: dict[str, str], sites: str = "") -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "fleet", "-o", str(folder / f"{name}.jsonl"),
           "-s", f"GOVNEWS_MIRROR={base}/", "-s", "LOG_LEVEL=WARNING", "-s", f"GOVNEWS_STATS_FILE={folder / name}.json",
           "-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32",
           "-s", "GOVNEWS_FLEET_POLITENESS=False"] + (["-a", f"sites={sites}"] if sites else [])
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    if PROFILE is not None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        cmd = [spy, "record", "--format", "raw", "--rate", "250", "--nonblocking", "--gil", "-o",
               str(PROFILE / f"{folder.name}-{name}.txt"), "--", *cmd]
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    log = (folder / f"{name}.log").open("wb")
    return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=log)


def _when(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


def _cpu_s(pid: int) -> float:
    """User + system seconds a running process has used so far (``/proc/<pid>/stat``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _startup_cpu(folder: Path, base: str, settings: dict[str, str], sites: str = "") -> float:
    """CPU seconds of a worker that starts, finds nothing to crawl and stops (imports, settings, Redis or
    SQLite set-up, closing): each worker's fixed cost, taken off the CPU a page."""
    folder.mkdir(parents=True)
    own = {k: (str(folder / "state.sqlite") if k == "GOVNEWS_STATE_PATH" else v) for k, v in settings.items()}
    proc = _crawl(folder, "w0", f"{base}/nothing-here", own, sites)
    _pid, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1, 3):  # 3: nothing written, as expected
        raise RuntimeError(f"the start-up run failed; see {folder}")
    return usage.ru_utime + usage.ru_stime


#: Per-worker start-up CPU (seconds) by kind of run, set by ``throughput`` before the runs.
STARTUP: dict[str, float] = {}


def _run(folder: Path, label: str, base: str, workers: int, settings: dict[str, str], articles: int,
         sites: tuple[str, ...] = (), servers: dict[str, int] | None = None, client: object = None) -> float:
    """Start ``workers`` crawls together (worker i crawls ``sites[i]`` when given) and print their rate,
    the CPU they and the servers (``servers``: name -> pid) used a page, and, given the fleet's Redis
    ``client``, the Redis commands a page."""
    folder.mkdir(parents=True)
    servers = servers or {}
    before = {name: _cpu_s(pid) for name, pid in servers.items()}
    commands = int(client.info("stats")["total_commands_processed"]) if client is not None else 0  # type: ignore[attr-defined]
    load = os.getloadavg()[0]
    procs = []
    for i in range(workers):
        own = dict(settings)
        if "GOVNEWS_STATE_PATH" in own:
            own["GOVNEWS_STATE_PATH"] = str(folder / f"state{i}.sqlite")
        procs.append(_crawl(folder, f"w{i}", base, own, sites[i] if sites else ""))
    cpu = 0.0
    for proc in procs:
        _pid, status, usage = os.wait4(proc.pid, 0)
        cpu += usage.ru_utime + usage.ru_stime
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{label}: a worker failed; see {folder}")
    server_cpu = {name: _cpu_s(pid) - before[name] for name, pid in servers.items()}
    if client is not None:
        commands = int(client.info("stats")["total_commands_processed"]) - commands  # type: ignore[attr-defined]
    stats = [json.loads((folder / f"w{i}.json").read_text()) for i in range(workers)]
    ids = [json.loads(line)["id"] for i in range(workers) for line in (folder / f"w{i}.jsonl").read_text().splitlines()]
    if len(ids) != len(set(ids)) or len(ids) != articles:
        raise RuntimeError(f"{label}: {len(ids)} lines, {len(set(ids))} articles; expected {articles} once each")
    pages = sum(int(s.get("govnews/pages_fetched", 0)) for s in stats)
    seconds = max(_when(s["finish_time"]) for s in stats) - min(_when(s["start_time"]) for s in stats)
    per_worker = ", ".join(str(int(s.get("govnews/pages_fetched", 0))) for s in stats)
    startup = STARTUP.get("fleet" if client is not None else "local", 0.0) * workers
    extra = f" ({(cpu - startup) / pages * 1000:.2f} without start-up)" if startup else ""
    extra += "".join(f", {name} {value / pages * 1000:.2f}" for name, value in server_cpu.items())
    if client is not None:
        extra += f"; {commands / pages:.1f} Redis commands a page"
    print(f"  {label:<38} {pages:>5} pages in {seconds:5.1f} s = {pages / seconds * 60:6.0f} pages/min "
          f"(load {load:.2f}); CPU ms a page: workers {cpu / pages * 1000:.2f}{extra}; workers busy "
          f"{(cpu - startup) / seconds / workers:.0%} of the time; pages per worker: {per_worker}", flush=True)
    return pages / seconds * 60


def throughput(articles: int, runs: tuple[str, ...] = ("local", "apart", "one", "two"), furniture_kb: int = 0,
               pool: int = 0, rounds: int = 1, per_page: int = 50) -> None:
    work = Path(tempfile.mkdtemp(prefix="govnews-bench-fleet-"))
    try:
        per_site = articles // len(SITES)
        for key in SITES:
            write_site(work / "mirror", per_site, per_page=per_page, key=key, furniture_kb=furniture_kb)
        articles = per_site * len(SITES)
        size = (work / "mirror" / article_path(1, SITES[0])).stat().st_size
        print(f"throughput: {len(SITES)} generated sites of {per_site} articles, {per_page} to a list page, "
              f"article pages of {size / 1024:.1f} KB; each worker one process (GOVNEWS_WORKERS={pool}); nginx, "
              f"redis-server, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} before the runs "
              f"(other processes' CPU is not ours to use)", flush=True)
        with nginx(work / "mirror") as (base, nginx_pid), redis_server() as url:
            import redis

            from govnews.fleet import control
            from govnews.fleet.connection import Keys

            client = redis.Redis.from_url(url)
            servers = {"nginx": nginx_pid}
            fleet_servers = {**servers, "redis": int(client.info("server")["process_id"])}
            rates: dict[str, list[float]] = {run: [] for run in runs}
            sqlite = {"GOVNEWS_STATE_PATH": "state.sqlite", "GOVNEWS_WORKERS": str(pool)}
            fleet = {"REDIS_URL": url, "MAX_IDLE_TIME_BEFORE_CLOSE": "1", "GOVNEWS_WORKERS": str(pool)}
            STARTUP["local"] = _startup_cpu(work / "start-local", base, sqlite, SITES[0])
            control.seed(client, Keys("start", "fleet"), [SITES[0]])
            STARTUP["fleet"] = _startup_cpu(work / "start-fleet", base, {**fleet, "GOVNEWS_REDIS_PREFIX": "start"})
            print(f"  start-up CPU of a worker that finds nothing to crawl: {STARTUP['local']:.2f} s without Redis, "
                  f"{STARTUP['fleet']:.2f} s in the fleet (taken off the CPU a page below)", flush=True)
            half = len(SITES) // 2
            for r in range(rounds):
                if rounds > 1:
                    print(f" round {r + 1} of {rounds}", flush=True)
                for run in runs:
                    folder = work / f"{run}{r}"
                    if run == "local":
                        rates[run].append(_run(folder, "1 process, no Redis (SQLite)", base, 1, sqlite, articles,
                                               (",".join(SITES),), servers))
                    elif run == "apart":
                        rates[run].append(_run(folder, "2 processes, no Redis, 2 sites each", base, 2, sqlite,
                                               articles, (",".join(SITES[:half]), ",".join(SITES[half:])), servers))
                    else:
                        prefix = f"{run}{r}"
                        control.seed(client, Keys(prefix, "fleet"), list(SITES))
                        rates[run].append(_run(folder, f"fleet, {1 if run == 'one' else 2} worker"
                                               f"{'' if run == 'one' else 's'}", base, 1 if run == "one" else 2,
                                               {**fleet, "GOVNEWS_REDIS_PREFIX": prefix}, articles,
                                               servers=fleet_servers, client=client))
                        for key in client.scan_iter(match=f"{prefix}:*", count=10_000):
                            client.delete(key)  # each round's Redis starts as empty as the first
        mean = {run: sum(values) / len(values) for run, values in rates.items() if values}
        one, two, local, apart = (mean.get(k) for k in ("one", "two", "local", "apart"))
        each = "" if rounds == 1 else " (mean of {rounds} rounds; each round: {each})"
        if one and two:
            per = ", ".join(f"{(t - o) / o:.2f}x" for o, t in zip(rates["one"], rates["two"], strict=True))
            print(f"  the second fleet worker adds {(two - one) / one:.2f}x of the first"
                  + each.format(rounds=rounds, each=per))
        if one and local:
            print(f"  1 fleet worker runs at {one / local:.2f}x of the single process without Redis")
        if apart and local:
            per = ", ".join(f"{a / lo:.2f}x" for lo, a in zip(rates["local"], rates["apart"], strict=True))
            print(f"  two independent processes on this machine, now, reach {apart / local:.2f}x of one (the most "
                  f"two workers could)" + (f", the fleet's two {two / local:.2f}x" if two else "")
                  + each.format(rounds=rounds, each=per))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def memory(urls: int) -> None:
    import redis
    from scrapy import Request, Spider
    from scrapy.utils.request import RequestFingerprinter

    from govnews.fleet import serializer
    from govnews.fleet.connection import Keys
    from govnews.fleet.queue import ReliablePriorityQueue
    from govnews.state import ArticleState
    from govnews.state.neardup import Fingerprint, Signature, band_params
    from govnews.state.redis import BUCKET_CHARS, RedisStateStore, _key_hex

    bands = band_params(0.7)[0]
    per_million = 1_000_000 / urls
    with redis_server() as url:
        client = redis.Redis.from_url(url)

        class Fleet(Spider):
            name = "fleet"

            def parse_site_article(self, response: object) -> None: ...

            def count_failure(self, failure: object) -> None: ...

        spider = Fleet()
        keys = Keys("bench", "fleet")
        queue = ReliablePriorityQueue(client, spider, keys.queue, serializer, dupefilter_key=keys.dupefilter)
        fingerprinter = RequestFingerprinter()
        started = time.perf_counter()
        for i in range(urls):
            month, day = 1 + i % 12, 1 + i % 28
            request = Request(f"http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/2024{month:02d}/t2024{month:02d}{day:02d}_"
                              f"{700000 + i}.html", callback=spider.parse_site_article, errback=spider.count_failure,
                              meta={"govnews_site": "klx", "depth": 2})
            queue.push_unseen(request, fingerprinter.fingerprint(request))
        entry = client.zrange(keys.queue, 0, 0)[0]
        frontier = int(client.memory_usage(keys.queue, samples=0))
        fingerprints = int(client.memory_usage(keys.dupefilter, samples=0))
        print(f"memory: {urls:,} queued article requests and fingerprints in {time.perf_counter() - started:.0f} s; "
              f"a queue entry is {len(entry)} bytes of JSON:\n  {entry.decode()}")
        print(f"  frontier (sorted set of requests)   {frontier / MIB * per_million:8.1f} MiB per million URLs")
        print(f"  fingerprints (set of 20-byte digests) {fingerprints / MIB * per_million:6.1f} MiB per million URLs")
        client.delete(keys.queue, keys.dupefilter)

        store = RedisStateStore(url, prefix="bench")
        run = store.open_run("bench").run
        rng = random.Random(1)
        started = time.perf_counter()
        for i in range(urls):
            article_id = hashlib.sha1(f"http://klx.sxxz.gov.cn/a/{i}.html".encode()).hexdigest()
            state = ArticleState(
                id=article_id, url=f"http://klx.sxxz.gov.cn/klxzw/zwyw/xxyw/202403/t20240320_{700000 + i}.html",
                site="klx", content_hash=hashlib.sha256(str(i).encode()).hexdigest(),
                published_at="2024-03-20T09:30:00+08:00",
                first_seen=1.7e9 + i, exported_at=1.7e9 + i, checked_at=1.7e9 + i, etag=f'"{i:x}-5f3a"',
                last_modified="Tue, 02 Apr 2024 08:00:00 GMT", title=f"岢岚县召开全县安全生产工作会议第{i}次")
            fp = Fingerprint(Signature(rng.randbytes(256)), tuple(rng.getrandbits(63) for _ in range(bands)))
            store.stage(run, state, fp)
            store.commit(run, [article_id])
        parts = {name: int(client.memory_usage(f"bench:state:{name}", samples=0)) for name in ("art", "content", "sig")}
        print(f"  article state: {urls:,} articles committed in {time.perf_counter() - started:.0f} s "
              f"({store.counts()['lsh_keys']:,} band keys)")
        for name, value in parts.items():
            print(f"    {name:<40} {value / MIB * per_million:8.1f} MiB per million articles")
        store.close_run(run, "finished")
        store.close()
        for key in client.scan_iter(match="bench:state:*", count=10_000):
            client.delete(key)
        linear = sum(parts.values()) / urls
        for listpack_entries in (128, 512):
            client.config_set("hash-max-listpack-entries", listpack_entries)
            for articles in (1_000_000, 10_000_000):
                lsh = _band_buckets(client, rng, articles, bands, BUCKET_CHARS, _key_hex)
                total = linear * articles + lsh
                print(f"  {articles / 1e6:>4.0f} million articles, hash-max-listpack-entries {listpack_entries}: "
                      f"band-key buckets {lsh / 2**30:5.2f} GiB ({articles * bands / 16**BUCKET_CHARS:.0f} keys a "
                      f"bucket); all the state {total / 2**30:5.2f} GiB ({total / articles:.0f} bytes an article)")
        client.close()


def store(count: int) -> None:
    """What deciding about and remembering ``count`` new articles costs (``Judge.decide``, then ``commit`` in
    groups of 100, as the crawl does): redis-server's CPU, the commands it runs and the round trips a
    worker makes, against the SQLite store doing the same in the same run (the single-machine peer)."""
    import redis
    import redis.connection

    from govnews.state import open_store
    from govnews.state.judge import Judge, features
    from tests.sitegen import article_text

    class Doc:
        def __init__(self, i: int) -> None:
            self.text = "\n".join(article_text(i, 1, "bdx"))
            self.canonical_url = f"http://bdx.sxxz.gov.cn/bdxzw/zwyw/xxyw/202403/t20240301_{i}.html"
            self.id = hashlib.sha1(self.canonical_url.encode()).hexdigest()
            self.site, self.title, self.published_at = "bdx", f"保德县工作动态第{i}期", "2024-03-01T09:00:00+08:00"
            self.content_hash = hashlib.sha256(self.text.encode()).hexdigest()

    docs = [Doc(i) for i in range(count)]
    known = [features(d.text) for d in docs]
    sent = [0]
    real = redis.connection.AbstractConnection.send_packed_command

    def counted(self: object, command: object, check_health: bool = True) -> None:
        sent[0] += 1
        real(self, command, check_health)  # type: ignore[arg-type]

    def run(config: dict[str, object]) -> tuple[float, float]:
        st = open_store(config)
        judge = Judge(st, st.open_run("bench").run)
        judge.decide(docs[0], known=known[0])  # the scripts are loaded: not what an article costs
        started, cpu = time.perf_counter(), time.process_time()
        pending = []
        for doc, feats in zip(docs[1:], known[1:], strict=True):
            judge.decide(doc, known=feats)
            pending.append(doc.id)
            if len(pending) == 100:
                st.commit(judge.run, pending)
                pending = []
        st.commit(judge.run, pending)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - started
        st.close_run(judge.run, "finished")
        st.close()
        return cpu, wall

    n = count - 1
    folder = Path(tempfile.mkdtemp(prefix="govnews-bench-store-"))
    try:
        cpu, wall = run({"type": "sqlite", "path": str(folder / "state.sqlite")})
        print(f"store: {n:,} new articles decided and committed (groups of 100)")
        print(f"  SQLite: {cpu / n * 1000:.3f} ms of the crawl process's CPU an article, {wall / n * 1000:.3f} ms wall")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with redis_server() as url:
        client = redis.Redis.from_url(url)
        before, commands = client.info("cpu"), int(client.info("stats")["total_commands_processed"])
        redis.connection.AbstractConnection.send_packed_command = counted  # type: ignore[method-assign]
        try:
            cpu, wall = run({"type": "redis", "url": url, "prefix": "bench"})
        finally:
            redis.connection.AbstractConnection.send_packed_command = real  # type: ignore[method-assign]
        after = client.info("cpu")
        server = sum(after[k] - before[k] for k in ("used_cpu_user", "used_cpu_sys"))
        commands = int(client.info("stats")["total_commands_processed"]) - commands
        print(f"  Redis: {cpu / n * 1000:.3f} ms of the crawl process's CPU an article, {wall / n * 1000:.3f} ms wall; "
              f"redis-server {server / n * 1000:.3f} ms of CPU an article, {commands / n:.1f} commands (Lua's own "
              f"calls included), {sent[0] / n:.2f} round trips")
        client.close()


def _band_buckets(client: object, rng: random.Random, articles: int, bands: int, bucket_chars: int,
                  key_hex: object) -> int:
    """Bytes the band-key buckets take for ``articles`` indexed articles: 1/256 of the buckets (those whose
    key starts with 00) filled exactly as that many articles fill them, times 256."""
    count = articles * bands // 256
    before = int(client.info("memory")["used_memory"])  # type: ignore[attr-defined]
    pipe = client.pipeline(transaction=False)  # type: ignore[attr-defined]
    for j in range(count):
        key = "00" + key_hex(rng.getrandbits(63))[2:]  # type: ignore[operator]
        pipe.hset(f"bench:lsh:{key[:bucket_chars]}", key[bucket_chars:], str(rng.randrange(articles) + 1))
        if j % 10_000 == 9_999:
            pipe.execute()
    pipe.execute()
    used = (int(client.info("memory")["used_memory"]) - before) * 256  # type: ignore[attr-defined]
    for key in client.scan_iter(match="bench:lsh:*", count=10_000):  # type: ignore[attr-defined]
        client.delete(key)  # type: ignore[attr-defined]
    return used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="?", default="all", choices=["throughput", "memory", "store", "all"])
    parser.add_argument("--articles", type=int, default=1200, help="articles in the generated site (throughput)")
    parser.add_argument("--urls", type=int, default=100_000, help="URLs and articles to store (memory)")
    parser.add_argument("--count", type=int, default=3000, help="new articles to decide about (store)")
    parser.add_argument("--runs", default="local,apart,one,two",
                        help="throughput runs, in this order: local (1 process, no Redis), apart (2 independent "
                             "processes), one (1 fleet worker), two (2 fleet workers)")
    parser.add_argument("--furniture-kb", type=int, default=0,
                        help="article pages of about this many KB, the rest a real portal's furniture (nav, side "
                             "columns, footer, scripts); 0: bare generated pages (under 2 KB)")
    parser.add_argument("--pool", type=int, default=0, help="GOVNEWS_WORKERS of every crawl process (0: each "
                        "worker is one process, as a fleet runs one worker per core)")
    parser.add_argument("--per-page", type=int, default=50,
                        help="article links a list page holds (more: the frontier of a fleet of many sites)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat the runs, interleaved, this many times")
    parser.add_argument("--profile", type=Path, help="run every worker under py-spy (pip install py-spy) and keep "
                        "its samples (collapsed stacks) in this folder; CPU figures then include py-spy's")
    args = parser.parse_args()
    global PROFILE
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
        PROFILE = args.profile.resolve()
    if args.what in ("memory", "all"):
        memory(args.urls)
    if args.what in ("store", "all"):
        store(args.count)
    if args.what in ("throughput", "all"):
        throughput(args.articles, tuple(args.runs.split(",")), args.furniture_kb, args.pool, args.rounds,
                   args.per_page)


if __name__ == "__main__":
    main()
