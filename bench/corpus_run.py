"""Run the library path a crawl takes (decode -> extract -> clean) over a labelled corpus and score it.

Usage::

    .venv/bin/python bench/corpus_run.py ../shared/corpus [--credits] [--out articles.jsonl] [--f]
    .venv/bin/python bench/corpus_run.py tests/corpus2 --credits --f

A corpus is a directory with ``labels.jsonl`` and ``pages/`` (pages may live elsewhere: ``--pages DIR``).
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


def run(corpus: Path, pages: Path, credits: bool, out: Path | None = None) -> tuple[list[str], list[dict]]:
    """Score the corpus; returns the scorer's output lines and the articles."""
    outputs, arts = run_both(corpus, pages, out, modes=(credits,))
    return outputs[0], arts


def run_both(
    corpus: Path, pages: Path, out: Path | None = None, modes: tuple[bool, ...] = (False, True)
) -> tuple[list[list[str]], list[dict]]:
    """Extract every page once and score the articles once per mode (``--credits`` or not)."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(SCORE, work / "score.py")
        shutil.copy(corpus / "labels.jsonl", work / "labels.jsonl")
        (work / "pages").symlink_to(pages.resolve())
        arts = []
        for lab in labels(corpus):
            if lab.get("kind", "article") != "article":
                continue
            page = work / "pages" / lab["file"]
            arts.append(article_for(page, page.as_uri()))
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
    parser.add_argument("--pages", type=Path, help="pages directory (default: CORPUS/pages)")
    parser.add_argument("--credits", action="store_true")
    parser.add_argument("--out", type=Path)
    parser.add_argument("--f", action="store_true", help="character-level F1 against CORPUS/truth/")
    opts = parser.parse_args()
    pages = opts.pages or opts.corpus / "pages"
    lines, arts = run(opts.corpus, pages, opts.credits, opts.out)
    print("\n".join(lines))
    if opts.f:
        truth = opts.corpus / "truth"
        scores = []
        for lab, art in zip([lab for lab in labels(opts.corpus) if lab.get("kind", "article") == "article"],
                            arts, strict=True):
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
