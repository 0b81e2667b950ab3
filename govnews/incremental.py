"""Scrapy glue of the incremental crawl: one state store and one run per crawl.

``IncrementalState`` (an extension) opens the store named by ``GOVNEWS_STATE_PATH``, repairs what
interrupted runs left (``govnews.state.recovery``), registers this run, and at the end of the crawl
forgets what was staged but never written, records which list chains ("columns") were walked
completely, and closes the run. The pipeline (``pipelines.state``), the middlewares
(``govnews.middlewares.incremental``) and the feed storage (``govnews.feeds``) reach the same store
through ``runtime_for(crawler)``; with ``GOVNEWS_STATE_PATH`` empty there is no runtime and all of
them step aside.

``RunDupeFilter`` keeps Scrapy's duplicate-request filter to the current run when a state store is
in use. Scrapy's ``JOBDIR`` persists the fingerprints of every request ever *scheduled*; after a kill,
a request that was scheduled but never answered is filtered forever, and on a second run every list
page is "already seen", so the run fetches nothing and exits 0. What was exported is the state store's
business, so the filter forgets between runs; ``JOBDIR`` still saves and restores the request queue.

``CrashSafeScheduler`` is Scrapy's scheduler except that it never resumes a ``JOBDIR`` request queue that
a killed run left behind (see its doc): such a queue can lose every request of a priority for the whole
next run.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
import weakref
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.core.scheduler import Scheduler
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.job import job_dir

from govnews.state import StateStore, open_store
from govnews.state.judge import Judge
from govnews.state.neardup import DEFAULT_THRESHOLD
from govnews.state.output import StateBinding
from govnews.state.recovery import recover

if TYPE_CHECKING:
    from govnews.state.base import MissingLink, RunInfo

logger = logging.getLogger(__name__)

#: Request meta: the start URL of the list chain ("column") a list or article request came from.
COLUMN_META_KEY = "govnews_column"
#: Drop reasons of an article page that may read differently on the next fetch (a CMS answering 200 with
#: an error or "busy" page): like a failed fetch, they leave the walk of the column incomplete.
TRANSIENT_DROPS = frozenset({"empty_text", "missing_title"})

#: Request meta of an article request leaving a list page: ``{"id", "url", "site"}`` of the link, and
#: ``"missing": True`` when the store holds a series of 404/410 answers for it (``StateStore.missing_links``).
LINK_META_KEY = "govnews_link"
#: HTTP answers that say an article link is gone (not a server having a bad day).
GONE_STATUSES = frozenset({404, 410})

_RUNTIMES: weakref.WeakKeyDictionary[Crawler, StateRuntime] = weakref.WeakKeyDictionary()


def runtime_for(crawler: Crawler | None) -> StateRuntime | None:
    """The crawl's state runtime, or None when no state store is configured."""
    return _RUNTIMES.get(crawler) if crawler is not None else None


def spider_limited(spider: Spider) -> bool:
    """Whether the crawl was asked to stop early (then it did not see the whole site)."""
    return any(getattr(spider, name, None) for name in ("since", "max_pages", "max_articles"))


