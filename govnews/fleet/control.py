"""Seeding a fleet and watching it, for the ``govnews fleet`` command (plain Redis reads and writes).

``seed`` pushes ``{"site": key}`` onto the fleet spider's start list; ``status`` gathers the fleet's
progress: requests queued and in flight per worker (and whether each worker is alive), fingerprints
seen this round, seeds waiting, the state store's size, Redis's memory, and the workers' summed stats
as the per-site table of a crawl summary, with failures by reason per site.
"""

from __future__ import annotations

import json
import time
from typing import Any

from govnews.fleet import defaults
from govnews.fleet.connection import Keys
from govnews.sites.registry import SITES


def seed(client: Any, keys: Keys, sites: list[str]) -> int:
    """Queue one seed per registry site; unknown keys are a ``ValueError`` naming them (nothing queued)."""
    unknown = [s for s in sites if s not in SITES]
    if unknown:
        raise ValueError(f"not in the registry: {', '.join(unknown)} (known: {', '.join(sorted(SITES))})")
    if sites:
        client.rpush(keys.start_urls, *[json.dumps({"site": s}) for s in sites])
    return len(sites)


def _number(raw: bytes) -> int | float:
    text = raw.decode()
    try:
        return int(text)
    except ValueError:
        return float(text)


def status(client: Any, keys: Keys) -> dict[str, Any]:
    from govnews.report.summary import crawl_summary
    from govnews.state.redis import RedisStateStore

    workers = []
    for raw_worker, raw_info in sorted(client.hgetall(keys.workers).items()):
        worker = raw_worker.decode()
        info = json.loads(raw_info)
        workers.append({"worker": worker, "host": info.get("host"), "pid": info.get("pid"),
                        "alive": bool(client.exists(keys.heartbeat(worker))),
                        "in_flight": int(client.hlen(keys.processing(worker))),
                        "up_s": round(time.time() - float(info.get("started", time.time())))})
    stats = {k.decode(): _number(v) for k, v in client.hgetall(keys.stats).items()}
    failures: dict[str, dict[str, int]] = {}
    for key, value in stats.items():
        parts = key.split("/")
        if key.startswith("govnews/failed_by_site/") and len(parts) == 4:
            failures.setdefault(parts[2], {})[parts[3]] = int(value)
    store = RedisStateStore(client=client, prefix=keys.prefix)
    summary = crawl_summary(stats, keys.spider)
    # A fleet always has a state store (Redis): new and changed are told apart even before any worker has
    # added stats that say so (crawl_summary guesses "no store" from the stats alone).
    summary["totals"]["tracked"] = True
    return {
        "spider": keys.spider,
        "queue": int(client.zcard(keys.queue)),
        "in_flight": sum(w["in_flight"] for w in workers),
        "seeds_waiting": int(client.llen(keys.start_urls)),
        "seen": int(client.scard(keys.dupefilter)),
        "workers": workers,
        "state": store.counts(),
        "redis_memory_bytes": int(client.info("memory").get("used_memory", 0)),
        "failures_by_site": failures,
        "fetch_failed": {k.rsplit("/", 1)[1]: int(v) for k, v in stats.items()
                         if k.startswith("govnews/fetch_failed/")},
        "summary": summary,
    }


def render_status(report: dict[str, Any]) -> str:
    from govnews.report.summary import render_summary

    totals = report["summary"]["totals"]
    alive = sum(1 for w in report["workers"] if w["alive"])
    lines = [
        f"fleet {report['spider']}: {report['queue']} requests queued, {report['in_flight']} in flight on "
        f"{alive} live worker(s) ({len(report['workers']) - alive} not beating), {report['seeds_waiting']} seed(s) "
        f"waiting, {report['seen']} requests seen this round",
        f"exported {totals['exported']} (new {totals['new']}, changed {totals['changed']}), duplicates "
        f"{totals['duplicate']}, unchanged {totals['unchanged']}, known and skipped {totals['skipped_known']} "
        f"(the workers' stats, added every GOVNEWS_FLEET_STATS_S: behind by up to that, and without a killed "
        f"worker's last interval; the state store's count is exact)",
        f"state store: {report['state']['articles']} articles remembered ({report['state']['duplicates']} reposts), "
        f"{report['state']['staged']} staged; Redis memory {report['redis_memory_bytes'] / 2**20:.1f} MiB",
    ]
    if report["fetch_failed"]:
        lines.append("fetch failures: " + ", ".join(f"{k}={v}" for k, v in sorted(report["fetch_failed"].items())))
    for w in report["workers"]:
        lines.append(f"  worker {w['worker']} on {w['host']} pid {w['pid']}: {'alive' if w['alive'] else 'NOT BEATING'}"
                     f", {w['in_flight']} in flight, up {w['up_s']} s")
    for line in render_summary(report["summary"]).splitlines():  # each site's failed: line included
        if line == _NOTHING_FETCHED and _active(report):
            # The summed stats lag by up to one interval: early in a crawl they are empty while workers fetch.
            lines.append(f"no page counted yet: the workers add their stats every GOVNEWS_FLEET_STATS_S "
                         f"({defaults.GOVNEWS_FLEET_STATS_S:g} s by default); meanwhile {report['in_flight']} "
                         f"request(s) in flight, {report['queue']} queued, {report['state']['articles']} "
                         f"article(s) remembered and {report['state']['staged']} staged in the state store")
            continue
        lines.append(line)
    return "\n".join(lines)


_NOTHING_FETCHED = "WARNING: no list or article page was fetched"


def _active(report: dict[str, Any]) -> bool:
    """Whether the fleet shows work its summed stats may not count yet: live workers with requests queued, in
    flight or seeds to take, or articles staged (being written) in the state store."""
    working = any(w["alive"] for w in report["workers"]) and (report["in_flight"] or report["queue"]
                                                               or report["seeds_waiting"])
    return bool(working or report["in_flight"] or report["state"]["staged"])


def live_workers(client: Any, keys: Keys) -> list[str]:
    """Workers whose heartbeat key exists: they are crawling (or stopped less than a heartbeat ago)."""
    start = len(keys.heartbeat(""))
    return sorted(k.decode()[start:] for k in client.scan_iter(match=keys.heartbeat("*")))


def reset(client: Any, keys: Keys) -> int:
    """Forget the fleet's frontier, fingerprints, seeds and stats (never the state store). Returns keys
    deleted. For a fleet that is stopped: live workers would keep crawling what they hold."""
    names = [keys.queue, keys.dupefilter, keys.start_urls, keys.stats, keys.workers, f"{keys.queue}:reaper"]
    names += [k for k in client.scan_iter(match=f"{keys.queue}:processing:*")]
    names += [k for k in client.scan_iter(match=f"{keys.queue}:alive:*")]
    return int(client.delete(*names)) if names else 0
