"""The crawl's worker pool: extraction and cleaning off the event loop (Scrapy glue).

Scrapy runs every callback and pipeline on one thread, the one that also drives the downloads; turning a
page into a clean article (``govnews.pages.process_page``) is most of a crawl's CPU, so on that thread it
delays every download. ``WorkerPool`` runs it in ``GOVNEWS_WORKERS`` worker processes
(``python -m govnews.worker``, started with the reactor's ``spawnProcess``, so any Twisted reactor works),
each fed over its stdin and answering over its stdout:

- **Back-pressure.** Each worker holds at most ``GOVNEWS_WORKER_QUEUE`` jobs (one running, the others in
  its pipe, so it never waits while the crawl process is off the CPU); further jobs wait in the crawl
  process, and while ``GOVNEWS_WORKER_BACKLOG`` of them wait, downloads wait too
  (``govnews.middlewares.backpressure``): a crawl that downloads faster than it processes holds a bounded
  backlog of pages.
- **Exact accounting.** A job's result carries the stats its stages would have counted and any drop
  reason; the pipelines apply them in order, as they do with results computed in the crawl process.
- **Results in the order the pages came.** Workers finish jobs in any order (a long page on one, short
  ones on another), but results are handed back in the order the jobs were submitted, i.e. the order the
  crawl received the pages (``InOrder``), as without a pool. What the pipelines decide can depend on
  that order: which of two near-duplicates is the original (the first judged), which template siblings
  a document is set aside against. A result waits only for the results of earlier pages; the workers go
  on meanwhile, and downloads wait only once a further backlog of finished results is held.
- **Crashes.** Jobs run in order, so when a worker dies (a segfault, the OOM killer) the job it was running
  is known: that page is dropped as ``worker_crashed`` (``govnews/dropped/worker_crashed``), the jobs
  queued behind it go to another worker, and a new worker replaces it (``govnews/workers/crashed``). A job
  that runs longer than ``GOVNEWS_WORKER_TIMEOUT`` seconds has its worker killed the same way and its page
  dropped as ``worker_timeout``. If workers keep dying before finishing a single job (they cannot start),
  the pool stops using processes and the crawl goes on in its own process, with an error in the log.
- ``GOVNEWS_WORKERS=0``: no pool; everything runs in the crawl process (for debugging, and the memory
  of one process).
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import sys
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, protocol
from twisted.internet.interfaces import IReadDescriptor
from twisted.internet.main import CONNECTION_DONE, CONNECTION_LOST
from twisted.python.failure import Failure
from zope.interface import implementer

from govnews.worker import FUNCTIONS, frame

logger = logging.getLogger(__name__)

#: A worker dying this many times in a row before finishing any job means workers cannot run here.
MAX_START_FAILURES = 3
_STAT = "govnews/workers/"


class WorkerLost(Exception):
    """The worker running a job died (``reason``: ``worker_crashed`` or ``worker_timeout``)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class WorkerError(Exception):
    """The job's function raised in the worker; ``traceback`` is the worker's."""

    def __init__(self, kind: str, message: str, traceback: str) -> None:
        super().__init__(f"{kind}: {message}")
        self.traceback = traceback


@dataclass
class _Job:
    number: int
    name: str
    args: tuple[Any, ...]
    deferred: defer.Deferred[Any] = field(default_factory=defer.Deferred)


class _Worker(protocol.ProcessProtocol):
    def __init__(self, pool: WorkerPool, number: int) -> None:
        self.pool = pool
        self.number = number
        self.jobs: deque[_Job] = deque()  # sent, in order; the first is running
        self.buffer = bytearray()
        self.done = 0  # jobs finished
        self.alive = True
        self.timer: Any = None
        self.lost_reason: tuple[str, str] | None = None  # set when the crawl killed it (a timeout)

    def childDataReceived(self, childFD: int, data: bytes) -> None:
        if childFD != 1:
            return
        self.buffer += data
        while len(self.buffer) >= 4:
            size = int.from_bytes(self.buffer[:4], "big")
            if len(self.buffer) < 4 + size:
                break
            payload = bytes(self.buffer[4:4 + size])
            del self.buffer[:4 + size]
            self.pool._answered(self, pickle.loads(payload))

    def childConnectionLost(self, childFD: int) -> None:
        if childFD == 1 and self.alive:  # its stdout is gone: the process died or is dying
            self.pool._lost(self)

    def processEnded(self, reason: Failure) -> None:
        if self.alive:
            self.pool._lost(self)
        logger.debug("Worker %d ended (exit code %s, signal %s)", self.number,
                     getattr(reason.value, "exitCode", None), getattr(reason.value, "signal", None))