class StateRuntime:
    """Everything the crawl's components share about the store and this run."""

    def __init__(self, store: StateStore, run: RunInfo, recheck_days: float, export_duplicates: bool,
                 threshold: float, gone_after_runs: int = 3) -> None:
        self.store = store
        self.run = run
        self.recheck_seconds = recheck_days * 86400
        self.gone_after_runs = gone_after_runs
        self.export_duplicates = export_duplicates
        self.judge = Judge(store, run.run, threshold)
        # response URL -> (ETag, Last-Modified) of pages fetched in this run, until their article is staged
        self.validators: OrderedDict[str, tuple[str | None, str | None]] = OrderedDict()
        self.complete_at_start: dict[str, bool] = {}
        self.failed_walks: set[str] = set()

    def was_complete(self, column: str) -> bool:
        """Whether the last run that walked ``column`` (a ``column_key``) walked all of it without a failure.

        The first call of a run also clears the mark in the store, so a run that is killed half-way leaves
        the column to be walked in full next time."""
        if column not in self.complete_at_start:
            self.complete_at_start[column] = self.store.site_complete(column)
            self.store.set_site_complete(column, False)
        return self.complete_at_start[column]

    def walk_failed(self, column: str) -> None:
        """A list or article page of ``column`` failed: this run's walk of it is not complete."""
        self.was_complete(column)
        self.failed_walks.add(column)

    def walked_completely(self) -> list[str]:
        """The columns this run walked with no page failing."""
        return [column for column in self.complete_at_start if column not in self.failed_walks]

    def binding(self) -> StateBinding:
        return StateBinding(self.store, self.run.run)

    def remember_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if etag or last_modified:
            self.validators[url] = (etag, last_modified)
            while len(self.validators) > 10_000:  # pages dropped before staging must not pile up
                self.validators.popitem(last=False)

    def pop_validators(self, url: str) -> tuple[str | None, str | None]:
        return self.validators.pop(url, (None, None))

    def is_gone(self, link: MissingLink) -> bool:
        """Whether a link answered 404/410 on ``GOVNEWS_GONE_AFTER_RUNS`` runs in a row (0: never gone)."""
        return 0 < self.gone_after_runs <= link.misses

    def due(self, checked_at: float, now: float | None = None) -> bool:
        """Whether an article last fetched at ``checked_at`` should be looked at again."""
        return ((time.time() if now is None else now) - checked_at) >= self.recheck_seconds


def column_key(site: str, start_url: str) -> str:
    """The name a column's "walked completely" mark has in the store (``StateStore.site_complete``)."""
    return f"column {site} {start_url}"


def column_start(spider: Spider, request: Request) -> str | None:
    """The start URL of the list chain ("column") ``request`` belongs to: carried in the request's meta
    (set by ``IncrementalSpiderMiddleware``), its ``origin`` argument, or, for a list page requested at
    the start, its own URL. None for requests outside any list chain."""
    from govnews.middlewares.incremental import page_kind

    start = request.meta.get(COLUMN_META_KEY) or request.cb_kwargs.get("origin")
    if not start and page_kind(spider, request) == "list":
        start = request.url
    return str(start) if start else None


def column_of(spider: Spider, request: Request) -> str | None:
    """The ``column_key`` of ``request``'s list chain, or None."""
    from govnews.middlewares.incremental import site_key

    start = column_start(spider, request)
    return column_key(site_key(spider, start), start) if start else None


def note_failed_page(crawler: Crawler, spider: Spider, request: Request | None, status: int | None = None) -> None:
    """A page could not be fetched or was dropped for a transient reason: the walk of its column is not
    complete, so the next run walks the whole column again and fetches every article it does not know.

    An article link answering 404/410 (``status``) is recorded in the store; once it has answered so on
    ``GOVNEWS_GONE_AFTER_RUNS`` runs in a row it is gone (``govnews/state/gone/<site>``): it no longer
    leaves the column incomplete, and it is fetched again only after ``GOVNEWS_RECHECK_DAYS``. (A dead
    link kept every scheduled run walking all list pages of its column for ever.)"""
    runtime = runtime_for(crawler)
    column = column_of(spider, request) if runtime is not None and request is not None else None
    if runtime is None or column is None or request is None:
        return
    link = request.meta.get(LINK_META_KEY)
    if status in GONE_STATUSES and link:
        record = runtime.store.note_missing(link["id"], link["url"], link["site"], runtime.run.run, time.time())
        if runtime.is_gone(record):
            if crawler.stats is not None:
                crawler.stats.inc_value(f"govnews/state/gone/{link['site']}")
            logger.info("Gone: %s answered HTTP %d on %d runs in a row; its column is no longer held open by "
                        "it, and it is fetched again after GOVNEWS_RECHECK_DAYS", link["url"], status,
                        record.misses)
            runtime.was_complete(column)
            return
    runtime.walk_failed(column)


