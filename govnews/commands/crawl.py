"""``scrapy crawl`` that checks spider arguments first and reports a mistake as one line.

Scrapy builds the spider inside the running crawl, so a bad ``-a`` argument ends in a traceback and
exit status 0. Here the spider class is built once up front: a ``ValueError`` from its ``__init__``
becomes ``error: <spider>: <message>`` on stderr and exit status 2, before anything is fetched.
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                print(f"error: no spider named {args[0]!r}; `scrapy list` names them", file=sys.stderr)
                self.exitcode = 2
                return
            try:
                spidercls(**opts.spargs)
            except (ValueError, TypeError) as exc:
                print(f"error: {args[0]}: {exc}", file=sys.stderr)
                self.exitcode = 2
                return
        super().run(args, opts)
