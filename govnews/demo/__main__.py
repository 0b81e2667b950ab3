"""``python -m govnews.demo``: crawl the bundled sample site offline and print a summary.

The sample site (``govnews/demo/site/``) is crawled through ``file://`` by default, or with ``--http``
through a throwaway HTTP server on 127.0.0.1 that this command starts and stops. Nothing else is
contacted.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections import Counter
from pathlib import Path

from govnews.demo.server import serve_directory

SITE = Path(__file__).resolve().parent / "site"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m govnews.demo", description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="data/demo/sample.jsonl", help="JSONL file to write")
    parser.add_argument("--http", action="store_true", help="serve the site on 127.0.0.1 instead of file://")
    parser.add_argument("--log-level", default="WARNING")
    opts = parser.parse_args()

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "govnews.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    from govnews.extensions import summarize

    output = Path(opts.output).resolve()
    settings = get_project_settings()
    settings.set("FEEDS", {str(output): {"format": "jsonlines", "encoding": "utf-8", "overwrite": True}},
                 priority="cmdline")
    settings.set("LOG_LEVEL", opts.log_level, priority="cmdline")
    # The demo shows extraction and cleaning: every run writes the whole sample, so no state store.
    settings.set("GOVNEWS_STATE_PATH", "", priority="cmdline")
    with contextlib.ExitStack() as stack:
        base = stack.enter_context(serve_directory(SITE)) if opts.http else None
        start_url = f"{base}/index.html" if base else (SITE / "index.html").as_uri()
        process = CrawlerProcess(settings)
        crawler = process.create_crawler("sample")
        process.crawl(crawler, start_url=start_url)
        process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}
    print(f"govnews demo: crawled {start_url}")
    print(summarize(stats, [str(output)]))
    steps = Counter({k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("govnews/cleaning/")})
    if steps:
        print("cleaning: " + ", ".join(f"{k}={v}" for k, v in steps.most_common()))
    return 0 if stats.get("item_scraped_count") else 1


if __name__ == "__main__":
    raise SystemExit(main())
