"""A deliberately misbehaving HTTP server on 127.0.0.1, scripted per path.

The fault suite needs responses no well-behaved server sends: bodies cut short under a Content-Length,
chunked streams that stop, gzip that ends mid-stream, endless streams, lying headers, redirect loops.
``http.server`` cannot send those, so this is a raw socket server: each path maps to a *behaviour*, a
function that writes whatever bytes it likes to the connection. Every connection serves one request and
is closed (``Connection: close``), so a behaviour may drop the connection at any byte.

Used as a context manager, it binds 127.0.0.1 on a free port and stops (closing every open connection)
when the block ends.
"""

from __future__ import annotations

import contextlib
import gzip
import socket
import socketserver
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_HEAD = 64 * 1024


@dataclass
class Exchange:
    """One request as the server saw it, and the socket to answer on."""

    method: str
    path: str
    headers: dict[str, str]
    sock: socket.socket
    server: FaultServer
    count: int  # how many times this path was requested, this one included

    def write(self, data: bytes) -> bool:
        """Send bytes; False once the client has gone away."""
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def head(self, status: int = 200, headers: Mapping[str, str] | None = None, reason: str = "X") -> bool:
        lines = [f"HTTP/1.1 {status} {reason}", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        return self.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def wait(self, seconds: float) -> bool:
        """Sleep, but wake up when the server stops; False if it stopped."""
        return not self.server.stopping.wait(seconds)


Behaviour = Callable[[Exchange], None]


def respond(body: bytes | str, content_type: str = "text/html; charset=utf-8", status: int = 200,
            headers: Mapping[str, str] | None = None, content_length: bool = True) -> Behaviour:
    """A plain response (``content_length=False``: the body ends when the connection closes)."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def behave(ex: Exchange) -> None:
        head = {"Content-Type": content_type, **(headers or {})}
        if content_length:
            head.setdefault("Content-Length", str(len(data)))
        if ex.head(status, head) and ex.method != "HEAD":
            ex.write(data)
    return behave


def redirect(location: str, status: int = 302) -> Behaviour:
    return respond(b"", status=status, headers={"Location": location})


def sequence(*behaviours: Behaviour) -> Behaviour:
    """The n-th request of the path gets the n-th behaviour; later ones get the last."""
    def behave(ex: Exchange) -> None:
        behaviours[min(ex.count, len(behaviours)) - 1](ex)
    return behave


def slow(seconds: float, then: Behaviour) -> Behaviour:
    def behave(ex: Exchange) -> None:
        if ex.wait(seconds):
            then(ex)
    return behave


def cut(body: bytes | str, keep: int, framing: str = "length", content_type: str = "text/html; charset=utf-8",
        headers: Mapping[str, str] | None = None) -> Behaviour:
    """Send the first ``keep`` bytes of ``body``, then drop the connection.

    ``framing``: ``length`` (a Content-Length promising the whole body), ``close`` (no length: the body
    ends at close, as HTTP/1.0 allows) or ``chunked`` (the terminating chunk never comes).
    """
    data = body.encode("utf-8") if isinstance(body, str) else body

    def behave(ex: Exchange) -> None:
        head = {"Content-Type": content_type, **(headers or {})}
        if framing == "length":
            head["Content-Length"] = str(len(data))
        elif framing == "chunked":
            head["Transfer-Encoding"] = "chunked"
        if not ex.head(200, head):
            return
        part = data[:keep]
        ex.write(b"%x\r\n%s\r\n" % (len(part), part) if framing == "chunked" else part)
    return behave


def drip(body: bytes | str, every: float = 0.5) -> Behaviour:
    """Honest headers, then the body one byte at a time (slowloris in reverse)."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def behave(ex: Exchange) -> None:
        if ex.head(200, {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(data))}):
            for i in range(len(data)):
                if not ex.wait(every) or not ex.write(data[i:i + 1]):
                    return
    return behave


