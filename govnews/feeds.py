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

Two crawls must not write one ``-O FILE`` at once: both would write ``FILE.tmp`` (truncating each
other's lines) and rename it, and the lines one of them committed to its state store would be lost from
disk for good. ``lock_replaced_outputs`` (called by ``scrapy crawl`` before anything is fetched) holds an
exclusive ``flock`` on ``FILE.tmp`` for the life of the crawl; a second crawl finds it held and stops with
one line and exit status 2.
"""

from __future__ import annotations

import atexit
import fcntl
import os
from pathlib import Path
from typing import IO, Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.settings import BaseSettings
from twisted.internet import task
from w3lib.url import file_uri_to_path

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


class OutputLocked(Exception):
    """Another crawl is writing the same ``-O`` file."""


def _local_path(uri: str) -> Path | None:
    if uri.startswith("file:"):
        return Path(file_uri_to_path(uri))
    if "://" in uri:
        return None
    return Path(uri)


def lock_replaced_outputs(settings: BaseSettings) -> list[int]:
    """Lock ``FILE.tmp`` of every local feed written with ``overwrite`` (``-O``) for this process's life;
    raises ``OutputLocked`` naming the file when another process holds the lock. Returns the locked
    descriptors (released when the process exits, however it exits)."""
    held: list[int] = []
    for uri, options in settings.getdict("FEEDS").items():
        path = _local_path(str(uri))
        if path is None or not (options or {}).get("overwrite", False):
            continue
        tmp = path.with_name(path.name + ".tmp")
        tmp.parent.mkdir(parents=True, exist_ok=True)
        created = not tmp.exists()
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o644)  # never truncate: it may be another crawl's
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise OutputLocked(f"{path} is being written by another crawl (its {tmp.name} is locked); wait for "
                               "it to end, or give this crawl another -O file") from None
        held.append(fd)
        if created:
            atexit.register(_remove_if_unused, tmp, fd)
    return held


def _remove_if_unused(tmp: Path, fd: int) -> None:
    """The lock made ``FILE.tmp``; if the crawl never wrote it (it is still empty and still ours), remove it."""
    try:
        mine = os.fstat(fd)
        there = os.stat(tmp)
    except OSError:
        return
    if (mine.st_ino, mine.st_dev) == (there.st_ino, there.st_dev) and there.st_size == 0:
        tmp.unlink(missing_ok=True)
