"""The Article dataclass is the single source of truth: the JSON file and README follow it."""

from __future__ import annotations

import json

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator

from govnews.items import Article, CleaningRecord, Image, Region
from govnews.schema import SCHEMA_PATH, article_schema, field_table, render_schema
from tests.support import REPO


def test_schema_file_is_generated_from_the_dataclass() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == render_schema(), "run: python -m govnews.schema"


def test_readme_documents_every_field() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert field_table() in readme, "README's field table is stale: paste govnews.schema.field_table()"


def test_schema_is_valid_and_closed() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"])


def _article(**changes: object) -> dict:
    article = Article(
        id="a" * 40, url="http://x.gov.cn/a.html", canonical_url="http://x.gov.cn/a.html", site="x",
        title="标题", text="正文", content_hash="b" * 64, crawled_at="2026-11-22T10:00:00+00:00",
        published_at="2023-07-07T08:34:00+08:00", region=Region("山西省", "忻州市", "岢岚县", "140929"),
        images=[Image("http://x.gov.cn/1.jpg", None)],
        cleaning=[CleaningRecord("strip_pinyin_glosses", "text", 2, {"glosses": 2}, ["新闻(xīnwén)"])],
    )
    data = ItemAdapter(article).asdict()
    data.update(changes)
    return data


def test_a_full_article_validates() -> None:
    assert not list(Draft202012Validator(article_schema()).iter_errors(_article()))


def test_schema_rejects_what_downstream_cannot_use() -> None:
    validator = Draft202012Validator(article_schema())
    for bad in ({"title": ""}, {"published_at": "2023/07/07"}, {"published_at": "2023-07-07T08:34:00Z"},
                {"lang": "zh-Hant"}, {"authors": "张三"}, {"id": "xyz"}, {"unexpected": 1}):
        assert list(validator.iter_errors(_article(**bad))), bad
    assert not list(validator.iter_errors(_article(published_at=None)))
    assert not list(validator.iter_errors(_article(published_at="2016-09-27")))
