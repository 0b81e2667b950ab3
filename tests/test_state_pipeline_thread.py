"""With a store on the network, the state pipeline decides on a thread of its own and hands the verdict
back to the event loop; with an embedded store it decides in place."""

from __future__ import annotations

import queue
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy.exceptions import DropItem

import pipelines.state as state_pipeline
from govnews.state.judge import Verdict


class _Reactor:
    """What ``deferToThreadPool`` needs of a reactor: results come back through ``callFromThread``."""

    def __init__(self) -> None:
        self.calls: queue.Queue[Any] = queue.Queue()

    def callFromThread(self, f: Any, *args: Any, **kwargs: Any) -> None:  # Twisted's name
        self.calls.put((f, args, kwargs))

    def run_one(self) -> None:
        f, args, kwargs = self.calls.get(timeout=10)
        f(*args, **kwargs)


class _Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def _pipeline(monkeypatch: pytest.MonkeyPatch, remote: bool, verdict: Verdict) -> tuple[Any, list[str]]:
    threads: list[str] = []

    def decide(*args: Any) -> Verdict:
        threads.append(threading.current_thread().name)
        return verdict

    runtime = SimpleNamespace(store=SimpleNamespace(remote=remote), judge=SimpleNamespace(decide=decide),
                              pop_validators=lambda url: (None, None))
    monkeypatch.setattr(state_pipeline, "runtime_for", lambda crawler: runtime)
    monkeypatch.setattr(state_pipeline, "known_features", lambda item: None)
    crawler = SimpleNamespace(signals=SimpleNamespace(connect=lambda *a, **k: None), stats=_Stats())
    return state_pipeline.StatePipeline(crawler, export_duplicates=False), threads  # type: ignore[arg-type]


def _item() -> Any:
    return SimpleNamespace(url="http://x.gov.cn/1.html", site="x", id="ab" * 20, version=None, previous_hash=None,
                           duplicate_of=None)


def test_a_remote_store_decides_off_the_event_loop_and_the_verdict_comes_back_to_it(monkeypatch) -> None:
    pipeline, threads = _pipeline(monkeypatch, True, Verdict("new"))
    pipeline.reactor = _Reactor()
    item = _item()
    decided = pipeline.process_item(item)
    results: list[Any] = []
    decided.addBoth(results.append)
    pipeline.reactor.run_one()  # the thread's result, handed to the loop
    assert results == [item] and item.version == 1
    assert threads and threads[0] != threading.current_thread().name and "govnews-decisions" in threads[0]
    assert pipeline.crawler.stats.values == {"govnews/state/new/x": 1}
    pipeline.stop_pool()  # its thread is not a daemon: left running, it would keep the interpreter alive
    assert pipeline.pool is None

    pipeline, _ = _pipeline(monkeypatch, True, Verdict("duplicate", duplicate_of="cd" * 20, match="exact"))
    pipeline.reactor = _Reactor()
    results.clear()
    pipeline.process_item(_item()).addBoth(results.append)
    pipeline.reactor.run_one()
    assert results[0].check(DropItem)  # a repost not exported is still a drop, with its stats
    assert pipeline.crawler.stats.values["govnews/state/duplicate_exact/x"] == 1
    pipeline.stop_pool()


def test_an_embedded_store_decides_in_place(monkeypatch) -> None:
    pipeline, threads = _pipeline(monkeypatch, False, Verdict("new"))
    item = _item()
    assert pipeline.process_item(item) is item
    assert threads == [threading.current_thread().name]
    assert pipeline.pool is None
