"""What only the Redis store has: its layout's upgrade path and its decision leases (the contract tests in
test_store.py run against both backends)."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator

import pytest

from govnews.state import ArticleState
from govnews.state.neardup import fingerprint
from govnews.state.redis import RedisStateStore, _key_hex, encode_record

BODY = "忻州市召开全市春季植树造林动员会，会议强调各地要扎实推进国土绿化工作，确保完成年度目标任务。" * 3


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    import redis

    name = "lay" + uuid.uuid4().hex[:10]
    yield name
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(match=f"{name}:*", count=1000):
        client.delete(key)
    client.close()


def test_staged_rows_of_the_first_layout_are_moved_in_when_a_store_opens(redis_url: str, prefix: str) -> None:
    """A fleet upgraded while a run had rows staged (their lines not yet on disk): the rows, written by the
    first layout (signature in hex, indexed apart in ``scontent``/``slsh``), answer look-ups and commit."""
    import redis

    fp = fingerprint(BODY)
    assert fp is not None
    state = ArticleState(id="ab" * 20, url="http://x.gov.cn/1.html", site="x", content_hash="cd" * 32, title="标题")
    hexkeys = [_key_hex(k) for k in fp.keys]
    client = redis.Redis.from_url(redis_url)
    k = f"{prefix}:state:"
    client.hset(k + "staged", state.id, json.dumps({
        "run": "r1", "rec": encode_record(state), "ch": state.content_hash, "orig": True,
        "sig": fp.signature.values.hex(), "keys": hexkeys, "dup": "", "exp": 1}))
    client.sadd(k + "run:r1", state.id)
    client.hset(k + "scontent", state.content_hash, state.id)
    client.hset(k + "slsh", mapping={key: state.id for key in hexkeys})

    store = RedisStateStore(redis_url, prefix=prefix)
    assert client.get(k + "layout") == b"2"
    assert not client.exists(k + "scontent") and not client.exists(k + "slsh")
    assert store.get(state.id) is not None
    assert [s.id for s in store.find_content(state.content_hash, "ef" * 20)] == [state.id]
    assert [(s.id, sig) for s, sig in store.near(fp, "ef" * 20)] == [(state.id, fp.signature)]
    assert store.commit("r1", [state.id]) == 1
    assert store.counts()["lsh_keys"] == len(hexkeys)
    assert [(s.id, sig) for s, sig in store.near(fp, "ef" * 20)] == [(state.id, fp.signature)]
    RedisStateStore(redis_url, prefix=prefix).close()  # opening again changes nothing
    assert [s.id for s in store.find_content(state.content_hash, "ef" * 20)] == [state.id]
    store.close()
    client.close()


def test_a_decision_a_dead_worker_held_is_free_once_its_lease_ends(redis_url: str, prefix: str) -> None:
    fp = fingerprint(BODY)
    dead = RedisStateStore(redis_url, prefix=prefix, lease_s=0.5)
    held = dead.decision("ab" * 20, "cd" * 32, fp)
    held.__enter__()  # and never leaves it: the worker was killed
    other = RedisStateStore(redis_url, prefix=prefix)
    with pytest.raises(TimeoutError), other.decision("ef" * 20, "cd" * 32, None, timeout=0.2):
        pass  # the same body: must wait
    with other.decision("ef" * 20, "99" * 32, None, timeout=0.2):
        pass  # nothing shared: free at once
    time.sleep(0.6)
    with other.decision("ef" * 20, "cd" * 32, fp, timeout=0.2):
        pass
    with other.decision("ef" * 20, "cd" * 32, fp, timeout=0.2):
        pass  # released at the end of the last one
    other.close()
    dead.close()
