"""The JSON lines exporter writes exactly what Scrapy's writes."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from scrapy.exporters import JsonLinesItemExporter

from govnews.exporters import JsonLinesExporter
from govnews.items import Article, CleaningRecord, Image, Region


def _article() -> Article:
    return Article(id="a" * 40, url="http://x.gov.cn/a.html", canonical_url="http://x.gov.cn/a.html", site="x",
                   site_name="某县", region=Region(province="山西省", city="忻州市", county="岢岚县"),
                   title="标题「引号」\n",
                   published_at="2024-03-20T10:00:00+08:00", source="岢岚县融媒体中心", authors=["刘建国"],
                   text="第一段。\n第二段 \"quoted\" \\ back\u2028slash", captions=["图"],
                   images=[Image(url="http://x.gov.cn/1.jpg", caption="图")],
                   cleaning=[CleaningRecord(step="strip_pinyin_glosses", field="text", count=2, details={"a": 1},
                                            samples=["新闻(xīnwén)"])],
                   gov_meta={"SiteName": "某县"}, crawled_at="2024-03-20T10:00:00+00:00")


def _export(cls: type, item: Any, **kwargs: Any) -> bytes:
    out = io.BytesIO()
    exporter = cls(out, **kwargs)
    exporter.start_exporting()
    exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue()


@pytest.mark.parametrize("kwargs", [{"encoding": "utf-8"}, {}, {"encoding": "utf-8", "indent": 2},
                                    {"encoding": "utf-8", "fields_to_export": ["title", "id"]},
                                    {"encoding": "utf-8", "export_empty_fields": True}])
def test_lines_are_scrapys_byte_for_byte(kwargs: dict[str, Any]) -> None:
    article = _article()
    setattr(article, "_govnews_prepared", object())  # noqa: B010  what a worker attaches is never exported
    assert _export(JsonLinesExporter, article, **kwargs) == _export(JsonLinesItemExporter, article, **kwargs)


def test_other_items_go_through_scrapys_path() -> None:
    @dataclasses.dataclass
    class WithSerializer:
        n: int = dataclasses.field(default=1, metadata={"serializer": str})

    for item in ({"a": 1, "b": "中"}, WithSerializer()):
        assert _export(JsonLinesExporter, item, encoding="utf-8") == _export(JsonLinesItemExporter, item,
                                                                             encoding="utf-8")