@implementer(IReadDescriptor)
class _ResultPipe:
    """The read end of a worker's result pipe, read until it is empty each time the reactor finds it
    readable. (Twisted's own process pipes read 8 KiB per reactor iteration: with a busy event loop that
    alone capped a crawl at a few hundred results a second.)"""

    def __init__(self, fd: int, worker: _Worker) -> None:
        self.fd = fd
        self.worker = worker

    def fileno(self) -> int:
        return self.fd

    def logPrefix(self) -> str:
        return f"govnews-worker-{self.worker.number}"

    def doRead(self) -> Any:
        while True:
            try:
                data = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                return None
            except OSError:
                return CONNECTION_LOST
            if not data:
                return CONNECTION_DONE
            self.worker.childDataReceived(1, data)

    def connectionLost(self, reason: Failure) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.worker.childConnectionLost(1)


class InOrder:
    """Hands results back in the order their work was submitted, whatever order it finishes in.

    ``add(deferred)`` returns a Deferred that fires with ``deferred``'s result (or failure) once every
    Deferred added before it has fired too. ``held`` counts results finished but waiting for an earlier
    one (plus those still running), for back-pressure."""

    def __init__(self, on_release: Callable[[], None] | None = None) -> None:
        self.slots: deque[list[Any]] = deque()  # [outer Deferred, finished?, result], in submission order
        self.on_release = on_release

    def add(self, inner: defer.Deferred[Any]) -> defer.Deferred[Any]:
        outer: defer.Deferred[Any] = defer.Deferred()
        slot: list[Any] = [outer, False, None]
        self.slots.append(slot)

        def finished(result: Any) -> None:
            slot[1], slot[2] = True, result
            self._release()

        inner.addBoth(finished)
        return outer

    @property
    def held(self) -> int:
        return len(self.slots)

    def _release(self) -> None:
        released = False
        while self.slots and self.slots[0][1]:
            outer, _, result = self.slots.popleft()
            released = True
            if isinstance(result, Failure):
                outer.errback(result)
            else:
                outer.callback(result)
        if released and self.on_release is not None:
            self.on_release()


