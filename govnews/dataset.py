"""The exported JSONL as one typed dataset: ``datasets.Features``, pandas dtypes and a dataset card,
all derived from ``govnews.items.Article`` (the single source of truth; ``tests/test_dataset.py``
checks they agree with it and with the JSON Schema).

Without these, ``datasets`` infers types file by file: ``published_at`` becomes a UTC timestamp (the
+08:00 is lost), a field that is empty in one run is typed ``null`` there and clashes with the next,
and ``gov_meta`` (its keys vary by site) becomes a different struct per file. With ``features()``
every run and every site loads as one table::

    from govnews.dataset import load
    ds = load(["data/klx/2024-05-01T06-00-00.jsonl", "data/shanxi/2024-05-02T06-00-00.jsonl"])

or, without govnews installed, from a folder whose README.md is the card ``govnews card`` writes
(its YAML header carries the same features): ``datasets.load_dataset("data/klx")``.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from govnews.items import SCHEMA_VERSION, Article

_SCALARS = {str: "string", int: "int64", float: "float64", bool: "bool"}


def _looks_like_a_date(field: dataclasses.Field[Any]) -> bool:
    schema = field.metadata.get("schema", {})
    return schema.get("format") == "date-time" or str(schema.get("pattern", "")).startswith(r"^\d{4}-")


def _feature(tp: Any, field: dataclasses.Field[Any] | None = None) -> Any:
    import datasets

    if field is not None and _looks_like_a_date(field):
        # Arrow's JSON reader turns ISO 8601 strings into UTC timestamps before any feature is applied, so
        # "2024-03-20T09:30:00+08:00" would come back as 01:30 with no offset and a bare date would gain a
        # midnight. Json() makes datasets hand the value over as written: the string, offset included.
        return datasets.Json()
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):  # X | None: nullable X (Arrow columns are nullable)
        return _feature(next(a for a in args if a is not type(None)))
    if origin is list:
        return datasets.List(_feature(args[0]))
    if origin is dict:  # open key sets (gov_meta, cleaning details): one JSON value, not a struct per file
        return datasets.Json()
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return {f.name: _feature(hints[f.name], f) for f in dataclasses.fields(tp)}
    return datasets.Value(_SCALARS[tp])


def features() -> Any:
    """``datasets.Features`` of an exported line."""
    import datasets

    hints = typing.get_type_hints(Article)
    return datasets.Features({f.name: _feature(hints[f.name], f) for f in dataclasses.fields(Article)})


def pandas_dtypes() -> dict[str, str]:
    """Column dtypes for pandas: strings stay strings ("2.0.0" is not a float, dates keep +08:00)."""
    hints = typing.get_type_hints(Article)
    dtypes = {}
    for f in dataclasses.fields(Article):
        tp = hints[f.name]
        if tp is str or (typing.get_origin(tp) in (types.UnionType, typing.Union) and str in typing.get_args(tp)):
            dtypes[f.name] = "string"
        elif tp is int:
            dtypes[f.name] = "int64"
        else:
            dtypes[f.name] = "object"
    return dtypes


def load(files: Iterable[str | Path], **kwargs: Any) -> Any:
    """All ``files`` as one ``datasets.Dataset`` with the govnews features."""
    import datasets

    return datasets.load_dataset("json", data_files=[str(f) for f in files], features=features(), split="train",
                                 **kwargs)


def read_pandas(files: Iterable[str | Path]) -> Any:
    """All ``files`` as one pandas DataFrame, typed by ``pandas_dtypes`` (no date or number guessing)."""
    import pandas as pd

    # dtype=False: no guessing at all (pandas would turn *_at columns into datetimes and "2.0" into a
    # float); then one explicit cast to the dtypes the schema implies.
    frames = [pd.read_json(str(f), lines=True, dtype=False) for f in files]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(pandas_dtypes()))
    return frame.astype(pandas_dtypes())


def iter_articles(files: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    for path in files:
        with Path(path).open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)


#: The line every card carries, so ``govnews card`` knows a README.md it may replace from one a person wrote.
CARD_MARK = "<!-- dataset card written by `govnews card`; running it again replaces this file -->"


def dataset_card(files: list[str | Path], name: str = "govnews") -> str:
    """A Hugging Face dataset card (README.md) for ``files``: YAML header with the features and the data
    files (so ``datasets.load_dataset(folder)`` types every column), then fields, sites, counts and date
    range taken from the data itself."""
    import yaml
    from datasets import DatasetInfo

    from govnews.schema import field_table

    sites: Counter[str] = Counter()
    site_names: dict[str, str] = {}
    days: list[str] = []
    duplicates = versions = 0
    for article in iter_articles(files):
        sites[article["site"]] += 1
        site_names.setdefault(article["site"], article.get("site_name") or "")
        if article.get("published_at"):
            days.append(article["published_at"][:10])
        duplicates += bool(article.get("duplicate_of"))
        versions += article.get("version", 1) > 1
    info = DatasetInfo(features=features())._to_yaml_dict()
    header = {
        "language": ["zh"], "pretty_name": name, "task_categories": ["text-generation"],
        "configs": [{"config_name": "default", "data_files": [{"split": "train",
                                                              "path": [Path(f).name for f in files]}]}],
        "dataset_info": {"features": info["features"]},
    }
    total = sum(sites.values())
    lines = [
        "---", yaml.safe_dump(header, allow_unicode=True, sort_keys=False).rstrip(), "---", CARD_MARK, "",
        f"# {name}", "",
        "Chinese local-government news articles crawled and cleaned by govnews: one article per line of JSONL, "
        f"schema {SCHEMA_VERSION}, with the provenance of every cleaning step.", "",
        "## Contents", "",
        f"- {total} articles from {len(sites)} site(s) in {len(files)} file(s)",
        f"- published {min(days) if days else '?'} to {max(days) if days else '?'}",
        f"- {versions} later version(s) of changed articles, {duplicates} repost(s) marked duplicate_of", "",
        "| site | name | articles |", "| --- | --- | --- |",
        *[f"| `{site}` | {site_names[site]} | {count} |" for site, count in sorted(sites.items())], "",
        "## Files", "", *[f"- `{Path(f).name}`" for f in files], "",
        "## Loading", "",
        "```python", "import datasets",
        'ds = datasets.load_dataset("path/to/this/folder")  # the features above type every column', "```", "",
        "`published_at` is a string in Beijing time (+08:00), or a bare date when the page gave no time.", "",
        "## Fields", "", field_table(),
    ]
    return "\n".join(lines)
