"""A reliable priority queue for scrapy-redis: a popped request is not gone until its worker is done.

scrapy-redis's queues pop a request out of Redis for good: a worker killed with requests in flight
loses them, and with them every page only they would have led to. Here ``pop`` moves the entry, in one
Lua script, from the shared sorted set into the worker's *processing* hash under a token; the scheduler
``ack``s the token once the engine has finished with the request (downloaded, parsed, its items
exported and its new requests queued). When a worker dies its heartbeat expires and another worker
``requeue``s the entries still in its processing hash. Order is scrapy-redis's ``PriorityQueue``'s:
higher ``priority`` first.

``push_unseen`` records the request's fingerprint and queues it in one script: a worker cannot die
between the two, which would leave a request "seen" but in no queue, never to be fetched.
"""

from __future__ import annotations

import itertools
from typing import Any

from scrapy import Request, Spider
from scrapy_redis.queue import Base

#: Request meta keys the fleet sets on popped requests; never written into the queue.
TOKEN_META = "govnews_fleet_token"
HOLD_META = "govnews_fleet_hold"

# KEYS: queue, processing; ARGV: token. Returns the entry or nil.
_POP = """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('HSET', KEYS[2], ARGV[1], item[2] .. ' ' .. item[1])
return item[1]
"""

# KEYS: queue, dupefilter; ARGV: score, entry, fingerprint ('' = unfiltered). Returns 1 if queued.
_PUSH = """
if ARGV[3] ~= '' and redis.call('SADD', KEYS[2], ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# KEYS: queue, processing. Every entry back into the queue, with its score; returns how many.
_REQUEUE = """
local entries = redis.call('HVALS', KEYS[2])
for _, v in ipairs(entries) do
  local space = string.find(v, ' ', 1, true)
  redis.call('ZADD', KEYS[1], string.sub(v, 1, space - 1), string.sub(v, space + 1))
end
redis.call('DEL', KEYS[2])
return #entries
"""


class ReliablePriorityQueue(Base):
    """``SCHEDULER_QUEUE_CLASS`` of the fleet (see module doc). ``worker`` names this worker's
    processing hash; ``processing_key`` is given by the scheduler."""

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None,
                 processing_key: str = "", dupefilter_key: str = "") -> None:
        super().__init__(server, spider, key, serializer)
        self.processing_key = processing_key or f"{self.key}:processing:local"
        self.dupefilter_key = dupefilter_key
        self._pop = server.register_script(_POP)
        self._push = server.register_script(_PUSH)
        self._requeue = server.register_script(_REQUEUE)
        self._tokens = itertools.count(1)

    def __len__(self) -> int:
        return int(self.server.zcard(self.key))

    def encode(self, request: Request) -> bytes:
        """The queue entry of ``request``; ``TypeError``/``ValueError`` when it cannot leave this process."""
        meta = request.meta
        if TOKEN_META in meta or HOLD_META in meta:
            request = request.replace(meta={k: v for k, v in meta.items() if k not in (TOKEN_META, HOLD_META)})
        return self._encode_request(request)

    def push(self, request: Request) -> None:
        self.push_unseen(request, b"")

    def push_unseen(self, request: Request, fingerprint: bytes, entry: bytes | None = None) -> bool:
        """Queue ``request`` unless ``fingerprint`` was seen (empty: always); False when it was."""
        entry = self.encode(request) if entry is None else entry
        keys = [self.key, self.dupefilter_key or f"{self.key}:unused"]
        return bool(self._push(keys=keys, args=[-request.priority, entry, fingerprint]))

    def pop(self, timeout: int = 0) -> tuple[str, bytes] | None:
        """(token, entry) of the highest-priority request, now in this worker's processing hash."""
        token = str(next(self._tokens))
        entry = self._pop(keys=[self.key, self.processing_key], args=[token])
        return (token, entry) if entry else None

    def decode(self, entry: bytes) -> Request:
        return self._decode_request(entry)

    def ack(self, tokens: list[str]) -> None:
        if tokens:
            self.server.hdel(self.processing_key, *tokens)

    def requeue(self, processing_key: str) -> int:
        """Put every entry of a (dead) worker's processing hash back into the queue."""
        return int(self._requeue(keys=[self.key, processing_key]))

    def in_flight(self) -> int:
        return int(self.server.hlen(self.processing_key))
