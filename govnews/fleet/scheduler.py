"""scrapy-redis's scheduler, made safe for a fleet whose workers may die at any moment.

What it adds to ``scrapy_redis.scheduler.Scheduler`` (``SCHEDULER = "govnews.fleet.scheduler.FleetScheduler"``):

- **Workers.** Each worker registers in ``<queue>:workers`` (host, pid, its state run) and keeps a
  heartbeat key alive from a thread (``GOVNEWS_FLEET_HEARTBEAT_S``).
- **Acknowledgements.** Requests come from ``govnews.fleet.queue.ReliablePriorityQueue``, which parks
  each popped request in the worker's processing hash. Every ``GOVNEWS_FLEET_TICK_S`` (0.2 s) the
  worker acknowledges, in one command, the requests the engine has finished with: downloaded, parsed,
  items exported, new requests queued. (Scrapy has no "request finished" signal; the engine's set of requests in
  progress says it. Without it, requests are acknowledged when the crawl closes.)
- **The reaper.** Every ``GOVNEWS_FLEET_REAP_S`` one worker (a Redis lease) looks for workers whose
  heartbeat expired: it first recovers their state run (``govnews.state.recovery``: staged articles
  that never reached an output are forgotten, so the redone requests export them), then puts their
  in-flight requests back into the queue. A killed worker therefore loses nothing.
- **Few round trips.** Requests the engine schedules are gathered and sent with the next exchange,
  which also takes the next requests: up to ``GOVNEWS_FLEET_POP`` (4) at a time, parked in this worker's
  processing hash like the one the engine asked for, so a dead worker's are requeued with the rest.
  The exchange happens when the engine asks for a request, at the next turn of the event loop, and
  before any acknowledgement (a request is acknowledged only once what it led to is in Redis).
- **Continuations stay on their worker.** A request a downloader middleware makes out of a popped one
  before any response came back (``GOVNEWS_MIRROR``'s rewrite to the mirror, a redirect, a retry) is
  the same piece of work: it carries the popped request's token, and the scheduler keeps it in this
  worker's own queue, holding that token unacknowledged until it is done (a redirect target still goes
  through the fleet's fingerprint filter). Through Redis it would cost a push and a pop, and a mirrored
  crawl queued every page twice. If the worker dies, the popped request is redone from the start.
- **Requests that cannot be queued as JSON** (a ``Response`` in ``cb_kwargs``: the continuation pages
  of a split article) stay on their worker, and the request whose response they continue stays
  unacknowledged until they are done: if the worker dies, that request is redone from the start.
- **Idle and rounds.** A worker does not close while the fleet still has requests queued or in flight
  (another worker's page may yet lead to more). When the whole fleet has drained, the request
  fingerprints are cleared: the next crawl of the same spider walks the list pages again.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import json
import logging
import os
import socket
import time
import uuid
from collections import Counter
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler
from twisted.internet import reactor, task

from govnews.fleet import defaults
from govnews.fleet.connection import HEALTH, Keys, prefix
from govnews.fleet.queue import HOLD_META, TOKEN_META, ReliablePriorityQueue
from govnews.state.redis import Heartbeat

logger = logging.getLogger(__name__)

# KEYS: queue, workers hash, start URLs list, dupefilter; ARGV: processing key prefix.
# Clears the fingerprints only if nothing is queued, in flight on any worker, or waiting as a seed.
_END_ROUND = """
if redis.call('ZCARD', KEYS[1]) > 0 or redis.call('LLEN', KEYS[3]) > 0 then return 0 end
for _, w in ipairs(redis.call('HKEYS', KEYS[2])) do
  if redis.call('HLEN', ARGV[1] .. w) > 0 then return 0 end
