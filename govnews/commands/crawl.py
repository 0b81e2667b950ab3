"""``scrapy crawl`` that checks spider arguments first and reports a mistake as one line.

Scrapy builds the spider inside the running crawl, so a bad ``-a`` argument ends in a traceback and
exit status 0. Here the spider class is built once while the options are read, before the crawler
process (and its logging) starts: a ``ValueError`` from the spider's ``__init__`` becomes
``error: <spider>: <message>`` on stderr and exit status 2, before anything is fetched.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.spiderloader import get_spider_loader


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        if len(args) != 1 or self.settings is None:
            return  # Scrapy's own usage errors apply
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            self._fail(f"error: no spider named {args[0]!r}; `scrapy list` names them")
        try:
            spidercls(**opts.spargs)
        except (ValueError, TypeError) as exc:
            self._fail(f"error: {args[0]}: {exc}")

    @staticmethod
    def _fail(message: str) -> None:
        print(message, file=sys.stderr)
        sys.exit(2)
