"""Every backend of ``govnews.state.StateStore`` runs the same tests: add a backend to ``BACKENDS``
here (Redis: a real redis-server on 127.0.0.1, started and stopped by its fixture)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from govnews.state import StateStore, open_store

BACKENDS = ["sqlite"]


@pytest.fixture(params=BACKENDS)
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], StateStore]]:
    """Opens stores on one shared location (a second call = another process's view of the same state)."""
    opened: list[StateStore] = []

    def make() -> StateStore:
        store = open_store({"type": request.param, "path": str(tmp_path / "state.sqlite")})
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.close()


@pytest.fixture
def store(store_factory: Callable[[], StateStore]) -> StateStore:
    return store_factory()
