"""Start-up memory: peak RSS of ``scrapy crawl article`` on one small local page, beside a bare Scrapy spider
fetching the same page in the same run (and, for comparison, govnews at an earlier commit).

    .venv/bin/python bench/bench_startup.py [--rounds 5] [--baseline REV] [--breakdown]

The page is a short county news article (a dateline with its reporter, three paragraphs, an editor line),
written to a temporary folder and fetched as ``file://``; nothing goes over a network. The bare spider is
what a user would write instead: ``scrapy runspider`` of a spider that yields the page's title, run outside
the project so no project settings load. Each run is a fresh process; its peak RSS is the kernel's
``ru_maxrss`` for that child (what ``/usr/bin/time -v`` prints as "Maximum resident set size"). Rounds
interleave the commands; medians are printed. Every govnews run gets a state store of its own, so each exports
the page. ``--breakdown`` then imports, in one fresh process, Scrapy and after it each large part of what
govnews loads at start-up, printing the RSS each adds (imports only: no page is processed).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from bench_crawl import TreeSampler  # noqa: E402

BASELINE = "7955f2b"  # main before issue 10's work on the cleaning's speed and start-up memory
# What --breakdown imports, in this order, after Scrapy's crawler (each line: label, modules): first what the
# crawl process loads, then what only a worker process of the pool (or a crawl with GOVNEWS_WORKERS=0) loads.
BREAKDOWN = (
    ("crawl process: spiders, pipelines, state, pool", (
        "spiders.article", "spiders.sites", "spiders.fleet", "pipelines.clean", "pipelines.validate",
        "pipelines.dedup", "pipelines.state", "pipelines.limits", "govnews.workers", "govnews.incremental",
        "govnews.state.sqlite", "govnews.middlewares.encoding", "govnews.middlewares.safety",
        "govnews.middlewares.backpressure", "govnews.report.extension")),
    ("workers only: jsonschema, opencc (validation, cleaning)", ("jsonschema", "opencc")),
    ("workers only: govnews cleaning", ("govnews.clean.article", "govnews.clean.quality")),
    ("workers only: numpy (near-duplicate MinHash)", ("numpy", "govnews.state.neardup")),
    ("never: datasketch, which imports scipy", ("datasketch",)),
)
_BREAKDOWN_SCRIPT = """
import importlib, json, sys
def rss():
    return next(int(l.split()[1]) / 1024 for l in open("/proc/self/status") if l.startswith("VmRSS"))
out = [("Python", rss())]
importlib.import_module("scrapy.crawler")
out.append(("Scrapy (scrapy.crawler)", rss()))
for label, modules in json.loads(sys.argv[1]):
    for name in modules:
        importlib.import_module(name)
    out.append((label, rss()))
print(json.dumps(out))
"""
PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>桐川县召开2026年上半年经济运行分析会_桐川县人民政府</title>
<meta name="PubDate" content="2026-07-18 10:30"></head>
<body><div class="article"><h1>桐川县召开2026年上半年经济运行分析会</h1>
<p>桐川县讯（记者 刘建国）7月18日，桐川县召开2026年上半年经济运行分析会，总结上半年经济运行情况，
安排部署下半年重点工作。</p>
<p>会议通报，上半年全县地区生产总值完成46.8亿元，同比增长5.9%；规模以上工业增加值增长7.2%，固定资产投资增长9.1%。</p>
<p>会议要求，各乡(镇)、各部门要对照年初确定的目标任务逐项梳理进度，拿出具体措施，确保完成全年目标。</p>
<p>责任编辑：王丽华</p></div></body></html>
"""
BARE_SPIDER = '''import scrapy


class Bare(scrapy.Spider):
    name = "bare"
    start_urls = [{url!r}]

    def parse(self, response):
        yield {{"url": response.url, "title": response.css("title::text").get()}}
'''


