"""``scrapy crawl`` that checks spider arguments first, reports a mistake as one line, and exits with a
status a scheduler can act on.

Scrapy builds the spider inside the running crawl, so a bad ``-a`` argument ends in a traceback and
exit status 0. Here the spider class is built once while the options are read, before the crawler
process (and its logging) starts: a ``ValueError`` from the spider's ``__init__`` (or its
``check_settings``) becomes ``error: <spider>: <message>`` on stderr and exit status 2, before anything
is fetched. So is a fleet crawl (``REDIS_URL``) whose Redis cannot be reached or refuses the password,
and a second crawl given the ``-o``/``-O FILE`` another crawl is writing (``govnews.feeds``).
An argument that names URLs (``url``, ``start_url``, ``sitemap``, ``feed``) may be repeated;
any other repeated argument is an error rather than silently keeping the last value. After the crawl,
the exit status is the one ``govnews.exitcodes.ExitStatus`` decided (0, or 3/4/5).
"""

from __future__ import annotations

import argparse
import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spiderloader import get_spider_loader

from govnews.exitcodes import EXIT_CODE_KEY, FAILED, USAGE
from govnews.feeds import OutputInUse, lock_outputs

#: Arguments that name URLs: repeating one adds URLs (joined by a newline, a separator no URL contains).
REPEATABLE = frozenset({"url", "start_url", "sitemap", "feed"})


class Command(ScrapyCrawlCommand):
    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        name = args[0] if args else "crawl"
        opts.spargs = self._merge_repeated(name, list(opts.spargs or []))
        super().process_options(args, opts)
        if self.settings is not None:
            self._check_setting_values()
        if len(args) != 1 or self.settings is None:
            return  # Scrapy's own usage errors apply
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            self._fail(f"error: no spider named {args[0]!r}; `scrapy list` names them")
        try:
            spider = spidercls(**opts.spargs)
            check = getattr(spider, "check_settings", None)
            if check is not None:
                check(self.settings)
        except (ValueError, TypeError) as exc:
            self._fail(f"error: {args[0]}: {exc}")
        self._check_redis()
        try:
            self.output_locks = lock_outputs(self.settings)
        except OutputInUse as exc:
            self._fail(f"error: {exc}")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)
            return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        try:
            code = crawler.stats.get_value(EXIT_CODE_KEY)
        except RuntimeError:  # the crawl never started (the spider could not be built)
            code = None
        self.exitcode = FAILED if self.crawler_process.bootstrap_failed or code is None else int(code)

    def _check_setting_values(self) -> None:
        """A ``-s NAME=value`` whose default is a number or a flag must be one: ``GOVNEWS_MAX_ERROR_RATE=abc``
        would otherwise end in a traceback mid-start-up (or, read late, be ignored)."""
        from scrapy.settings import default_settings

        import govnews.settings as ours

        assert self.settings is not None
        for name in list(self.settings):
            if self.settings.getpriority(name) != SETTINGS_PRIORITIES["cmdline"]:
                continue
            default = getattr(ours, name, getattr(default_settings, name, None))
            value = self.settings.get(name)
            if not isinstance(value, str) or default is None:
                continue
            try:
                if isinstance(default, bool):
                    self.settings.getbool(name)
                elif isinstance(default, int | float):
                    float(value)
            except ValueError:
                wanted = "true or false (1/0)" if isinstance(default, bool) else "a number"
                self._fail(f"error: setting {name}={value!r}: expected {wanted} (default {default!r})")

    def _check_redis(self) -> None:
        """A fleet crawl whose Redis cannot be reached (none there, no or a wrong password) stops here in
        one line: once running, a worker waits out any Redis outage, so it would wait for ever."""
        from govnews.fleet.connection import check_reachable, fleet_enabled, redacted, redis_url

        try:
            if not fleet_enabled(self.settings):
                return
        except ValueError as exc:
            self._fail(f"error: {exc}")
        try:
            import redis  # noqa: F401
        except ImportError:
            return  # the fleet add-on says which extra to install
        url = redis_url(self.settings)
        problem = check_reachable(url)
        if problem:
            self._fail(f"error: REDIS_URL={redacted(url)}: {problem}")

    def _merge_repeated(self, spider: str, spargs: list[str]) -> list[str]:
        merged: dict[str, list[str]] = {}
        for arg in spargs:
            key, sep, value = arg.partition("=")
            if not sep:
                return spargs  # Scrapy reports the malformed -a
            merged.setdefault(key.strip(), []).append(value)
        for key, values in merged.items():
            if len(values) > 1 and key not in REPEATABLE:
                self._fail(f"error: {spider}: {key} given {len(values)} times; give it once")
        return [f"{key}={chr(10).join(values)}" for key, values in merged.items()]

    @staticmethod
    def _fail(message: str) -> None:
        print(message, file=sys.stderr)
        sys.exit(USAGE)
