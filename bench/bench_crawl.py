"""Crawl throughput and memory per article: govnews against a bare Scrapy spider, on one nginx mirror, same run.

    .venv/bin/python bench/bench_crawl.py [--pages 5000] [--small 500] [--rounds 3] [--workers 0,1,2]

Generates a mirror of ``--pages`` article pages (``tests/sitegen.py``: the klx county layout, five
paragraphs of government-news characters a page, about 2 KB), serves it with nginx on 127.0.0.1 (a private
config in a temporary folder) and crawls the same list of page addresses with:

- **bare Scrapy**: ``scrapy runspider`` of a spider that yields each page's URL and title into a JSONL feed,
  outside the project (Scrapy's defaults), what a user would write instead;
- **govnews**: ``scrapy crawl article -a urls_file=...`` with every pipeline (size limit, cleaning,
  validation, de-duplication, the SQLite state store of a fresh run) and the default durable feed (``-o``:
  each article committed once its line is on disk), once per ``GOVNEWS_WORKERS`` value given (``default``:
  the setting's default).

Both with ``CONCURRENT_REQUESTS=32`` and ``CONCURRENT_REQUESTS_PER_DOMAIN=32``; politeness is off for a
local mirror. Rounds interleave the commands (the order reversed every other round) and medians are printed.

- pages/min: the article pages that reached the spider, over Scrapy's ``start_time`` .. ``finish_time``
  (interpreter start-up not counted; a worker pool's start is);
- CPU ms a page: user + sys of the crawl process and every child it waited for (the pool's workers), from
  the kernel (``wait4``);
- peak RSS: of the crawl process (``ru_maxrss``, what ``/usr/bin/time -v`` prints), and of the whole
  process tree (crawl + pool workers), sampled every 50 ms from ``/proc``: the sum of their RSS (shared
  pages counted in each process) and the sum of their PSS (shared pages divided among them: the memory
  the crawl really takes);
- memory kept per article: with ``--small``, each command then crawls ``--small`` and ``--pages`` pages
  once more with Python tracing its allocations (``tracemalloc``, from a ``sitecustomize`` on
  ``PYTHONPATH``); when the crawl's stats close (spider closed, feeds written), after a full collection,
  the bytes still held are recorded. Their difference over the difference in articles is what each further
  article keeps alive in the crawl process; govnews's figure minus the bare spider's is what govnews keeps
  beyond Scrapy's own. (Memory outside Python's allocator, i.e. SQLite's page cache, bounded by
  ``cache_mb``, is not in it.) The peak RSS differences between the two sizes are printed too, but a peak
  includes whatever is in flight at that moment and varies from run to run by more than the target.

Every run's output is checked (every page once). Nothing goes beyond 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from bench_fleet import nginx  # noqa: E402

from tests.sitegen import write_site  # noqa: E402

BARE_SPIDER = '''import json
from datetime import datetime, timezone

import scrapy


class Bare(scrapy.Spider):
    name = "bare"

    def __init__(self, urls_file, stats_file, **kwargs):
        super().__init__(**kwargs)
        self.urls_file, self.stats_file = urls_file, stats_file

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as handle:
            for line in handle:
                yield scrapy.Request(line.strip())

    def parse(self, response):
        yield {"url": response.url, "title": response.css("title::text").get()}

    def closed(self, reason):
        stats = {**self.crawler.stats.get_stats(), "finish_time": datetime.now(timezone.utc)}
        with open(self.stats_file, "w", encoding="utf-8") as handle:
            json.dump(stats, handle, default=str)
'''
# Put on PYTHONPATH for the traced memory runs: Python traces its allocations from start-up (tracemalloc), and
# when the crawl's stats are closed (the spider has closed, the feeds are written) the bytes Python still holds,
# after a full garbage collection, are written to $BENCH_TRACE_FILE.
SITECUSTOMIZE = """import gc, os, tracemalloc

if "BENCH_TRACE_FILE" in os.environ:
    tracemalloc.start()
    from scrapy.statscollectors import StatsCollector

    _close_spider = StatsCollector.close_spider

    def close_spider(self, *args, **kwargs):
        gc.collect()
        with open(os.environ["BENCH_TRACE_FILE"], "w") as handle:
            handle.write(str(tracemalloc.get_traced_memory()[0]))
        return _close_spider(self, *args, **kwargs)

    StatsCollector.close_spider = close_spider
