"""The fleet's state store: article state and duplicate indexes in Redis, shared by every worker.

Same contract as the SQLite store (``govnews.state.base``); the same tests run against both. What differs
is who else is writing: many crawl processes on many machines at once. So every write that reads before
it writes (stage, commit, discard) is one Lua script, atomic on the server, and a worker's decision about
an article (judge, then stage) holds short leases on the keys it reads (``decision``), so a repost met
by two workers at the same moment is one original and one ``duplicate_of``, never two originals.

Layout under ``<prefix>:state:`` (bytes, no pickles; ids and hashes raw where Python writes them):

- ``art`` hash: raw id -> ``<n>|<content hash hex>|<o|d>|<JSON array of the other fields>`` (committed);
  ``staged`` hash: hex id -> ``<n>|<JSON>`` (run, record, body hash, band keys, repost fields): written by
  a decision, moved to ``art`` once the article's line is on disk (``commit``) or dropped (``discard``).
- One set of indexes for staged and committed originals, written once, when an original is staged:
  ``content`` hash: raw body hash -> raw ids of the originals with that body;
  ``lsh:<5 hex>`` hashes: rest of a band key (11 hex) -> article numbers ``n`` (comma-separated), split
  into 16^5 buckets so each stays a compact listpack up to ~7 million indexed articles;
  ``sig`` hash: n -> raw id + signature (256 bytes of MinHash, then 4 bytes per number of the body); the
  number of a version since replaced keeps only the raw id, so its band keys still lead to the article.
  Staging an original costs its index writes once; committing it moves one row (the first layout indexed
  staged rows apart and moved every entry at commit: twice the Redis work an article).
- ``run:<run>``: ids a run staged; ``sdupes:<id>``: unexported reposts judged against a staged original
  (forgotten with it); ``layout``: ``2`` (staged rows of the first layout are moved in when a store opens).
- ``leases`` hash: what a decision in progress holds (``i:<id>``, ``c:<body hash>``, ``b:<band key>``) ->
  ``<token>|<expiry ms>``: one hash, two calls to claim and two to release, where a key per lease took 76.
- ``runs``, ``running``, ``alive:<run>`` (a heartbeat key with a TTL), ``outputs`` (``host\nrun\npath`` ->
  JSON: one record per run, never another run's), ``sites``, counters;
- ``missing`` hash: article id (hex) -> JSON (url, site, misses, run, at) of links that answer 404/410.

Liveness: a run is alive while its heartbeat key exists (refreshed from a thread every third of
``liveness_s``); on the run's own host a dead process id settles it at once. Outputs are recorded per
host, and recovery only ever reads outputs of its own host: a path names a file on one machine.
"""

from __future__ import annotations

import json
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

import redis

from govnews.state.base import ArticleState, MissingLink, Output, RunInfo, StateStore
from govnews.state.neardup import Fingerprint, Signature

#: Most candidates one lookup considers (as in the SQLite store).
_LIMIT = 500
_ID_HEX = 40
#: Hex digits of a band key that pick its bucket hash (16^5 buckets).
BUCKET_CHARS = 5

# Fields of the JSON array after the header, in order.
_FIELDS = ("url", "site", "version", "published_at", "first_seen", "exported_at", "checked_at", "etag",
           "last_modified", "duplicate_of", "exported", "title")

