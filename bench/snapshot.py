"""Snapshot every field the library path produces for every page we have, and compare two snapshots.

Speed work must not change what is extracted. Before it, write a snapshot; after it, compare::

    .venv/bin/python bench/snapshot.py write data/snapshot-before.json
    ... change the code ...
    .venv/bin/python bench/snapshot.py compare data/snapshot-before.json

Pages: the labelled corpus (``../shared/corpus/pages``), the second corpus (``tests/corpus2/pages`` when
present, and ``tests/corpus2/pages_committed``), the extraction fixtures (``tests/fixtures/extract``), the
demo site (``govnews/demo/site``) and the dirty pages (``tests/fixtures/dirty``). For each: every field of
``extract_article`` (decode as a crawl does) and every field of the cleaned article. ``compare`` prints each
page and field that differs and exits 1 if any does. Snapshots hold page text: keep them out of the repository
(``data/`` is ignored).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from govnews.clean.article import clean_article
from govnews.encoding import decode_html
from govnews.extract import extract_article
from govnews.items import Article
from govnews.pages import article_fields

REPO = Path(__file__).resolve().parents[1]
SOURCES = {
    "corpus": REPO.parent / "shared" / "corpus" / "pages",
    "corpus2": REPO / "tests" / "corpus2" / "pages",
    "corpus2-committed": REPO / "tests" / "corpus2" / "pages_committed",
    "fixtures": REPO / "tests" / "fixtures" / "extract",
    "demo": REPO / "govnews" / "demo" / "site",
    "dirty": REPO / "tests" / "fixtures" / "dirty",
}


def pages() -> list[tuple[str, Path]]:
    found = []
    for name, root in SOURCES.items():
        if root.exists():
            found += [(f"{name}/{p.relative_to(root)}", p) for p in sorted(root.rglob("*.htm*"))]
    return found


def fields_of(path: Path) -> dict:
    """Every extracted and every cleaned field of one page (volatile fields left out)."""
    url = path.resolve().as_uri()
    extracted = extract_article(decode_html(path.read_bytes()).text, url)
    article = Article(url=url, **article_fields(extracted))
    cleaned = dataclasses.asdict(clean_article(article))
    cleaned.pop("crawled_at", None)
    return {"extracted": dataclasses.asdict(extracted), "cleaned": cleaned}


def snapshot() -> dict[str, dict]:
    return {name: fields_of(path) for name, path in pages()}


def compare(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    diffs = []
    for name in sorted(set(before) | set(after)):
        if name not in before or name not in after:
            diffs.append(f"{name}: only in {'after' if name in after else 'before'}")
            continue
        for part in ("extracted", "cleaned"):
            for key in sorted(set(before[name][part]) | set(after[name][part])):
                if before[name][part].get(key) != after[name][part].get(key):
                    diffs.append(f"{name}: {part}.{key} differs")
    return diffs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("write", "compare"))
    parser.add_argument("file", type=Path)
    opts = parser.parse_args()
    now = snapshot()
    if opts.mode == "write":
        opts.file.parent.mkdir(parents=True, exist_ok=True)
        opts.file.write_text(json.dumps(now, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        print(f"{len(now)} pages written to {opts.file}")
        return 0
    before = json.loads(opts.file.read_text(encoding="utf-8"))
    diffs = compare(before, now)
    fields = sum(len(v["extracted"]) + len(v["cleaned"]) for v in now.values())
    print("\n".join(diffs))
    print(f"{len(now)} pages, {fields} fields compared: {len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
