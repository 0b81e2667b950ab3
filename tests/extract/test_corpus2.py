"""The second labelled corpus (templates the extractor was not written for): its score must not regress.

Pages come from other extractors' and crawlers' saved test pages (``tests/corpus2/SOURCES.md``); they are not
redistributed here, so the test skips while no copy is found. The real scoring script runs with and without
``--credits`` from a temporary directory holding a copy of it, the labels and the pages (it reads them relative
to itself).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.support import REPO

sys.path.insert(0, str(REPO / "bench"))
from corpus_run import SCORE, run_both

CORPUS2 = REPO / "tests" / "corpus2"
# Reached 2026-11-30: 75/80 without --credits, 72/80 with it. Raise these as extraction improves; never
# lower them.
MIN_PAGES_RIGHT = 75
MIN_PAGES_RIGHT_CREDITS = 72
MIN_FIELD = {"title": 0.96, "date": 0.98, "body": 1.0, "clean": 0.97}


def pages_dir() -> Path | None:
    shared = REPO.parent / "shared" / "corpus2" / "pages"
    for candidate in (os.environ.get("GOVNEWS_CORPUS2_PAGES"), CORPUS2 / "pages", shared):
        if candidate and (Path(candidate) / "cwced" / "1.html").exists():
            return Path(candidate)
    return None


pytestmark = pytest.mark.skipif(not SCORE.exists() or pages_dir() is None,
                                reason="second corpus pages or score.py not found (see tests/corpus2/SOURCES.md)")


def right_of(lines: list[str]) -> int:
    return int(lines[-1].split(":")[1].split("/")[0])


@pytest.fixture(scope="module")
def summary() -> tuple[dict, int, str, list[dict], int]:
    (plain, with_credits), articles = run_both(CORPUS2, pages_dir())
    report = "\n".join([*plain, "--credits:", *with_credits])
    return json.loads(plain[-2]), right_of(plain), report, articles, right_of(with_credits)


def test_pages_fully_right(summary: tuple[dict, int, str, list[dict], int]) -> None:
    _, right, report, _, right_with_credits = summary
    assert right >= MIN_PAGES_RIGHT, report
    assert right_with_credits >= MIN_PAGES_RIGHT_CREDITS, report


@pytest.mark.parametrize("field", sorted(MIN_FIELD))
def test_field_scores(summary: tuple[dict, int, str, list[dict], int], field: str) -> None:
    fields, _, report, _, _ = summary
    assert fields[field] >= MIN_FIELD[field], report


def test_no_page_dropped(summary: tuple[dict, int, str, list[dict], int]) -> None:
    """A page must never come out empty: an empty body is the worst collapse."""
    empty = [a["url"].rsplit("/pages/", 1)[-1] for a in summary[3] if not a["text"].strip()]
    assert not empty, empty
