"""``python -m tests.faults.audited crawl ...``: ``scrapy`` with an audit hook that records file access.

Python raises an ``open`` audit event for every file a process opens (``open()``, ``os.open``,
``Path.read_bytes``...) and ``os.listdir``/``os.scandir`` events for directory reads. The hook writes
each path to the file named by ``GOVNEWS_AUDIT_LOG``, so a test can prove that a crawl read no file
its user did not name. The log file is opened before the hook is installed, so it does not log itself.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_EVENTS = {"open": "open", "os.listdir": "list", "os.scandir": "list"}


def _install(log_path: str) -> None:
    log = open(log_path, "w", encoding="utf-8", buffering=1)  # noqa: SIM115 (lives as long as the process)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        kind = _EVENTS.get(event)
        if kind is None or not args or isinstance(args[0], int) or args[0] is None:
            return
        log.write(f"{kind}\t{os.fsdecode(args[0])}\n")

    sys.addaudithook(hook)


if __name__ == "__main__":
    _install(os.environ["GOVNEWS_AUDIT_LOG"])
    from scrapy.cmdline import execute

    execute(["scrapy", *sys.argv[1:]])
