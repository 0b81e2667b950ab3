"""The fault suite's own HTTP proxy: it records every host a crawl asks for and refuses all but 127.0.0.1.

Crawls under test get ``http_proxy``/``https_proxy`` pointing here (Scrapy's HttpProxyMiddleware reads
them), so any request to another host -- a redirect or a link that escaped the offsite filter -- is
recorded in ``refused`` (and answered 403, never forwarded) instead of reaching the network. Requests for
127.0.0.1 are relayed byte for byte (one request per connection), so the misbehaving server's faults
reach the crawler unchanged.
"""

from __future__ import annotations

import select
import socket
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from tests.faults.server import MAX_HEAD, LoopbackServer, serve_in_thread

ALLOWED_HOST = "127.0.0.1"


@dataclass
class RecordingProxy:
    seen: list[tuple[str, str]] = field(default_factory=list)  # (method, target as requested)
    refused: list[str] = field(default_factory=list)  # hosts asked for and refused

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._server: LoopbackServer | None = None
        self.stopping = threading.Event()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def hosts(self) -> set[str]:
        """Every host a request was made for (allowed or refused)."""
        with self._lock:
            return {_host_of(method, target) for method, target in self.seen}

    def __enter__(self) -> RecordingProxy:
        self._server, self._thread = serve_in_thread(self._handle)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handle(self, client: socket.socket) -> None:
        client.settimeout(30)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = client.recv(4096)
                if not chunk or len(data) > MAX_HEAD:
                    return
                data += chunk
        except OSError:
            return
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = ([*lines[0].split(" "), "", ""])[:3]
        host = _host_of(method, target)
        with self._lock:
            self.seen.append((method, target))
            if host != ALLOWED_HOST or method == "CONNECT":
                self.refused.append(host)
        if host != ALLOWED_HOST or method == "CONNECT":
            _send(client, b"HTTP/1.1 403 Refused by the test proxy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        parts = urlsplit(target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [line for line in lines[1:] if line.split(":", 1)[0].strip().lower()
                   not in {"connection", "proxy-connection", "proxy-authorization", "keep-alive"}]
        request = "\r\n".join([f"{method} {path} {version}", *headers, "Connection: close"]) + "\r\n\r\n"
        try:
            upstream = socket.create_connection((parts.hostname, parts.port or 80), timeout=30)
        except OSError:
            _send(client, b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        with upstream:
            if _send(upstream, request.encode("latin-1") + rest):
                self._relay(client, upstream)

    def _relay(self, client: socket.socket, upstream: socket.socket) -> None:
        """Upstream bytes to the client until either side closes."""
        while not self.stopping.is_set():
            readable, _, _ = select.select([client, upstream], [], [], 0.5)
            for sock in readable:
                try:
                    chunk = sock.recv(65536)
                except OSError:
                    return
                if not chunk:
                    return
                if sock is upstream and not _send(client, chunk):
                    return


def _send(sock: socket.socket, data: bytes) -> bool:
    try:
        sock.sendall(data)
        return True
    except OSError:
        return False


def _host_of(method: str, target: str) -> str:
    if method == "CONNECT":
        return target.rsplit(":", 1)[0].strip("[]").lower()
    return (urlsplit(target).hostname or "").lower()
