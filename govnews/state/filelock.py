"""One writer per output file, and no repair of a file a live run is writing.

An output's lock is an exclusive ``flock`` held by the process that writes it, for as long as it writes
it (``-o FILE`` and the default feed: on ``FILE`` itself; ``-O FILE``: on ``FILE.tmp``). The kernel drops
it when the process dies, however it dies, so the lock also tells a live writer from a dead one:

- a second crawl given the same file finds the lock held and stops (``OutputLocked``), instead of
  interleaving its lines with the first one's and miscounting both runs' committed offsets;
- cutting a partial last line (``govnews.state.recovery``, and ``DurableOutput`` before appending) is
  done only under the lock: a line a live appender is in the middle of writing looks exactly like the
  partial line of a dead run, and cutting it would leave the live run writing past a hole.

``flock`` locks belong to an open file description, so a second ``open`` + ``flock`` in the same process
would conflict with the first; the locks this process holds are kept in one table (by device and inode)
and taking one again is a no-op.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: (device, inode) -> descriptor holding the lock, for the locks this process holds.
_HELD: dict[tuple[int, int], int] = {}


class OutputLocked(Exception):
    """Another process is writing the file."""

    def __init__(self, path: Path, lock: Path) -> None:
        super().__init__(str(path))
        self.path = path
        self.lock = lock


def _key(fd: int) -> tuple[int, int]:
    st = os.fstat(fd)
    return st.st_dev, st.st_ino


def hold(lock: Path, target: Path | None = None) -> tuple[int, bool]:
    """Take the exclusive lock on ``lock`` (created if missing, never truncated) for this process; returns
    (descriptor, whether it was taken now rather than already held here). Raises ``OutputLocked`` (naming
    ``target``, the output the lock guards) when another process holds it."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o644)
    key = _key(fd)
    if key in _HELD:
        os.close(fd)
        return _HELD[key], False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise OutputLocked(target or lock, lock) from None
    _HELD[key] = fd
    return fd, True


def release(fd: int) -> None:
    """Give up a lock ``hold`` took (closing the descriptor releases it)."""
    for key, held in list(_HELD.items()):
        if held == fd:
            del _HELD[key]
    os.close(fd)


def held_here(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_dev, st.st_ino) in _HELD


def locked_elsewhere(path: Path) -> bool:
    """Whether another process holds ``path``'s lock now (a probe: nothing is held afterwards)."""
    if held_here(path):
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def repairable(path: Path) -> Iterator[bool]:
    """True inside the block when no other live process holds ``path``'s lock (and none can take it until
    the block ends): then its tail may be cut. False while another process is writing it."""
    if held_here(path):
        yield True
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)