_LUA_HELPERS = """
local P = ARGV[1] .. ':state:'
local function unhex(h) return (h:gsub('..', function(c) return string.char(tonumber(c, 16)) end)) end
local function chunks_add(key, field, item)
  if redis.call('HSETNX', key, field, item) == 1 then return end  -- the usual case: a new body
  local v = redis.call('HGET', key, field)
  local w = #item
  for i = 1, #v, w do if v:sub(i, i + w - 1) == item then return end end
  redis.call('HSET', key, field, v .. item)
end
local function chunks_remove(key, field, item)
  local v = redis.call('HGET', key, field)
  if not v then return end
  local w, kept = #item, {}
  for i = 1, #v, w do local x = v:sub(i, i + w - 1); if x ~= item then kept[#kept + 1] = x end end
  if #kept == 0 then redis.call('HDEL', key, field) else redis.call('HSET', key, field, table.concat(kept)) end
end
local function list_add(key, field, item)
  if redis.call('HSETNX', key, field, item) == 1 then return 1 end  -- the usual case: a band key never seen
  local v = redis.call('HGET', key, field)
  for x in string.gmatch(v, '[^,]+') do if x == item then return 0 end end
  redis.call('HSET', key, field, v .. ',' .. item)
  return 1
end
local function list_remove(key, field, item)
  local v = redis.call('HGET', key, field)
  if not v then return 0 end
  local kept, gone = {}, 0
  for x in string.gmatch(v, '[^,]+') do if x == item then gone = 1 else kept[#kept + 1] = x end end
  if gone == 0 then return 0 end
  if #kept == 0 then redis.call('HDEL', key, field) else redis.call('HSET', key, field, table.concat(kept, ',')) end
  return 1
end
local function claim(fields, token, lease)
  -- leases on ``fields`` of the ``leases`` hash, all or nothing: each value is ``<token>|<expiry ms>`` on
  -- Redis's clock, so a lease a dead worker left ends by itself and the next claim overwrites it
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  local held = redis.call('HMGET', P .. 'leases', unpack(fields))
  for i = 1, #fields do
    local v = held[i]
    if v then
      local tok, expiry = string.match(v, '^(%w+)|(%d+)$')
      if tok ~= token and tonumber(expiry) > now then return false end
    end
  end
  local pairs_ = {}
  for i = 1, #fields do pairs_[#pairs_ + 1] = fields[i]; pairs_[#pairs_ + 1] = token .. '|' .. (now + lease) end
  redis.call('HSET', P .. 'leases', unpack(pairs_))
  return true
end
local function release(fields, token)
  local held = redis.call('HMGET', P .. 'leases', unpack(fields))
  local mine, head = {}, token .. '|'
  for i = 1, #fields do
    if held[i] and string.sub(held[i], 1, #head) == head then mine[#mine + 1] = fields[i] end
  end
  if #mine > 0 then redis.call('HDEL', P .. 'leases', unpack(mine)) end
end
local function lsh_key(k) return P .. 'lsh:' .. k:sub(1, BUCKET), k:sub(BUCKET + 1) end
local function header(v)
  local n, ch, flag = string.match(v, '^(%d+)|(%x*)|(%a)|')
  return tonumber(n), ch, flag
end
local function parse_staged(raw)
  local n, js = string.match(raw, '^(%d+)|(.*)$')
  return tonumber(n), cjson.decode(js)
end
local function unindex_staged(id, rid, n, w)
  -- forget what staging ``id`` added to the shared indexes: its number's band keys and signature, and its
  -- body hash (unless the committed version of the same id is an original with that very body)
  if w['orig'] then
    local a = redis.call('HGET', P .. 'art', rid)
    local _, ach, aflag = nil, nil, nil
    if a then _, ach, aflag = header(a) end
    if not (aflag == 'o' and ach == w['ch']) then chunks_remove(P .. 'content', unhex(w['ch']), rid) end
    if n > 0 then
      for _, k in ipairs(w['keys']) do
        local key, field = lsh_key(k)
        redis.call('DECRBY', P .. 'nlsh', list_remove(key, field, tostring(n)))
      end
      redis.call('HDEL', P .. 'sig', n)
    end
  end
  redis.call('SREM', P .. 'run:' .. w['run'], id)
end
local function stage_row(id, rid, js, rch, sig)
  -- An original is indexed here, once, in the same indexes as committed ones (its body hash; its band keys
  -- under a new number n whose ``sig`` entry holds its id and signature): a commit then only moves the row.
  local w = cjson.decode(js)
  local old = redis.call('HGET', P .. 'staged', id)
  if old then local on, ow = parse_staged(old); unindex_staged(id, rid, on, ow) end
  local n = 0
  if w['orig'] then
    chunks_add(P .. 'content', rch, rid)
    if sig ~= '' then
      n = redis.call('INCR', P .. 'num')
      redis.call('HSET', P .. 'sig', n, rid .. sig)
      local added = 0
      for _, k in ipairs(w['keys']) do
        local key, field = lsh_key(k)
        added = added + list_add(key, field, tostring(n))
      end
      redis.call('INCRBY', P .. 'nlsh', added)
    end
  end
  redis.call('HSET', P .. 'staged', id, n .. '|' .. js)
  redis.call('SADD', P .. 'run:' .. w['run'], id)
  if w['dup'] ~= '' and w['exp'] == 0 and redis.call('HEXISTS', P .. 'staged', w['dup']) == 1 then
    redis.call('SADD', P .. 'sdupes:' .. w['dup'], id)
  end
end
local function take_staged(id, rid, run)
  -- the staged row of ``id`` (number, fields) if ``run`` staged it, removed from ``staged``; else nil
  local raw = redis.call('HGET', P .. 'staged', id)
  if not raw then return nil end
  local n, w = parse_staged(raw)
  if w['run'] ~= run then return nil end
  redis.call('HDEL', P .. 'staged', id)
  redis.call('SREM', P .. 'run:' .. run, id)
  return n, w
end
"""

# ARGV: prefix, id (hex), raw id, staged JSON, raw body hash, raw signature or ''.
_STAGE = (_LUA_HELPERS + "stage_row(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]) return 1").replace(
    "BUCKET", str(BUCKET_CHARS))
