"""Crash recovery: make the store agree with what a dead run actually wrote.

A run stages an article before its line is written and commits it after the line is flushed and
fsynced, so when a run dies (SIGKILL, power cut, OOM) its staged rows are exactly the articles in
doubt. For each output of a dead run:

- ``append`` outputs: every complete line after the committed offset reached the file before the
  crash, so its staged row is committed; a partial last line (a short write) is cut off, so the
  file never ends in half a record, unless another live run now appends to the file (it holds the
  file's lock, ``govnews.state.filelock``): then the last line may be that run's, half written, and is
  left to it.
- ``replace`` outputs (``-O``): the lines went to a temporary file that is renamed over the target
  only when the run closes it. If the rename happened (state ``renaming``, no temporary file left),
  the lines are committed; otherwise the temporary file is deleted and the target keeps the previous
  run's data.

Whatever is still staged afterwards never reached an output and is discarded: the next run fetches
and exports it again. Nothing here imports Scrapy.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from govnews.state.base import Output, StateStore
from govnews.state.filelock import repairable

logger = logging.getLogger(__name__)


@dataclass
class RecoveryReport:
    runs: list[str] = field(default_factory=list)
    committed: int = 0  #: staged articles found in an output: remembered as exported
    discarded: int = 0  #: staged articles that never reached an output: exported again next time
    truncated_bytes: int = 0  #: partial last lines cut off


def read_ids(path: Path, start: int = 0) -> tuple[list[tuple[str, int]], int]:
    """(id, end offset) of every complete JSON line after byte ``start``, and the offset just past the
    last complete line (where a partial line, if any, begins)."""
    found: list[tuple[str, int]] = []
    good_end = start
    with path.open("rb") as handle:
        handle.seek(start)
        offset = start
        for line in handle:
            offset += len(line)
            if not line.endswith(b"\n"):
                break
            good_end = offset
            try:
                article_id = json.loads(line).get("id")
            except (ValueError, AttributeError):
                continue
            if isinstance(article_id, str):
                found.append((article_id, offset))
    return found, good_end


def truncate_partial_line(path: Path, good_end: int) -> int:
    """Cut a file back to ``good_end`` (the end of its last complete line); returns bytes removed."""
    size = path.stat().st_size
    if size <= good_end:
        return 0
    with path.open("r+b") as handle:
        handle.truncate(good_end)
        handle.flush()
        os.fsync(handle.fileno())
    return size - good_end


def recover_output(store: StateStore, output: Output, report: RecoveryReport) -> None:
    path = Path(output.path)
    if output.mode == "append":
        if path.exists():
            with repairable(path) as alone:
                found, good_end = read_ids(path, output.committed)
                if alone:
                    report.truncated_bytes += truncate_partial_line(path, good_end)
                else:  # a live run appends to it now: its last line may be half written, not half lost
                    logger.info("%s is being written by another run: its tail is left to that run", path)
            staged = set(store.staged_ids(output.run))
            ids = [article_id for article_id, _ in found if article_id in staged]
            report.committed += store.commit(output.run, ids, output.path, good_end)
    else:
        tmp = Path(output.tmp) if output.tmp else None
        if output.state == "renaming" and (tmp is None or not tmp.exists()) and path.exists():
            found, _ = read_ids(path)
            report.committed += store.commit(output.run, [i for i, _ in found])
        elif tmp is not None and tmp.exists():
            tmp.unlink()
    store.remove_output(output.run, output.path)


def recover(store: StateStore) -> RecoveryReport:
    """Bring every dead run's staged rows and outputs to a consistent state (see module doc)."""
    report = RecoveryReport()
    for run in store.stale_runs():
        report.runs.append(run)
        for output in store.outputs(run):
            recover_output(store, output, report)
        report.discarded += store.discard(run)
        store.close_run(run, "recovered")
    if report.runs:
        logger.warning("Recovered %d interrupted run(s): %d article(s) found in their output and kept, %d "
                       "never written (will be exported again), %d byte(s) of partial lines removed",
                       len(report.runs), report.committed, report.discarded, report.truncated_bytes)
    return report
