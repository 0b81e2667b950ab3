"""The fleet's state store: article state and duplicate indexes in Redis, shared by every worker.

Same contract as the SQLite store (``govnews.state.base``); the same tests run against both. What differs
is who else is writing: many crawl processes on many machines at once. So every write that reads before
it writes (stage, commit, discard) is one Lua script, atomic on the server, and a worker's decision about
an article (judge, then stage) holds short leases on the keys it reads (``decision``), so a repost met
by two workers at the same moment is one original and one ``duplicate_of``, never two originals.

Layout under ``<prefix>:state:`` (bytes, no pickles; ids and hashes raw where Python writes them):

- ``art`` hash: raw id -> ``<n>|<content hash hex>|<o|d>|<JSON array of the other fields>`` (committed);
  ``content`` hash: raw body hash -> raw ids of the originals with that body;
  ``lsh:<5 hex>`` hashes: rest of a band key (11 hex) -> article numbers ``n`` (comma-separated), split
  into 16^5 buckets so each stays a compact listpack up to ~7 million indexed articles;
  ``sig`` hash: n -> raw id + signature (256 bytes of MinHash, then 4 bytes per number of the body).
- ``staged`` hash: id -> JSON (run, record, signature, band keys); ``scontent``/``slsh``: the same
  indexes over staged originals (hex ids, fixed width); ``run:<run>``: ids a run staged;
  ``sdupes:<id>``: unexported reposts judged against a staged original (forgotten with it).
- ``runs``, ``running``, ``alive:<run>`` (a heartbeat key with a TTL), ``outputs``, ``sites``, counters.

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

from govnews.state.base import ArticleState, Output, RunInfo, StateStore
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
  local v = redis.call('HGET', key, field)
  if not v then redis.call('HSET', key, field, item) return end
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
  local v = redis.call('HGET', key, field)
  if not v then redis.call('HSET', key, field, item) return 1 end
  for x in string.gmatch(v, '[^,]+') do if x == item then return 0 end end
  redis.call('HSET', key, field, v .. ',' .. item)
  return 1
end
local function unindex_staged(id, w)
  if w['orig'] then
    chunks_remove(P .. 'scontent', w['ch'], id)
    for _, k in ipairs(w['keys']) do chunks_remove(P .. 'slsh', k, id) end
  end
  redis.call('SREM', P .. 'run:' .. w['run'], id)
end
local function take_staged(id, run)
  -- the staged row of ``id`` if ``run`` staged it, removed with its index entries; else nil
  local raw = redis.call('HGET', P .. 'staged', id)
  if not raw then return nil end
  local w = cjson.decode(raw)
  if w['run'] ~= run then return nil end
  unindex_staged(id, w)
  redis.call('HDEL', P .. 'staged', id)
  return w
end
local function header(v)
  local n, ch, flag = string.match(v, '^(%d+)|(%x*)|(%a)|')
  return tonumber(n), ch, flag
end
"""

# ARGV: prefix, id (hex), staged JSON
_STAGE_BODY = """
local id, w = ARGV[2], cjson.decode(ARGV[3])
local old = redis.call('HGET', P .. 'staged', id)
if old then unindex_staged(id, cjson.decode(old)) end
redis.call('HSET', P .. 'staged', id, ARGV[3])
redis.call('SADD', P .. 'run:' .. w['run'], id)
if w['orig'] then
  chunks_add(P .. 'scontent', w['ch'], id)
  for _, k in ipairs(w['keys']) do chunks_add(P .. 'slsh', k, id) end
end
if w['dup'] ~= '' and w['exp'] == 0 and redis.call('HEXISTS', P .. 'staged', w['dup']) == 1 then
  redis.call('SADD', P .. 'sdupes:' .. w['dup'], id)
end
"""
_STAGE = _LUA_HELPERS + _STAGE_BODY + "return 1"
# KEYS: the decision's lock keys; ARGV: prefix, id, staged JSON, token. Stages, then ends the decision.
_STAGE_RELEASE = _LUA_HELPERS + _STAGE_BODY + """
for _, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[4] then redis.call('DEL', k) end end
return 1
"""

