"""Fleet tests run against the real redis-server of ``redis_url`` (tests/conftest.py), each under a key
prefix of its own."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def key_prefix(request: pytest.FixtureRequest) -> str:
    return "f" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:12]


@pytest.fixture
def client(redis_url: str, key_prefix: str) -> Iterator[Any]:
    import redis

    connection = redis.Redis.from_url(redis_url)
    yield connection
    for key in connection.scan_iter(match=f"{key_prefix}:*", count=1000):
        connection.delete(key)
    connection.close()
