"""Every default of the fleet, in one place (as ``scrapy_redis.defaults``). Settings of the same names
override them; the README ("Distributed crawling") documents the ones meant for users."""

from __future__ import annotations

#: Where the fleet's Redis is, when ``GOVNEWS_BACKEND=redis`` is given without ``REDIS_URL``.
REDIS_URL = "redis://127.0.0.1:6379/0"
#: Every key the fleet writes starts with this (several fleets can share one Redis under other prefixes).
GOVNEWS_REDIS_PREFIX = "govnews"

#: scrapy-redis keys, under the prefix. ``%(spider)s`` / ``%(name)s`` is the spider's name.
SCHEDULER_QUEUE_KEY = "%(prefix)s:%%(spider)s:requests"
SCHEDULER_DUPEFILTER_KEY = "%(prefix)s:%%(spider)s:dupefilter"
REDIS_START_URLS_KEY = "%(prefix)s:%%(name)s:start_urls"
STATS_KEY = "%(prefix)s:%(spider)s:stats"

#: A worker whose heartbeat is older than this is dead: its in-flight requests go back to the queue and
#: its state run is recovered. Workers beat every third of it, from a thread.
GOVNEWS_FLEET_HEARTBEAT_S = 30.0
#: How often a worker acknowledges finished requests and looks for dead workers.
GOVNEWS_FLEET_TICK_S = 0.2
GOVNEWS_FLEET_REAP_S = 10.0
#: Requests a worker takes from the queue in one round trip (those it does not start at once wait in its
#: processing hash, requeued if it dies). 1: one at a time.
GOVNEWS_FLEET_POP = 4
#: How often a worker adds its stats to the fleet's totals (and once more when it closes).
GOVNEWS_FLEET_STATS_S = 5.0
#: Per-site politeness across the fleet: CONCURRENT_REQUESTS_PER_DOMAIN and DOWNLOAD_DELAY count for
#: all workers together. Off: each worker is polite on its own only (N workers, N times the load).
GOVNEWS_FLEET_POLITENESS = True
#: The fleet spider closes after this many seconds with no seeds and nothing in flight anywhere; 0: a
#: long-running worker that waits for seeds forever.
MAX_IDLE_TIME_BEFORE_CLOSE = 0
