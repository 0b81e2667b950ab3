"""Per-page time of the full govnews path (decode, extract, clean) against trafilatura and GNE, same run.

trafilatura and GNE are peers a user might pick instead; they are NOT project dependencies. Install them into a
separate bench environment and run from there::

    python3 -m venv .venv-bench
    .venv-bench/bin/pip install -e . trafilatura lxml_html_clean gne
    .venv-bench/bin/python bench/bench_extract.py [--repeat 5] [--corpus2]

For every page the three tools run interleaved (govnews, trafilatura, GNE), ``--repeat`` times each, and the
best time per tool and page is kept, so machine noise hits all three alike. Times are this process's CPU time
by default (``--clock wall`` for elapsed time): other work on a shared machine inflates wall time unevenly.
Each tool's bounded per-text caches (``functools.lru_cache`` with a maxsize) are emptied before every timed
run, so a page never meets its own texts cached from the run before; unbounded ones (tables built once) stay.
Printed: mean and median ms per page for each tool, the ratio of the means, and the median and mean of the
per-page ratios. The pages are the
labelled corpus (``../shared/corpus/pages``; ``--corpus2`` adds ``tests/corpus2/pages`` when present).
trafilatura gets the raw bytes (it decodes them itself); GNE takes text, so its time includes govnews's
decoding. Nothing is fetched over a network.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

from govnews.clean.article import clean_article
from govnews.encoding import decode_html
from govnews.extract import extract_article
from govnews.items import Article

REPO = Path(__file__).resolve().parents[1]


def govnews_path(url: str, body: bytes) -> Article:
    extracted = extract_article(decode_html(body).text, url)
    article = Article(url=url, title=extracted.title or "", published_at=extracted.published_at,
                      source=extracted.source, authors=list(extracted.authors), editor=extracted.editor,
                      text="\n".join(extracted.paragraphs), captions=list(extracted.captions))
    return clean_article(article)


def peers() -> dict:
    try:
        import trafilatura
        from gne import GeneralNewsExtractor
    except ImportError as exc:
        sys.exit(f"{exc}: install the peers into a bench environment (see this script's docstring)")
    gne = GeneralNewsExtractor()

    def run_trafilatura(url: str, body: bytes) -> object:
        return trafilatura.extract(body, url=url)

    def run_gne(url: str, body: bytes) -> object:
        try:
            return gne.extract(decode_html(body).text)
        except Exception:  # GNE raises on some pages; the time it took still counts
            return None

    return {"trafilatura": run_trafilatura, "gne": run_gne}


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}
# Whose bounded per-text caches (functools.lru_cache with a maxsize) are emptied before each timed run: a
# page timed again must not find its own texts cached from the previous run, which no crawl would see.
CACHE_OWNERS = {"govnews": ("govnews",), "trafilatura": ("trafilatura", "htmldate", "justext", "courlan"),
                "gne": ("gne",)}


# Caches that hold a loaded resource, not per-text results: a crawl pays for them once.
RESOURCE_CACHES = frozenset({"define_stoplist"})


def bounded_caches(prefixes: tuple[str, ...]) -> list:
    found: dict[int, object] = {}
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(prefixes):
            continue
        for value in list(vars(module).values()):
            params = getattr(value, "cache_parameters", None)
            maxsize = params().get("maxsize") if callable(params) else None
            if maxsize is not None and maxsize > 1 and value.__name__ not in RESOURCE_CACHES:
                found[id(value)] = value
    return list(found.values())


def best_time(func, url: str, body: bytes, repeat: int, clock=time.process_time, caches=()) -> float:
    best = float("inf")
    for _ in range(repeat):
        for cached in caches:
            cached.cache_clear()
        start = clock()
        func(url, body)
        best = min(best, clock() - start)
    return best


def page_files(corpus2: bool) -> list[Path]:
    roots = [REPO.parent / "shared" / "corpus" / "pages"]
    if corpus2:
        roots.append(REPO / "tests" / "corpus2" / "pages")
    return [p for root in roots if root.exists() for p in sorted(root.rglob("*.html"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus2", action="store_true", help="add the second corpus's pages")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: this process's CPU time (default; steady on a shared machine), wall: elapsed")
    opts = parser.parse_args()
    warnings.filterwarnings("ignore")
    tools = {"govnews": govnews_path, **peers()}
    files = page_files(opts.corpus2)
    times: dict[str, list[float]] = {name: [] for name in tools}
    if files:
        for func in tools.values():  # import everything lazily imported before the caches are listed
            func(files[0].as_uri(), files[0].read_bytes())
    caches = {name: bounded_caches(CACHE_OWNERS[name]) for name in tools}
    for path in files:
        url, body = path.as_uri(), path.read_bytes()
        for func in tools.values():  # warm caches (regexes, OpenCC tables) before timing
            func(url, body)
        for name, func in tools.items():
            times[name].append(best_time(func, url, body, opts.repeat, CLOCKS[opts.clock], caches[name]))
    print(f"machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}, "
          f"{platform.system()}; pages: {len(files)}; best of {opts.repeat} per page and tool, {opts.clock} time")
    print(f"{'tool':<12} {'mean ms':>8} {'median ms':>10}")
    for name, values in times.items():
        print(f"{name:<12} {1000 * statistics.mean(values):8.2f} {1000 * statistics.median(values):10.2f}")
    ours = times["govnews"]
    for peer in ("trafilatura", "gne"):
        ratios = [a / b for a, b in zip(ours, times[peer], strict=True)]
        print(f"govnews / {peer:<11}: ratio of means {statistics.mean(ours) / statistics.mean(times[peer]):.2f}x, "
              f"per-page ratio median {statistics.median(ratios):.2f}x, mean {statistics.mean(ratios):.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
