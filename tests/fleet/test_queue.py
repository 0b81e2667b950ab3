"""The reliable queue on a real Redis: what a worker pops waits in its processing hash until acknowledged,
and a dead worker's entries go back to the queue with their priorities."""

from __future__ import annotations

from typing import Any

from scrapy import Request, Spider

from govnews.fleet import serializer
from govnews.fleet.connection import Keys
from govnews.fleet.queue import ReliablePriorityQueue


def _queue(client: Any, keys: Keys, worker: str) -> ReliablePriorityQueue:
    return ReliablePriorityQueue(client, Spider("s"), keys.queue, serializer, processing_key=keys.processing(worker),
                                 dupefilter_key=keys.dupefilter)


def test_pop_parks_the_request_until_ack(client: Any, key_prefix: str) -> None:
    keys = Keys(key_prefix, "s")
    queue = _queue(client, keys, "w1")
    for n, priority in ((1, 0), (2, 5), (3, -1)):
        assert queue.push_unseen(Request(f"http://x.gov.cn/{n}", priority=priority), f"fp{n}".encode())
    assert not queue.push_unseen(Request("http://x.gov.cn/1"), b"fp1")  # seen: not queued again
    assert len(queue) == 3
    token, entry = queue.pop()
    assert queue.decode(entry).url == "http://x.gov.cn/2"  # highest priority first
    assert len(queue) == 2 and queue.in_flight() == 1
    queue.ack([token])
    assert queue.in_flight() == 0


def test_a_dead_workers_requests_go_back_with_their_priority(client: Any, key_prefix: str) -> None:
    keys = Keys(key_prefix, "s")
    dead, alive = _queue(client, keys, "dead"), _queue(client, keys, "alive")
    dead.push(Request("http://x.gov.cn/low", priority=-5))
    dead.push(Request("http://x.gov.cn/high", priority=5))
    dead.pop(), dead.pop()
    assert len(dead) == 0 and dead.in_flight() == 2
    alive.push(Request("http://x.gov.cn/mid"))
    assert alive.requeue(keys.processing("dead")) == 2
    assert dead.in_flight() == 0
    order = [alive.decode(alive.pop()[1]).url for _ in range(3)]
    assert order == ["http://x.gov.cn/high", "http://x.gov.cn/mid", "http://x.gov.cn/low"]
    assert alive.pop() is None


def test_queue_entries_carry_no_fleet_bookkeeping(client: Any, key_prefix: str) -> None:
    queue = _queue(client, Keys(key_prefix, "s"), "w")
    request = Request("http://x.gov.cn/1", meta={"govnews_fleet_token": "7", "depth": 2})
    assert b"govnews_fleet_token" not in queue.encode(request) and b"depth" in queue.encode(request)


def test_one_exchange_queues_acknowledges_and_takes(client: Any, key_prefix: str) -> None:
    keys = Keys(key_prefix, "s")
    queue = _queue(client, keys, "w")
    queue.load_scripts()
    assert queue.push_unseen(Request("http://x.gov.cn/list"), b"fp-list")
    parent_token, _ = queue.pop()
    children = [(Request(f"http://x.gov.cn/{n}", priority=n), f"fp{n}".encode()) for n in range(3)]
    pushes = [(r, fp, queue.encode(r)) for r, fp in children] + [(children[0][0], b"fp0", queue.encode(children[0][0]))]
    queued, taken = queue.exchange(pushes, [parent_token], 2)
    assert queued == [True, True, True, False]  # the repeat was seen in the same exchange
    assert [queue.decode(entry).url for _, entry in taken] == ["http://x.gov.cn/2", "http://x.gov.cn/1"]
    # The parent is acknowledged; the two taken wait in the processing hash, the third in the queue.
    parked = {k.decode() for k in client.hkeys(keys.processing("w"))}
    assert parked == {token for token, _ in taken} and parent_token not in parked
    assert len(queue) == 1
    (token, entry), = queue.exchange([], [], 5)[1]  # fewer left than asked for
    assert queue.decode(entry).url == "http://x.gov.cn/0"
    assert client.hget(keys.processing("w"), token).endswith(entry)
    assert queue.exchange([], [], 5) == ([], [])


def test_an_exchange_after_the_scripts_were_flushed_loads_them_and_loses_nothing(client: Any, key_prefix: str
                                                                                 ) -> None:
    keys = Keys(key_prefix, "s")
    queue = _queue(client, keys, "w")
    queue.load_scripts()
    assert queue.push_unseen(Request("http://x.gov.cn/list"), b"fp-list")
    parent_token, _ = queue.pop()
    client.script_flush()  # what a Redis restart does to the script cache
    children = [(Request(f"http://x.gov.cn/{n}", priority=n), f"fp{n}".encode()) for n in range(3)]
    queued, taken = queue.exchange([(r, fp, queue.encode(r)) for r, fp in children], [parent_token], 2)
    assert queued == [True, True, True]
    assert [queue.decode(entry).url for _, entry in taken] == ["http://x.gov.cn/2", "http://x.gov.cn/1"]
    assert {k.decode() for k in client.hkeys(keys.processing("w"))} == {token for token, _ in taken}
    assert len(queue) == 1


def test_taking_again_under_the_same_tokens_takes_nothing_more(client: Any, key_prefix: str) -> None:
    """redis-py sends a pipeline again when the connection broke after Redis ran it (a restart): the pop
    must answer what it parked the first time, not park a second request under the same token."""
    keys = Keys(key_prefix, "s")
    queue = _queue(client, keys, "w")
    for n in range(4):
        queue.push(Request(f"http://x.gov.cn/{n}", priority=n))
    pop = client.register_script(queue._pop_many.script)
    first = pop(keys=[keys.queue, keys.processing("w")], args=["a", "b"])
    again = pop(keys=[keys.queue, keys.processing("w")], args=["a", "b"])
    assert first == again and len(first) == 4
    assert len(queue) == 2 and queue.in_flight() == 2