def peak_rss(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, float]:
    """(peak RSS in MB of the largest process, seconds, peak PSS in MB of the whole process tree: the crawl
    and its pool's workers, shared pages divided among them) of one run of ``command``."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    sampler = TreeSampler(child.pid, interval=0.02)
    sampler.start()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {child.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return usage.ru_maxrss / 1024, seconds, sampler.pss


def unpack(rev: str, into: Path) -> Path:
    """The project as of ``rev`` (library, spiders, pipelines, scrapy.cfg) in a folder of its own."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "govnews", "spiders",
                              "pipelines", "scrapy.cfg"], check=True, capture_output=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with (default %(default)s)")
    parser.add_argument("--breakdown", action="store_true", help="also print what each import adds")
    opts = parser.parse_args()
    scrapy = str(Path(sys.executable).with_name("scrapy"))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp_name:
        tmp = Path(tmp_name)
        page = tmp / "page.html"
        page.write_text(PAGE, encoding="utf-8")
        bare_dir = tmp / "bare"
        bare_dir.mkdir()
        (bare_dir / "bare.py").write_text(BARE_SPIDER.format(url=page.as_uri()), encoding="utf-8")
        base_tree = unpack(opts.baseline, tmp / "baseline")
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SCRAPY_SETTINGS_MODULE")}
        crawl = [scrapy, "crawl", "article", "-a", f"url={page.as_uri()}", "-s", "LOG_LEVEL=INFO"]
        runs = {
            "bare Scrapy spider": ([scrapy, "runspider", "bare.py", "-O", str(tmp / "bare.jsonl")], bare_dir, env),
            "govnews (this commit)": ([*crawl, "-O", str(tmp / "this.jsonl")], ROOT, env),
            "govnews, GOVNEWS_WORKERS=0": ([*crawl, "-O", str(tmp / "one.jsonl"), "-s", "GOVNEWS_WORKERS=0"], ROOT,
                                           env),
            f"govnews ({opts.baseline})": ([*crawl, "-O", str(tmp / "base.jsonl")], base_tree,
                                           {**env, "PYTHONPATH": str(base_tree)}),
        }
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in runs}
        for round_no in range(opts.rounds):
            order = list(runs) if round_no % 2 == 0 else list(reversed(runs))
            for name in order:
                command, cwd, run_env = runs[name]
                if name != "bare Scrapy spider":  # a fresh state store: the page is new, so it is exported
                    command = [*command, "-s", f"GOVNEWS_STATE_PATH={tmp / f'state-{round_no}-{len(name)}.sqlite'}"]
                results[name].append(peak_rss(command, cwd, run_env))
            print(f"round {round_no + 1}/{opts.rounds} done", file=sys.stderr)
        for name in ("this", "one", "base"):
            if not (tmp / f"{name}.jsonl").read_text(encoding="utf-8").strip():
                raise SystemExit(f"govnews ({name}) exported nothing")
    report(results, opts)
    if opts.breakdown:
        breakdown(env)


def breakdown(env: dict[str, str]) -> None:
    """RSS after Scrapy and after each large part govnews imports, in one fresh process (imports only)."""
    out = subprocess.run([sys.executable, "-c", _BREAKDOWN_SCRIPT, json.dumps(BREAKDOWN)], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    steps = json.loads(out)
    print()
    print("what govnews imports, in one process (RSS after each import, and what it added)")
    print(f"{'import':<58} {'RSS MB':>7} {'added':>7}")
    for (label, rss), (_, before) in zip(steps, [("", steps[0][1]), *steps[:-1]], strict=True):
        print(f"{label:<58} {rss:>7.1f} {rss - before:>+7.1f}")


def report(results: dict[str, list[tuple[float, float, float]]], opts: argparse.Namespace) -> None:
    bare = statistics.median(r for r, _, _ in results["bare Scrapy spider"])
    bare_pss = statistics.median(p for _, _, p in results["bare Scrapy spider"])
    print(f"machine: {os.cpu_count()} cores, {_cpu_model()}, Python {sys.version.split()[0]}")
    print(f"one local page, {opts.rounds} interleaved runs each, medians; peak RSS: the largest process "
          "(ru_maxrss); tree PSS: crawl + pool workers, sampled every 20 ms")
    print(f"{'command':<28} {'peak RSS MB':>12} {'vs bare':>9} {'tree PSS MB':>12} {'vs bare':>9} {'wall s':>7}")
    for name, runs in results.items():
        rss = statistics.median(r for r, _, _ in runs)
        pss = statistics.median(p for _, _, p in runs)
        wall = statistics.median(s for _, s, _ in runs)
        print(f"{name:<28} {rss:>12.1f} {rss - bare:>+9.1f} {pss:>12.1f} {pss - bare_pss:>+9.1f} {wall:>7.2f}")


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return "unknown CPU"


if __name__ == "__main__":
    main()
