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

``exchange`` is the scheduler's one round trip: it sends the pushes it has gathered (a list page's links),
the acknowledgements, and takes up to ``n`` requests, in one pipeline that Redis runs in that order (a
parent request is never acknowledged before its children are queued).
"""

from __future__ import annotations

import itertools
from typing import Any

from redis.exceptions import NoScriptError
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

# KEYS: queue, processing; ARGV: tokens. Up to #ARGV entries, highest priority first, each parked under
# the next token; returns token, entry, token, entry... A token already parked returns its entry again
# instead of taking another: a pipeline redis-py sends again after a lost connection (Redis restarted
# after it had run the script) must not park a second request under the same token, which would lose
# the first one.
_POP_MANY = """
local out = {}
local free = {}
for _, token in ipairs(ARGV) do
  local parked = redis.call('HGET', KEYS[2], token)
  if parked then
    out[#out + 1] = token
    out[#out + 1] = string.sub(parked, string.find(parked, ' ', 1, true) + 1)
  else
    free[#free + 1] = token
  end
end
if #free == 0 then return out end
local items = redis.call('ZRANGE', KEYS[1], 0, #free - 1, 'WITHSCORES')
for i = 1, #items, 2 do
  local token = free[(i + 1) / 2]
  redis.call('ZREM', KEYS[1], items[i])
  redis.call('HSET', KEYS[2], token, items[i + 1] .. ' ' .. items[i])
  out[#out + 1] = token
  out[#out + 1] = items[i]
end
return out
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
        self._pop_many = server.register_script(_POP_MANY)
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

    def exchange(self, pushes: list[tuple[Request, bytes, bytes]], acks: list[str], n: int
                 ) -> tuple[list[bool], list[tuple[str, bytes]]]:
        """Queue ``pushes`` ((request, fingerprint, entry): see ``push_unseen``), acknowledge ``acks``, then
        take up to ``n`` requests, in one round trip. Returns whether each push was queued, and the
        (token, entry) pairs taken."""
        pipe = self.server.pipeline(transaction=False)
        keys = [self.key, self.dupefilter_key or f"{self.key}:unused"]
        for request, fingerprint, entry in pushes:
            pipe.evalsha(self._push.sha, 2, *keys, -request.priority, entry, fingerprint)
        if acks:
            pipe.hdel(self.processing_key, *acks)
        tokens = [str(next(self._tokens)) for _ in range(n)]
        if n:
            pipe.evalsha(self._pop_many.sha, 2, self.key, self.processing_key, *tokens)
        replies = pipe.execute(raise_on_error=False)
        if any(isinstance(r, NoScriptError) for r in replies):
            # Redis lost its scripts (restarted, SCRIPT FLUSH): load them and send what failed again. A
            # push already queued would answer "seen" the second time: its first answer counts.
            self.load_scripts()
            pop_failed = bool(n) and isinstance(replies[-1], NoScriptError)
            again, taken = self.exchange(pushes, acks, n if pop_failed else 0)
            queued = [ok if isinstance(first, Exception) else bool(first)
                      for first, ok in zip(replies[:len(pushes)], again, strict=True)]
            return queued, taken if pop_failed else _pairs(replies[-1] if n else [])
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
        return [bool(r) for r in replies[:len(pushes)]], _pairs(replies[-1] if n else [])

    def load_scripts(self) -> None:
        """Make sure Redis has the scripts ``exchange`` sends by their digest."""
        for script in (self._push, self._pop_many):
            script.sha = self.server.script_load(script.script)

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



def _pairs(flat: list[Any]) -> list[tuple[str, bytes]]:
    """(token, entry) pairs of ``_POP_MANY``'s answer."""
    return [(flat[i].decode() if isinstance(flat[i], bytes) else str(flat[i]), flat[i + 1])
            for i in range(0, len(flat), 2)]