def store_config(settings: Any) -> dict[str, Any]:
    """The ``open_store`` config the settings name: ``GOVNEWS_STATE_BACKEND`` ``sqlite`` (the file
    ``GOVNEWS_STATE_PATH``) or ``redis`` (``REDIS_URL``, ``GOVNEWS_REDIS_PREFIX``; a run is dead once its
    heartbeat is ``GOVNEWS_FLEET_HEARTBEAT_S`` old)."""
    backend = settings.get("GOVNEWS_STATE_BACKEND", "sqlite")
    if backend == "redis":
        from govnews.fleet import defaults
        from govnews.fleet.connection import prefix, redis_url, waiting_retry

        # a Redis outage mid-crawl is waited out: a state call never fails a page for it
        return {"type": "redis", "url": redis_url(settings), "prefix": prefix(settings), "retry": waiting_retry(),
                "liveness_s": settings.getfloat("GOVNEWS_FLEET_HEARTBEAT_S", defaults.GOVNEWS_FLEET_HEARTBEAT_S)}
    return {"type": backend, "path": settings.get("GOVNEWS_STATE_PATH", "")}


class IncrementalState:
    """Extension: see the module doc. Settings: ``GOVNEWS_STATE_PATH``, ``GOVNEWS_STATE_BACKEND``,
    ``GOVNEWS_RECHECK_DAYS``, ``GOVNEWS_EXPORT_DUPLICATES``, ``GOVNEWS_NEAR_DUPLICATE_THRESHOLD``,
    ``GOVNEWS_GONE_AFTER_RUNS``."""

    def __init__(self, crawler: Crawler, runtime: StateRuntime) -> None:
        self.crawler = crawler
        self.runtime = runtime
        self.reason = "unknown"
        self.spider: Spider | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalState:
        settings = crawler.settings
        path = settings.get("GOVNEWS_STATE_PATH", "")
        if not path:
            raise NotConfigured
        store = open_store(store_config(settings))
        report = recover(store)
        stats = crawler.stats
        assert stats is not None
        for key, value in (("runs", len(report.runs)), ("committed", report.committed),
                           ("discarded", report.discarded), ("truncated_bytes", report.truncated_bytes)):
            if value:
                stats.set_value(f"govnews/state/recovered/{key}", value)
        spider_name = crawler.spidercls.name
        run = store.open_run(spider_name)
        runtime = StateRuntime(
            store, run,
            recheck_days=settings.getfloat("GOVNEWS_RECHECK_DAYS", 30.0),
            export_duplicates=settings.getbool("GOVNEWS_EXPORT_DUPLICATES", False),
            threshold=settings.getfloat("GOVNEWS_NEAR_DUPLICATE_THRESHOLD", DEFAULT_THRESHOLD),
            gone_after_runs=settings.getint("GOVNEWS_GONE_AFTER_RUNS", 3))
        _RUNTIMES[crawler] = runtime
        ext = cls(crawler, runtime)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(ext.item_dropped, signal=signals.item_dropped)
        logger.info("State store %s (%s), run %s", path if store.kind == "sqlite" else "on Redis", store.kind, run.run)
        if settings.get("JOBDIR"):
            logger.info("JOBDIR %s keeps the request queue; the state store decides what is new",
                        settings.get("JOBDIR"))
        return ext

    def spider_opened(self, spider: Spider) -> None:
        self.spider = spider

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException,
                     spider: Spider | None = None) -> None:
        reason = str(exception).partition(":")[0]
        if reason in TRANSIENT_DROPS and response is not None and self.spider is not None:
            note_failed_page(self.crawler, self.spider, response.request)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.reason = reason

    def engine_stopped(self) -> None:
        """After the feeds are closed (their last lines committed): tidy up this run."""
        store, run = self.runtime.store, self.runtime.run.run
        unwritten = store.discard(run)
        if unwritten:
            logger.info("%d article(s) were not written to any output; they will be exported next time",
                        unwritten)
        spider = self.spider
        site = getattr(spider, "site", None) if spider is not None else None
        finished = self.reason == "finished"
        if site is not None and getattr(site, "key", None) and finished and not spider_limited(spider):
            for column in self.runtime.walked_completely():
                store.set_site_complete(column, True)
        if self.runtime.failed_walks:
            logger.info("%d list chain(s) had a page that failed; the next run walks them in full",
                        len(self.runtime.failed_walks))
        if self.crawler.stats is not None:
            for key, value in store.counts().items():
                self.crawler.stats.set_value(f"govnews/state/store/{key}", value)
        store.close_run(run, "finished" if finished else f"closed: {self.reason}")
        store.close()
        _RUNTIMES.pop(self.crawler, None)


