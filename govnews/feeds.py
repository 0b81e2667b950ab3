"""Feed storage for local files: whole lines only, fsynced, and tied to the state store.

Registered in ``FEED_STORAGES`` for ``file://`` URIs and plain paths, so ``-o``, ``-O``, ``FEEDS`` and
the default one-file-per-run feed all write through ``govnews.state.output.DurableOutput``:

- ``-o FILE`` appends; every line is written whole and fsynced, then its article is committed to the
  state store (the article counts as exported only from that moment);
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

from govnews.incremental import runtime_for
from govnews.state.output import DurableOutput


class DurableFileFeedStorage(FileFeedStorage):
    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None, crawler: Crawler | None = None) -> None:
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler
        self.mode = "replace" if (feed_options or {}).get("overwrite", False) else "append"

    @classmethod
    def from_crawler(cls, crawler: Crawler, uri: str, *, feed_options: dict[str, Any] | None = None
                     ) -> DurableFileFeedStorage:
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider: Spider) -> IO[bytes]:
        runtime = runtime_for(self.crawler)
        binding = runtime.binding() if runtime is not None else None
        return DurableOutput(self.path, self.mode, binding, keep_previous=binding is not None)  # type: ignore[return-value]

    def store(self, file: IO[bytes]) -> None:
        file.close()
