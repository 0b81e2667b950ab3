from __future__ import annotations

from govnews.extensions import summarize


def test_summary_names_what_was_written_dropped_and_where() -> None:
    stats = {"response_received_count": 17, "item_scraped_count": 12, "govnews/dropped/empty_text": 1,
             "govnews/dropped/duplicate_url": 2, "govnews/fallback/lfxww/title": 1,
             "govnews/empty/lfxww/source": 3, "log_count/ERROR": 1, "govnews/fetch_failed": 2}
    assert summarize(stats, ["data/x.jsonl"]).splitlines() == [
        "pages fetched: 17",
        "articles written: 12",
        "articles dropped: duplicate_url=2, empty_text=1",
        "pages that could not be fetched: 2",
        "selector fallbacks: lfxww/title=1",
        "empty fields: lfxww/source=3",
        "errors logged: 1",
        "output: data/x.jsonl",
    ]


def test_summary_of_a_clean_crawl_is_short() -> None:
    assert summarize({"item_scraped_count": 3}, []).splitlines() == [
        "pages fetched: 0", "articles written: 3", "articles dropped: 0"]
