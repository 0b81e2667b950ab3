"""Memory and speed of the SQLite state store as it grows to millions of remembered articles.

Run: ``.venv/bin/python bench/bench_state.py [--articles 10000000] [--indexed 1000000]``.

``fill`` writes a store the way years of crawling would leave it: ``--articles`` remembered articles
(ids, canonical URLs, hashes, dates, validators), ``--indexed`` of them also in the near-duplicate
index (17 band keys and a 256-byte signature each, as ``govnews.state.neardup`` makes them at the
0.7 threshold; keys and signatures are random, which is how hashes are distributed). Then a fresh
process opens the store as a crawl does and times what a crawl asks of it (look up a known and an
unknown id, find a body by hash, query the near-duplicate index, stage and commit new articles),
printing its peak RSS. The same probe on a 100,000-article store shows that memory does not grow with
the store: it is SQLite's page cache (16 MiB by default), not the data. Nothing touches the network.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from govnews.state import ArticleState, open_store  # noqa: E402
from govnews.state.neardup import band_params, fingerprint  # noqa: E402
from govnews.state.sqlite import _COLUMNS  # noqa: E402

BANDS = band_params(0.7)[0]
BATCH = 50_000


def _id(i: int) -> bytes:
    return hashlib.sha1(f"http://www.example.gov.cn/art/{i}.html".encode()).digest()


def fill(path: Path, articles: int, indexed: int) -> None:
    if path.exists():
        path.unlink()
    store = open_store({"type": "sqlite", "path": str(path)})
    db = store.db  # type: ignore[attr-defined]
    db.execute("PRAGMA synchronous=OFF")  # a bulk load; crawls keep NORMAL
    rng = random.Random(1)
    cols = ", ".join(_COLUMNS)
    marks = ",".join("?" * len(_COLUMNS))
    started = time.perf_counter()
    for start in range(0, articles, BATCH):
        rows, lsh, sigs = [], [], []
        for i in range(start, min(start + BATCH, articles)):
            rows.append((_id(i), f"http://www.example.gov.cn/art/{i}.html", f"site{i % 500}",
                         hashlib.sha256(str(i).encode()).digest(), 1, "2024-03-20T09:30:00+08:00",
                         1.7e9 + i, 1.7e9 + i, 1.7e9 + i, f'"{i:x}"', "Tue, 02 Apr 2024 08:00:00 GMT", None, 1,
                         f"标题{i}"))
            if i < indexed:
                lsh += [(rng.getrandbits(63), i + 1) for _ in range(BANDS)]
                sigs.append((i + 1, rng.randbytes(256)))
        db.execute("BEGIN")
        db.executemany(f"INSERT INTO articles ({cols}) VALUES ({marks})", rows)
        db.executemany("INSERT OR IGNORE INTO lsh VALUES (?, ?)", lsh)
        db.executemany("INSERT INTO signatures VALUES (?, ?)", sigs)
        db.execute("COMMIT")
        if (start // BATCH) % 20 == 0:
            print(f"  {start + len(rows):>11,} articles  {time.perf_counter() - started:7.1f} s", flush=True)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    print(f"filled {articles:,} articles ({indexed:,} indexed) in {time.perf_counter() - started:.0f} s; "
          f"{path.stat().st_size / 2**30:.2f} GiB on disk")


def _rss_mib() -> float:
    """Current resident memory of this process (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def probe(path: Path, articles: int, n: int) -> None:
    fingerprint("预热" * 40)  # imports and first-use caches (numpy, datasketch) before the baseline
    baseline = _rss_mib()
    store = open_store({"type": "sqlite", "path": str(path)})
    rng = random.Random(2)
    text = ("3月20日，岢岚县召开春耕生产推进会，县委副书记、县长主持会议，县直相关部门和各乡镇负责人参加。"
            "会议听取了各乡镇春耕备耕工作进展情况汇报，安排部署了下一阶段重点工作。")
    timings = {}

    def timed(name: str, fn, count: int) -> None:  # type: ignore[no-untyped-def]
        t = time.perf_counter()
        for k in range(count):
            fn(k)
        timings[name] = (time.perf_counter() - t) / count * 1e6

    timed("get known id", lambda k: store.get(_id(rng.randrange(articles)).hex()), n)
    timed("get unknown id", lambda k: store.get(_id(articles + k).hex()), n)
    timed("find body by hash", lambda k: store.find_content(
        hashlib.sha256(str(rng.randrange(articles)).encode()).hexdigest(), "0" * 40), n)
    fps = [fingerprint(f"{k}{text}{k}") for k in range(200)]
    timed("near-duplicate query", lambda k: store.near(fps[k % len(fps)], "0" * 40), n // 10)
    run = store.open_run("bench").run

    def stage_commit(k: int) -> None:
        state = ArticleState(id=_id(10**9 + k).hex(), url=f"http://new/{k}", site="new",
                             content_hash=hashlib.sha256(f"new{k}".encode()).hexdigest(), title="x")
        store.stage(run, state, fps[k % len(fps)])
        store.commit(run, [state.id])

    timed("stage + commit an article", stage_commit, n // 10)
    used = _rss_mib() - baseline
    store.close_run(run, "finished")
    store.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"store of {articles:,} articles: RSS {baseline:.0f} MiB before opening it (Python, numpy, "
          f"datasketch), +{used:.1f} MiB after {n:,} lookups of each kind; peak {peak:.0f} MiB "
          f"({used * 2**20 / articles:.2f} bytes of RAM per remembered article)")
    for name, micros in timings.items():
        print(f"  {name:28} {micros:9.0f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000_000)
    parser.add_argument("--indexed", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000, help="size of the comparison store")
    parser.add_argument("--dir", default="/tmp/govnews-bench-state")
    parser.add_argument("--probes", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep the store files")
    parser.add_argument("--phase", choices=["all", "fill", "probe"], default="all")
    args = parser.parse_args()
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    if args.phase != "all":
        path = folder / f"state-{args.articles}.sqlite"
        fill(path, args.articles, args.indexed) if args.phase == "fill" else probe(path, args.articles, args.probes)
        return
    for articles, indexed in ((args.small, min(args.small, args.indexed)), (args.articles, args.indexed)):
        for phase in ("fill", "probe"):
            # Each phase in its own process: the probe's RSS is that of a crawl opening the store.
            subprocess.run([sys.executable, __file__, "--phase", phase, "--articles", str(articles),
                            "--indexed", str(indexed), "--dir", str(folder), "--probes", str(args.probes)],
                           check=True)
        if not args.keep:
            for suffix in ("", "-wal", "-shm"):
                path = folder / f"state-{articles}.sqlite{suffix}"
                if path.exists():
                    os.unlink(path)
            shutil.rmtree(folder / f"state-{articles}.sqlite.runs", ignore_errors=True)


if __name__ == "__main__":
    main()
