"""Precision and recall of the near-duplicate rule on real reposts (``python -m tests.state.neardup_eval``).

The pairs are real pages (stored public pages, addresses in ``data/reposts_docs.jsonl``, and pages
of ``../shared/corpus``), labelled by hand in ``data/reposts_labels.json``. Each text goes through
the same cleaning as a crawled article (``govnews.clean.clean_article``: glosses, script, spacing,
widgets) and is then judged with ``govnews.state.neardup``: a pair is flagged when the estimated
Jaccard similarity of the 5-character shingle sets reaches the threshold and the two bodies are not
told apart by their numbers (``distinct_documents``: each holds a number the other lacks). The store's
excerpts are page beginnings (about 1,500 characters) and keep their page furniture; nothing else was edited.

Template series (``data/template_docs.jsonl``): distinct documents built on one template (penalty
decisions filled into a real blank form, procurement result notices in the national format,
appointment notices, air-quality bulletins, two counties' 工作规则 from stored public pages). Every pair
inside a series is two different documents ("template"), the pairs a similarity-only rule gets wrong.
"""

from __future__ import annotations

import itertools
import json
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from govnews.clean.article import clean_article
from govnews.encoding import decode_html
from govnews.extract import extract_article
from govnews.items import Article
from govnews.state.neardup import DEFAULT_THRESHOLD, Fingerprint, distinct_documents, fingerprint

DATA = Path(__file__).resolve().parent / "data"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    label: bool
    kind: str


def _clean(text: str) -> str:
    article = Article(id="0" * 40, url="http://x/", canonical_url="http://x/", site="x", title="x", text=text)
    return clean_article(article).text


@cache
def corpus_text(rel: str) -> str | None:
    path = CORPUS / "pages" / rel
    if not path.exists():
        return None
    extracted = extract_article(decode_html(path.read_bytes()).text, f"file:///{rel}")
    return _clean("\n".join(extracted.paragraphs))


