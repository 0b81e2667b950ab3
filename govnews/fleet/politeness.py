"""Per-site politeness across the whole fleet: at most ``CONCURRENT_REQUESTS_PER_DOMAIN`` requests to a
site at once and ``DOWNLOAD_DELAY`` between two of them, counted over all workers, not per worker.

Scrapy enforces both per process: N workers would put N times the load on a county's web server. This
downloader middleware (``GOVNEWS_FLEET_POLITENESS``, on in a fleet) takes a lease on the site before each
download, in one Lua script against Redis's clock: the site's holders (a sorted set of lease expiry
times) must be fewer than the limit (a lease of a worker whose heartbeat has expired does not count), and
the site's next allowed start must have passed; the script then records the lease and the next start
(``DOWNLOAD_DELAY``, 0.5-1.5x when ``RANDOMIZE_DOWNLOAD_DELAY``). A request that finds the site busy
waits (without blocking the worker's other sites) and retries. The lease is released when the response
or the failure comes back: the releases of one turn of the event loop go to Redis together, or with
the next acquisition if that comes first (one round trip, not one per response). Sites are keyed by
host; through ``GOVNEWS_MIRROR`` by the real host. ``file://`` pages need no lease. Waits are counted in
``govnews/fleet/politeness_wait_ms``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from typing import Any
from urllib.parse import urlsplit

import redis
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from twisted.internet import reactor
from twisted.internet.task import deferLater

from govnews.fleet import defaults
from govnews.fleet.connection import fleet_enabled, prefix

logger = logging.getLogger(__name__)

LEASE_META = "govnews_fleet_lease"

# KEYS: holders zset, next-start key; ARGV: token, limit, delay ms, lease ms.
# Returns 0 when the lease is taken, else how many ms to wait before trying again.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  -- leases of workers whose heartbeat is gone (member: '<heartbeat key>|<token>') are free at once
  for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
    local bar = string.find(m, '|', 1, true)
    if bar and bar > 1 and redis.call('EXISTS', string.sub(m, 1, bar - 1)) == 0 then redis.call('ZREM', KEYS[1], m) end
  end
  if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 25 end
end
local nxt = tonumber(redis.call('GET', KEYS[2]) or '0')
if now < nxt then return nxt - now end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]) + 1000)
if tonumber(ARGV[3]) > 0 then redis.call('SET', KEYS[2], now + tonumber(ARGV[3]), 'PX', tonumber(ARGV[3]) + 1000) end
return 0
"""


def site_host(url: str, mirror: str = "") -> str:
    """The host whose politeness budget ``url`` uses (the real host of a mirrored page)."""
    if mirror and url.startswith(mirror.rstrip("/") + "/"):
        return url[len(mirror.rstrip("/")) + 1:].split("/", 1)[0].lower()
    return (urlsplit(url).hostname or "").lower()


