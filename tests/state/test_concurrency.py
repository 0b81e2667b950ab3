"""Two processes deciding about copies of the same articles at the same moment (two workers of a fleet,
or two crawls sharing one SQLite file): every body ends up with exactly one original, the other copy
marked ``duplicate_of`` it, whether the copies are identical or near-duplicates. Without
``StateStore.decision`` both processes see no earlier copy and both export it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from govnews.state.judge import Judge
from govnews.state.neardup import fingerprint
from tests.sitegen import article_text
from tests.support import REPO

BODIES = 24

_WORKER = r"""
import json, sys, time
from govnews.state import open_store
from govnews.state.judge import Judge
from tests.state.test_concurrency import _Doc as Doc

config, docs, start = json.loads(sys.argv[1]), json.loads(sys.argv[2]), float(sys.argv[3])
store = open_store(config)
run = store.open_run("worker").run
judge = Judge(store, run)
while time.time() < start:
    time.sleep(0.001)
verdicts = {}
for values in docs:
    doc = Doc(**values)
    verdict = judge.decide(doc)
    if verdict.kind in ("new", "changed"):
        store.commit(run, [doc.id])  # as when its line is written
    verdicts[doc.id] = [verdict.kind, verdict.duplicate_of]
store.close_run(run, "finished")
print(json.dumps(verdicts))
"""


def _docs(site: str) -> list[dict[str, Any]]:
    docs = []
    for n in range(BODIES):
        paragraphs = article_text(n)
        if site == "b" and n % 2:  # odd bodies: a near-duplicate (the repost drops its last paragraph)
            paragraphs = paragraphs[:-1]
        text = "\n".join(paragraphs)
        docs.append({"id": f"{ord(site):02x}{n:038x}", "canonical_url": f"http://{site}.gov.cn/{n}.html", "site": site,
                     "title": f"标题{n}", "text": text, "content_hash": f"{n:064x}" if not (site == "b" and n % 2)
                     else f"{n + 1000:064x}"})
    return docs


def test_two_processes_never_both_export_the_same_body(store_config: dict[str, Any], tmp_path: Path) -> None:
    start = time.time() + 1.5  # both begin together, after their imports
    procs = [subprocess.Popen([sys.executable, "-c", _WORKER, json.dumps(store_config), json.dumps(_docs(site)),
                               str(start)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for site in ("a", "b")]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        results.append(json.loads(out))
    a, b = results
    for n in range(BODIES):
        ids = (f"{ord('a'):02x}{n:038x}", f"{ord('b'):02x}{n:038x}")
        kinds = sorted([a[ids[0]][0], b[ids[1]][0]])
        assert kinds == ["duplicate", "new"], f"body {n}: {kinds}"
        original = ids[0] if a[ids[0]][0] == "new" else ids[1]
        duplicate_of = (b[ids[1]] if original == ids[0] else a[ids[0]])[1]
        assert duplicate_of == original


@dataclass
class _Doc:
    id: str
    canonical_url: str
    site: str
    title: str
    text: str
    content_hash: str
    published_at: str | None = None


@pytest.mark.parametrize("store_config", ["redis"], indirect=True)
def test_a_copy_committed_while_another_decision_reads_is_still_found(store_factory) -> None:
    """Commits take no decision lock: between a decision's claim (which reads what is staged) and its look-ups,
    another worker may commit the copy it saw staged. The copy must still be found, exact or near."""
    a, b = store_factory(), store_factory()
    run_a, run_b = a.open_run("a").run, b.open_run("b").run
    judge_a = Judge(a, run_a)
    paragraphs = article_text(3)
    original = _Doc("a1" * 20, "http://a.gov.cn/1.html", "a", "标题", "\n".join(paragraphs), "ab" * 32)
    twin = _Doc("a2" * 20, "http://a.gov.cn/2.html", "a", "标题", "\n".join(article_text(4)), "cd" * 32)
    assert judge_a.decide(original).kind == "new" and judge_a.decide(twin).kind == "new"  # both staged

    repost = "\n".join(paragraphs[:-1])
    fp = fingerprint(repost, judge_a.threshold)
    with b.decision("b1" * 20, "ef" * 32, fp):
        a.commit(run_a, [original.id])
        assert original.id in [state.id for state, _ in b.near(fp, "b1" * 20)]
    with b.decision("b2" * 20, twin.content_hash, fingerprint(twin.text, judge_a.threshold)):
        a.commit(run_a, [twin.id])
        assert [s.id for s in b.find_content(twin.content_hash, "b2" * 20)] == [twin.id]
    b.close_run(run_b, "finished")
