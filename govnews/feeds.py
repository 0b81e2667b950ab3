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
- the default feed (``GOVNEWS_DEFAULT_FEED``) is a new file per run, written like ``-o``; its name is
  claimed with an exclusive create (``govnews.extensions.claim_default_feed``), so two runs started in
  the same second get two files.

Two crawls must not write one output file at once. With ``-O`` both would write ``FILE.tmp``
(truncating each other's lines) and rename it, and the lines one of them committed to its state store
would be lost from disk for good; with ``-o`` their lines would interleave, each run's committed offset
would be wrong, and one run's repair of a partial last line could cut the other's line in the middle of
its write. ``lock_outputs`` (called by ``scrapy crawl`` before anything is fetched) holds an exclusive
``flock`` for the life of the crawl, on ``FILE.tmp`` (``-O``) or on ``FILE`` (``-o``); a second crawl finds
it held and stops with one line and exit status 2. ``DurableOutput`` takes the same lock when it opens
(a no-op if the command took it), so crawls started some other way are kept apart too.
"""

from __future__ import annotations

import atexit
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
from govnews.state.filelock import OutputLocked, hold, locked_elsewhere, release
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


class OutputInUse(Exception):
    """Another crawl is writing the same output file, or the file cannot be written at all."""


def _local_path(uri: str) -> Path | None:
    if uri.startswith("file:"):
        return Path(file_uri_to_path(uri))
    if "://" in uri:
        return None
    return Path(uri)


def lock_outputs(settings: BaseSettings) -> list[int]:
    """Lock every local feed file this crawl will write, for this process's life (``govnews.state.filelock``):
    ``FILE.tmp`` of a feed written with ``overwrite`` (``-O``), ``FILE`` itself of an appended one (``-o``).
    Raises ``OutputInUse`` with the line to show when another process holds one, or holds the other
    mode's lock of the same file, or the file cannot be written. A name still to be
    filled in (``%(time)s``: the default feed) is locked when its file is opened. Returns the descriptors."""
    held: list[int] = []
    for uri, options in settings.getdict("FEEDS").items():
        path = _local_path(str(uri))
        if path is None or "%(" in str(uri) or str(uri) in ("-", "stdout:"):
            continue
        replace = bool((options or {}).get("overwrite", False))
        lock = path.with_name(path.name + ".tmp") if replace else path
        created = not lock.exists()
        try:
            fd, _ = hold(lock, path)
        except OSError as exc:  # a folder, no permission, a read-only disk: say so before anything is fetched
            raise OutputInUse(f"cannot write {lock}: {exc.strerror or exc}") from None
        except OutputLocked:
            raise OutputInUse(_in_use(path, replaced=replace, by_replace=replace)) from None
        # The other mode's lock: an -O crawl renaming over a FILE that an -o crawl appends to (or the
        # reverse) would leave one crawl's lines in a file its store does not name. Each crawl holds its own
        # lock before probing the other's, so of two starting together at least one sees the other.
        other = path if replace else path.with_name(path.name + ".tmp")
        if other.exists() and locked_elsewhere(other):
            if created:
                lock.unlink(missing_ok=True)  # made empty by this crawl a moment ago
            release(fd)
            raise OutputInUse(_in_use(path, replaced=replace, by_replace=not replace))
        held.append(fd)
        if created and replace:
            atexit.register(_remove_if_unused, lock, fd)
    return held


def _in_use(path: Path, replaced: bool, by_replace: bool) -> str:
    """The one line for a crawl (``-O`` if ``replaced``) whose output another crawl writes (with ``-O`` if
    ``by_replace``)."""
    flag = "-O" if replaced else "-o"
    if by_replace:
        return (f"{path} is being written by another crawl (its {path.name}.tmp is locked); wait for it to end, "
                f"or give this crawl another {flag} file")
    return (f"{path} is being appended to by another crawl (it holds the file's lock); wait for it to end, or "
            f"give this crawl another {flag} file")


def _remove_if_unused(tmp: Path, fd: int) -> None:
    """The lock made ``FILE.tmp``; if the crawl never wrote it (it is still empty and still ours), remove it."""
    try:
        mine = os.fstat(fd)
        there = os.stat(tmp)
    except OSError:
        return
    if (mine.st_ino, mine.st_dev) == (there.st_ino, there.st_dev) and there.st_size == 0:
        tmp.unlink(missing_ok=True)
