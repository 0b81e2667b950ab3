"""Article state and duplicate indexes behind one small interface (``StateStore``).

``open_store({"type": "sqlite", "path": "data/state.sqlite"})`` picks a backend by a config dict, as
datasketch's ``storage_config`` does; the embedded SQLite store is the default, and
``{"type": "redis", "url": "redis://:password@host:6379/0", "prefix": "govnews"}`` is the one a fleet
of workers shares (needs the ``redis`` extra). Nothing in this
package imports Scrapy: the crawl glue is ``govnews.incremental``, ``pipelines.state``,
``govnews.middlewares.incremental`` and ``govnews.feeds``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govnews.state.base import ArticleState, Output, RunInfo, StateStore

__all__ = ["ArticleState", "Output", "RunInfo", "StateStore", "open_store"]

#: Backend type -> "module:Class"; both pass the same tests (tests/state/).
BACKENDS = {"sqlite": "govnews.state.sqlite:SQLiteStateStore", "redis": "govnews.state.redis:RedisStateStore"}


def open_store(config: Mapping[str, Any]) -> StateStore:
    """A store from ``{"type": ..., **backend options}``; an unknown type is a clear error."""
    options = dict(config)
    kind = options.pop("type", "sqlite")
    try:
        target = BACKENDS[kind]
    except KeyError:
        raise ValueError(f"unknown state backend {kind!r}; known: {', '.join(sorted(BACKENDS))}") from None
    module_name, _, class_name = target.partition(":")
    module = __import__(module_name, fromlist=[class_name])
    return getattr(module, class_name)(**options)