# ARGV: prefix, run, output field or '', offset or '', ids (hex)...
_COMMIT = _LUA_HELPERS + """
local run, done = ARGV[2], 0
for i = 5, #ARGV do
  local id = ARGV[i]
  local w = take_staged(id, run)
  if w then
    local rid = unhex(id)
    local old = redis.call('HGET', P .. 'art', rid)
    local n = 0
    if old then
      local on, och, oflag = header(old)
      n = on
      if oflag == 'd' then redis.call('DECR', P .. 'ndupes') end
      if oflag == 'o' and och ~= w['ch'] then chunks_remove(P .. 'content', unhex(och), rid) end
    end
    if w['orig'] and w['sig'] ~= '' then
      if n == 0 then n = redis.call('INCR', P .. 'num') end
      redis.call('HSET', P .. 'sig', n, rid .. unhex(w['sig']))
      for _, k in ipairs(w['keys']) do
        redis.call('INCRBY', P .. 'nlsh', list_add(P .. 'lsh:' .. k:sub(1, BUCKET), k:sub(BUCKET + 1), tostring(n)))
      end
    end
    if w['orig'] then chunks_add(P .. 'content', unhex(w['ch']), rid) else redis.call('INCR', P .. 'ndupes') end
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
""".replace("BUCKET", str(BUCKET_CHARS))

# ARGV: prefix, run, '1' for all of the run's rows or '0' for the ids that follow, ids (hex)...
_DISCARD = _LUA_HELPERS + """
local run, ids, gone = ARGV[2], {}, 0
if ARGV[3] == '1' then ids = redis.call('SMEMBERS', P .. 'run:' .. run) else
  for i = 4, #ARGV do ids[#ids + 1] = ARGV[i] end end
for _, id in ipairs(ids) do
  if take_staged(id, run) then gone = gone + 1 end
  -- reposts judged against an original that never reached disk must be judged again next time
  for _, dupe in ipairs(redis.call('SMEMBERS', P .. 'sdupes:' .. id)) do
    local s = redis.call('HGET', P .. 'staged', dupe)
    if s then
      local dw = cjson.decode(s)
      if dw['dup'] == id and dw['exp'] == 0 then unindex_staged(dupe, dw); redis.call('HDEL', P .. 'staged', dupe) end
    end
    local a = redis.call('HGET', P .. 'art', unhex(dupe))
    if a then
      local _, _, flag = header(a)
      if flag == 'd' then redis.call('HDEL', P .. 'art', unhex(dupe)); redis.call('DECR', P .. 'ndupes') end
    end
  end
  redis.call('DEL', P .. 'sdupes:' .. id)
end
return gone
"""

# KEYS: lock keys; ARGV: token, lease ms. All or nothing.
_CLAIM = """
for _, k in ipairs(KEYS) do
  local holder = redis.call('GET', k)
  if holder and holder ~= ARGV[1] then return 0 end
end
for _, k in ipairs(KEYS) do redis.call('SET', k, ARGV[1], 'PX', ARGV[2]) end
return 1
"""

_RELEASE = """
for _, k in ipairs(KEYS) do if redis.call('GET', k) == ARGV[1] then redis.call('DEL', k) end end
return 1
"""

