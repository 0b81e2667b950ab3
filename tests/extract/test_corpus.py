"""The labelled real-page corpus: extraction must not regress below the figures it reached.

Reference figures on the same pages: trafilatura 24/61 fully right, GNE 42/61.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from govnews.encoding import decode_html
from govnews.extract import extract_article

CORPUS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus"
SCORE = CORPUS / "score.py"
MIN_PAGES_RIGHT = 60
MIN_FIELD = {"title": 1.0, "date": 0.98, "body": 1.0, "clean": 1.0}

pytestmark = pytest.mark.skipif(not SCORE.exists(), reason=f"labelled corpus not found at {CORPUS}")


def score(*args: str) -> list[str]:
    done = subprocess.run([sys.executable, str(SCORE), *args], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()


@pytest.fixture(scope="module")
def summary(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, int, str]:
    out = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for url in score("--urls"):
            body = Path(unquote(urlparse(url).path)).read_bytes()
            got = extract_article(decode_html(body).text, url)
            article = {"url": url, "title": got.title, "published_at": got.published_at,
                       "text": "\n".join(got.paragraphs)}
            fh.write(json.dumps(article, ensure_ascii=False) + "\n")
    lines = score(str(out))
    fields = json.loads(lines[-2])
    right = int(lines[-1].split(":")[1].split("/")[0])
    return fields, right, "\n".join(lines)


def test_pages_fully_right(summary: tuple[dict, int, str]) -> None:
    _, right, report = summary
    assert right >= MIN_PAGES_RIGHT, report


@pytest.mark.parametrize("field", sorted(MIN_FIELD))
def test_field_scores(summary: tuple[dict, int, str], field: str) -> None:
    fields, _, report = summary
    assert fields[field] >= MIN_FIELD[field], report
