"""The JSONL of different runs and sites loads as one dataset, with datasets and with pandas, and the
typed definitions (Features, dtypes, the card) agree with govnews.items.Article."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import datasets
import pytest

from govnews.dataset import dataset_card, features, load, pandas_dtypes, read_pandas
from govnews.items import SCHEMA_VERSION, Article
from govnews.schema import article_schema

datasets.disable_progress_bars()


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_features_cover_every_field_with_the_schema_type() -> None:
    feats = features()
    props = article_schema()["properties"]
    assert list(feats) == [f.name for f in dataclasses.fields(Article)] == list(props)
    for name, prop in props.items():
        kind = prop.get("type") or "object"
        kind = next(k for k in kind if k != "null") if isinstance(kind, list) else kind
        feature = feats[name]
        if isinstance(feature, datasets.Json):
            assert kind in ("string", "object"), name  # dates kept as written, open key sets as JSON
        elif isinstance(feature, datasets.List):
            assert kind == "array", name
        elif isinstance(feature, dict):
            assert "$ref" in str(prop), name
        else:
            assert {"string": "string", "integer": "int64"}[kind] == feature.dtype, name


def test_every_line_has_the_same_shape(two_runs: list[Path]) -> None:
    for path in two_runs:
        for line in _lines(path):
            assert list(line) == [f.name for f in dataclasses.fields(Article)]
            assert isinstance(line["region"], dict) and line["schema_version"] == SCHEMA_VERSION
            assert not line["id"].startswith("/") and "/work/" not in line["canonical_url"]


def test_two_runs_load_as_one_dataset_with_datasets(two_runs: list[Path], tmp_path: Path) -> None:
    ds = load(two_runs, cache_dir=str(tmp_path / "hf"))
    rows = [row for path in two_runs for row in _lines(path)]
    assert len(ds) == len(rows) and len({r["site"] for r in rows}) == 2
    assert ds["published_at"] == [r["published_at"] for r in rows]  # +08:00 kept, bare dates stay dates
    assert any(p and p.endswith("+08:00") for p in ds["published_at"])
    assert ds["region"] == [r["region"] for r in rows]  # null parts in one run, a struct in the other
    assert set(ds["schema_version"]) == {SCHEMA_VERSION}
    assert ds["gov_meta"] == [r["gov_meta"] for r in rows]


def test_the_dataset_card_lets_plain_datasets_load_the_folder(two_runs: list[Path], tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    copies = [folder / f"run{i}.jsonl" for i in range(len(two_runs))]
    for src, dst in zip(two_runs, copies, strict=True):
        shutil.copy(src, dst)
    card = dataset_card(copies, name="test set")
    (folder / "README.md").write_text(card, encoding="utf-8")
    assert "| `klx` | 岢岚县人民政府 | 3 |" in card and "published 20" in card
    ds = datasets.load_dataset(str(folder), split="train", cache_dir=str(tmp_path / "hf"))
    assert ds.features == features()
    assert ds["published_at"] == [r["published_at"] for p in copies for r in _lines(p)]


def test_two_runs_load_as_one_frame_with_pandas(two_runs: list[Path]) -> None:
    df = read_pandas(two_runs)
    rows = [row for path in two_runs for row in _lines(path)]
    assert len(df) == len(rows)
    assert list(df.columns) == list(pandas_dtypes())
    assert df["schema_version"].tolist() == [SCHEMA_VERSION] * len(rows)  # a string, not the float 2.0
    assert df["published_at"].tolist()[0] == rows[0]["published_at"]
    assert str(df["version"].dtype) == "int64"


@pytest.mark.parametrize("field", ["published_at", "crawled_at"])
def test_date_strings_are_not_parsed_into_utc_timestamps(field: str) -> None:
    assert isinstance(features()[field], datasets.Json)


def test_card_never_replaces_a_readme_it_did_not_write(two_runs: list[Path], tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    from govnews.cli import main

    folder = tmp_path / "crawl"
    folder.mkdir()
    out = folder / "out.jsonl"
    shutil.copy(two_runs[0], out)
    notes = folder / "README.md"
    notes.write_text("# my notes\n", encoding="utf-8")
    assert main(["card", str(out)]) == 2
    assert notes.read_text(encoding="utf-8") == "# my notes\n"
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a card govnews wrote" in err[0] and "--force" in err[0]
    assert main(["card", str(out), "-o", str(folder / "CARD.md")]) == 0  # another name: written
    assert main(["card", str(out), "--force"]) == 0 and "# govnews" in notes.read_text(encoding="utf-8")
    assert main(["card", str(out), "--name", "again"]) == 0  # a card it wrote: replaced without --force
    assert "# again" in notes.read_text(encoding="utf-8")