"""
COMMON = ["-s", "CONCURRENT_REQUESTS=32", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=32", "-s", "LOG_LEVEL=WARNING"]


@dataclass
class Result:
    pages: int
    seconds: float
    cpu: float
    maxrss_mb: float
    tree_rss_mb: float
    tree_pss_mb: float
    processes: int
    main_cpu: float  # CPU seconds of the crawl process alone (last sample)
    workers_cpu: float  # CPU seconds of its children (the pool's workers; last sample of each)

    @property
    def per_min(self) -> float:
        return self.pages / self.seconds * 60


def _tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                ppid = int(handle.read().rsplit(b")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of ``pid`` so far, from /proc."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def _rss_pss(pid: int) -> tuple[float, float]:
    rss = pss = 0.0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, pss


class TreeSampler(threading.Thread):
    """Peak of the summed RSS and PSS of a process tree, sampled every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.rss = self.pss = 0.0
        self.processes = 0
        self.cpu: dict[int, float] = {}  # pid -> CPU seconds at the last sample
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            pids = _tree(self.pid)
            for pid in pids:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), _cpu_seconds(pid))
            sums = [_rss_pss(pid) for pid in pids]
            self.rss = max(self.rss, sum(r for r, _ in sums))
            self.pss = max(self.pss, sum(p for _, p in sums))
            self.processes = max(self.processes, len(pids))
            self.done.wait(self.interval)


