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


def test_summary_gives_failures_and_refusals_by_reason_and_a_bad_exit_status() -> None:
    stats = {"item_scraped_count": 1, "govnews/fetch_failed": 3, "govnews/fetch_failed/timeout": 2,
             "govnews/fetch_failed/http_404": 1, "govnews/refused/offsite": 4, "govnews/exit_code": 4,
             "govnews/exit_reason": "too many errors: 3 of 4 pages (75% > GOVNEWS_MAX_ERROR_RATE=0.2)"}
    assert summarize(stats, []).splitlines()[3:] == [
        "pages that could not be fetched: 3 (http_404=1, timeout=2)",
        "requests refused: offsite=4",
        "exit status: 4 (too many errors: 3 of 4 pages (75% > GOVNEWS_MAX_ERROR_RATE=0.2))",
    ]
