"""Cleaning throughput on one core: ``clean_article`` over generated dirty and clean articles, per step, against
the same chain at an earlier commit and against C OpenCC's conversion, all in one run.

    .venv/bin/python bench/bench_clean_throughput.py [--baseline REV] [--count 2000] [--rounds 5]
                                                    [--opencc-python PYTHON]

The articles come from ``bench/clean_inputs.py`` (fixed seed; ~3,700 characters dirty, ~3,100 clean). Each
measurement runs in a fresh process: the commit under test, or ``REV`` (default: ``BASELINE``) unpacked with
``git archive`` into a temporary folder. Tables a step loads on first use (OpenCC, pypinyin, jieba) are loaded
by cleaning warm-up articles first, never inside the timing. Rounds interleave the two commits and the two
kinds of input so machine noise hits all alike; the figures are medians over rounds of this process's CPU time
(the machine is shared: wall time would count other people's work).

Per step: the time each step function spends, over all the articles of a round, as articles per second if
that step ran alone (``glue`` is ``clean_article`` minus its steps: copying, records, list fields).

The script step's natural peer is C OpenCC converting the same title and text from Traditional to
Simplified (what a user would call instead); it needs the ``opencc`` package, which shares its import name
with the project's opencc-python-reimplemented, so it runs from its own environment::

    python3 -m venv .venv-bench-opencc && .venv-bench-opencc/bin/pip install opencc

(the default ``--opencc-python``; the row is left out when that interpreter is missing). Nothing is fetched.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "7955f2b"  # main before issue 10's work on the cleaning's speed
WARMUP = 150
# The functions ``clean_article`` calls, by the name it calls them (module globals of govnews.clean.article).
STEPS = ("repair_gbk_garble", "strip_ruby_text", "strip_pinyin_glosses", "normalize_whitespace",
         "remove_widget_text", "remove_image_placeholders", "remove_watermarks", "strip_repost_label",
         "detect_script", "to_simplified", "remove_repeated_title", "remove_duplicated_body",
         "remove_repeated_paragraphs", "extract_credits", "split_caption", "dateline_outlet")


# --- worker side: runs in a fresh process with the tree under test first on sys.path ---------------------

def _timed(name: str, func: Callable, totals: dict[str, float]) -> Callable:
    clock = time.process_time

    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return func(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + clock() - start

    wrapper.__name__ = func.__name__  # records name the step by its function
    wrapper.__qualname__ = func.__qualname__
    return wrapper


def work(tree: Path, inputs: Path, kind: str) -> dict[str, object]:
    sys.path.insert(0, str(tree))
    from govnews.clean import article as chain
    from govnews.items import Article

    data = pickle.loads(inputs.read_bytes())
    make = [Article(url="http://127.0.0.1/a.html", canonical_url="http://127.0.0.1/a.html", site="bench", **a)
            for a in data[kind]]
    for article in [Article(url="u", **a) for a in data["warmup_" + kind]]:
        chain.clean_article(article)
    start = time.process_time()
    for article in make:
        chain.clean_article(article)
    total = time.process_time() - start
    totals: dict[str, float] = {}
    for name in STEPS:
        if hasattr(chain, name):
            setattr(chain, name, _timed(name, getattr(chain, name), totals))
    start = time.process_time()
    for article in make:
        chain.clean_article(article)
    instrumented = time.process_time() - start
    totals["glue"] = instrumented - sum(totals.values())
    return {"seconds": total, "count": len(make), "steps": totals}


def work_opencc(inputs: Path, kind: str) -> dict[str, object]:
    import opencc  # C OpenCC (the ``opencc`` package), from its own environment

    converter = opencc.OpenCC("t2s.json")
    data = pickle.loads(inputs.read_bytes())
    for article in data["warmup_" + kind]:
        converter.convert(article["title"] + "\n" + article["text"])
    start = time.process_time()
    for article in data[kind]:
        converter.convert(article["title"] + "\n" + article["text"])
    return {"seconds": time.process_time() - start, "count": len(data[kind])}


# --- driver side ---------------------------------------------------------------------------------------------

def unpack(rev: str, into: Path) -> Path:
    """``govnews/`` as of ``rev``, in a folder of its own (no worktree: nothing to clean up in the repo)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", rev, "govnews"],
                             check=True, capture_output=True).stdout
    into.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_worker(python: str, args: list[str]) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run([python, str(Path(__file__).resolve()), *args], check=True, capture_output=True,
                         text=True, env=env, cwd=tempfile.gettempdir())
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> str:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                      if line.startswith("model name")), "")
    return f"{os.cpu_count()} cores, {model or platform.processor()}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="git revision to compare with (default %(default)s)")
    parser.add_argument("--count", type=int, default=2000, help="articles of each kind per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--opencc-python", default=str(ROOT / ".venv-bench-opencc" / "bin" / "python"))
    parser.add_argument("--worker", nargs=3, metavar=("TREE", "INPUTS", "KIND"), help=argparse.SUPPRESS)
    parser.add_argument("--opencc-worker", nargs=2, metavar=("INPUTS", "KIND"), help=argparse.SUPPRESS)
    opts = parser.parse_args()
    if opts.worker:
        print(json.dumps(work(Path(opts.worker[0]), Path(opts.worker[1]), opts.worker[2])))
        return
    if opts.opencc_worker:
        print(json.dumps(work_opencc(Path(opts.opencc_worker[0]), opts.opencc_worker[1])))
        return

    sys.path.insert(0, str(ROOT / "bench"))
    import clean_inputs

    kinds = ("dirty", "clean")
    data: dict[str, list[dict]] = {}
    for kind in kinds:
        generated = clean_inputs.articles(kind, opts.count + WARMUP)
        data[kind] = [a.as_dict() for a in generated[:opts.count]]
        data["warmup_" + kind] = [a.as_dict() for a in generated[opts.count:]]
    with tempfile.TemporaryDirectory(prefix="bench-clean-") as tmp:
        inputs = Path(tmp) / "inputs.pickle"
        inputs.write_bytes(pickle.dumps(data))
        base_tree = unpack(opts.baseline, Path(tmp) / "baseline")
        trees = {"this": ROOT, "base": base_tree}
        with_opencc = Path(opts.opencc_python).exists()
        results: dict[tuple[str, str], list[dict]] = {}
        for round_no in range(opts.rounds):
            for kind in kinds:
                for label, tree in trees.items() if round_no % 2 == 0 else reversed(trees.items()):
                    result = run_worker(sys.executable, ["--worker", str(tree), str(inputs), kind])
                    results.setdefault((label, kind), []).append(result)
                if with_opencc:
                    result = run_worker(opts.opencc_python, ["--opencc-worker", str(inputs), kind])
                    results.setdefault(("opencc", kind), []).append(result)
            print(f"round {round_no + 1}/{opts.rounds} done", file=sys.stderr)
    report(results, opts, data, with_opencc)