# ARGV: as _STAGE, then the decision's token and its lease fields. Stages, then ends the decision.
_STAGE_RELEASE = (_LUA_HELPERS + """
stage_row(ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6])
local fields = {}
for i = 8, #ARGV do fields[#fields + 1] = ARGV[i] end
release(fields, ARGV[7])
return 1
""").replace("BUCKET", str(BUCKET_CHARS))

# ARGV: prefix, run, output field or '', offset or '', then (id hex, raw id) pairs. The indexes already hold
# a staged original; the old version's number (if any) keeps only its id in ``sig``, so band keys indexed
# for it still lead to the article, whose current signature is then read under its current number.
_COMMIT = (_LUA_HELPERS + """
local run, done = ARGV[2], 0
for i = 5, #ARGV, 2 do
  local id, rid = ARGV[i], ARGV[i + 1]
  local n, w = take_staged(id, rid, run)
  if n then
    local old = redis.call('HGET', P .. 'art', rid)
    if old then
      local on, och, oflag = header(old)
      if oflag == 'd' then redis.call('DECR', P .. 'ndupes') end
      if oflag == 'o' and och ~= w['ch'] then chunks_remove(P .. 'content', unhex(och), rid) end
      if on > 0 and on ~= n then redis.call('HSET', P .. 'sig', on, rid) end
    end
    if not w['orig'] then redis.call('INCR', P .. 'ndupes') end
    redis.call('HSET', P .. 'art', rid, n .. '|' .. w['ch'] .. '|' .. (w['orig'] and 'o' or 'd') .. '|' .. w['rec'])
    redis.call('DEL', P .. 'sdupes:' .. id)
    done = done + 1
  end
end
if ARGV[3] ~= '' and ARGV[4] ~= '' then
  local o = redis.call('HGET', P .. 'outputs', ARGV[3])
  if o then
    local out = cjson.decode(o)
    out['committed'] = tonumber(ARGV[4])
    redis.call('HSET', P .. 'outputs', ARGV[3], cjson.encode(out))
  end
end
return done
""").replace("BUCKET", str(BUCKET_CHARS))

# ARGV: prefix, run, '1' for all of the run's rows or '0' for the ids (hex) that follow
_DISCARD = (_LUA_HELPERS + """
local run, ids, gone = ARGV[2], {}, 0
if ARGV[3] == '1' then ids = redis.call('SMEMBERS', P .. 'run:' .. run) else
  for i = 4, #ARGV do ids[#ids + 1] = ARGV[i] end end
for _, id in ipairs(ids) do
  local rid = unhex(id)
  local n, w = take_staged(id, rid, run)
  if n then unindex_staged(id, rid, n, w); gone = gone + 1 end
  -- reposts judged against an original that never reached disk must be judged again next time
  for _, dupe in ipairs(redis.call('SMEMBERS', P .. 'sdupes:' .. id)) do
    local s = redis.call('HGET', P .. 'staged', dupe)
    local drid = unhex(dupe)
    if s then
      local dn, dw = parse_staged(s)
      if dw['dup'] == id and dw['exp'] == 0 then
        unindex_staged(dupe, drid, dn, dw); redis.call('HDEL', P .. 'staged', dupe)
      end
    end
    local a = redis.call('HGET', P .. 'art', drid)
    if a then
      local _, _, flag = header(a)
      if flag == 'd' then redis.call('HDEL', P .. 'art', drid); redis.call('DECR', P .. 'ndupes') end
    end
  end
  redis.call('DEL', P .. 'sdupes:' .. id)
end
return gone
""").replace("BUCKET", str(BUCKET_CHARS))

# ARGV: prefix, token, lease fields...
_RELEASE = (_LUA_HELPERS + """
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
release(fields, ARGV[2])
return 1
""").replace("BUCKET", str(BUCKET_CHARS))

