"""Per-site politeness across workers: two middlewares (two workers) share one site's concurrency and
delay, timed by Redis's own clock, and a dead worker's lease is freed with its heartbeat."""

from __future__ import annotations

from typing import Any

from govnews.fleet.politeness import FleetPolitenessMiddleware, site_host


def _worker(client: Any, prefix: str, concurrency: int = 1, delay: float = 0.0) -> FleetPolitenessMiddleware:
    return FleetPolitenessMiddleware(client, f"{prefix}:site:", concurrency, delay, randomize=False, lease_s=60)


def test_concurrency_is_shared_by_all_workers(client: Any, key_prefix: str) -> None:
    a, b = _worker(client, key_prefix, concurrency=2), _worker(client, key_prefix, concurrency=2)
    assert a.try_acquire("klx.sxxz.gov.cn", "|a1") == 0
    assert b.try_acquire("klx.sxxz.gov.cn", "|b1") == 0
    assert b.try_acquire("klx.sxxz.gov.cn", "|b2") > 0  # the site has its two requests, whoever sent them
    assert b.try_acquire("www.lfxww.com", "|b3") == 0  # another site is not affected
    client.zrem(f"{key_prefix}:site:klx.sxxz.gov.cn:holders", "|a1")  # a's response came back
    assert b.try_acquire("klx.sxxz.gov.cn", "|b2") == 0


def test_the_delay_holds_across_workers(client: Any, key_prefix: str) -> None:
    a, b = _worker(client, key_prefix, concurrency=8, delay=30), _worker(client, key_prefix, concurrency=8, delay=30)
    assert a.try_acquire("klx.sxxz.gov.cn", "|a1") == 0
    wait = b.try_acquire("klx.sxxz.gov.cn", "|b1")
    assert 29_000 < wait <= 30_000  # b must wait out a's delay, by the server's clock


def test_a_dead_workers_lease_is_freed_with_its_heartbeat(client: Any, key_prefix: str) -> None:
    a, b = _worker(client, key_prefix), _worker(client, key_prefix)
    heartbeat = f"{key_prefix}:alive:a"
    client.set(heartbeat, b"1")
    assert a.try_acquire("klx.sxxz.gov.cn", f"{heartbeat}|a1") == 0
    assert b.try_acquire("klx.sxxz.gov.cn", "|b1") > 0
    client.delete(heartbeat)  # a died: its heartbeat expired
    assert b.try_acquire("klx.sxxz.gov.cn", "|b1") == 0


def test_a_mirrored_page_counts_against_its_real_site() -> None:
    mirror = "http://127.0.0.1:8765/"
    assert site_host("http://127.0.0.1:8765/klx.sxxz.gov.cn/klxzw/index.html", mirror) == "klx.sxxz.gov.cn"
    assert site_host("http://www.lfxww.com/linfen/index.html", mirror) == "www.lfxww.com"


def test_releases_go_together_or_with_the_next_acquisition(client: Any, key_prefix: str) -> None:
    from scrapy import Request

    from govnews.fleet.politeness import LEASE_META

    a = _worker(client, key_prefix, concurrency=2)
    holders = f"{key_prefix}:site:klx.sxxz.gov.cn:holders"
    requests = [Request(f"http://klx.sxxz.gov.cn/{n}", meta={LEASE_META: ("klx.sxxz.gov.cn", f"|a{n}")})
                for n in (1, 2)]
    for n in (1, 2):
        assert a.try_acquire("klx.sxxz.gov.cn", f"|a{n}") == 0
    a.release(requests[0])  # gathered: still held in Redis until this turn of the event loop ends
    assert client.zcard(holders) == 2
    assert a.try_acquire("klx.sxxz.gov.cn", "|a3") == 0  # sent with this acquisition, which then finds room
    assert {m.decode() for m in client.zrange(holders, 0, -1)} == {"|a2", "|a3"}
    a.release(requests[1])
    a.flush()
    assert {m.decode() for m in client.zrange(holders, 0, -1)} == {"|a3"}
    if a.flush_call is not None and a.flush_call.active():
        a.flush_call.cancel()
