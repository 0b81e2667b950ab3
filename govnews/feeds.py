"""Feed storage for local files: whole lines only, fsynced, and tied to the state store.

Registered in ``FEED_STORAGES`` for ``file://`` URIs and plain paths, so ``-o``, ``-O``, ``FEEDS`` and
the default one-file-per-run feed all write through ``govnews.state.output.DurableOutput``:

- ``-o FILE`` appends; every line is written whole and fsynced, then its article is committed to the
  state store (the article counts as exported only from that moment). Lines are fsynced and committed
  in groups: every ``GOVNEWS_FEED_SYNC_LINES`` lines, and at least every ``GOVNEWS_FEED_SYNC_SECONDS``
  seconds while lines wait (a timer), so a slow crawl's articles are not left uncommitted either;
- ``-O FILE`` writes ``FILE.tmp`` and renames it over ``FILE`` when the crawl ends, so an interrupted
  run never empties or shortens the previous ``FILE``; with a state store the previous ``FILE`` is
  kept beside the new one (see ``DurableOutput``), since the store counts its articles as exported;
- the default feed (``GOVNEWS_DEFAULT_FEED``) is a new file per run, written like ``-o``.
"""

from __future__ import annotations

from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage
from twisted.internet import task

from govnews.incremental import runtime_for
from govnews.state.output import DurableOutput


class DurableFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.mode = "replace" if (feed_options or {}).get("overwrite", False) else "append"
        self.timer: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
                     ) -> DurableFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        runtime = runtime_for(self.crawler)
        binding = runtime.binding() if runtime is not None else None
        settings = self.crawler.settings if self.crawler is not None else None
        lines = settings.getint("GOVNEWS_FEED_SYNC_LINES", 1) if settings is not None else 1
        output = DurableOutput(self.path, self.mode, binding, keep_previous=binding is not None, sync_lines=lines)
        seconds = settings.getfloat("GOVNEWS_FEED_SYNC_SECONDS", 1.0) if settings is not None else 0
        if self.mode == "append" and lines > 1 and seconds > 0:
            self.timer = task.LoopingCall(output.sync)
            self.timer.start(seconds, now=False)
        return output  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> None:
        if self.timer is not None and self.timer.running:
            self.timer.stop()
        file.close()
