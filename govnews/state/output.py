"""JSONL output files that never end in half a line and never lose an earlier run's data.

``DurableOutput`` is the file object the feed exporter writes into:

- ``append`` mode (``-o FILE``, and the default one-file-per-run feed): each line goes to the file in
  one ``write`` system call and is fsynced before the state store is told it is exported; a partial
  line left by a crash is cut off before anything is appended. The writing process holds the file's
  lock (``govnews.state.filelock``) while it writes, so no other run appends to it or cuts its tail.
  Lines are fsynced and committed in
  groups (``sync_lines``, and ``sync()`` called on a timer by the feed glue): one fsync and one store
  transaction per line held a crawl's event loop for a third of its time (BENCHMARKS.md, "Crawl
  throughput"). A line written but not yet committed when the run dies is committed by recovery, like
  any line after the committed offset.
- ``replace`` mode (``-O FILE``): lines go to ``FILE.tmp``; closing fsyncs it and renames it over
  ``FILE`` (atomic), so a killed run leaves the previous ``FILE`` untouched. With a state store the
  previous ``FILE`` is not thrown away either: it holds articles the store counts as exported, so it
  is kept beside the new one as ``FILE`` stem + ``.<its modification time>`` + suffix.

``StateBinding`` connects one output to a run of the state store: registers it for recovery,
commits each line's article once the line is durable, and, for replace mode, commits them all after
the rename.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from govnews.report.paths import summary_path
from govnews.state.base import Output, StateStore
from govnews.state.filelock import hold, release
from govnews.state.recovery import read_ids, truncate_partial_line

logger = logging.getLogger(__name__)


class StateBinding:
    """What an output tells the state store, for one run."""

    def __init__(self, store: StateStore, run: str) -> None:
        self.store = store
        self.run = run

    def opened(self, path: Path, mode: str, tmp: Path | None, offset: int) -> None:
        self.store.add_output(Output(str(path), self.run, mode, str(tmp) if tmp else None, offset, "open"))

    def lines_written(self, path: Path, ids: list[str], end: int) -> None:
        """The lines of these articles are durable, up to byte ``end`` of ``path``: one transaction."""
        self.store.commit(self.run, ids, str(path), end)

    def renaming(self, path: Path) -> None:
        self.store.update_output(self.run, str(path), state="renaming")

    def replaced(self, path: Path) -> None:
        found, _ = read_ids(path)
        self.store.commit(self.run, [article_id for article_id, _ in found])

    def closed(self, path: Path) -> None:
        self.store.remove_output(self.run, str(path))


_ID_PREFIX = b'{"id": "'


def _line_id(line: bytes) -> str | None:
    if line.startswith(_ID_PREFIX):  # the exporter writes the schema's first field first: no need to parse
        end = line.find(b'"', len(_ID_PREFIX))
        if end > 0 and b"\\" not in line[len(_ID_PREFIX):end]:
            return line[len(_ID_PREFIX):end].decode("utf-8", "replace")
    try:
        article_id = json.loads(line).get("id")
    except (ValueError, AttributeError):
        return None
    return article_id if isinstance(article_id, str) else None


def fsync_dir(path: Path) -> None:
    """Make a rename or a new directory entry durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def keep_previous(path: Path) -> Path:
    """Move ``path`` aside as stem + ``.<its modification time>`` + suffix, never over another file: a
    name already taken (two replaced files with one modification second) gets ``-2``, ``-3``... The
    caller holds the lock of ``path``'s ``-O`` output (``govnews.state.filelock``), so no other process
    takes a name between the look and the rename (one atomic rename: a crash leaves the file under one
    name or the other, never under both). Its summary (``govnews.report.paths.summary_path``) moves with
    it, so ``govnews report`` still finds what the run that wrote it did."""
    stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(path.stat().st_mtime))
    for n in range(1, 10_000):
        kept = path.with_name(f"{path.stem}.{stamp}{'' if n == 1 else f'-{n}'}{path.suffix}")
        if not kept.exists() and not summary_path(kept).exists():
            break
    else:  # pragma: no cover - ten thousand files of one second
        raise FileExistsError(f"no free name to keep {path} under")
    os.rename(path, kept)
    summary = summary_path(path)
    if summary.exists():
        os.rename(summary, summary_path(kept))
    fsync_dir(path.parent)
    return kept


