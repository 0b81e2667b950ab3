"""Cleaning output frozen: a sample of the test material, as cleaned before the chain was made faster.

``data/clean_snapshot.jsonl.gz`` holds 133 articles as ``clean_article`` receives them (the dirty fixture
pages and the demo site after extraction, the real-text evaluation sets, generated dirty and clean
articles) with every field of what it returned at that time. Speed work must not change a character of
it. ``bench/clean_snapshot.py`` checks all 12,194 articles of the material the same way; after an
intended change of output, write a new snapshot with it (``--write``) and the sample from that
(``--check NEW --sample tests/clean/data/clean_snapshot.jsonl.gz``).
"""

from __future__ import annotations

import dataclasses
import gzip
import json
from pathlib import Path

import pytest

from govnews.clean.article import clean_article
from govnews.items import Article, CleaningRecord, Image, Region

SNAPSHOT = Path(__file__).resolve().parent / "data" / "clean_snapshot.jsonl.gz"


def _records() -> list[dict]:
    with gzip.open(SNAPSHOT, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


RECORDS = _records()


def _article(data: dict) -> Article:
    data = dict(data)
    data["images"] = [Image(**i) for i in data["images"]]
    data["region"] = Region(**data["region"]) if data["region"] else None
    data["cleaning"] = [CleaningRecord(**c) for c in data["cleaning"]]
    return Article(**data)


def test_sample_covers_every_kind_of_material():
    kinds = {r["set"] for r in RECORDS}
    assert kinds == {"fixtures", "demo", "realtext-dirty", "realtext-legit", "generated-dirty", "generated-clean"}
    assert len(RECORDS) >= 120


@pytest.mark.parametrize("record", RECORDS, ids=[f"{r['set']}:{r['id']}" for r in RECORDS])
def test_cleaned_output_is_unchanged(record):
    cleaned = dataclasses.asdict(clean_article(_article(record["input"])))
    differing = [field for field, value in record["output"].items() if cleaned.get(field) != value]
    assert not differing, differing
