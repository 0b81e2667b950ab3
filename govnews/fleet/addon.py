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
- ``GOVNEWS_DEFAULT_FEED``: the file of each run also names the host and the process, since workers
  that start in the same second on a shared folder must not write into the same file.

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
        if default_feed.endswith(".jsonl") and "%(time)s" in default_feed:
            worker = f"{socket.gethostname()}-{os.getpid()}".replace("%", "")
            values["GOVNEWS_DEFAULT_FEED"] = default_feed[:-len(".jsonl")] + f"-{worker}.jsonl"
        project = get_settings_priority("project")
        params = settings.getdict("REDIS_PARAMS")
        if "retry" not in params:  # a Redis outage is waited out, never a failed page (connection.py)
            params["retry"] = waiting_retry()
            settings.set("REDIS_PARAMS", params, priority=max(settings.getpriority("REDIS_PARAMS") or 0, project))
        for name, value in values.items():
            if settings.getpriority(name) is None or settings.getpriority(name) <= project:
                settings.set(name, value, priority="project")
        for setting, path, order in (("DOWNLOADER_MIDDLEWARES", POLITENESS_MIDDLEWARE, 950),
                                     ("EXTENSIONS", STATS_EXTENSION, 520)):
            components = settings.getdict(setting)
            components.setdefault(path, order)
            settings.set(setting, components, priority=max(settings.getpriority(setting) or 0, project))
        logger.info("Fleet mode: Redis %s, key prefix %s", redacted(values["REDIS_URL"]), key_prefix)