def chunked(body: bytes | str, pieces: int = 3, content_type: str = "text/html; charset=utf-8") -> Behaviour:
    """A complete chunked response (the well-behaved twin of ``cut(..., framing="chunked")``)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    step = max(1, -(-len(data) // pieces))

    def behave(ex: Exchange) -> None:
        if ex.head(200, {"Content-Type": content_type, "Transfer-Encoding": "chunked"}):
            frames = [b"%x\r\n%s\r\n" % (len(p), p) for p in (data[i:i + step] for i in range(0, len(data), step))]
            ex.write(b"".join(frames) + b"0\r\n\r\n")
    return behave


def stream(chunk: bytes, content_type: str = "text/html; charset=utf-8", chunked: bool = True) -> Behaviour:
    """An endless body, written until the client hangs up (or the server stops)."""
    def behave(ex: Exchange) -> None:
        head = {"Content-Type": content_type}
        if chunked:
            head["Transfer-Encoding"] = "chunked"
        if not ex.head(200, head):
            return
        frame = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
        while not ex.server.stopping.is_set() and ex.write(frame):
            pass
    return behave


def lying_length(claimed: int, content_type: str = "text/html; charset=utf-8") -> Behaviour:
    """Announce a ``claimed``-byte body, then send spaces until the client hangs up."""
    def behave(ex: Exchange) -> None:
        if ex.head(200, {"Content-Type": content_type, "Content-Length": str(claimed)}):
            block = b" " * 65536
            while not ex.server.stopping.is_set() and ex.write(block):
                pass
    return behave


def gzipped(html: str, truncate_to: int | None = None, encoding: str = "gzip", framing: str = "length") -> Behaviour:
    """``html`` gzip- or deflate-encoded; ``truncate_to`` cuts the compressed stream (a complete, honest
    Content-Length is sent for what is sent: the server itself lost the end)."""
    raw = html.encode("utf-8")
    data = gzip.compress(raw) if encoding == "gzip" else zlib.compress(raw)
    if truncate_to is not None:
        data = data[:truncate_to]
    return respond(data, headers={"Content-Encoding": encoding}, content_length=framing == "length")


def bomb(decompressed_bytes: int, encoding: str = "gzip") -> Behaviour:
    """A small compressed body that inflates to ``decompressed_bytes`` of zeros."""
    block = b"\0" * (1 << 20)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31) if encoding == "gzip" else zlib.compressobj(9)
    parts = [compressor.compress(block) for _ in range(decompressed_bytes >> 20)]
    data = b"".join(parts) + compressor.flush()
    return respond(data, headers={"Content-Encoding": encoding})


def endless_headers() -> Behaviour:
    """A status line, then header lines without end (no body ever comes)."""
    def behave(ex: Exchange) -> None:
        ex.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        n = 0
        while not ex.server.stopping.is_set() and ex.write(b"X-Pad-%d: %s\r\n" % (n, b"a" * 1000)):
            n += 1
    return behave


def raw(data: bytes) -> Behaviour:
    """Exactly these bytes on the wire (status line and headers included), then close."""
    return lambda ex: ex.write(data) and None


def hang_up() -> Behaviour:
    """Close without a byte."""
    return lambda ex: None


class LoopbackServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve_in_thread(handle: Callable[[socket.socket], None]) -> tuple[LoopbackServer, threading.Thread]:
    """A threaded TCP server on 127.0.0.1 (a free port) that calls ``handle`` with each connection."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            handle(self.request)

    server = LoopbackServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@dataclass
class FaultServer:
    """Serve ``routes`` (path -> behaviour; query strings are part of the path) on 127.0.0.1."""

    routes: dict[str, Behaviour] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._server: LoopbackServer | None = None

    @property
    def base(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def add(self, routes: Mapping[str, Behaviour] | Iterable[tuple[str, Behaviour]]) -> None:
        self.routes.update(dict(routes))

    def __enter__(self) -> FaultServer:
        self._server, self._thread = serve_in_thread(self._serve)
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stopping.set()
        assert self._server is not None
        self._server.shutdown()
        with self._lock:
            for sock in list(self._open):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._thread.join(timeout=5)

    def _by_prefix(self, path: str) -> Behaviour:
        """Routes ending in ``*`` match every path they start; the longest wins. Else a 404."""
        matches = [p for p in self.routes if p.endswith("*") and path.startswith(p[:-1])]
        if matches:
            return self.routes[max(matches, key=len)]
        return respond("<html><body>not here</body></html>", status=404)

    def _serve(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.add(sock)
        try:
            sock.settimeout(30)
            head = _read_head(sock)
            if head is None:
                return
            method, path, headers = head
            with self._lock:
                self.counts[path] += 1
                self.requests.append((method, path))
                count = self.counts[path]
            behaviour = self.routes.get(path) or self._by_prefix(path)
            behaviour(Exchange(method, path, headers, sock, self, count))
        except OSError:
            pass
        finally:
            with self._lock:
                self._open.discard(sock)
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()


def _read_head(sock: socket.socket) -> tuple[str, str, dict[str, str]] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk or len(data) > MAX_HEAD:
            return None
        data += chunk
    lines = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, target, _ = ([*lines[0].split(" "), "", ""])[:3]
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return method, target, headers
