"""Item pipeline: export only what is new or changed, mark reposts, remember everything.

A thin adapter over ``govnews.state.judge.Judge`` (see ``govnews.incremental`` for the store and the
run). Per article: ``unchanged`` is dropped quietly (``govnews/state/unchanged/<site>``); ``new`` and
``changed`` get ``version`` / ``previous_hash`` and go on to the output (``govnews/state/new/<site>``,
``govnews/state/changed/<site>``); a repost of an exported article gets ``duplicate_of`` and is
remembered but not exported (``govnews/state/duplicate/<site>``) unless ``GOVNEWS_EXPORT_DUPLICATES``
is on (or ``GOVNEWS_DEDUP_CONTENT`` is off, as for the ad hoc ``article`` spider, where every page
named is wanted). Inactive without a state store.

With a store on the network (Redis: ``StateStore.remote``), each decision is a round trip or more that
the crawl's event loop would sit out, with nothing else done meanwhile; it runs on a thread of its own
instead, one decision at a time and in the order articles arrive, while the loop fetches and extracts
other pages. Stats, drops and the item are handled back on the loop.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.internet import defer
from twisted.python.threadpool import ThreadPool

from govnews.incremental import StateRuntime, runtime_for
from govnews.pages import prepared
from govnews.state.judge import Features, Verdict

logger = logging.getLogger(__name__)


class StatePipeline:
    #: A worker of the pool computes the near-duplicate features of each body for it (``govnews.workers``).
    judges_bodies = True

    def __init__(self, crawler: Crawler, export_duplicates: bool) -> None:
        self.crawler = crawler
        self.export_duplicates = export_duplicates
        self.pool: ThreadPool | None = None  # the decisions' thread, for a store on the network
        self.reactor: Any = None  # the crawl's (Twisted's global reactor, set on first use)
        crawler.signals.connect(self.stop_pool, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StatePipeline:
        settings = crawler.settings
        export = settings.getbool("GOVNEWS_EXPORT_DUPLICATES", False) or not settings.getbool(
            "GOVNEWS_DEDUP_CONTENT", True)
        return cls(crawler, export)

    @property
    def runtime(self) -> StateRuntime | None:
        return runtime_for(self.crawler)

    def _inc(self, what: str, site: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"govnews/state/{what}/{site}")

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        runtime = self.runtime
        if runtime is None:
            return item
        etag, last_modified = runtime.pop_validators(item.url)
        # One decision (judge + stage) that no other worker sharing the store can interleave with.
        args = (item, self.export_duplicates, etag, last_modified, known_features(item))
        if not getattr(runtime.store, "remote", False):
            return self.apply(item, runtime.judge.decide(*args))
        if self.reactor is None:
            from twisted.internet import reactor

            self.reactor = reactor
        if self.pool is None:
            self.pool = ThreadPool(1, 1, name="govnews-decisions")  # one: decisions keep their order
            # a daemon, so that a crawl ending without engine_stopped (a crash) is not kept alive by it
            self.pool.threadFactory = functools.partial(threading.Thread, daemon=True)  # type: ignore[assignment]
            self.pool.start()
        from twisted.internet.threads import deferToThreadPool

        decided: defer.Deferred[Verdict] = deferToThreadPool(self.reactor, self.pool, runtime.judge.decide, *args)
        return decided.addCallback(lambda verdict: self.apply(item, verdict))

    def stop_pool(self) -> None:
        if self.pool is not None:
            self.pool.stop()  # waits for a decision in progress (none: the engine waited for its items)
            self.pool = None

    def apply(self, item: Any, verdict: Verdict) -> Any:
        """The verdict's effect on the item (fields, stats, drops)."""
        if verdict.kind == "unchanged":
            self._inc("unchanged", item.site)
            raise DropItem(f"unchanged since it was exported (version {verdict.version})", log_level="DEBUG")
        item.version = verdict.version
        item.previous_hash = verdict.previous_hash
        item.duplicate_of = verdict.duplicate_of
        if verdict.kind == "duplicate":
            self._inc("duplicate", item.site)
            self._inc(f"duplicate_{verdict.match}", item.site)
            if not self.export_duplicates:
                logger.warning("Repost of %s (%s match, similarity %.2f), not exported: %s (id %s)",
                               verdict.duplicate_of, verdict.match, verdict.similarity or 0, item.url, item.id)
                raise DropItem(f"duplicate of {verdict.duplicate_of}", log_level="DEBUG")
            return item
        if verdict.siblings:
            # as similar as a repost, but its numbers (case/project numbers, amounts, dates) are its own
            self._inc("near_distinct", item.site)
            logger.info("Kept %s (id %s): near %s, but a different document of the same template", item.url,
                        item.id, ", ".join(verdict.siblings[:3]))
        self._inc(verdict.kind, item.site)
        return item


def known_features(item: Any) -> Features | None:
    """The features a worker computed for this item's body, if it still is that body."""
    ready = prepared(item)
    if ready is None or ready.features is None:
        return None
    if hashlib.sha256(item.text.encode("utf-8")).hexdigest() != ready.content_hash:
        return None  # a pipeline in between changed the text
    return ready.features
