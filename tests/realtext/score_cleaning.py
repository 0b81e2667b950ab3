"""Score ``clean_article`` on real text nobody here wrote (see README.md beside this file).

Two sets, labelled by hand:

* ``dirty.jsonl``: excerpts of mirror, content-farm, portal and government pages. Each case says which
  strings must go (``gone``: glosses, credit lines, garble, placeholders), which must stay (``kept``,
  in Simplified script), which names each field must receive (``fields``), and, for GBK byte-loss
  runs, what the run reads (``garble``: the run, the truth, and the text around it).
* ``legit/``: law and regulation texts (``laws/*.md``) and government notices (``documents.jsonl``) in
  which nothing may change but whitespace, and no name may be found.

Usage::

    .venv/bin/python tests/realtext/score_cleaning.py              # both sets, figures and failures
    .venv/bin/python tests/realtext/score_cleaning.py --documents DIR   # also every .md/.txt under DIR
                                                                      # as legitimate documents

What counts: an artifact is *removed* when its ``gone`` string is no longer in the text; a garble run
is *repaired* when it reads as its truth, *marked* when it reads as the truth with some characters
replaced by U+FFFD (never inventing one), *left* when it is still there, and *wrong* otherwise. A
*false change* is a ``kept`` string missing, a garble run rewritten into wrong characters, or a
legitimate paragraph that does not come out unchanged (whitespace aside). Field precision and recall
count names: a name in a field the label does not give is a false name.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from govnews.clean.article import clean_article  # noqa: E402
from govnews.clean.script import to_simplified  # noqa: E402
from govnews.items import Article  # noqa: E402

HERE = Path(__file__).resolve().parent
REPLACEMENT = "\ufffd"
NAME_FIELDS = ("authors", "editor", "photo_credits", "source")
_SPACE = re.compile(r"[\s\u3000\u00a0\u200b\ufeff]+")


def squash(text: str | None) -> str:
    return _SPACE.sub("", text or "")


@dataclass
class Figures:
    """What the evaluation counts; ``problems`` lists each miss, for reading."""

    gone: int = 0
    removed: int = 0
    kept: int = 0
    kept_missing: int = 0
    garble: Counter[str] = field(default_factory=Counter)
    names: Counter[str] = field(default_factory=Counter)  # tp, fp, fn
    legit_paragraphs: int = 0
    legit_changed: int = 0
    legit_documents: int = 0
    legit_documents_changed: int = 0
    legit_false_names: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def false_changes(self) -> int:
        return self.kept_missing + self.garble["wrong"] + self.legit_changed

    @property
    def artifacts(self) -> int:
        return self.gone + sum(self.garble.values()) + self.names["tp"] + self.names["fn"]

    @property
    def artifacts_handled(self) -> int:
        return self.removed + self.garble["repaired"] + self.garble["marked"] + self.names["tp"]

    def summary(self) -> dict[str, object]:
        tp, fp, fn = self.names["tp"], self.names["fp"], self.names["fn"]
        return {
            "dirty_artifacts_removed": f"{self.removed}/{self.gone}",
            "garble_runs": dict(self.garble),
            "kept_strings_missing": f"{self.kept_missing}/{self.kept}",
            "field_precision": round(tp / (tp + fp), 3) if tp + fp else 1.0,
            "field_recall": round(tp / (tp + fn), 3) if tp + fn else 1.0,
            "false_names": fp,
            "artifacts_removed_and_names_placed": f"{self.artifacts_handled}/{self.artifacts}"
                                                  f" ({self.artifacts_handled / max(self.artifacts, 1):.1%})",
            "legit_paragraphs_changed": f"{self.legit_changed}/{self.legit_paragraphs}",
            "legit_documents_changed": f"{self.legit_documents_changed}/{self.legit_documents}",
            "legit_false_names": self.legit_false_names,
            "false_changes": self.false_changes,
        }


def _article(title: str, text: str) -> Article:
    return Article(url="https://example.invalid/", canonical_url="https://example.invalid/", site="realtext",
                   title=title, text=text)


def _predicted(article: Article) -> dict[str, set[str]]:
    editor = set(re.split("[、,，]", article.editor)) if article.editor else set()
    return {"authors": set(article.authors), "editor": editor, "photo_credits": set(article.photo_credits),
            "source": {article.source} if article.source else set()}


def _expected(value: object) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, str):
        return {value}
    return set(value)  # type: ignore[arg-type]


def _garble_outcome(text: str, item: dict[str, str]) -> str:
    """repaired / marked / left / wrong for one labelled run, read between its anchors."""
    out = squash(text)
    before, after = squash(item["before"]), squash(item["after"])
    start = out.find(before) + len(before) if before else 0
    if before and out.find(before) < 0:
        return "wrong"
    end = out.find(after, start) if after else len(out)
    if end < 0:
        return "wrong"
    region, truth = out[start:end], squash(item["truth"])
    if region == truth:
        return "repaired"
    garbled = squash(item["garbled"])
    if garbled in region or to_simplified(garbled, "zh-Hant").text in region:
        return "left"
    core = region.strip(REPLACEMENT)
    for candidate in (region, core):
        if len(candidate) == len(truth) and all(c in (t, REPLACEMENT) for c, t in zip(candidate, truth, strict=True)):
            return "marked"
    if REPLACEMENT in region and len(region) <= len(truth) and (not core or core in truth):
        return "marked"  # characters the byte loss destroyed are marked, nothing invented
    return "wrong"


def score_dirty(figures: Figures, path: Path = HERE / "dirty.jsonl") -> None:
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        cleaned = clean_article(_article(case.get("title", ""), case["text"]))
        out = squash(f"{cleaned.title}\n{cleaned.text}")
        for gone in case["gone"]:
            figures.gone += 1
            if squash(gone) in out:
                figures.problems.append(f"{case['id']}: left {gone!r}")
            else:
                figures.removed += 1
        for kept in case["kept"]:
            figures.kept += 1
            if squash(kept) not in out:
                figures.kept_missing += 1
                figures.problems.append(f"{case['id']}: lost {kept!r}")
        for item in case.get("garble", []):
            outcome = _garble_outcome(cleaned.text, item)
            figures.garble[outcome] += 1
            if outcome in ("left", "wrong"):
                figures.problems.append(f"{case['id']}: garble {item['garbled']!r} {outcome}")
        predicted = _predicted(cleaned)
        for name, value in case.get("fields", {}).items():
            want, got = _expected(value), predicted[name]
            figures.names.update(tp=len(want & got), fp=len(got - want), fn=len(want - got))
            for wrong in sorted(got - want):
                figures.problems.append(f"{case['id']}: false {name} {wrong!r}")
            for missed in sorted(want - got):
                figures.problems.append(f"{case['id']}: missed {name} {missed!r}")


def law_paragraphs(markdown: str) -> tuple[str, list[str]]:
    """A LawRefBook markdown file as (title, paragraphs): headings and list marks dropped, notes skipped."""
    lines = []
    for line in markdown.splitlines():
        line = line.strip()
        if not line or line.startswith("<!--"):
            continue
        lines.append(re.sub(r"^(?:#+|-)\s+", "", line))
    return (lines[0], lines[1:]) if lines else ("", [])


def score_legit_document(figures: Figures, name: str, title: str, paragraphs: list[str]) -> None:
    if not paragraphs:
        return
    cleaned = clean_article(_article(title, "\n".join(paragraphs)))
    want = Counter(k for k in (squash(p) for p in paragraphs) if k)
    got = Counter(squash(p) for p in cleaned.text.split("\n"))
    missing = want - got
    figures.legit_documents += 1
    figures.legit_paragraphs += sum(want.values())
    if missing:
        figures.legit_documents_changed += 1
        figures.legit_changed += sum(missing.values())
        figures.problems.extend(f"{name}: changed {p[:60]!r}" for p in list(missing)[:3])
    names = sum(len(v) for v in _predicted(cleaned).values())
    if names:
        figures.legit_false_names += names
        figures.problems.append(f"{name}: names found in a legitimate text: {_predicted(cleaned)}")


def score_legit(figures: Figures, root: Path = HERE / "legit") -> None:
    for path in sorted((root / "laws").glob("*.md")):
        title, paragraphs = law_paragraphs(path.read_text(encoding="utf-8"))
        score_legit_document(figures, path.name, title, paragraphs)
    for line in (root / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        score_legit_document(figures, doc["id"], doc["title"], doc["paragraphs"])


def score_directory(figures: Figures, directory: Path) -> None:
    """Every ``.md``/``.txt`` under ``directory`` as a legitimate document (e.g. a local law collection)."""
    for path in sorted(directory.rglob("*")):
        if path.suffix in (".md", ".txt") and path.name != "_index.md" and path.is_file():
            title, paragraphs = law_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
            score_legit_document(figures, str(path.relative_to(directory)), title, paragraphs)


def evaluate(documents: Path | None = None) -> Figures:
    figures = Figures()
    score_dirty(figures)
    score_legit(figures)
    if documents is not None:
        score_directory(figures, documents)
    return figures


def main(argv: list[str]) -> int:
    documents = Path(argv[argv.index("--documents") + 1]) if "--documents" in argv else None
    figures = evaluate(documents)
    for problem in figures.problems:
        print(problem)
    print(json.dumps(figures.summary(), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
