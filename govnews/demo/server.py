"""A throwaway static HTTP server on 127.0.0.1, for the offline demo and the tests.

It serves a folder on a free port and never listens beyond loopback, so crawling it contacts no
other host.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class _QuietHandler(SimpleHTTPRequestHandler):
    content_types: Mapping[str, str] = {}

    def log_message(self, format: str, *args: Any) -> None:  # the crawl log is what matters
        pass

    def guess_type(self, path: Any) -> str:
        name = Path(str(path)).name
        return self.content_types.get(name) or super().guess_type(path)


@contextmanager
def serve_directory(root: Path, content_types: Mapping[str, str] | None = None) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 (a free port) for the duration of the block.

    ``content_types`` maps a file name to the Content-Type header to send for it, e.g. to serve GBK
    bytes as ``text/html; charset=utf-8`` the way misconfigured servers do.
    """
    handler_cls = type("Handler", (_QuietHandler,), {"content_types": dict(content_types or {})})
    with serve_with(root, handler_cls) as base:
        yield base


@contextmanager
def serve_with(root: Path, handler_cls: type[SimpleHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) with ``handler_cls`` (tests pass handlers that fail or
    hold some paths) for the duration of the block; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler_cls, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