end
redis.call('DEL', KEYS[4])
return 1
"""


def engine_in_progress(crawler: Crawler | None) -> set[Request] | None:
    """The requests the engine is working on (Scrapy keeps them in its slot; no public API says it)."""
    engine = getattr(crawler, "engine", None)
    slot = getattr(engine, "_slot", None)
    inprogress = getattr(slot, "inprogress", None)
    return inprogress if isinstance(inprogress, set) else None


def _wake(crawler: Crawler | None) -> None:
    """Ask the engine to look for requests now rather than at its next 5-second heartbeat."""
    slot = getattr(getattr(crawler, "engine", None), "_slot", None)
    nextcall = getattr(slot, "nextcall", None)
    if nextcall is not None:
        nextcall.schedule()


class FleetScheduler(Scheduler):
    """See the module doc. Settings: scrapy-redis's, plus ``GOVNEWS_FLEET_HEARTBEAT_S``,
    ``GOVNEWS_FLEET_TICK_S``, ``GOVNEWS_FLEET_REAP_S``, ``GOVNEWS_REDIS_PREFIX``."""

    crawler: Crawler | None = None
    heartbeat_s = defaults.GOVNEWS_FLEET_HEARTBEAT_S
    tick_s = defaults.GOVNEWS_FLEET_TICK_S
    reap_s = defaults.GOVNEWS_FLEET_REAP_S
    pop_n = defaults.GOVNEWS_FLEET_POP
    prefix = defaults.GOVNEWS_REDIS_PREFIX

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FleetScheduler:
        instance = super().from_crawler(crawler)
        settings = crawler.settings
        instance.crawler = crawler
        instance.heartbeat_s = settings.getfloat("GOVNEWS_FLEET_HEARTBEAT_S", defaults.GOVNEWS_FLEET_HEARTBEAT_S)
        instance.tick_s = settings.getfloat("GOVNEWS_FLEET_TICK_S", defaults.GOVNEWS_FLEET_TICK_S)
        instance.reap_s = settings.getfloat("GOVNEWS_FLEET_REAP_S", defaults.GOVNEWS_FLEET_REAP_S)
        instance.pop_n = max(1, settings.getint("GOVNEWS_FLEET_POP", defaults.GOVNEWS_FLEET_POP))
        instance.prefix = prefix(settings)
        return instance

    # --- lifecycle -----------------------------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        self.spider = spider
        self.keys = Keys(self.prefix, spider.name)
        self.state_runtime = self._state_runtime()
        run = self.state_runtime.run.run if self.state_runtime is not None else None
        self.worker = run or f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.queue = ReliablePriorityQueue(self.server, spider, self.keys.queue, self.serializer,
                                           processing_key=self.keys.processing(self.worker),
                                           dupefilter_key=self.keys.dupefilter)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self.df.key = self.keys.dupefilter
        if self.flush_on_start:
            self.flush()
        self.inflight: dict[str, Request] = {}
        self.local: list[tuple[int, int, Request]] = []  # heap of requests that stay on this worker
        self.local_order = itertools.count()
        self.local_inflight: set[Request] = set()
        self.local_seen: set[bytes] = set()
        self.holds: Counter[str] = Counter()
        self.answered: set[str] = set()  # tokens whose request has had a response (see _continues)
        self.pushes: list[tuple[Request, bytes, bytes]] = []  # gathered for the next exchange
        self.unsent_acks: list[str] = []  # acknowledgements an exchange could not send
        self.taken: collections.deque[tuple[str, bytes]] = collections.deque()  # popped, not yet handed out
        self.flush_call: Any = None
        self.queue.load_scripts()
        self.warned_unheld = False
        self.last_reap = 0.0
        self.server.hset(self.keys.workers, self.worker, json.dumps({
            "host": socket.gethostname(), "pid": os.getpid(), "run": run, "started": time.time()}))
        self.heartbeat = Heartbeat(self.server, self.keys.heartbeat(self.worker), self.heartbeat_s)
        if self.stats is not None:
            self.stats.set_value("govnews/fleet/worker", 1)
        if self.crawler is not None:
            self.crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
            self.crawler.signals.connect(self._response_received, signal=signals.response_received)
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.tick_s, now=False)
        queued = len(self.queue)
        if queued:
            spider.log(f"Resuming crawl ({queued} requests scheduled)", logging.INFO)
        logger.info("Fleet worker %s on %s (queue %s)", self.worker, self.server.connection_pool.connection_kwargs.get(
            "host", "?"), self.keys.queue)

    def close(self, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        if self.flush_call is not None and self.flush_call.active():
            self.flush_call.cancel()
        # The engine has finished every request it took (it waits for them before closing us).
        self._reconcile(set())
        if self.inflight or self.local or self.taken:
            # Held by requests that never ran (a shutdown): give them back to the fleet.
            back = self.queue.requeue(self.keys.processing(self.worker))
            logger.info("Closing with %d unfinished request(s): back in the fleet's queue", back)
        self.heartbeat.stop()
        self.server.hdel(self.keys.workers, self.worker)
        if reason == "finished" and self._end_round():
            logger.info("The fleet has drained: request fingerprints cleared for the next crawl")
        if not self.persist:
            self.flush()
        self._count_outages()

    def _state_runtime(self) -> Any:
        from govnews.incremental import runtime_for

        return runtime_for(self.crawler)

    # --- scheduling ----------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.queue) + len(self.local) + len(self.taken) + len(self.pushes)

    def has_pending_requests(self) -> bool:
        return bool(self.local or self.taken or self.pushes) or len(self.queue) > 0

    def enqueue_request(self, request: Request) -> bool:
        token = self._continues(request)
        if token is not None:
            return self._enqueue_continuation(request, token)
        try:
            entry = self.queue.encode(request)
        except (TypeError, ValueError) as exc:
            return self._enqueue_local(request, exc)
        fingerprint = b"" if request.dont_filter else self.df.request_fingerprint(request)
        # Sent with the next exchange; a request met before is counted then (dupefilter/filtered).
        self.pushes.append((request, fingerprint, entry))
        if self.flush_call is None or not self.flush_call.active():
            self.flush_call = reactor.callLater(0, self._exchange, 0)
        return True

    def _exchange(self, n: int, acks: list[str] | None = None) -> None:
        """Send the gathered pushes and ``acks``, take up to ``n`` requests (one round trip)."""
        pushes, self.pushes = self.pushes, []
        acks, self.unsent_acks = self.unsent_acks + (acks or []), []
        if not (pushes or acks or n):
            return
        try:
            queued, taken = self.queue.exchange(pushes, acks, n)
        except Exception:
            # Redis briefly away: they go with the next exchange
            self.pushes, self.unsent_acks = pushes + self.pushes, acks + self.unsent_acks
            raise
        for (request, _, _), ok in zip(pushes, queued, strict=True):
            if ok:
                self._inc("scheduler/enqueued/redis")
            else:
                self.df.log(request, self.spider)
        self.taken.extend(taken)

    def next_request(self) -> Request | None:
        if self.local:
            request = heapq.heappop(self.local)[2]
            self.local_inflight.add(request)
            return request
        while True:
            if not self.taken:
                self._exchange(self.pop_n)
                if not self.taken:
                    return None
            token, entry = self.taken.popleft()
            try:
                request = self.queue.decode(entry)
            except Exception as exc:  # a corrupt or foreign entry must cost itself, not the worker
                self.queue.ack([token])
                self._inc("govnews/fleet/bad_queue_entry")
                logger.error("Dropped a queue entry that is not a request (%s): %r", exc, entry[:200])
                continue
            request.meta[TOKEN_META] = token
            self.inflight[token] = request
            self._inc("scheduler/dequeued/redis")
            return request

    def _response_received(self, response: Response, request: Request, spider: Spider | None = None) -> None:
        token = request.meta.get(TOKEN_META)
        if token in self.inflight:
            self.answered.add(token)

    def _continues(self, request: Request) -> str | None:
        """The token of the popped request ``request`` continues, when a downloader middleware made it
        (the meta carries the token, and no response has come back for it yet: what a spider callback
        yields always comes after the response)."""
        token = request.meta.get(TOKEN_META)
        if token is None or token not in self.inflight or token in self.answered:
            return None
        return str(token)

    def _enqueue_continuation(self, request: Request, token: str) -> bool:
        if not request.dont_filter:  # a redirect: its target may have been met by any worker
            fingerprint = self.df.request_fingerprint(request)
            if not self.server.sadd(self.df.key, fingerprint):
                self.df.log(request, self.spider)
                return False
        self.holds[token] += 1
        request.meta[HOLD_META] = token
        heapq.heappush(self.local, (-request.priority, next(self.local_order), request))
        self._inc("govnews/fleet/continued_here")
        return True

    def _enqueue_local(self, request: Request, why: Exception) -> bool:
        if not request.dont_filter:
            fingerprint = self.df.request_fingerprint(request)
            if fingerprint in self.local_seen:
                self.df.log(request, self.spider)
                return False
            self.local_seen.add(fingerprint)
        holder = _holder(request)
        if holder is not None:
            self.holds[holder] += 1
            request.meta[HOLD_META] = holder
        elif not self.warned_unheld:
            self.warned_unheld = True
            logger.warning("A request that cannot be queued as JSON (%s) stays on this worker and is lost if it "
                           "dies: %s", why, request)
        heapq.heappush(self.local, (-request.priority, next(self.local_order), request))
        self._inc("govnews/fleet/local_requests")
        return True

    # --- acknowledgements, reaping, idle ---------------------------------------------------------------
    def tick(self) -> None:
        try:
            self._reconcile()
            if time.monotonic() - self.last_reap >= self.reap_s:
                self.reap()
            _wake(self.crawler)
        except Exception:  # a bug, or Redis answering errors: the next tick tries again
            logger.exception("Fleet tick failed")
        self._count_outages()

    def _count_outages(self) -> None:
        """``govnews/fleet/redis_unavailable``: times this worker found Redis gone (and waited for it);
        ``govnews/fleet/redis_unavailable_s``: for how long."""
        if self.stats is not None and HEALTH.outages:
            self.stats.set_value("govnews/fleet/redis_unavailable", HEALTH.outages)
            self.stats.set_value("govnews/fleet/redis_unavailable_s", round(HEALTH.down_seconds, 1))

    def _reconcile(self, inprogress: set[Request] | None = None) -> None:
        """Acknowledge the requests the engine has finished with."""
        if inprogress is None:
            inprogress = engine_in_progress(self.crawler)
            if inprogress is None:
                return
        for request in [r for r in self.local_inflight if r not in inprogress]:
            self.local_inflight.discard(request)
            holder = request.meta.get(HOLD_META)
            if holder is not None:
                self.holds[holder] -= 1
                if self.holds[holder] <= 0:
                    del self.holds[holder]
        done = [t for t, r in self.inflight.items() if r not in inprogress and not self.holds.get(t)]
        for token in done:
            del self.inflight[token]
            self.answered.discard(token)
        self._exchange(0, done)  # what they led to is queued before they are acknowledged

    def reap(self) -> int:
        """Recover the state and requeue the requests of workers whose heartbeat expired (one reaper
        at a time across the fleet). Returns the number of requests put back."""
        self.last_reap = time.monotonic()
        if not HEALTH.settled(self.heartbeat_s * 1.5):
            # Redis was away (a restart expires every heartbeat whose TTL ran out meanwhile): give the
            # live workers a heartbeat's time to beat again before anyone is taken for dead.
            return 0
        lease = f"{self.keys.queue}:reaper"
        if not self.server.set(lease, self.worker, nx=True, px=int(max(self.reap_s, 1) * 1000)):
            return 0
        back = 0
        try:
            for raw_worker, raw_info in self.server.hgetall(self.keys.workers).items():
                worker = raw_worker.decode()
                if worker == self.worker or self.server.exists(self.keys.heartbeat(worker)):
                    continue
                info = json.loads(raw_info)
                if not self._recover_state(info.get("run")):
                    continue  # its state run does not look dead yet: next round
                count = self.queue.requeue(self.keys.processing(worker))
                self.server.hdel(self.keys.workers, worker)
                back += count
                self._inc("govnews/fleet/requeued", count)
                logger.warning("Worker %s (%s, pid %s) stopped: %d in-flight request(s) back in the queue",
                               worker, info.get("host"), info.get("pid"), count)
        finally:
            if self.server.get(lease) == self.worker.encode():
                self.server.delete(lease)
        if back:
            _wake(self.crawler)
        return back

    def _recover_state(self, run: str | None) -> bool:
        """Recover a dead worker's state run before its requests are redone: its staged articles that never
        reached an output must be forgotten, or the redone requests would find them "unchanged"."""
        runtime = self.state_runtime
        if not run or runtime is None or runtime.store.kind != "redis":
            return True
        from govnews.state.recovery import recover

        store = runtime.store
        if run not in store.stale_runs():
            info = store.run_info(run) if hasattr(store, "run_info") else None
            return bool(info and info.get("status") != "running")
        report = recover(store)
        for key, value in (("runs", len(report.runs)), ("committed", report.committed),
                           ("discarded", report.discarded)):
            self._inc(f"govnews/state/recovered/{key}", value)
        return True

    def fleet_busy(self) -> bool:
        """Requests queued, or in flight on any worker (this one included)."""
        if self.pushes:
            self._exchange(0)
        if len(self.queue) > 0 or self.local or self.taken:
            return True
        workers = self.server.hkeys(self.keys.workers)
        pipe = self.server.pipeline(transaction=False)
        for worker in workers:
            pipe.hlen(self.keys.processing(worker.decode()))
        return any(pipe.execute()) if workers else False

    def spider_idle(self, spider: Spider | None = None) -> None:
        self._reconcile()
        if time.monotonic() - self.last_reap >= self.reap_s:
            self.reap()
        if self.fleet_busy():
            raise DontCloseSpider

    def _end_round(self) -> bool:
        start_urls = self.spider.settings.get("REDIS_START_URLS_KEY", self.keys.start_urls) % {"name": self.spider.name}
        keys = [self.keys.queue, self.keys.workers, start_urls, self.keys.dupefilter]
        return bool(self.server.eval(_END_ROUND, len(keys), *keys, self.keys.processing("")))

    def _inc(self, key: str, count: int = 1) -> None:
        if self.stats is not None and count:
            self.stats.inc_value(key, count)


def _holder(request: Request) -> str | None:
    """The fleet token of the request whose response ``request`` continues (found in its cb_kwargs or
    meta), which must stay unacknowledged until ``request`` is done."""
    for value in (*request.cb_kwargs.values(), *request.meta.values()):
        if isinstance(value, Response):
            origin = getattr(value, "request", None)
            if origin is not None:
                token = origin.meta.get(TOKEN_META) or origin.meta.get(HOLD_META)
                if token:
                    return str(token)
    return None
