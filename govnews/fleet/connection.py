"""Whether the fleet is on, the Redis client, and the names of the fleet's keys.

``fleet_enabled`` reads ``GOVNEWS_BACKEND`` / ``REDIS_URL`` from the settings and, for container and
systemd deployments, from the environment too. The client is scrapy-redis's (``REDIS_URL``,
``REDIS_PARAMS``); put the password in the URL (``redis://:PASSWORD@host:6379/0``) and use
``rediss://`` for TLS.

A Redis that goes away mid-crawl (restarted, failed over, still loading its append-only file, the
network gone) is not the sites' failure: the crawl's clients (``waiting_retry``) wait for it, with
back-off, however long it takes, and every command then goes through; ``HEALTH`` logs one line when
Redis goes away and one when it is back, and counts the outages. A wrong password or no Redis at all at
start-up is a setting to fix, not an outage: ``check_reachable`` says so in one line.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from govnews.fleet import defaults

logger = logging.getLogger(__name__)
T = TypeVar("T")


def _get(settings: Any, name: str) -> Any:
    value = settings.get(name) if settings is not None else None
    return value if value not in (None, "") else os.environ.get(name, "")


def fleet_enabled(settings: Any) -> bool:
    """``GOVNEWS_BACKEND=redis``, or any ``REDIS_URL`` (setting or environment)."""
    backend = str(_get(settings, "GOVNEWS_BACKEND") or "").lower()
    if backend and backend not in ("redis", "sqlite", "local"):
        raise ValueError(f"GOVNEWS_BACKEND={backend}: use redis (a fleet) or sqlite (one machine)")
    return backend == "redis" or (backend == "" and bool(_get(settings, "REDIS_URL")))


def redis_url(settings: Any) -> str:
    return str(_get(settings, "REDIS_URL") or defaults.REDIS_URL)


def prefix(settings: Any) -> str:
    return str(_get(settings, "GOVNEWS_REDIS_PREFIX") or defaults.GOVNEWS_REDIS_PREFIX)


def client(url: str) -> Any:
    """A redis-py client with scrapy-redis's connection defaults (timeouts, retry on timeout)."""
    from scrapy_redis import connection

    return connection.get_redis(url=url, **{k: v for k, v in connection.defaults.REDIS_PARAMS.items()
                                            if k != "encoding"})


def redacted(url: str) -> str:
    """The URL without its password, for logs and errors."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return parts._replace(netloc=netloc).geturl()
    return url


def check_reachable(url: str, timeout: float = 5.0) -> str | None:
    """None when Redis at ``url`` answers a PING with these credentials, else why not in a few words
    (never the password). For start-up: a crawl or command that cannot reach its Redis is a setting to
    fix, reported in one line, not an outage to wait out."""
    import redis

    try:
        conn = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=None)
    except ValueError as exc:
        return f"not a Redis URL ({exc})"
    try:
        conn.ping()
    except redis.AuthenticationError as exc:
        from urllib.parse import urlsplit

        if not urlsplit(url).password:
            return "Redis wants a password: put it in the URL (redis://:PASSWORD@host:port/db)"
        return f"Redis refused the password ({str(exc).rstrip('.') or 'authentication failed'})"
    except redis.ResponseError as exc:  # AUTH to a server without a password, ACL errors
        return f"Redis refused the connection ({exc})"
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        return f"cannot reach Redis ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
    finally:
        conn.close()
    return None


class RedisHealth:
    """Whether this process's Redis is reachable: one log line per change, outages counted
    (``govnews/fleet/redis_unavailable``) and timed (``govnews/fleet/redis_unavailable_s``)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None
        self.outages = 0
        self.down_seconds = 0.0
        self.back_at = 0.0  # monotonic time Redis was last seen back after an outage

    def failed(self, error: BaseException) -> None:
        with self.lock:
            if self.down_since is not None:
                return
            self.down_since = time.monotonic()
            self.outages += 1
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        logger.warning("Redis unavailable (%s: %s): waiting for it, nothing is dropped", type(error).__name__, first)

    def ok(self) -> None:
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is None:
                return
            now = time.monotonic()
            down, self.down_since = now - self.down_since, None
            self.down_seconds += down
            self.back_at = now
        logger.warning("Redis is back after %.1f s: resuming", down)

    def settled(self, seconds: float) -> bool:
        """Redis has been up for ``seconds`` since its last outage (and is up now)."""
        return self.down_since is None and (not self.back_at or time.monotonic() - self.back_at >= seconds)


HEALTH = RedisHealth()


def waiting_retry(cap_s: float = 2.0) -> Any:
    """A redis-py ``Retry`` for a crawl's clients: a command that meets a Redis outage (connection refused
    or reset, timeout, ``LOADING``) waits, 0.1 s doubling up to ``cap_s``, and is sent again until Redis
    answers. A wrong password is raised at once."""
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    class WaitForRedis(Retry):
        def __init__(self) -> None:
            super().__init__(NoBackoff(), 1 << 62, (redis.ConnectionError, redis.TimeoutError, socket.timeout))

        def call_with_retry(self, do: Callable[[], T], fail: Callable[..., Any],
                            is_retryable: Callable[[Exception], bool] | None = None,
                            with_failure_count: bool = False) -> T:
            failures = 0
            while True:
                try:
                    result = do()
                except self._supported_errors as error:
                    if isinstance(error, redis.AuthenticationError) or (is_retryable and not is_retryable(error)):
                        raise
                    failures += 1
                    HEALTH.failed(error)
                    if with_failure_count:
                        fail(error, failures)
                    else:
                        fail(error)
                    time.sleep(min(cap_s, 0.1 * 2 ** min(failures, 10)))
                else:
                    HEALTH.ok()
                    return result

    return WaitForRedis()


@dataclass(frozen=True)
class Keys:
    """The fleet's keys for one spider (what ``govnews fleet`` reads and the workers write)."""

    prefix: str
    spider: str

    @property
    def queue(self) -> str:
        return defaults.SCHEDULER_QUEUE_KEY % {"prefix": self.prefix} % {"spider": self.spider}

    @property
    def dupefilter(self) -> str:
        return defaults.SCHEDULER_DUPEFILTER_KEY % {"prefix": self.prefix} % {"spider": self.spider}

    @property
    def start_urls(self) -> str:
        return defaults.REDIS_START_URLS_KEY % {"prefix": self.prefix} % {"name": self.spider}

    @property
    def stats(self) -> str:
        return defaults.STATS_KEY % {"prefix": self.prefix, "spider": self.spider}

    @property
    def workers(self) -> str:
        """Hash: worker id -> JSON (host, pid, state run, started)."""
        return f"{self.queue}:workers"

    def processing(self, worker: str) -> str:
        """Hash: token -> ``<score> <request JSON>`` of the requests ``worker`` is working on."""
        return f"{self.queue}:processing:{worker}"

    def heartbeat(self, worker: str) -> str:
        return f"{self.queue}:alive:{worker}"


def settings_keys(settings: Mapping[str, Any] | Any, spider: str) -> Keys:
    return Keys(prefix(settings), spider)
