"""Throughput of the library path a crawl takes for each page: decode -> extract -> clean.

Run: ``.venv/bin/python bench/bench_pipeline.py [--repeat N]``. Uses the labelled corpus in
``../shared/corpus`` and the bundled sample site; prints pages/second and peak memory (RSS).
Nothing is fetched over a network.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from govnews.clean.article import clean_article
from govnews.encoding import decode_html
from govnews.extract import extract_article
from govnews.items import Article

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO.parent / "shared" / "corpus" / "pages", REPO / "govnews" / "demo" / "site"]


def pages() -> list[tuple[str, bytes]]:
    found = []
    for root in SOURCES:
        if root.exists():
            found += [(p.as_uri(), p.read_bytes()) for p in sorted(root.rglob("*.html"))]
    return found


def process(url: str, body: bytes) -> Article:
    extracted = extract_article(decode_html(body).text, url)
    article = Article(url=url, title=extracted.title or "", text="\n".join(extracted.paragraphs),
                      captions=list(extracted.captions), authors=list(extracted.authors))
    return clean_article(article)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    opts = parser.parse_args()
    corpus = pages()
    size = sum(len(b) for _, b in corpus)
    timings = []
    for _ in range(opts.repeat):
        start = time.perf_counter()
        for url, body in corpus:
            process(url, body)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"pages: {len(corpus)}  bytes: {size / 1e6:.1f} MB  best of {opts.repeat}: {best:.2f} s")
    print(f"throughput: {len(corpus) / best:.1f} pages/s, {size / best / 1e6:.2f} MB/s (one core)")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
