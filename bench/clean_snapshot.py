"""Prove that a change to the cleaning leaves its output as it was: snapshot every field, then compare.

The material: the dirty fixture pages, the demo site and the shared corpus pages (decoded and extracted
as a crawl does), the real-text evaluation sets (``tests/realtext``), and the benchmark's generated dirty
and clean articles (fixed seed). Each record stores the article as cleaning receives it *and* every field
of what ``clean_article`` returns, so ``--check`` cleans the stored inputs again: a later change to
extraction cannot blur the comparison.

    .venv/bin/python bench/clean_snapshot.py --write /tmp/clean-before.jsonl.gz   # on the old commit
    .venv/bin/python bench/clean_snapshot.py --check /tmp/clean-before.jsonl.gz   # on the new one
    .venv/bin/python bench/clean_snapshot.py --check SNAPSHOT --sample tests/clean/data/clean_snapshot.jsonl.gz

``--sample`` also writes the small subset that ``tests/clean/test_snapshot.py`` replays in the suite.
Nothing is fetched; ``--check`` exits 1 when any field of any article differs.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

import clean_inputs  # noqa: E402

from govnews.clean.article import clean_article  # noqa: E402
from govnews.items import Article, CleaningRecord, Image, Region  # noqa: E402
from govnews.pages import article_fields  # noqa: E402

PAGES = {
    "fixtures": ROOT / "tests" / "fixtures" / "dirty",
    "demo": ROOT / "govnews" / "demo" / "site",
    "corpus": ROOT.parent / "shared" / "corpus" / "pages",
}
REALTEXT = ROOT / "tests" / "realtext"
GENERATED = {"dirty": 10_000, "clean": 2_000}
# The sample the suite replays: every record of the small sets, this many of each large one. The shared
# corpus stays out of it: those pages are not ours to copy into the repository, even as extracted text.
SAMPLE_PER_SET = {"fixtures": 40, "demo": 6, "realtext-dirty": 70, "realtext-legit": 3, "generated-dirty": 24,
                  "generated-clean": 4}


def _page_articles(name: str, root: Path) -> Iterator[tuple[str, Article]]:
    from govnews.encoding import decode_html
    from govnews.extract import extract_article

    for path in sorted(root.rglob("*.html")):
        url = "http://127.0.0.1/" + path.relative_to(root).as_posix()
        extracted = extract_article(decode_html(path.read_bytes()).text, url)
        yield f"{name}:{path.relative_to(root).as_posix()}", Article(
            url=url, canonical_url=url, site=name, site_name=extracted.site_name, **article_fields(extracted))


def _realtext() -> Iterator[tuple[str, str, Article]]:
    def article(title: str, text: str) -> Article:
        return Article(url="https://example.invalid/", canonical_url="https://example.invalid/", site="realtext",
                       title=title, text=text)

    for line in (REALTEXT / "dirty.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        yield "realtext-dirty", case["id"], article(case.get("title", ""), case["text"])
    for line in (REALTEXT / "legit" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        yield "realtext-legit", doc["id"], article(doc["title"], "\n".join(doc["paragraphs"]))
    for law in sorted((REALTEXT / "legit" / "laws").glob("*.md")):
        paragraphs = [p.strip() for p in law.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        yield "realtext-legit", law.stem, article(law.stem, "\n".join(paragraphs))


def material() -> Iterator[tuple[str, str, Article]]:
    """(set, id, article as cleaning receives it) for all the test material."""
    for name, root in PAGES.items():
        if root.is_dir():
            for key, article in _page_articles(name, root):
                yield name, key, article
    yield from _realtext()
    for kind, count in GENERATED.items():
        for i, bench in enumerate(clean_inputs.articles(kind, count)):
            yield f"generated-{kind}", str(i), Article(
                url="http://127.0.0.1/a.html", canonical_url="http://127.0.0.1/a.html", site="bench",
                title=bench.title, text=bench.text, captions=list(bench.captions), authors=list(bench.authors),
                source=bench.source)


def article_from_dict(data: dict) -> Article:
    """The inverse of ``dataclasses.asdict`` for ``Article``."""
    data = dict(data)
    data["images"] = [Image(**i) for i in data["images"]]
    data["region"] = Region(**data["region"]) if data["region"] else None
    data["cleaning"] = [CleaningRecord(**c) for c in data["cleaning"]]
    return Article(**data)


def write(path: Path) -> None:
    start = time.perf_counter()
    counts: Counter[str] = Counter()
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for name, key, article in material():
            record = {"set": name, "id": key, "input": dataclasses.asdict(article),
                      "output": dataclasses.asdict(clean_article(article))}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            counts[name] += 1
    print(f"wrote {sum(counts.values())} articles to {path} in {time.perf_counter() - start:.0f} s: {dict(counts)}")


def read(path: Path) -> Iterator[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def differences(record: dict) -> list[str]:
    """The fields of ``record``'s output that cleaning its input again does not reproduce."""
    again = dataclasses.asdict(clean_article(article_from_dict(record["input"])))
    return [field for field, value in record["output"].items() if again.get(field) != value]


def check(path: Path, sample: Path | None) -> int:
    start = time.perf_counter()
    total: Counter[str] = Counter()
    failed: Counter[str] = Counter()
    fields: Counter[str] = Counter()
    examples: list[str] = []
    kept: dict[str, list[dict]] = {}
    for record in read(path):
        total[record["set"]] += 1
        diff = differences(record)
        if diff:
            failed[record["set"]] += 1
            fields.update(diff)
            if len(examples) < 10:
                examples.append(f"{record['set']} {record['id']}: {', '.join(diff)}")
        kept.setdefault(record["set"], []).append(record)
    print(f"checked {sum(total.values())} articles in {time.perf_counter() - start:.0f} s")
    for name in total:
        print(f"  {name:<16} {total[name]:>6} articles, {failed[name]:>5} differ")
    if failed:
        print("fields that differ:", dict(fields))
        print("\n".join(examples))
        return 1
    print("identical: every field of every article")
    if sample:
        rng = random.Random(1)
        chosen = [r for name, records in kept.items()
                  for r in (records if len(records) <= SAMPLE_PER_SET.get(name, 0)
                            else rng.sample(records, SAMPLE_PER_SET.get(name, 0)))]
        with gzip.open(sample, "wt", encoding="utf-8", compresslevel=9) as out:
            for record in chosen:
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        print(f"wrote {len(chosen)} of them to {sample}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, metavar="SNAPSHOT")
    group.add_argument("--check", type=Path, metavar="SNAPSHOT")
    parser.add_argument("--sample", type=Path, help="with --check: write the suite's sample here")
    opts = parser.parse_args()
    if opts.write:
        write(opts.write)
        return 0
    return check(opts.check, opts.sample)


if __name__ == "__main__":
    sys.exit(main())
