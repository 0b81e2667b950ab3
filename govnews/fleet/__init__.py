"""Distributed crawling on Redis: one frontier, one request filter and one article state for a fleet of
workers on many machines, switched on by one setting (``REDIS_URL`` or ``GOVNEWS_BACKEND=redis``).

Built on scrapy-redis, one small module per Scrapy component it replaces or adds, as scrapy-redis
itself is laid out:

- ``addon``: the switch (a Scrapy add-on) that puts the components below in place;
- ``defaults``: every default in one place; ``connection``: the Redis client and key names;
- ``serializer``: requests as JSON (never pickles: a queue entry must not be able to run code);
- ``queue``: a reliable priority queue (a popped request waits in its worker's processing hash
  until done; a dead worker's are put back); ``dupefilter``: compact request fingerprints;
- ``scheduler``: scrapy-redis's scheduler with worker heartbeats, acknowledgements, the reaper that
  recovers a dead worker's state and requests, and fleet-wide idle/round handling;
- ``politeness``: per-site concurrency and delay across the whole fleet (Redis leases);
- ``stats``: each worker's stats added to the fleet's totals; ``control``: seeding and progress for the
  ``govnews fleet`` command.

The article state and duplicate indexes live in ``govnews.state.redis`` behind the same interface as
the SQLite store. The fleet spider is ``spiders/fleet.py``.
"""