def _rate(runs: list[dict], key: str | None = None) -> float:
    """Median over rounds of articles per CPU second (of one step when ``key`` is given)."""
    rates = []
    for run in runs:
        seconds = run["steps"].get(key, 0.0) if key else run["seconds"]
        rates.append(run["count"] / seconds if seconds > 0 else float("inf"))
    return statistics.median(rates)


def _fmt(rate: float) -> str:
    return "      -" if rate == float("inf") else f"{rate:>7,.0f}"


def report(results: dict, opts: argparse.Namespace, data: dict, with_opencc: bool) -> None:
    rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True).stdout.strip()
    base = opts.baseline
    sizes = {k: statistics.mean(len(a["title"]) + len(a["text"]) for a in data[k]) for k in ("dirty", "clean")}
    print(f"machine: {machine()}")
    print(f"articles: {opts.count} dirty (mean {sizes['dirty']:,.0f} chars) and {opts.count} clean "
          f"(mean {sizes['clean']:,.0f} chars) per round, {opts.rounds} rounds, median of CPU-time rates")
    print()
    print(f"{'clean_article, articles/s':<34} {'this (' + rev + ')':>14} {'base (' + base + ')':>16} {'ratio':>7}")
    for kind in ("dirty", "clean"):
        now, then = _rate(results[("this", kind)]), _rate(results[("base", kind)])
        print(f"{kind:<34} {now:>14,.0f} {then:>16,.0f} {now / then:>6.2f}x")
    print()
    print("per step, articles/s if the step ran alone (higher is faster; the smallest is the slowest step)")
    print(f"{'step':<28} {'dirty this':>11} {'dirty base':>11} {'clean this':>11} {'clean base':>11}")
    names = [*STEPS, "glue"]
    for name in names:
        cells = [_fmt(_rate(results[(label, kind)], name)) for kind in ("dirty", "clean") for label in ("this", "base")]
        print(f"{name:<28} " + " ".join(f"{c:>11}" for c in cells))
    if with_opencc:
        print()
        print("script step against C OpenCC (t2s over the same title and text), articles/s")
        print(f"{'':<34} {'dirty':>9} {'clean':>9}")
        for label, title in (("this", "detect_script + to_simplified, this"),
                             ("base", "detect_script + to_simplified, base")):
            cells = []
            for kind in ("dirty", "clean"):
                runs = results[(label, kind)]
                rates = [r["count"] / (r["steps"].get("detect_script", 0) + r["steps"].get("to_simplified", 0))
                         for r in runs]
                cells.append(statistics.median(rates))
            print(f"{title:<34} {cells[0]:>9,.0f} {cells[1]:>9,.0f}")
        print(f"{'C OpenCC t2s conversion':<34} {_rate(results[('opencc', 'dirty')]):>9,.0f} "
              f"{_rate(results[('opencc', 'clean')]):>9,.0f}")


if __name__ == "__main__":
    main()
