"""The second labelled corpus (templates the extractor was not written for): its score must not regress.

Pages come from other extractors' and crawlers' saved test pages and public sites' own repositories
(``tests/corpus2/SOURCES.md``). Those that may be redistributed are committed under
``tests/corpus2/pages_committed/`` and are scored on every run, CI included; the others are not
redistributed here, so the whole-corpus figures are checked only where a copy of them is found. The real
scoring script runs with and without ``--credits`` from a temporary directory holding a copy of it, the
labels of the pages present and the pages (it reads them relative to itself).
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
COMMITTED = CORPUS2 / "pages_committed"
# Reached 2026-11-30 on all 83 pages: 78/83 without --credits, 78/83 with it. Raise these as extraction
# improves; never lower them.
MIN_PAGES_RIGHT = 78
MIN_PAGES_RIGHT_CREDITS = 78
MIN_FIELD = {"title": 0.96, "date": 0.98, "body": 1.0, "clean": 0.97}
# The committed pages (a poem page, two news-agency pages) are all fully right, with --credits.
MIN_COMMITTED_RIGHT_CREDITS = 3


def pages_dir() -> Path | None:
    """The pages that are not committed (``GOVNEWS_CORPUS2_PAGES``, ``tests/corpus2/pages``, ``../shared``)."""
    shared = REPO.parent / "shared" / "corpus2" / "pages"
    for candidate in (os.environ.get("GOVNEWS_CORPUS2_PAGES"), CORPUS2 / "pages", shared):
        if candidate and (Path(candidate) / "cwced" / "1.html").exists():
            return Path(candidate)
    return None


pytestmark = pytest.mark.skipif(not SCORE.exists(), reason="../shared/corpus/score.py not found")
needs_all_pages = pytest.mark.skipif(
    pages_dir() is None, reason="uncommitted second corpus pages not found (see tests/corpus2/SOURCES.md)")


def right_of(lines: list[str]) -> int:
    return int(lines[-1].split(":")[1].split("/")[0])


def scored(pages: list[Path]) -> tuple[dict, int, str, list[dict], int]:
    (plain, with_credits), articles = run_both(CORPUS2, pages)
    report = "\n".join([*plain, "--credits:", *with_credits])
    return json.loads(plain[-2]), right_of(plain), report, articles, right_of(with_credits)


@pytest.fixture(scope="module")
def committed() -> tuple[dict, int, str, list[dict], int]:
    return scored([COMMITTED])


@pytest.fixture(scope="module")
def summary() -> tuple[dict, int, str, list[dict], int]:
    return scored([COMMITTED, pages_dir()])


def test_committed_pages_are_scored_everywhere(committed: tuple[dict, int, str, list[dict], int]) -> None:
    fields, _, report, articles, right_with_credits = committed
    assert fields["pages"] == len(list(COMMITTED.rglob("*.html"))) >= MIN_COMMITTED_RIGHT_CREDITS, report
    assert right_with_credits >= MIN_COMMITTED_RIGHT_CREDITS, report
    assert all(a["text"].strip() for a in articles), report


@needs_all_pages
def test_pages_fully_right(summary: tuple[dict, int, str, list[dict], int]) -> None:
    _, right, report, _, right_with_credits = summary
    assert right >= MIN_PAGES_RIGHT, report
    assert right_with_credits >= MIN_PAGES_RIGHT_CREDITS, report


@needs_all_pages
@pytest.mark.parametrize("field", sorted(MIN_FIELD))
def test_field_scores(summary: tuple[dict, int, str, list[dict], int], field: str) -> None:
    fields, _, report, _, _ = summary
    assert fields[field] >= MIN_FIELD[field], report


@needs_all_pages
def test_no_page_dropped(summary: tuple[dict, int, str, list[dict], int]) -> None:
    """A page must never come out empty: an empty body is the worst collapse."""
    empty = [a["url"].rsplit("/pages/", 1)[-1] for a in summary[3] if not a["text"].strip()]
    assert not empty, empty
