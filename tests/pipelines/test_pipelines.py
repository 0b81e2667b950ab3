"""The pipelines are thin adapters: what they count and drop, with a real Scrapy crawler's stats."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from govnews.items import Article, CleaningRecord
from govnews.urls import article_id
from pipelines.clean import CleanPipeline
from pipelines.dedup import DedupPipeline
from pipelines.validate import ValidatePipeline

BODY = "岢岚县召开乡村振兴工作推进会，总结上半年工作，安排部署下一阶段重点任务。"


def raw(url: str = "http://klx.sxxz.gov.cn/a.html", text: str = BODY, **fields: object) -> Article:
    return Article(id=article_id(url), url=url, canonical_url=url, site="klx",
                   title="乡村振兴推进会", text=text, crawled_at="2026-11-22T10:00:00+00:00", **fields)


def pipeline(cls: type, **settings: object):
    crawler = get_crawler(settings_dict=settings)
    return cls.from_crawler(crawler), crawler.stats


def test_clean_pipeline_counts_each_step_it_ran() -> None:
    clean, stats = pipeline(CleanPipeline)
    extracted = CleaningRecord("extract", "html", 3, {"boilerplate_nodes": 3})
    item = clean.process_item(raw(text="新闻(xīnwén)：" + BODY + "\n分享到：", cleaning=[extracted]))
    assert item.text == "新闻：" + BODY
    assert item.cleaning[0] == extracted
    assert stats.get_value("govnews/cleaning/strip_pinyin_glosses") == 1
    assert stats.get_value("govnews/cleaning/remove_widget_text") == 1
    assert stats.get_value("govnews/cleaning/extract") is None  # extraction counts are the spider's


def test_validate_pipeline_drops_with_a_named_counted_reason() -> None:
    validate, stats = pipeline(ValidatePipeline, GOVNEWS_MIN_TEXT_CHARS=10)
    good = CleanPipeline(stats).process_item(raw())
    assert validate.process_item(good) is good
    with pytest.raises(DropItem, match="empty_text"):
        validate.process_item(CleanPipeline(stats).process_item(raw(text="图片")))
    broken = CleanPipeline(stats).process_item(raw())
    broken.published_at = "2023/08/07"
    with pytest.raises(DropItem, match="schema_invalid: published_at"):
        validate.process_item(broken)
    assert stats.get_value("govnews/dropped/empty_text") == 1
    assert stats.get_value("govnews/dropped/schema_invalid") == 1


def test_dedup_pipeline_by_id_and_by_body() -> None:
    dedup, stats = pipeline(DedupPipeline)
    first = CleanPipeline(stats).process_item(raw())
    dedup.process_item(first)
    with pytest.raises(DropItem, match="duplicate_url"):
        dedup.process_item(first)
    with pytest.raises(DropItem, match="duplicate_content"):
        dedup.process_item(CleanPipeline(stats).process_item(raw(url="http://mirror.example/a.html")))
    assert stats.get_value("govnews/dropped/duplicate_url") == 1
    assert stats.get_value("govnews/dropped/duplicate_content") == 1
    other_notice = CleanPipeline(stats).process_item(raw(url="http://klx.sxxz.gov.cn/b.html"))
    other_notice.title = "另一份通知"
    dedup.process_item(other_notice)  # same body, different title: a different document

    keep_all, _ = pipeline(DedupPipeline, GOVNEWS_DEDUP_CONTENT=False)
    keep_all.process_item(first)
    keep_all.process_item(CleanPipeline(stats).process_item(raw(url="http://mirror.example/a.html")))


def test_a_cleaning_bug_drops_one_article_not_the_crawl(monkeypatch: pytest.MonkeyPatch) -> None:
    import govnews.clean.article

    def broken(article: Article) -> Article:
        raise RecursionError("simulated bug")

    monkeypatch.setattr(govnews.clean.article, "clean_article", broken)
    clean, stats = pipeline(CleanPipeline)
    with pytest.raises(DropItem, match="clean_error: RecursionError: simulated bug"):
        clean.process_item(raw())
    assert stats.get_value("govnews/dropped/clean_error") == 1
