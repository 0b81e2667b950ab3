"""Every backend of ``govnews.state.StateStore`` runs the same tests: add a backend to ``BACKENDS``
here (Redis: a real redis-server on 127.0.0.1, started and stopped by its fixture, and a config such as
``{"type": "redis", "url": "redis://127.0.0.1:PORT/0", "prefix": "<test name>"}``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from govnews.state import StateStore, open_store

BACKENDS = ["sqlite"]


@pytest.fixture(params=BACKENDS)
def store_config(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """The config of one empty store of the backend under test (``open_store(config)``)."""
    if request.param == "sqlite":
        return {"type": "sqlite", "path": str(tmp_path / "state.sqlite")}
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
