"""Whether the fleet is on, the Redis client, and the names of the fleet's keys.

``fleet_enabled`` reads ``GOVNEWS_BACKEND`` / ``REDIS_URL`` from the settings and, for container and
systemd deployments, from the environment too. The client is scrapy-redis's (``REDIS_URL``,
``REDIS_PARAMS``); put the password in the URL (``redis://:PASSWORD@host:6379/0``) and use
``rediss://`` for TLS.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govnews.fleet import defaults


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