# ARGV: prefix, token, lease ms, id (hex), raw id, raw body hash, body hash (hex), number of band keys k,
# band keys (hex) x k, then optionally the row to stage if the article is new: staged JSON, raw signature.
# Claims the decision's leases (the id, the body hash, each band key: what a copy of this article would
# share with it), and when they are taken, reads in the same round trip what judging the article reads
# first: {1, staged[id], art[id], content[hash], lsh list of each band key...} (false where there is
# none); {0} when another decision holds one of them. Given the row, and when every one of those reads
# is empty, nothing the store holds can make the article anything but new: the row is staged, the
# leases released, and {2} returned (one round trip for the decision most articles get).
_CLAIM_READ = (_LUA_HELPERS + """
local nkeys = tonumber(ARGV[8])
local fields = {'i:' .. ARGV[4], 'c:' .. ARGV[7]}
for i = 9, 8 + nkeys do fields[#fields + 1] = 'b:' .. ARGV[i] end
if not claim(fields, ARGV[2], tonumber(ARGV[3])) then return {0} end
local out = {1, redis.call('HGET', P .. 'staged', ARGV[4]), redis.call('HGET', P .. 'art', ARGV[5]),
             redis.call('HGET', P .. 'content', ARGV[6])}
local empty = not (out[2] or out[3] or out[4])
for i = 9, 8 + nkeys do
  local key, field = lsh_key(ARGV[i])
  local v = redis.call('HGET', key, field)
  if v then empty = false end
  out[#out + 1] = v
end
if empty and #ARGV >= 10 + nkeys then
  stage_row(ARGV[4], ARGV[5], ARGV[9 + nkeys], ARGV[6], ARGV[10 + nkeys])
  release(fields, ARGV[2])
  return {2}
end
return out
""").replace("BUCKET", str(BUCKET_CHARS))

# ARGV: prefix. Staged rows of layout 1 (JSON with the signature in hex, indexed apart in ``scontent`` and
# ``slsh``) into layout 2; a no-op once ``layout`` says 2.
_MIGRATE = (_LUA_HELPERS + """
if redis.call('GET', P .. 'layout') == '2' then return 0 end
local rows, moved = redis.call('HGETALL', P .. 'staged'), 0
for i = 1, #rows, 2 do
  local id, raw = rows[i], rows[i + 1]
  if raw:sub(1, 1) == '{' then
    local w, rid, n = cjson.decode(raw), unhex(id), 0
    local sig = w['sig'] or ''
    w['sig'] = nil
    if w['orig'] then
      chunks_add(P .. 'content', unhex(w['ch']), rid)
      if sig ~= '' then
        n = redis.call('INCR', P .. 'num')
        redis.call('HSET', P .. 'sig', n, rid .. unhex(sig))
        for _, k in ipairs(w['keys']) do
          local key, field = lsh_key(k)
          redis.call('INCRBY', P .. 'nlsh', list_add(key, field, tostring(n)))
        end
      end
    end
    redis.call('HSET', P .. 'staged', id, n .. '|' .. cjson.encode(w))
    moved = moved + 1
  end
end
redis.call('DEL', P .. 'scontent', P .. 'slsh')
redis.call('SET', P .. 'layout', '2')
return moved
""").replace("BUCKET", str(BUCKET_CHARS))

# KEYS: hash; ARGV: field, expected value, new value
_CAS = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
"""


# KEYS: the missing-links hash; ARGV: id, url, site, run, now. One more miss unless this run counted one.
_NOTE_MISSING = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local misses = 1
if raw then
  local old = cjson.decode(raw)
  misses = old.misses
  if old.run ~= ARGV[4] then misses = misses + 1 end
end
local record = cjson.encode({url = ARGV[2], site = ARGV[3], misses = misses, run = ARGV[4], at = ARGV[5]})
redis.call('HSET', KEYS[1], ARGV[1], record)
return record
"""


def _key_hex(key: int) -> str:
    """A signed 63-bit band key as 16 hex digits (its two's-complement 64-bit form)."""
    return f"{key & 0xFFFFFFFFFFFFFFFF:016x}"


def encode_record(state: ArticleState) -> str:
    values = [getattr(state, name) for name in _FIELDS]
    values[_FIELDS.index("exported")] = int(state.exported)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def decode_record(article_id: str, content_hash: str, record: str) -> ArticleState:
    values = dict(zip(_FIELDS, json.loads(record), strict=True))
    values["exported"] = bool(values["exported"])
    return ArticleState(id=article_id, content_hash=content_hash, **values)


def _committed(article_id: str, value: bytes) -> tuple[ArticleState, int]:
    n, content_hash, _flag, record = value.decode("utf-8").split("|", 3)
    return decode_record(article_id, content_hash, record), int(n)


def _staged(article_id: str, value: bytes) -> tuple[ArticleState, dict[str, Any]]:
    """A ``staged`` value, ``<n>|<JSON>``: the row and its fields, with its number (0: not near-indexed) as ``n``."""
    n, raw = value.split(b"|", 1)
    wrapper = json.loads(raw)
    wrapper["n"] = int(n)
    return decode_record(article_id, wrapper["ch"], wrapper["rec"]), wrapper


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Heartbeat:
    """Keeps ``key`` alive with a TTL from a daemon thread, so liveness does not depend on the crawl's
    event loop being free (a long parse must not make a live worker look dead)."""

    def __init__(self, client: redis.Redis, key: str, ttl_s: float) -> None:
        self.client = client
        self.key = key
        self.ttl_ms = max(int(ttl_s * 1000), 100)
        self.stopped = threading.Event()
        self.client.set(key, b"1", px=self.ttl_ms)
        self.thread = threading.Thread(target=self._beat, name=f"heartbeat {key}", daemon=True)
        self.thread.start()

    def _beat(self) -> None:
        while not self.stopped.wait(self.ttl_ms / 3000):
            try:
                self.client.set(self.key, b"1", px=self.ttl_ms)
            except redis.RedisError:
                continue  # Redis briefly unreachable: try again next beat

    def stop(self, delete: bool = True) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)
        if delete:
            with suppress(redis.RedisError):
                self.client.delete(self.key)