# KEYS: lock keys; ARGV: prefix, token, lease ms, id (hex), content hash (hex), band keys (hex)...
# _CLAIM, and when the keys are taken, in the same round trip what judging the article reads first:
# {1, staged[id], art[id], scontent[hash], content[hash], lsh list of each band key..., slsh of each...}
# (false where there is none); {0} when another decision holds a key.
_CLAIM_READ = _LUA_HELPERS + """
for _, k in ipairs(KEYS) do
  local holder = redis.call('GET', k)
  if holder and holder ~= ARGV[2] then return {0} end
end
for _, k in ipairs(KEYS) do redis.call('SET', k, ARGV[2], 'PX', ARGV[3]) end
local out = {1, redis.call('HGET', P .. 'staged', ARGV[4]), redis.call('HGET', P .. 'art', unhex(ARGV[4])),
             redis.call('HGET', P .. 'scontent', ARGV[5]), redis.call('HGET', P .. 'content', unhex(ARGV[5]))}
for i = 6, #ARGV do
  out[#out + 1] = redis.call('HGET', P .. 'lsh:' .. ARGV[i]:sub(1, BUCKET), ARGV[i]:sub(BUCKET + 1))
end
for i = 6, #ARGV do out[#out + 1] = redis.call('HGET', P .. 'slsh', ARGV[i]) end
return out
""".replace("BUCKET", str(BUCKET_CHARS))