class FleetPolitenessMiddleware:
    def __init__(self, server: Any, key_prefix: str, concurrency: int, delay: float, randomize: bool,
                 lease_s: float, mirror: str = "", stats: Any = None, crawler: Crawler | None = None) -> None:
        self.server = server
        self.key_prefix = key_prefix
        self.concurrency = max(concurrency, 1)
        self.delay = delay
        self.randomize = randomize
        self.lease_ms = int(lease_s * 1000)
        self.mirror = mirror
        self.stats = stats
        self.crawler = crawler
        self._acquire = server.register_script(_ACQUIRE)
        self._acquire.sha = server.script_load(_ACQUIRE)  # sent by digest in pipelines
        self.releases: list[tuple[str, str]] = []  # (holders key, token) not yet sent
        self.flush_call: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FleetPolitenessMiddleware:
        settings = crawler.settings
        if not fleet_enabled(settings) or not settings.getbool("GOVNEWS_FLEET_POLITENESS",
                                                                defaults.GOVNEWS_FLEET_POLITENESS):
            raise NotConfigured
        from scrapy_redis.connection import get_redis_from_settings

        mw = cls(get_redis_from_settings(settings), f"{prefix(settings)}:site:",
                 settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 8), settings.getfloat("DOWNLOAD_DELAY", 0),
                 settings.getbool("RANDOMIZE_DOWNLOAD_DELAY", True),
                 settings.getfloat("DOWNLOAD_TIMEOUT", 180) + 30, settings.get("GOVNEWS_MIRROR", ""),
                 crawler.stats, crawler)
        crawler.signals.connect(mw.flush, signal=signals.spider_closed)
        return mw

    def try_acquire(self, host: str, token: str) -> int:
        """0 when ``token`` now holds a lease on ``host``, else the milliseconds to wait."""
        delay = self.delay * (random.uniform(0.5, 1.5) if self.randomize else 1.0)
        keys = [f"{self.key_prefix}{host}:holders", f"{self.key_prefix}{host}:next"]
        args = [token, self.concurrency, int(delay * 1000), self.lease_ms]
        if not self.releases:
            return int(self._acquire(keys=keys, args=args))
        releases = self._take_releases()
        try:
            pipe = self.server.pipeline(transaction=False)
            self._add_releases(pipe, releases)
            pipe.evalsha(self._acquire.sha, len(keys), *keys, *args)
            return int(pipe.execute()[-1])
        except redis.exceptions.NoScriptError:  # a restarted Redis: the releases went through
            self._acquire.sha = self.server.script_load(self._acquire.script)
            return int(self._acquire(keys=keys, args=args))
        except Exception:
            self.releases = releases + self.releases
            raise

    def holder(self) -> str:
        """This worker's heartbeat key, so a lease it holds when it dies is freed with its heartbeat."""
        scheduler = getattr(getattr(self.crawler, "engine", None), "scheduler", None)
        heartbeat = getattr(scheduler, "heartbeat", None)
        return str(getattr(heartbeat, "key", ""))

    def release(self, request: Request) -> None:
        lease = request.meta.pop(LEASE_META, None)
        if lease:
            host, token = lease
            self.releases.append((f"{self.key_prefix}{host}:holders", token))
            if self.flush_call is None or not self.flush_call.active():
                self.flush_call = reactor.callLater(0, self.flush)

    def flush(self, *_: Any, **__: Any) -> None:
        """Send the releases gathered in this turn of the event loop (and when the spider closes)."""
        releases = self._take_releases()
        if not releases:
            return
        try:
            pipe = self.server.pipeline(transaction=False)
            self._add_releases(pipe, releases)
            pipe.execute()
        except Exception:  # Redis briefly away: with the next acquisition or flush
            self.releases = releases + self.releases
            logger.warning("Could not release %d politeness lease(s) yet", len(releases), exc_info=True)

    def _take_releases(self) -> list[tuple[str, str]]:
        releases, self.releases = self.releases, []
        return releases

    @staticmethod
    def _add_releases(pipe: Any, releases: list[tuple[str, str]]) -> None:
        for key in dict.fromkeys(key for key, _ in releases):
            pipe.zrem(key, *[token for k, token in releases if k == key])

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.url.startswith("file:") or LEASE_META in request.meta:
            return
        host = site_host(request.url, self.mirror)
        token = f"{self.holder()}|{uuid.uuid4().hex}"
        waited = 0
        while (wait := self.try_acquire(host, token)) > 0:
            wait = min(wait, 1000)
            waited += wait
            await _sleep(wait / 1000)
        if waited and self.stats is not None:
            self.stats.inc_value("govnews/fleet/politeness_wait_ms", waited)
        request.meta[LEASE_META] = (host, token)

    def process_response(self, request: Request, response: Response, spider: Spider | None = None) -> Response:
        self.release(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Spider | None = None) -> None:
        self.release(request)


async def _sleep(seconds: float) -> None:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        from scrapy.utils.defer import maybe_deferred_to_future

        await maybe_deferred_to_future(deferLater(reactor, seconds))
        return
    await asyncio.sleep(seconds)