def run(command: list[str], cwd: Path, env: dict[str, str], stats_file: Path, output: Path,
        expected: int) -> Result:
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(child.pid)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    sampler.done.set()
    sampler.join()
    err = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status}):\n{err[-3000:]}")
    lines = output.read_bytes().splitlines()
    urls = {json.loads(line)["url"] for line in lines}
    if len(lines) != expected or len(urls) != expected:
        raise SystemExit(f"{' '.join(command)}: {len(lines)} lines, {len(urls)} pages; expected {expected}\n"
                         f"{err[-3000:]}")
    stats = json.loads(stats_file.read_text())
    start, finish = datetime.fromisoformat(stats["start_time"]), datetime.fromisoformat(stats["finish_time"])
    seconds = (finish - start).total_seconds()
    return Result(expected, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, sampler.rss,
                  sampler.pss, sampler.processes, sampler.cpu.get(child.pid, 0.0),
                  sum(cpu for pid, cpu in sampler.cpu.items() if pid != child.pid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--small", type=int, default=500, help="also crawl this many pages, for memory per "
                        "article (0: don't)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", default="default", help="GOVNEWS_WORKERS values to run, comma-separated "
                        "(default: the setting's default only)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (outputs, stats, logs)")
    opts = parser.parse_args()
    scrapy = str(Path(sys.executable).with_name("scrapy"))
    work = Path(tempfile.mkdtemp(prefix="govnews-bench-crawl-"))
    try:
        urls = write_site(work / "mirror", opts.pages, per_page=50)  # newest first: page n is article n
        bare_dir = work / "bare"
        bare_dir.mkdir()
        (bare_dir / "bare.py").write_text(BARE_SPIDER, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
        sizes = [opts.pages] + ([opts.small] if opts.small else [])
        configs = ["bare"] + [f"govnews workers={w}" for w in opts.workers.split(",")]
        results: dict[tuple[str, int], list[Result]] = {}
        with nginx(work / "mirror") as (base, _nginx_pid):
            for size in sizes:
                (work / f"urls-{size}.txt").write_text(
                    "".join(f"{base}/{url.removeprefix('http://')}\n" for url in urls[:size]), encoding="utf-8")
            print(f"machine: {os.cpu_count()} cores, {_cpu_model()}, Python {sys.version.split()[0]}; load average "
                  f"{os.getloadavg()[0]:.2f} before the runs; mirror of {opts.pages} pages at {base}", flush=True)
            n = 0
            for round_no in range(opts.rounds):
                order = [(c, s) for s in sizes for c in configs]
                for config, size in order if round_no % 2 == 0 else reversed(order):
                    n += 1
                    folder = work / f"{n}"
                    folder.mkdir()
                    result = crawl(scrapy, config, work / f"urls-{size}.txt", folder, bare_dir, env, size)
                    results.setdefault((config, size), []).append(result)
                    print(f"  round {round_no + 1}: {config:<22} {size:>5} pages: {result.per_min:7.0f} pages/min, "
                          f"CPU ms a page: crawl process {result.main_cpu / size * 1000:5.2f}, workers "
                          f"{result.workers_cpu / size * 1000:5.2f}; peak RSS {result.maxrss_mb:6.1f} MB "
                          f"(tree: RSS {result.tree_rss_mb:6.1f}, PSS {result.tree_pss_mb:6.1f}, "
                          f"{result.processes} processes)", flush=True)
            traced: dict[tuple[str, int], int] = {}
            if opts.small:
                # Memory kept per article, exactly: Python's allocations still held when the crawl closes.
                trace_dir = work / "trace"
                trace_dir.mkdir()
                (trace_dir / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
                for config in configs:
                    for size in (opts.small, opts.pages):
                        n += 1
                        folder = work / f"{n}"
                        folder.mkdir()
                        traced_env = {**env, "PYTHONPATH": str(trace_dir), "BENCH_TRACE_FILE": str(folder / "trace")}
                        crawl(scrapy, config, work / f"urls-{size}.txt", folder, bare_dir, traced_env, size)
                        traced[(config, size)] = int((folder / "trace").read_text())
                        print(f"  traced: {config:<22} {size:>5} pages: {traced[(config, size)] / 2**20:7.2f} MB "
                              "held by Python at the close", flush=True)
        report(results, configs, opts, traced)
    finally:
        if opts.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


def crawl(scrapy: str, config: str, urls_file: Path, folder: Path, bare_dir: Path, env: dict[str, str],
          size: int) -> Result:
    """One crawl of ``urls_file`` by ``config`` (``bare`` or ``govnews workers=N``), its output checked."""
    stats, out = folder / "stats.json", folder / "out.jsonl"
    if config == "bare":
        cmd = [scrapy, "runspider", "bare.py", "-a", f"urls_file={urls_file}", "-a", f"stats_file={stats}",
               "-o", str(out), *COMMON]
        return run(cmd, bare_dir, env, stats, out, size)
    workers = config.rpartition("=")[2]
    cmd = [scrapy, "crawl", "article", "-a", f"urls_file={urls_file}", "-o", str(out), *COMMON,
           "-s", f"GOVNEWS_STATE_PATH={folder / 'state.sqlite'}", "-s", f"GOVNEWS_STATS_FILE={stats}"]
    if workers != "default":
        cmd += ["-s", f"GOVNEWS_WORKERS={workers}"]
    return run(cmd, REPO, env, stats, out, size)


def _median(results: list[Result], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in results)


def report(results: dict[tuple[str, int], list[Result]], configs: list[str], opts: argparse.Namespace,
           traced: dict[tuple[str, int], int]) -> None:
    big, small = opts.pages, opts.small
    bare_rate = _median(results[("bare", big)], "per_min")
    print(f"\nthroughput, {big} pages, medians of {opts.rounds} interleaved rounds")
    print(f"{'command':<24} {'pages/min':>10} {'vs bare':>8} {'CPU ms/page: crawl':>19} {'workers':>8} "
          f"{'peak RSS MB':>12} {'tree RSS MB':>12} {'tree PSS MB':>12}")
    for config in configs:
        rs = results[(config, big)]
        rate = _median(rs, "per_min")
        main_cpu = statistics.median(r.main_cpu / r.pages * 1000 for r in rs)
        workers_cpu = statistics.median(r.workers_cpu / r.pages * 1000 for r in rs)
        print(f"{config:<24} {rate:>10.0f} {rate / bare_rate:>7.2f}x {main_cpu:>19.2f} {workers_cpu:>8.2f} "
              f"{_median(rs, 'maxrss_mb'):>12.1f} {_median(rs, 'tree_rss_mb'):>12.1f} "
              f"{_median(rs, 'tree_pss_mb'):>12.1f}")
    print("(CPU: user + system of the crawl process and of its pool's workers, start-up included, from /proc)")
    if not small:
        return
    print(f"\nmemory kept per article: what Python still holds when the crawl closes (tracemalloc, after a full "
          f"collection; the crawl process), at {big} pages minus at {small}, over {big - small} articles")
    print(f"{'command':<24} {'B/article':>10} {'beyond bare':>12}")
    kept = {config: (traced[(config, big)] - traced[(config, small)]) / (big - small) for config in configs}
    for config in configs:
        print(f"{config:<24} {kept[config]:>10.0f} {kept[config] - kept['bare']:>+12.0f}")
    print(f"\npeak memory per article: peak at {big} pages minus peak at {small}, over {big - small} articles "
          f"(medians of the per-round differences; peaks include what is in flight, so this is noisy)")
    print(f"{'command':<24} {'RSS B/article':>14} {'beyond bare':>12} {'tree PSS B/article':>19} {'beyond bare':>12}")
    per: dict[str, tuple[float, float]] = {}
    for config in configs:
        pairs = list(zip(results[(config, big)], results[(config, small)], strict=True))
        rss = statistics.median((b.maxrss_mb - s.maxrss_mb) * 2**20 / (big - small) for b, s in pairs)
        pss = statistics.median((b.tree_pss_mb - s.tree_pss_mb) * 2**20 / (big - small) for b, s in pairs)
        per[config] = (rss, pss)
    for config in configs:
        rss, pss = per[config]
        print(f"{config:<24} {rss:>14.0f} {rss - per['bare'][0]:>+12.0f} {pss:>19.0f} {pss - per['bare'][1]:>+12.0f}")


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    main()
