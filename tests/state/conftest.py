"""Every backend of ``govnews.state.StateStore`` runs the same tests: SQLite in a temporary folder, and
Redis on a real redis-server on 127.0.0.1 (``redis_url`` in tests/conftest.py), each test under a key
prefix of its own that is deleted afterwards."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govnews.state import StateStore, open_store

BACKENDS = ["sqlite", "redis"]


@pytest.fixture(params=BACKENDS)
def store_config(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The config of one empty store of the backend under test (``open_store(config)``)."""
    if request.param == "sqlite":
        yield {"type": "sqlite", "path": str(tmp_path / "state.sqlite")}
        return
    if request.param == "redis":
        import redis

        url = request.getfixturevalue("redis_url")
        prefix = "t" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]
        yield {"type": "redis", "url": url, "prefix": prefix, "liveness_s": 5}
        client = redis.Redis.from_url(url)
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            client.delete(key)
        client.close()
        return
    raise NotImplementedError(request.param)


@pytest.fixture
def store_factory(store_config: dict[str, Any]) -> Iterator[Callable[[], StateStore]]:
    """Opens stores on one shared location (a second call = another process's view of the same state)."""
    opened: list[StateStore] = []

    def make() -> StateStore:
        store = open_store(store_config)
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: Callable[[], StateStore]) -> StateStore:
    return store_factory()