@cache
def texts() -> dict[str, str]:
    found = {}
    for line in (DATA / "reposts_docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        if doc["source"].startswith("corpus:"):
            text = corpus_text(doc["source"][len("corpus:"):])
            if text is None:
                continue
        else:
            text = _clean(doc["text"])
        found[doc["doc"]] = text
    return found


@cache
def template_series() -> dict[str, list[str]]:
    """series -> its documents' names (``tpl:<doc>``); their texts are in ``texts_of_templates``."""
    series: dict[str, list[str]] = {}
    for name in texts_of_templates():
        series.setdefault(name.split("/")[0], []).append(name)
    return series


@cache
def texts_of_templates() -> dict[str, str]:
    found = {}
    for line in (DATA / "template_docs.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        found[f"{doc['series']}/{doc['doc']}"] = _clean(doc["text"])
    return found


@cache
def labelled_pairs() -> tuple[Pair, ...]:
    labels = json.loads((DATA / "reposts_labels.json").read_text(encoding="utf-8"))
    docs = texts()
    positive: dict[frozenset[str], str] = {}
    for group in labels["groups"]:
        for a, b in itertools.combinations(group["docs"], 2):
            positive[frozenset((a, b))] = group["kind"]
    for a, b in labels["spun"]:
        positive[frozenset((a, b))] = "spun"
    spun_docs = {d for pair in labels["spun"] for d in pair}
    pairs = []
    for a, b in itertools.combinations(sorted(docs), 2):
        key = frozenset((a, b))
        if key in positive:
            pairs.append(Pair(a, b, True, positive[key]))
        elif not ({a, b} & spun_docs and a.split("-")[0] == b.split("-")[0]):
            # a spun copy and another copy of its article: a repost pair too, left out rather than guessed
            same_topic = a.split("-")[0][:3] == b.split("-")[0][:3]
            pairs.append(Pair(a, b, False, "same topic" if same_topic else "other topic"))
    corpus_pages = []
    if (CORPUS / "labels.jsonl").exists():
        for line in (CORPUS / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            rel = json.loads(line)["file"]
            if rel not in ("thepaper/4.html",) and corpus_text(rel):  # thepaper/4 is thepaper/2 again
                corpus_pages.append(rel)
    for a, b in itertools.combinations(corpus_pages, 2):
        pairs.append(Pair("corpus:" + a, "corpus:" + b, False, "corpus"))
    for names in template_series().values():
        for a, b in itertools.combinations(names, 2):
            pairs.append(Pair("tpl:" + a, "tpl:" + b, False, "template"))
    return tuple(pairs)


def text_of(doc: str) -> str:
    if doc.startswith("tpl:"):
        return texts_of_templates()[doc[len("tpl:"):]]
    return corpus_text(doc[len("corpus:"):]) or "" if doc.startswith("corpus:") else texts()[doc]


@cache
def _fingerprint(doc: str) -> Fingerprint | None:
    return fingerprint(text_of(doc))


@cache
def similarity(a: str, b: str) -> float:
    fa, fb = _fingerprint(a), _fingerprint(b)
    if fa is None or fb is None:
        return 0.0
    return fa.signature.similarity(fb.signature)


@cache
def distinct(a: str, b: str) -> bool:
    fa, fb = _fingerprint(a), _fingerprint(b)
    return fa is not None and fb is not None and distinct_documents(fa.signature, fb.signature)


def flagged(pair: Pair, threshold: float, verify: bool = True) -> bool:
    """Whether the rule calls the pair a repost: similar enough and, with ``verify``, not told apart
    by its numbers."""
    return similarity(pair.a, pair.b) >= threshold and not (verify and distinct(pair.a, pair.b))


@dataclass
class Score:
    threshold: float
    tp: int
    fp: int
    fn: int
    tn: int
    by_kind: dict[str, tuple[int, int]]  # kind -> (flagged, total)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score(threshold: float = DEFAULT_THRESHOLD, include_spun: bool = False, verify: bool = True) -> Score:
    tp = fp = fn = tn = 0
    by_kind: dict[str, list[int]] = {}
    for pair in labelled_pairs():
        hit = flagged(pair, threshold, verify)
        counts = by_kind.setdefault(pair.kind, [0, 0])
        counts[0] += hit
        counts[1] += 1
        if pair.kind == "spun" and not include_spun:
            continue
        if pair.label:
            tp, fn = tp + hit, fn + (not hit)
        else:
            fp, tn = fp + hit, tn + (not hit)
    return Score(threshold, tp, fp, fn, tn, {k: (v[0], v[1]) for k, v in by_kind.items()})


def main() -> int:
    pairs = labelled_pairs()
    print(f"{sum(p.label for p in pairs)} repost pairs, {sum(not p.label for p in pairs)} pairs of different "
          f"articles ({sum(p.kind == 'same topic' for p in pairs)} on the same topic, "
          f"{sum(p.kind == 'template' for p in pairs)} of one template)")
    print("similarity of each repost pair and of the most similar different-article pairs:")
    for pair in sorted(pairs, key=lambda p: -similarity(p.a, p.b)):
        if pair.label or similarity(pair.a, pair.b) >= 0.2:
            told = "  numbers differ" if distinct(pair.a, pair.b) else ""
            print(f"  {similarity(pair.a, pair.b):.2f}  {'REPOST' if pair.label else 'differ'}  {pair.kind:12} "
                  f"{pair.a} / {pair.b}{told}")
    for verify, what in ((False, "similarity alone"), (True, "similarity, then the numbers (the rule in use)")):
        print(f"{what}:")
        print("  threshold  precision  recall (reposts, spun excluded)  spun flagged  template pairs flagged")
        for threshold in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            s = score(threshold, verify=verify)
            spun = s.by_kind.get("spun", (0, 0))
            tpl = s.by_kind.get("template", (0, 0))
            print(f"    {threshold:.1f}      {s.precision:.3f}      {s.recall:.3f} ({s.tp}/{s.tp + s.fn})"
                  f"                 {spun[0]}/{spun[1]}          {tpl[0]}/{tpl[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
