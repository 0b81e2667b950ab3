"""A real ``redis-server`` for tests and benchmarks: 127.0.0.1, a free port, a password, no persistence
(or ``appendonly``, for a test that restarts it), its files in a temporary folder, stopped (and the
folder removed) when the block ends.

Where no ``redis-server`` binary is installed, tests that need it skip with the reason, except when the
environment sets ``CI`` or ``GOVNEWS_REQUIRE_REDIS`` (``.ci/run`` does): then they fail, so CI can never
pass by skipping them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PASSWORD = "govnews-test"


def redis_binary() -> str | None:
    """The redis-server to run: ``GOVNEWS_REDIS_SERVER`` when set (a path; empty: none), else the one on
    PATH or in the usual places."""
    if "GOVNEWS_REDIS_SERVER" in os.environ:
        path = os.environ["GOVNEWS_REDIS_SERVER"]
        return path if path and os.access(path, os.X_OK) else None
    return shutil.which("redis-server") or next(
        (p for p in ("/usr/bin/redis-server", "/usr/local/bin/redis-server") if os.access(p, os.X_OK)), None)


def redis_required() -> bool:
    """Whether a missing Redis must fail the run instead of skipping (CI)."""
    return bool(os.environ.get("CI") or os.environ.get("GOVNEWS_REQUIRE_REDIS"))


def missing_reason() -> str | None:
    """Why Redis tests cannot run here, or None when they can."""
    if redis_binary() is None:
        return "no redis-server binary (apt-get install redis-server; .ci/run installs it)"
    try:
        import redis  # noqa: F401
    except ImportError:
        return "redis-py is not installed (pip install -e '.[redis]')"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisProcess:
    """One redis-server on a fixed port and folder that a test may stop and start again, as an
    operator restarts Redis: ``stop()`` shuts it down cleanly, ``start()`` brings it back on the same
    port with the same files (with ``appendonly`` it comes back with every write it acknowledged)."""

    def __init__(self, folder: Path, maxmemory: str = "", appendonly: bool = False) -> None:
        binary = redis_binary()
        if binary is None:
            raise RuntimeError(missing_reason())
        self.binary, self.folder, self.maxmemory, self.appendonly = binary, folder, maxmemory, appendonly
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        for _attempt in range(5):  # another process may take the free port between probe and bind
            self.port = _free_port()
            if self.start(check=False):
                break
        else:
            raise RuntimeError(f"redis-server did not start; see {folder / 'redis.log'}")
        self.url = f"redis://:{PASSWORD}@127.0.0.1:{self.port}/0"

    def start(self, check: bool = True) -> bool:
        args = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--requirepass", PASSWORD,
                "--save", "", "--dir", str(self.folder), "--daemonize", "no",
                "--logfile", str(self.folder / "redis.log"), "--protected-mode", "yes"]
        args += ["--appendonly", "yes", "--appendfsync", "always"] if self.appendonly else ["--appendonly", "no"]
        if self.maxmemory:
            args += ["--maxmemory", self.maxmemory]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if _wait_ready(self.proc, self.port):
            return True
        self.stop()
        if check:
            raise RuntimeError(f"redis-server did not start again; see {self.folder / 'redis.log'}")
        return False

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None


@contextmanager
def redis_process(maxmemory: str = "", appendonly: bool = False) -> Iterator[RedisProcess]:
    """A ``RedisProcess`` in a temporary folder, stopped (and the folder removed) when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="govnews-redis-"))
    try:
        server = RedisProcess(folder, maxmemory, appendonly)
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def redis_server(maxmemory: str = "") -> Iterator[str]:
    """Start a server and yield its URL (``redis://:PASSWORD@127.0.0.1:PORT/0``)."""
    with redis_process(maxmemory) as server:
        yield server.url


def _wait_ready(proc: subprocess.Popen[bytes], port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(f"AUTH {PASSWORD}\r\nPING\r\n".encode())
                if b"PONG" in sock.recv(64) or b"PONG" in sock.recv(64):
                    return True
        except OSError:
            time.sleep(0.05)
    return False
