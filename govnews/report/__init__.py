"""Reports a person can read: the end-of-crawl summary and ``govnews report`` over any JSONL dataset."""
