"""Run the library path a crawl takes (decode -> extract -> clean) over a labelled corpus and score it.

Usage::

    .venv/bin/python bench/corpus_run.py ../shared/corpus [--credits] [--out articles.jsonl] [--f]
    .venv/bin/python bench/corpus_run.py tests/corpus2 --credits --f

A corpus is a directory with ``labels.jsonl`` and ``pages/`` (pages may live elsewhere: ``--pages DIR``,
which may be given more than once: the second corpus keeps the pages it may redistribute in
``pages_committed/`` and the others outside the repository). A label whose page is in none of the page
directories is left out of the scoring (the summary says how many pages were scored).
The real scoring script (``../shared/corpus/score.py``) is copied beside the labels in a temporary
directory, as it reads ``labels.jsonl`` and ``pages/`` relative to itself. ``--f`` also prints a
character-level F1 of the body text per page against ``truth/<page>.txt`` (hand-made ground truth),
worst pages first. Nothing is fetched over a network.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from govnews.clean.article import clean_article
from govnews.encoding import decode_html
from govnews.extract import extract_article
from govnews.items import Article

REPO = Path(__file__).resolve().parents[1]
SCORE = REPO.parent / "shared" / "corpus" / "score.py"


def article_for(path: Path, url: str) -> dict:
    """The exported fields of one page, through decode, extract and clean as a crawl does."""
    extracted = extract_article(decode_html(path.read_bytes()).text, url)
    article = Article(url=url, title=extracted.title or "", published_at=extracted.published_at,
                      source=extracted.source, authors=list(extracted.authors), editor=extracted.editor,
                      text="\n".join(extracted.paragraphs), captions=list(extracted.captions))
    cleaned = clean_article(article)
    return {"url": url, "title": cleaned.title, "published_at": cleaned.published_at, "source": cleaned.source,
            "authors": cleaned.authors, "text": cleaned.text}


def labels(corpus: Path) -> list[dict]:
    with open(corpus / "labels.jsonl", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run(
    corpus: Path, pages: Path | list[Path], credits: bool, out: Path | None = None
) -> tuple[list[str], list[dict]]:
    """Score the corpus; returns the scorer's output lines and the articles."""
    outputs, arts = run_both(corpus, pages, out, modes=(credits,))
    return outputs[0], arts


def page_roots(pages: Path | list[Path]) -> list[Path]:
    return [pages] if isinstance(pages, Path) else list(pages)


def present_labels(corpus: Path, pages: Path | list[Path]) -> list[tuple[dict, Path]]:
    """The corpus's labels whose page is found, each with the page (first page directory wins)."""
    found = []
    for lab in labels(corpus):
        page = next((root / lab["file"] for root in page_roots(pages) if (root / lab["file"]).is_file()), None)
        if page is not None:
            found.append((lab, page))
    return found


def run_both(
    corpus: Path, pages: Path | list[Path], out: Path | None = None, modes: tuple[bool, ...] = (False, True)
) -> tuple[list[list[str]], list[dict]]:
    """Extract every page found once and score the articles once per mode (``--credits`` or not)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(SCORE, work / "score.py")
        present = present_labels(corpus, pages)
        (work / "labels.jsonl").write_text(
            "".join(json.dumps(lab, ensure_ascii=False) + "\n" for lab, _ in present), encoding="utf-8")
        arts = []
        for lab, source in present:
            page = work / "pages" / lab["file"]  # the path the scorer matches articles by
            page.parent.mkdir(parents=True, exist_ok=True)
            page.symlink_to(source.resolve())
            if lab.get("kind", "article") != "article":
                continue
            arts.append(article_for(source, page.as_uri()))
        out = out or work / "articles.jsonl"
        out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in arts), encoding="utf-8")
        outputs = []
        for credits in modes:
            args = [sys.executable, str(work / "score.py"), str(out)] + (["--credits"] if credits else [])
            done = subprocess.run(args, capture_output=True, text=True, check=False)
            if done.returncode:
                raise RuntimeError(done.stderr)
            outputs.append(done.stdout.strip().splitlines())
    return outputs, arts


def char_f1(got: str, want: str) -> float:
    """Character-level F1 of two texts (whitespace ignored): bag-of-characters overlap."""
    g = Counter(c for c in got if not c.isspace())
    w = Counter(c for c in want if not c.isspace())
    common = sum((g & w).values())
    if not common:
        return 0.0 if (g or w) else 1.0
    p, r = common / sum(g.values()), common / sum(w.values())
    return 2 * p * r / (p + r)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pages", type=Path, action="append",
                        help="pages directory, may repeat (default: CORPUS/pages_committed and CORPUS/pages)")
    parser.add_argument("--credits", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--f", action="store_true", help="character-level F1 against CORPUS/truth/")
    opts = parser.parse_args()
    pages = opts.pages or [d for d in (opts.corpus / "pages_committed", opts.corpus / "pages") if d.exists()]
    lines, arts = run(opts.corpus, pages, opts.credits, opts.out)
    print("\n".join(lines))
    if opts.f:
        truth = opts.corpus / "truth"
        scores = []
        scored = [lab for lab, _ in present_labels(opts.corpus, pages) if lab.get("kind", "article") == "article"]
        for lab, art in zip(scored, arts, strict=True):
            path = truth / (lab["file"].rsplit(".", 1)[0] + ".txt")
            if path.exists():
                scores.append((char_f1(art["text"], path.read_text(encoding="utf-8")), lab["file"]))
        for f, name in sorted(scores)[:15]:
            print(f"F {f:.3f} {name}")
        if scores:
            values = sorted(f for f, _ in scores)
            print(f"char F1 over {len(values)} pages: mean {sum(values) / len(values):.3f}, "
                  f"median {values[len(values) // 2]:.3f}, min {values[0]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