# KEYS: hash; ARGV: field, expected value, new value
_CAS = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
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
    wrapper = json.loads(value)
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
        self._claim = self.client.register_script(_CLAIM)
        self._release = self.client.register_script(_RELEASE)
        self._cas = self.client.register_script(_CAS)
        self._claim_read = self.client.register_script(_CLAIM_READ)
        self._stage_release = self.client.register_script(_STAGE_RELEASE)
        self._heartbeats: dict[str, Heartbeat] = {}
        self._held: list[str] = []  # lock keys of the decision in progress (re-entrant)
        self._pre_id = ""  # the article it decides about
        self._pre: _Prefetched | None = None  # what the claim read, until the decision writes
        self._pending: tuple[str, str] | None = None  # (id, staged JSON): the decision's stage, sent at its end

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
    def decision(self, article_id: str, content_hash: str, fp: Fingerprint | None,
                 timeout: float = 60.0) -> Iterator[None]:
        if self._held:  # re-entrant: the outer decision already holds the keys
            yield
            return
        hexkeys = [_key_hex(k) for k in (fp.keys if fp else ())]
        keys = [f"{self.k}lock:i:{article_id}", f"{self.k}lock:c:{content_hash}"]
        keys += [f"{self.k}lock:b:{key}" for key in hexkeys]
        token = uuid.uuid4().hex
        deadline = time.monotonic() + timeout
        delay = 0.002
        # One round trip claims the keys and reads what the judge looks up first (see _Prefetched).
        args = [self.prefix, token, self.lease_ms, article_id, content_hash, *hexkeys]
        while not (got := self._claim_read(keys=keys, args=args))[0]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"another worker held the decision on {article_id} for {timeout:g} s")
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, 0.1)
        n = len(hexkeys)
        self._pre = _Prefetched(article_id, got[1], got[2], content_hash, got[3], got[4], hexkeys,
                                list(got[5:5 + n]), list(got[5 + n:5 + 2 * n]))
        self._held, self._pre_id = keys, article_id
        try:
            yield
        finally:
            pending, self._pending, self._pre, self._held = self._pending, None, None, []
            if pending is None:
                self._release(keys=keys, args=[token])
            else:  # the decision's stage and its end in one round trip
                self._stage_release(keys=keys, args=[self.prefix, *pending, token])

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
            staged_ids, committed_ids = pre.scontent, pre.content
        else:
            pipe = self.client.pipeline(transaction=False)
            pipe.hget(self.k + "scontent", content_hash)
            pipe.hget(self.k + "content", bytes.fromhex(content_hash))
            staged_ids, committed_ids = pipe.execute()
        found: dict[str, ArticleState] = {}
        staged = _split_hex(staged_ids)
        rows = self._staged_rows(staged)
        for article_id, (state, wrapper) in rows.items():
            if article_id != exclude_id and wrapper["ch"] == content_hash and state.duplicate_of is None:
                found[article_id] = state
        for article_id, (state, _n) in self._committed_since([i for i in staged if i not in rows]).items():
            if article_id != exclude_id and state.content_hash == content_hash and state.duplicate_of is None:
                found[article_id] = state
        raw_ids = [committed_ids[i:i + 20] for i in range(0, min(len(committed_ids or b""), 20 * _LIMIT), 20)]
        committed = []
        for raw, value in zip(raw_ids, self.client.hmget(self.k + "art", raw_ids) if raw_ids else [], strict=True):
            article_id = raw.hex()
            if value is None or article_id == exclude_id or article_id in found:
                continue
            state = _committed(article_id, value)[0]
            if state.content_hash == content_hash and state.duplicate_of is None:
                committed.append(state)
        committed.sort(key=lambda s: s.first_seen)
        return [*list(found.values())[:_LIMIT], *committed[:_LIMIT]]

    def _staged_rows(self, ids: list[str]) -> dict[str, tuple[ArticleState, dict[str, Any]]]:
        if not ids:
            return {}
        values = self.client.hmget(self.k + "staged", ids)
        return {i: _staged(i, v) for i, v in zip(ids, values, strict=True) if v is not None}

    def _committed_since(self, ids: list[str]) -> dict[str, tuple[ArticleState, int]]:
        """Ids a decision's claim read as staged that are staged no more: another worker committed them since
        (commits take no decision lock). Read from ``art`` (and their number), else a repost met at that
        moment would be judged against neither copy and exported twice."""
        if not ids:
            return {}
        values = self.client.hmget(self.k + "art", [bytes.fromhex(i) for i in ids])
        return {i: _committed(i, v) for i, v in zip(ids, values, strict=True) if v is not None}

    def near(self, fp: Fingerprint, exclude_id: str) -> list[tuple[ArticleState, Signature]]:
        hexkeys = [_key_hex(k) for k in fp.keys]
        self._flush()
        pre = self._pre
        if pre is not None and pre.band_keys == hexkeys:
            committed_lists, staged_lists = pre.lsh, pre.slsh
        else:
            pipe = self.client.pipeline(transaction=False)
            for key in hexkeys:
                pipe.hget(f"{self.k}lsh:{key[:BUCKET_CHARS]}", key[BUCKET_CHARS:])
            pipe.hmget(self.k + "slsh", hexkeys)
            *committed_lists, staged_lists = pipe.execute()
        numbers = list(dict.fromkeys(n for v in committed_lists if v for n in v.split(b",")))[:_LIMIT]
        found: list[tuple[ArticleState, Signature]] = []
        seen: set[str] = set()
        if numbers:
            entries = [e for e in self.client.hmget(self.k + "sig", numbers) if e is not None]
            raw_ids = [e[:20] for e in entries]
            for entry, value in zip(entries, self.client.hmget(self.k + "art", raw_ids), strict=True):
                article_id = entry[:20].hex()
                if value is None or article_id == exclude_id:
                    continue
                state = _committed(article_id, value)[0]
                if state.duplicate_of is None:
                    seen.add(article_id)
                    found.append((state, Signature(entry[20:])))
        staged_ids = list(dict.fromkeys(i for v in staged_lists if v for i in _split_hex(v)))
        rows = self._staged_rows(staged_ids)
        for article_id, (state, wrapper) in rows.items():
            if article_id != exclude_id and article_id not in seen and state.duplicate_of is None and wrapper["sig"]:
                found.append((state, Signature(bytes.fromhex(wrapper["sig"]))))
        since = {i: row for i, row in self._committed_since([i for i in staged_ids if i not in rows]).items()
                 if i != exclude_id and i not in seen and row[0].duplicate_of is None and row[1]}
        if since:
            entries = self.client.hmget(self.k + "sig", [n for _, n in since.values()])
            for (state, _n), entry in zip(since.values(), entries, strict=True):
                if entry is not None:
                    found.append((state, Signature(entry[20:])))
        return found

    def stage(self, run: str, state: ArticleState, fp: Fingerprint | None) -> None:
        original = state.duplicate_of is None
        wrapper = {
            "run": run, "rec": encode_record(state), "ch": state.content_hash, "orig": original,
            "sig": fp.signature.values.hex() if fp else "",
            "keys": [_key_hex(k) for k in fp.keys] if fp and original else [],
            "dup": state.duplicate_of or "", "exp": int(state.exported),
        }
        staged = json.dumps(wrapper, ensure_ascii=False)
        self._flush()
        self._pre = None  # what the claim read is out of date now
        if self._held and self._pre_id == state.id:
            self._pending = (state.id, staged)  # sent with the end of the decision (or before any read)
        else:
            self._stage(args=[self.prefix, state.id, staged])

    def commit(self, run: str, ids: Sequence[str], output: str | None = None, offset: int | None = None) -> int:
        self._flush()
        field = self._output_field(output) if output is not None and offset is not None else ""
        args = [self.prefix, run, field, "" if offset is None else str(offset), *ids]
        return int(self._commit(args=args))

    def discard(self, run: str, ids: Sequence[str] | None = None) -> int:
        self._flush()
        self._pre = None
        args = [self.prefix, run, "1" if ids is None else "0", *(ids or [])]
        return int(self._discard(args=args))

    def _flush(self) -> None:
        """Send the decision's deferred stage now: something is about to read or write after it."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._stage(args=[self.prefix, *pending])

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
    def _output_field(self, path: str) -> str:
        return f"{self.host}\n{path}"

    def add_output(self, output: Output) -> None:
        record = {"run": output.run, "mode": output.mode, "tmp": output.tmp, "committed": output.committed,
                  "state": output.state}
        self.client.hset(self.k + "outputs", self._output_field(output.path), json.dumps(record))

    def update_output(self, path: str, *, committed: int | None = None, state: str | None = None) -> None:
        field = self._output_field(path)
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
                found.append(Output(path, run, record["mode"], record["tmp"], record["committed"], record["state"]))
        return sorted(found, key=lambda o: o.path)

    def remove_output(self, path: str) -> None:
        self.client.hdel(self.k + "outputs", self._output_field(path))

    # --- sites ---------------------------------------------------------------------------------------
    def site_complete(self, site: str) -> bool:
        return self.client.hget(self.k + "sites", site) == b"1"

    def set_site_complete(self, site: str, complete: bool) -> None:
        self.client.hset(self.k + "sites", site, b"1" if complete else b"0")

    # --- housekeeping --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        self._flush()
        pipe = self.client.pipeline(transaction=False)
        pipe.hlen(self.k + "art")
        pipe.get(self.k + "ndupes")
        pipe.hlen(self.k + "staged")
        pipe.get(self.k + "nlsh")
        articles, dupes, staged, lsh = pipe.execute()
        return {"articles": articles, "duplicates": int(dupes or 0), "staged": staged, "lsh_keys": int(lsh or 0)}

    def close(self) -> None:
        for beat in self._heartbeats.values():
            beat.stop()  # as when the process dies (SQLite: the lock is released): the run is now stale
        self._heartbeats.clear()
        self.client.close()


@dataclass
class _Prefetched:
    """What a decision's claim read in the same round trip (``_CLAIM_READ``): the article's own rows, the
    body-hash index entries and the band-key lists, as ``get``, ``find_content`` and ``near`` would read
    them. Valid while the decision holds its keys and has written nothing: no other worker can stage
    under those keys meanwhile."""

    id: str
    staged: bytes | None
    art: bytes | None
    content_hash: str
    scontent: bytes | None
    content: bytes | None
    band_keys: list[str]
    lsh: list[bytes | None]
    slsh: list[bytes | None]


def _split_hex(value: bytes | None) -> list[str]:
    text = value.decode() if value else ""
    return [text[i:i + _ID_HEX] for i in range(0, len(text), _ID_HEX)]