class WorkerPool:
    """``size`` worker processes running functions of ``govnews.worker.FUNCTIONS`` (see module doc)."""

    def __init__(self, size: int, stats: Any = None, queue_per_worker: int = 16, timeout: float = 300.0,
                 reactor: Any = None, backlog: int = 64) -> None:
        if reactor is None:
            from twisted.internet import reactor as default_reactor

            reactor = default_reactor
        self.size = size
        self.stats = stats
        self.queue_per_worker = max(1, queue_per_worker)
        self.timeout = timeout
        self.reactor = reactor
        self.backlog = max(1, backlog)
        self.workers: list[_Worker] = []
        self.waiting: deque[_Job] = deque()
        self.room_waiters: deque[defer.Deferred[None]] = deque()
        self.numbers = 0
        self.jobs = 0
        self.start_failures = 0
        self.broken = False
        self.closing = False
        self.closed: defer.Deferred[None] | None = None
        self.in_order = InOrder(self._wake)
        #: Results held for an earlier page (and jobs running) beyond which downloads wait: what the workers
        #: hold ahead, the backlog, and one more backlog of finished results.
        self.max_held = self.size * self.queue_per_worker + 2 * self.backlog

    # --- life cycle ----------------------------------------------------------------------------------
    def start(self) -> None:
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        self.numbers += 1
        worker = _Worker(self, self.numbers)
        package_root = str(Path(__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        results, child_end = os.pipe()
        try:
            self.reactor.spawnProcess(worker, sys.executable, [sys.executable, "-m", "govnews.worker"], env=env,
                                      childFDs={0: "w", 1: child_end, 2: 2})
        finally:
            os.close(child_end)
        os.set_blocking(results, False)
        self.reactor.addReader(_ResultPipe(results, worker))
        self.workers.append(worker)
        self._inc("started")

    def close(self) -> defer.Deferred[None]:
        """Stop the workers once their jobs are done: their stdin is closed and they exit; any still alive
        after 10 s is killed."""
        if self.closed is not None:
            return self.closed
        self.closing = True
        self._wake()
        self.closed = defer.Deferred()
        for worker in self.workers:
            if worker.alive:
                worker.transport.closeStdin()
        self._check_closed()
        if not self.closed.called:
            self.reactor.callLater(10, self._kill_all)
        return self.closed

    def _kill_all(self) -> None:
        for worker in self.workers:
            if worker.alive:
                worker.transport.signalProcess("KILL")

    def _check_closed(self) -> None:
        if self.closing and self.closed is not None and not self.closed.called \
                and not any(w.alive for w in self.workers):
            self.closed.callback(None)

    # --- jobs ----------------------------------------------------------------------------------------
    def run(self, name: str, *args: Any) -> defer.Deferred[Any]:
        """``FUNCTIONS[name](*args)`` in a worker; the Deferred fires with its result, or fails with
        ``WorkerError`` (it raised) or ``WorkerLost`` (its worker died)."""
        if self.broken or self.closing:
            return self.in_order.add(_in_process(name, args))
        self.jobs += 1
        job = _Job(self.jobs, name, args)
        result = self.in_order.add(job.deferred)
        self.waiting.append(job)
        self._dispatch()
        return result

    def _full(self) -> bool:
        return len(self.waiting) >= self.backlog or self.in_order.held >= self.max_held

    def room(self) -> defer.Deferred[None] | None:
        """None while fewer than ``backlog`` jobs wait for a worker (and fewer than ``max_held`` results wait
        for an earlier page's); else a Deferred that fires when one more may
        (``govnews.middlewares.backpressure`` holds a download on it)."""
        if not self._full() or self.broken or self.closing:
            return None
        waiter: defer.Deferred[None] = defer.Deferred()
        self.room_waiters.append(waiter)
        return waiter

    def _wake(self) -> None:
        while self.room_waiters and (not self._full() or self.broken or self.closing):
            self.room_waiters.popleft().callback(None)

    def _dispatch(self) -> None:
        try:
            self._send()
        finally:
            self._wake()

    def _send(self) -> None:
        while self.waiting:
            candidates = [w for w in self.workers if w.alive and len(w.jobs) < self.queue_per_worker]
            if not candidates:
                return
            worker = min(candidates, key=lambda w: len(w.jobs))
            job = self.waiting.popleft()
            try:
                data = frame((job.number, job.name, job.args))
            except Exception as exc:  # cannot be sent (pickling): run it here instead
                logger.warning("Job %s could not be sent to a worker (%s); ran it in the crawl process",
                               job.name, exc)
                _in_process(job.name, job.args).chainDeferred(job.deferred)
                continue
            worker.jobs.append(job)
            worker.transport.write(data)
            if len(worker.jobs) == 1:
                self._start_timer(worker)

    def _start_timer(self, worker: _Worker) -> None:
        if self.timeout > 0:
            worker.timer = self.reactor.callLater(self.timeout, self._timed_out, worker)

    def _stop_timer(self, worker: _Worker) -> None:
        if worker.timer is not None and worker.timer.active():
            worker.timer.cancel()
        worker.timer = None

    def _timed_out(self, worker: _Worker) -> None:
        worker.timer = None
        if worker.alive and worker.jobs:
            worker.lost_reason = ("worker_timeout", f"no result after {self.timeout:g} s (GOVNEWS_WORKER_TIMEOUT)")
            worker.transport.signalProcess("KILL")

    def _answered(self, worker: _Worker, reply: tuple[int, bool, Any]) -> None:
        number, ok, value = reply
        if not worker.jobs or worker.jobs[0].number != number:  # cannot happen: jobs run in order
            logger.error("Worker %d answered job %s out of order; ignored", worker.number, number)
            return
        job = worker.jobs.popleft()
        worker.done += 1
        self.start_failures = 0
        self._stop_timer(worker)
        if worker.jobs:
            self._start_timer(worker)
        self._dispatch()
        if ok:
            job.deferred.callback(value)
        else:
            job.deferred.errback(Failure(WorkerError(*value)))

    def _lost(self, worker: _Worker) -> None:
        """A worker died: fail the job it was running, hand the others to the rest, replace it."""
        worker.alive = False
        self._stop_timer(worker)
        _reap_later(self.reactor, worker)
        if self.closing and not worker.jobs:
            self._check_closed()
            return
        reason, detail = worker.lost_reason or ("worker_crashed", "the worker process died")
        self._inc("crashed" if reason == "worker_crashed" else "timed_out")
        running = worker.jobs.popleft() if worker.jobs else None
        self.waiting.extendleft(reversed(worker.jobs))
        worker.jobs.clear()
        if worker.done == 0:
            self.start_failures += 1
        if self.start_failures >= MAX_START_FAILURES and not self.broken:
            self.broken = True
            self._inc("unavailable")
            logger.error("Worker processes die before finishing a job (%d in a row); processing pages in the "
                         "crawl process instead (GOVNEWS_WORKERS=0 does this on purpose)", self.start_failures)
        if running is not None:
            logger.error("%s: %s, running %s", reason, detail, _describe(running))
            running.deferred.errback(Failure(WorkerLost(reason, detail)))
        if self.broken:
            while self.waiting:
                job = self.waiting.popleft()
                _in_process(job.name, job.args).chainDeferred(job.deferred)
        elif not self.closing:
            self._spawn()
        self._dispatch()
        self._check_closed()

    def _inc(self, what: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(_STAT + what)


def _describe(job: _Job) -> str:
    url = getattr(job.args[0], "url", None) if job.args else None
    return f"{job.name}({url or '...'})"


def _reap_later(reactor: Any, worker: _Worker, tries: int = 50) -> None:
    """Collect the exit status even where the reactor does not watch SIGCHLD (a zombie otherwise)."""
    transport = worker.transport
    if transport is None or getattr(transport, "pid", None) is None or tries <= 0:
        return
    transport.reapProcess()
    if getattr(transport, "pid", None) is not None:
        reactor.callLater(0.1, _reap_later, reactor, worker, tries - 1)


def _in_process(name: str, args: tuple[Any, ...]) -> defer.Deferred[Any]:
    spec = FUNCTIONS[name]
    module, _, attr = spec.partition(":")
    function: Callable[..., Any] = getattr(__import__(module, fromlist=[attr]), attr)
    return defer.maybeDeferred(function, *args)


class Workers:
    """Extension: the crawl's pool (``GOVNEWS_WORKERS`` processes, 0 for none), started when the spider
    opens and stopped when it closes. Spiders reach it through ``workers_for(crawler)``."""

    def __init__(self, crawler: Crawler, size: int, queue_per_worker: int = 16, timeout: float = 300.0,
                 backlog: int = 64) -> None:
        self.crawler = crawler
        self.pool = WorkerPool(size, crawler.stats, queue_per_worker, timeout, backlog=backlog) if size > 0 else None
        self._plan: tuple[list[tuple[str, dict[str, Any]]], float | None] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Workers:
        settings = crawler.settings
        ext = cls(crawler, worker_count(settings.get("GOVNEWS_WORKERS", "auto")),
                  settings.getint("GOVNEWS_WORKER_QUEUE", 16), settings.getfloat("GOVNEWS_WORKER_TIMEOUT", 300.0),
                  settings.getint("GOVNEWS_WORKER_BACKLOG", 64))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        _EXTENSIONS[crawler] = ext
        return ext

    def spider_opened(self, spider: Spider) -> None:
        if self.pool is not None:
            self.pool.start()
            if self.crawler.stats is not None:
                self.crawler.stats.set_value(_STAT + "size", self.pool.size)

    async def spider_closed(self, spider: Spider) -> None:
        _EXTENSIONS.pop(self.crawler, None)
        if self.pool is not None:
            await maybe_deferred_to_future(self.pool.close())

    def run(self, name: str, *args: Any) -> defer.Deferred[Any]:
        if self.pool is None:
            return _in_process(name, args)
        return self.pool.run(name, *args)

    @property
    def active(self) -> bool:
        return self.pool is not None

    def plan(self) -> tuple[list[tuple[str, dict[str, Any]]], float | None]:
        """What a worker does for the pipelines besides extraction: the stages of the pipelines that come
        first in ``ITEM_PIPELINES`` and declare one (``pipelines.drops.StagePipeline``), up to the first
        that does not, in their order and with their options; and the near-duplicate threshold when the
        state store judges articles (``pipelines.state``). Empty without a pool: the pipelines do it."""
        if self._plan is None:
            self._plan = stage_plan(self.crawler) if self.pool is not None else ([], None)
        return self._plan


def stage_plan(crawler: Crawler) -> tuple[list[tuple[str, dict[str, Any]]], float | None]:
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    from govnews.incremental import runtime_for
    from govnews.state.neardup import DEFAULT_THRESHOLD

    settings = crawler.settings
    stages: list[tuple[str, dict[str, Any]]] = []
    judged = False
    leading = True
    for path in build_component_list(settings.getwithbase("ITEM_PIPELINES")):
        cls = load_object(path)
        name = getattr(cls, "stage", None)
        if leading and name:
            stages.append((name, cls.stage_options(settings)))
        else:
            leading = False
        judged |= bool(getattr(cls, "judges_bodies", False))
    threshold = None
    if judged and runtime_for(crawler) is not None:
        threshold = settings.getfloat("GOVNEWS_NEAR_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD)
    return stages, threshold


def worker_count(value: Any) -> int:
    """``GOVNEWS_WORKERS``: a number of processes (0: none), or ``auto``: one fewer than the cores, at
    least one (the crawl's own process needs a core for the event loop and the downloads)."""
    if value in (None, "", "auto"):
        return max(1, (os.cpu_count() or 2) - 1)
    try:
        count = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"GOVNEWS_WORKERS={value!r}: a number of processes (0: none) or auto") from None
    if count < 0:
        raise ValueError(f"GOVNEWS_WORKERS={value!r}: a number of processes (0: none) or auto")
    return count


_EXTENSIONS: weakref.WeakKeyDictionary[Crawler, Workers] = weakref.WeakKeyDictionary()


def workers_for(crawler: Crawler | None) -> Workers | None:
    return _EXTENSIONS.get(crawler) if crawler is not None else None