class RedisStateStore(StateStore):
    """``RedisStateStore("redis://:password@host:6379/0", prefix="govnews")``.

    ``liveness_s``: a run whose heartbeat is this old is dead (on other hosts; on its own host a dead
    pid says so at once). ``lease_s``: longest a decision may hold its keys (a worker that dies holding
    them frees them after this)."""

    kind = "redis"
    lookup_first = False
    #: A decision waits on round trips to another machine: the crawl makes them off its event loop
    #: (``pipelines.state``), one decision at a time, while the loop goes on with other pages.
    remote = True

    def __init__(self, url: str = "redis://127.0.0.1:6379/0", prefix: str = "govnews", liveness_s: float = 30.0,
                 lease_s: float = 30.0, client: redis.Redis | None = None, **params: Any) -> None:
        self.client = client or redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=30,
                                                    retry_on_timeout=True, **params)
        self.prefix = prefix
        self.k = f"{prefix}:state:"
        self.liveness_s = liveness_s
        self.lease_ms = int(lease_s * 1000)
        self.host = socket.gethostname()
        self._stage = self.client.register_script(_STAGE)
        self._commit = self.client.register_script(_COMMIT)
        self._discard = self.client.register_script(_DISCARD)
        self._release = self.client.register_script(_RELEASE)
        self._cas = self.client.register_script(_CAS)
        self._note_missing = self.client.register_script(_NOTE_MISSING)
        self._claim_read = self.client.register_script(_CLAIM_READ)
        self._stage_release = self.client.register_script(_STAGE_RELEASE)
        self.client.register_script(_MIGRATE)(args=[prefix])
        self._heartbeats: dict[str, Heartbeat] = {}
        # The decision in progress is the calling thread's own: the crawl decides on one thread while its
        # event loop commits and looks up list pages on another (redis-py's pool is thread-safe).
        self._local = threading.local()

    @property
    def _held(self) -> list[str]:
        """Lease fields of this thread's decision in progress (re-entrant)."""
        return getattr(self._local, "held", [])

    @_held.setter
    def _held(self, value: list[str]) -> None:
        self._local.held = value

    @property
    def _pre_id(self) -> str:
        """The article this thread's decision is about."""
        return getattr(self._local, "pre_id", "")

    @_pre_id.setter
    def _pre_id(self, value: str) -> None:
        self._local.pre_id = value

    @property
    def _pre(self) -> _Prefetched | None:
        """What this thread's decision's claim read, until the decision writes."""
        return getattr(self._local, "pre", None)

    @_pre.setter
    def _pre(self, value: _Prefetched | None) -> None:
        self._local.pre = value

    @property
    def _pending(self) -> list[Any] | None:
        """This thread's decision's stage (script arguments), sent at its end."""
        return getattr(self._local, "pending", None)

    @_pending.setter
    def _pending(self, value: list[Any] | None) -> None:
        self._local.pending = value

    # --- runs ----------------------------------------------------------------------------------------
    def open_run(self, spider: str) -> RunInfo:
        run = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        info = RunInfo(run=run, spider=spider, started=time.time(), pid=os.getpid(), host=self.host)
        self._heartbeats[run] = Heartbeat(self.client, self.k + "alive:" + run, self.liveness_s)
        record = {"spider": spider, "pid": info.pid, "host": info.host, "started": info.started, "status": "running"}
        pipe = self.client.pipeline()
        pipe.hset(self.k + "runs", run, json.dumps(record))
        pipe.sadd(self.k + "running", run)
        pipe.execute()
        return info

    def close_run(self, run: str, status: str) -> None:
        beat = self._heartbeats.pop(run, None)
        if beat is not None:
            beat.stop()
        raw = self.client.hget(self.k + "runs", run)
        record = json.loads(raw) if raw else {}
        record.update(ended=time.time(), status=status)
        pipe = self.client.pipeline()
        pipe.hset(self.k + "runs", run, json.dumps(record))
        pipe.srem(self.k + "running", run)
        pipe.delete(self.k + "alive:" + run)
        for field, value in self.client.hscan_iter(self.k + "outputs"):
            if json.loads(value).get("run") == run:  # outputs a dead run left on another host: abandoned
                pipe.hdel(self.k + "outputs", field)
        pipe.execute()

    def run_info(self, run: str) -> dict[str, Any] | None:
        raw = self.client.hget(self.k + "runs", run)
        return json.loads(raw) if raw else None

    def stale_runs(self) -> list[str]:
        stale = []
        for raw_run in sorted(self.client.smembers(self.k + "running")):
            run = raw_run.decode()
            if run in self._heartbeats:
                continue
            info = self.run_info(run) or {}
            died_here = info.get("host") == self.host and not pid_alive(int(info.get("pid", 0)) or -1)
            if died_here or not self.client.exists(self.k + "alive:" + run):
                stale.append(run)
        return stale

    # --- decisions -----------------------------------------------------------------------------------
    @contextmanager
    def decision(self, article_id: str, content_hash: str, fp: Fingerprint | None, timeout: float = 60.0,
                 if_new: tuple[str, ArticleState] | None = None) -> Iterator[bool]:
        if self._held:  # re-entrant: the outer decision already holds the keys
            yield False
            return
        hexkeys = [_key_hex(k) for k in (fp.keys if fp else ())]
        fields = [f"i:{article_id}", f"c:{content_hash}", *(f"b:{key}" for key in hexkeys)]
        token = uuid.uuid4().hex
        deadline = time.monotonic() + timeout
        delay = 0.002
        # One round trip claims the keys and reads what the judge looks up first (see _Prefetched).
        args = [self.prefix, token, self.lease_ms, article_id, bytes.fromhex(article_id), bytes.fromhex(content_hash),
                content_hash, len(hexkeys), *hexkeys]
        if if_new is not None:
            args += self._stage_args(*if_new, fp)[3::2]  # the staged JSON and the raw signature
        while not (got := self._claim_read(args=args))[0]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"another worker held the decision on {article_id} for {timeout:g} s")
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.1)
        if got[0] == 2:  # nothing to match: staged as new, and the leases released, in that round trip
            yield True
            return
        self._pre = _Prefetched(article_id, got[1], got[2], content_hash, got[3], hexkeys, list(got[4:]))
        self._held, self._pre_id = fields, article_id
        try:
            yield False
        finally:
            pending, self._pending, self._pre, self._held = self._pending, None, None, []
            if pending is None:
                self._release(args=[self.prefix, token, *fields])
            else:  # the decision's stage and its end in one round trip
                self._stage_release(args=[*pending, token, *fields])

    # --- articles ------------------------------------------------------------------------------------
    def get(self, article_id: str) -> ArticleState | None:
        return self.get_many([article_id]).get(article_id)

    def get_many(self, ids: Iterable[str]) -> dict[str, ArticleState]:
        ids = list(ids)
        if not ids:
            return {}
        self._flush()
        pre = self._pre
        if pre is not None and ids == [pre.id]:
            staged, committed = [pre.staged], [pre.art]
        else:
            pipe = self.client.pipeline(transaction=False)
            pipe.hmget(self.k + "staged", ids)
            pipe.hmget(self.k + "art", [bytes.fromhex(i) for i in ids])
            staged, committed = pipe.execute()
        found = {}
        for article_id, s, c in zip(ids, staged, committed, strict=True):
            if s is not None:
                found[article_id] = _staged(article_id, s)[0]
            elif c is not None:
                found[article_id] = _committed(article_id, c)[0]
        return found

    def find_content(self, content_hash: str, exclude_id: str) -> list[ArticleState]:
        self._flush()
        pre = self._pre
        if pre is not None and pre.content_hash == content_hash:
            listed = pre.content
        else:
            listed = self.client.hget(self.k + "content", bytes.fromhex(content_hash))
        raw_ids = [listed[i:i + 20] for i in range(0, min(len(listed or b""), 20 * _LIMIT), 20)]
        staged, committed = self._rows(raw_ids)
        found: dict[str, ArticleState] = {}
        for raw, value in zip(raw_ids, staged, strict=True):
            if value is not None and raw.hex() != exclude_id:
                state, wrapper = _staged(raw.hex(), value)
                if wrapper["ch"] == content_hash and state.duplicate_of is None:
                    found[state.id] = state
        kept = []
        for raw, value in zip(raw_ids, committed, strict=True):
            if value is not None and raw.hex() != exclude_id and raw.hex() not in found:
                state = _committed(raw.hex(), value)[0]
                if state.content_hash == content_hash and state.duplicate_of is None:
                    kept.append(state)
        kept.sort(key=lambda s: s.first_seen)
        return [*found.values(), *kept]

    def _rows(self, raw_ids: list[bytes]) -> tuple[list[bytes | None], list[bytes | None]]:
        """The staged and the committed row of each id, read together (MULTI): a commit moves a row from one
        to the other, and no commit may fall between the two reads (that copy would be in neither)."""
        if not raw_ids:
            return [], []
        pipe = self.client.pipeline(transaction=True)
        pipe.hmget(self.k + "staged", [r.hex() for r in raw_ids])
        pipe.hmget(self.k + "art", raw_ids)
        staged, committed = pipe.execute()
        return staged, committed

    def near(self, fp: Fingerprint, exclude_id: str) -> list[tuple[ArticleState, Signature]]:
        hexkeys = [_key_hex(k) for k in fp.keys]
        self._flush()
        pre = self._pre
        if pre is not None and pre.band_keys == hexkeys:
            lists = pre.lsh
        else:
            pipe = self.client.pipeline(transaction=False)
            for key in hexkeys:
                pipe.hget(f"{self.k}lsh:{key[:BUCKET_CHARS]}", key[BUCKET_CHARS:])
            lists = pipe.execute()
        numbers = list(dict.fromkeys(int(n) for v in lists if v for n in v.split(b",")))[:_LIMIT]
        if not numbers:
            return []
        entries = dict(zip(numbers, self.client.hmget(self.k + "sig", numbers), strict=True))
        # an entry is the id, then its signature (none left for the number of a version since replaced)
        raw_ids = list(dict.fromkeys(e[:20] for e in entries.values() if e is not None))
        staged, committed = self._rows(raw_ids)
        chosen: list[tuple[ArticleState, int]] = []
        for raw, s_value, c_value in zip(raw_ids, staged, committed, strict=True):
            article_id = raw.hex()
            if article_id == exclude_id:
                continue
            if c_value is not None:  # the committed version first, as in the SQLite store
                state, n = _committed(article_id, c_value)
                if state.duplicate_of is None and n:
                    chosen.append((state, n))
                    continue
            if s_value is not None:
                state, wrapper = _staged(article_id, s_value)
                if state.duplicate_of is None and wrapper["n"]:
                    chosen.append((state, wrapper["n"]))
        missing = [n for _, n in chosen if n not in entries]
        if missing:
            entries.update(zip(missing, self.client.hmget(self.k + "sig", missing), strict=True))
        found: list[tuple[ArticleState, Signature]] = []
        for state, n in chosen:
            entry = entries.get(n)
            if entry is not None and len(entry) > 20 and entry[:20].hex() == state.id:
                found.append((state, Signature(entry[20:])))
        return found

    def _stage_args(self, run: str, state: ArticleState, fp: Fingerprint | None) -> list[Any]:
        """The stage scripts' arguments: prefix, id, raw id, staged JSON, raw body hash, raw signature."""
        original = state.duplicate_of is None
        wrapper = {
            "run": run, "rec": encode_record(state), "ch": state.content_hash, "orig": original,
            "keys": [_key_hex(k) for k in fp.keys] if fp and original else [],
            "dup": state.duplicate_of or "", "exp": int(state.exported),
        }
        return [self.prefix, state.id, bytes.fromhex(state.id), json.dumps(wrapper, ensure_ascii=False),
                bytes.fromhex(state.content_hash), fp.signature.values if fp and original else b""]

    def stage(self, run: str, state: ArticleState, fp: Fingerprint | None) -> None:
        args = self._stage_args(run, state, fp)
        self._flush()
        self._pre = None  # what the claim read is out of date now
        if self._held and self._pre_id == state.id:
            self._pending = args  # sent with the end of the decision (or before any read)
        else:
            self._stage(args=args)

    def commit(self, run: str, ids: Sequence[str], output: str | None = None, offset: int | None = None) -> int:
        self._flush()
        field = self._output_field(run, output) if output is not None and offset is not None else ""
        pairs = [x for article_id in ids for x in (article_id, bytes.fromhex(article_id))]
        return int(self._commit(args=[self.prefix, run, field, "" if offset is None else str(offset), *pairs]))

    def discard(self, run: str, ids: Sequence[str] | None = None) -> int:
        self._flush()
        self._pre = None
        args = [self.prefix, run, "1" if ids is None else "0", *(ids or [])]
        return int(self._discard(args=args))

    def _flush(self) -> None:
        """Send the decision's deferred stage now: something is about to read or write after it."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._stage(args=pending)

    def staged_ids(self, run: str) -> list[str]:
        self._flush()
        return sorted(i.decode() for i in self.client.smembers(f"{self.k}run:{run}"))

    def touch(self, article_id: str, checked_at: float, etag: str | None = None,
              last_modified: str | None = None) -> None:
        self._flush()
        self._pre = None
        raw_id = bytes.fromhex(article_id)
        for _attempt in range(10):  # compare-and-set: another worker may rewrite the record meanwhile
            value = self.client.hget(self.k + "art", raw_id)
            if value is None:
                return
            state = _committed(article_id, value)[0]
            state.checked_at = checked_at
            state.etag = etag or state.etag
            state.last_modified = last_modified or state.last_modified
            head = value.split(b"|", 3)
            new = b"|".join([*head[:3], encode_record(state).encode("utf-8")])
            if self._cas(keys=[self.k + "art"], args=[raw_id, value, new]):
                return

    # --- outputs -------------------------------------------------------------------------------------
    def _output_field(self, run: str, path: str) -> str:
        """``host``, ``run``, ``path``: one record per run, since a path names a file on one machine and two
        runs' records of one file (a shared name) must not replace each other."""
        return f"{self.host}\n{run}\n{path}"

    def add_output(self, output: Output) -> None:
        record = {"run": output.run, "mode": output.mode, "tmp": output.tmp, "committed": output.committed,
                  "state": output.state}
        self.client.hset(self.k + "outputs", self._output_field(output.run, output.path), json.dumps(record))

    def update_output(self, run: str, path: str, *, committed: int | None = None, state: str | None = None) -> None:
        field = self._output_field(run, path)
        for _attempt in range(10):
            value = self.client.hget(self.k + "outputs", field)
            if value is None:
                return
            record = json.loads(value)
            if committed is not None:
                record["committed"] = committed
            if state is not None:
                record["state"] = state
            if self._cas(keys=[self.k + "outputs"], args=[field, value, json.dumps(record)]):
                return

    def outputs(self, run: str) -> list[Output]:
        """This host's outputs of ``run`` (another host's files cannot be read from here)."""
        found = []
        for field, value in self.client.hscan_iter(self.k + "outputs", match=f"{self.host}\n*"):
            record = json.loads(value)
            if record["run"] == run:
                path = field.decode("utf-8").split("\n", 1)[1]
                if path.startswith(run + "\n"):  # else a record of the layout before (host, path)
                    path = path[len(run) + 1:]
                found.append(Output(path, run, record["mode"], record["tmp"], record["committed"], record["state"]))
        return sorted(found, key=lambda o: o.path)

    def remove_output(self, run: str, path: str) -> None:
        self.client.hdel(self.k + "outputs", self._output_field(run, path))

    # --- sites ---------------------------------------------------------------------------------------
    def site_complete(self, site: str) -> bool:
        return self.client.hget(self.k + "sites", site) == b"1"

    def set_site_complete(self, site: str, complete: bool) -> None:
        self.client.hset(self.k + "sites", site, b"1" if complete else b"0")

    # --- links that answer 404/410 ------------------------------------------------------------------
    @staticmethod
    def _missing(article_id: str, raw: bytes) -> MissingLink:
        record = json.loads(raw)
        return MissingLink(article_id, record["url"], record["site"], int(record["misses"]), record["run"],
                           float(record["at"]))

    def missing_links(self, ids: Iterable[str]) -> dict[str, MissingLink]:
        ids = list(ids)
        if not ids:
            return {}
        values = self.client.hmget(self.k + "missing", ids)
        return {i: self._missing(i, v) for i, v in zip(ids, values, strict=True) if v is not None}

    def note_missing(self, article_id: str, url: str, site: str, run: str, now: float) -> MissingLink:
        raw = self._note_missing(keys=[self.k + "missing"], args=[article_id, url, site, run, repr(now)])
        return self._missing(article_id, raw)

    def clear_missing(self, article_id: str) -> None:
        self.client.hdel(self.k + "missing", article_id)

    # --- housekeeping --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        self._flush()
        pipe = self.client.pipeline(transaction=False)
        pipe.hlen(self.k + "art")
        pipe.get(self.k + "ndupes")
        pipe.hlen(self.k + "staged")
        pipe.get(self.k + "nlsh")
        pipe.hlen(self.k + "missing")
        articles, dupes, staged, lsh, missing = pipe.execute()
        return {"articles": articles, "duplicates": int(dupes or 0), "staged": staged, "lsh_keys": int(lsh or 0),
                "missing_links": missing}

    def close(self) -> None:
        for beat in self._heartbeats.values():
            beat.stop()  # as when the process dies (SQLite: the lock is released): the run is now stale
        self._heartbeats.clear()
        self.client.close()


@dataclass
class _Prefetched:
    """What a decision's claim read in the same round trip (``_CLAIM_READ``): the article's own rows, the
    body-hash index entry and the band-key lists, as ``get``, ``find_content`` and ``near`` would read
    them. Valid while the decision holds its keys and has written nothing: no other worker can stage
    under those keys meanwhile (a commit only moves a row, which ``_rows`` reads atomically)."""

    id: str
    staged: bytes | None
    art: bytes | None
    content_hash: str
    content: bytes | None
    band_keys: list[str]
    lsh: list[bytes | None]