class DurableOutput:
    """A binary file object for ``JsonLinesItemExporter`` (see module doc)."""

    def __init__(self, path: str | os.PathLike[str], mode: str = "append", binding: StateBinding | None = None,
                 keep_previous: bool = False, sync_lines: int = 1) -> None:
        if mode not in ("append", "replace"):
            raise ValueError(f"mode must be append or replace, not {mode!r}")
        self.path = Path(path)
        self.mode = mode
        self.binding = binding
        self.keep_previous = keep_previous
        self.sync_lines = max(1, sync_lines)
        self.pending: list[str] = []  # ids of the lines written since the last sync (append mode)
        self.unsynced = 0  # lines written since the last sync
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.tmp = self.path.with_name(self.path.name + ".tmp") if mode == "replace" else None
        target = self.tmp or self.path
        # One writer per file (govnews.state.filelock): raises OutputLocked while another process writes it.
        self.lock_fd, owned = hold(target, self.path)
        self.owned_lock = owned
        if mode == "append":
            removed = truncate_partial_line(self.path, read_ids(self.path)[1])  # ours alone now
            if removed:
                logger.warning("%s ended in a partial line (%d bytes): removed before appending", self.path, removed)
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "append" else os.O_TRUNC)
        self.fd = os.open(target, flags, 0o644)
        self.offset = os.lseek(self.fd, 0, os.SEEK_END)
        self.buffer = b""
        self.closed = False
        self.lines = 0
        if binding is not None:
            binding.opened(self.path, mode, self.tmp, self.offset)

    def write(self, data: bytes) -> int:
        self.buffer += bytes(data)
        while True:
            end = self.buffer.find(b"\n")
            if end < 0:
                break
            line, self.buffer = self.buffer[:end + 1], self.buffer[end + 1:]
            self._write_line(line)
        return len(data)

    def _write_line(self, line: bytes) -> None:
        view = memoryview(line)
        while view:  # one call in practice; loop on a short write (disk full raises instead)
            written = os.write(self.fd, view)
            view = view[written:]
        self.offset += len(line)
        self.lines += 1
        if self.mode == "append":
            self.unsynced += 1
            if self.binding is not None:
                article_id = _line_id(line)
                if article_id:
                    self.pending.append(article_id)
            if self.unsynced >= self.sync_lines:
                self.sync()

    def sync(self) -> None:
        """Make the lines written so far durable, then commit their articles (append mode)."""
        if self.fd < 0 or not self.unsynced:
            return
        os.fsync(self.fd)
        ids, self.pending, self.unsynced = self.pending, [], 0
        if self.binding is not None:
            self.binding.lines_written(self.path, ids, self.offset)

    def flush(self) -> None:
        """Lines are written as they complete; a trailing fragment waits for its newline."""

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        if self.buffer:  # an exporter that ended without a newline: finish the line, never leave half of it
            self._write_line(self.buffer + b"\n")
            self.buffer = b""
        self.sync()
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = -1
        if self.mode == "replace":
            assert self.tmp is not None
            if self.binding is not None:
                self.binding.renaming(self.path)
            if self.keep_previous and self.path.exists() and self.path.stat().st_size > 0:
                kept = keep_previous(self.path)
                logger.warning("Kept the previous %s as %s: it holds articles already exported", self.path, kept)
            os.replace(self.tmp, self.path)
            fsync_dir(self.path.parent)
            if self.binding is not None:
                self.binding.replaced(self.path)
        if self.binding is not None:
            self.binding.closed(self.path)
        if self.owned_lock:
            release(self.lock_fd)

    def __enter__(self) -> DurableOutput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
