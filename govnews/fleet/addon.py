"""The switch: with ``REDIS_URL`` set (or ``GOVNEWS_BACKEND=redis``), a crawl joins a fleet.

A Scrapy add-on (``ADDONS`` in ``govnews.settings``): it runs after every setting is known, command line
included, and puts the fleet's components in place of the single-process ones:

- ``SCHEDULER``, ``SCHEDULER_QUEUE_CLASS``, ``DUPEFILTER_CLASS``: scrapy-redis's scheduler with the
  reliable queue and the fingerprint filter of ``govnews.fleet``; ``SCHEDULER_PERSIST``: the frontier
  outlives every worker (the fleet, not one process, decides when a crawl is over);
- ``SCHEDULER_SERIALIZER``: JSON, never pickles;
- ``GOVNEWS_STATE_BACKEND``: ``redis``, the state store every worker shares;
- the fleet's politeness middleware and stats extension;
- ``REDIS_PARAMS``' ``retry``: every Redis command of the crawl waits out a Redis outage
  (``govnews.fleet.connection.waiting_retry``);
- ``GOVNEWS_DEFAULT_FEED``: the file of each run also names the host and the process,
  ``data/fleet/<time>-<host>-<pid>.jsonl``, since workers that start in the same second on a shared
  folder must not write into the same file. Scrapy applies the spider's ``update_settings`` (which puts
  the default feed into ``FEEDS``) *before* add-ons, so the default entry of ``FEEDS`` is renamed here
  too; a ``FEEDS`` the user gave (``-o``, ``-O``, ``-s FEEDS=``) is left alone.

Each is set at ``project`` priority only where the user has not set it (``-s`` or a spider's own
settings win). Without ``REDIS_URL``/``GOVNEWS_BACKEND=redis`` nothing changes.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from scrapy.settings import BaseSettings, get_settings_priority

from govnews.fleet import defaults
from govnews.fleet.connection import fleet_enabled, prefix, redacted, redis_url, waiting_retry

logger = logging.getLogger(__name__)

POLITENESS_MIDDLEWARE = "govnews.fleet.politeness.FleetPolitenessMiddleware"
STATS_EXTENSION = "govnews.fleet.stats.FleetStats"


class FleetAddon:
    def update_settings(self, settings: BaseSettings) -> None:
        if not fleet_enabled(settings):
            return
        try:
            import redis  # noqa: F401
            import scrapy_redis  # noqa: F401
        except ImportError as exc:
            raise RuntimeError(f"a fleet crawl (REDIS_URL / GOVNEWS_BACKEND=redis) needs the redis extra: "
                               f"pip install 'govnews[redis]' ({exc})") from None
        key_prefix = prefix(settings)
        values: dict[str, Any] = {
            "REDIS_URL": redis_url(settings),
            "SCHEDULER": "govnews.fleet.scheduler.FleetScheduler",
            "SCHEDULER_QUEUE_CLASS": "govnews.fleet.queue.ReliablePriorityQueue",
            "DUPEFILTER_CLASS": "govnews.fleet.dupefilter.FleetDupeFilter",
            "SCHEDULER_SERIALIZER": "govnews.fleet.serializer",
            "SCHEDULER_PERSIST": True,
            "SCHEDULER_QUEUE_KEY": defaults.SCHEDULER_QUEUE_KEY % {"prefix": key_prefix},
            "SCHEDULER_DUPEFILTER_KEY": defaults.SCHEDULER_DUPEFILTER_KEY % {"prefix": key_prefix},
            "REDIS_START_URLS_KEY": defaults.REDIS_START_URLS_KEY % {"prefix": key_prefix},
            "GOVNEWS_STATE_BACKEND": "redis",
        }
        default_feed = settings.get("GOVNEWS_DEFAULT_FEED", "")
        worker_feed = worker_feed_name(default_feed)
        if worker_feed != default_feed:
            values["GOVNEWS_DEFAULT_FEED"] = worker_feed
        project = get_settings_priority("project")
        params = settings.getdict("REDIS_PARAMS")
        if "retry" not in params:  # a Redis outage is waited out, never a failed page (connection.py)
            params["retry"] = waiting_retry()
            settings.set("REDIS_PARAMS", params, priority=max(settings.getpriority("REDIS_PARAMS") or 0, project))
        for name, value in values.items():
            if settings.getpriority(name) is None or settings.getpriority(name) <= project:
                settings.set(name, value, priority="project")
        rename_default_feed(settings, default_feed, settings.get("GOVNEWS_DEFAULT_FEED", ""))
        for setting, path, order in (("DOWNLOADER_MIDDLEWARES", POLITENESS_MIDDLEWARE, 950),
                                     ("EXTENSIONS", STATS_EXTENSION, 520)):
            components = settings.getdict(setting)
            components.setdefault(path, order)
            settings.set(setting, components, priority=max(settings.getpriority(setting) or 0, project))
        logger.info("Fleet mode: Redis %s, key prefix %s", redacted(values["REDIS_URL"]), key_prefix)


def worker_feed_name(template: str) -> str:
    """``data/%(name)s/%(time)s.jsonl`` -> ``data/%(name)s/%(time)s-<host>-<pid>.jsonl``: a one-file-per-run
    template names this worker's process too (a name with no ``%(time)s`` is one file for all runs, left)."""
    if not (template.endswith(".jsonl") and "%(time)s" in template):
        return template
    worker = f"{socket.gethostname()}-{os.getpid()}"
    worker = "".join(c if c.isalnum() or c in "-_." else "_" for c in worker)  # no /, %, space in a file name
    return template[:-len(".jsonl")] + f"-{worker}.jsonl"


def rename_default_feed(settings: BaseSettings, old: str, new: str) -> None:
    """Point the ``FEEDS`` entry the spider built from the default feed (``spiders.base.ArticleSpider.
    update_settings``, which ran before this add-on) at the worker's own name."""
    if not old or old == new or settings.getpriority("FEEDS") != get_settings_priority("spider"):
        return
    feeds = settings.getdict("FEEDS")
    if list(feeds) != [old]:
        return
    settings.set("FEEDS", {new: feeds[old]}, priority="spider")