class RunDupeFilter(RFPDupeFilter):
    """Scrapy's request filter, persisted in ``JOBDIR`` only when no state store is configured."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, **kwargs: Any) -> RunDupeFilter:
        settings = crawler.settings
        path = None if settings.get("GOVNEWS_STATE_PATH") else job_dir(settings)
        return cls(path, settings.getbool("DUPEFILTER_DEBUG"), fingerprinter=crawler.request_fingerprinter)


QUEUE_FOLDER = "requests.queue"  # Scrapy's disk queue folder inside JOBDIR
QUEUE_STATE = "active.json"  # what Scrapy writes into it when a crawl closes cleanly


class CrashSafeScheduler(Scheduler):
    """Scrapy's scheduler, except that a ``JOBDIR`` request queue left by a run that did not close is
    discarded instead of resumed.

    Scrapy writes the disk queue's bookkeeping (``requests.queue/active.json``, the size header of each
    queuelib file) only when a crawl closes; until then a queue file holds whatever its write buffer
    flushed. A file created just before a SIGKILL is empty on disk, and when the next run pushes a request
    of that priority, queuelib cannot read the header (``struct.error``): every request of that priority
    is lost for the whole run. A resumed site crawl then silently skipped all remaining article pages and
    exited 0. The queue of a killed run cannot be trusted, and with a state store it is not needed: the
    next run walks from the start pages and the store skips what was exported. So ``active.json`` is
    removed while a run uses the queue (a clean close writes it again, atomically), and a queue folder
    without it is discarded, together with the request fingerprints of that run (``requests.seen``, kept
    in ``JOBDIR`` only without a state store), since they name requests the discarded queue held.
    Counted as ``govnews/jobdir/discarded_queue``."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrashSafeScheduler:
        jobdir = job_dir(crawler.settings)
        if jobdir and discard_unclean_queue(Path(jobdir)) and crawler.stats is not None:
            crawler.stats.set_value("govnews/jobdir/discarded_queue", 1)
        return super().from_crawler(crawler)  # builds the dupefilter, which reads requests.seen

    def open(self, spider: Spider) -> Any:
        result = super().open(spider)  # has read active.json and reopened the queues it names
        if self.dqdir:
            Path(self.dqdir, QUEUE_STATE).unlink(missing_ok=True)
        return result

    def _write_dqs_state(self, dqdir: str, state: Any) -> None:
        """Written whole or not at all: a kill while closing must not leave half a JSON file."""
        target = Path(dqdir, QUEUE_STATE)
        tmp = target.with_name(QUEUE_STATE + ".tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)


def discard_unclean_queue(jobdir: Path) -> bool:
    """Remove ``jobdir``'s request queue (and fingerprints) unless a clean close saved it; True if removed."""
    queue = jobdir / QUEUE_FOLDER
    if not queue.is_dir():
        return False
    state = queue / QUEUE_STATE
    try:
        json.loads(state.read_text(encoding="utf-8"))
        return False
    except (OSError, ValueError):
        pass
    files = [path for path in queue.rglob("*") if path.is_file()]
    if not files:
        return False
    logger.warning("JOBDIR %s: the request queue was left by a run that did not close (killed?) and cannot "
                   "be trusted; discarded (%d file(s)): this run starts from the start pages%s", jobdir,
                   len(files), "" if not (jobdir / "requests.seen").exists() else ", with no request seen")
    shutil.rmtree(queue)
    (jobdir / "requests.seen").unlink(missing_ok=True)
    return True
