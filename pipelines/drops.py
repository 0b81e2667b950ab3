"""How every pipeline drops an item: a named reason, counted, in one log line."""

from __future__ import annotations

from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from govnews.extensions import DROPPED_PREFIX


def drop(stats: StatsCollector, reason: str, detail: str = "", site: str | None = None) -> DropItem:
    """Count ``govnews/dropped/<reason>`` (and ``govnews/dropped_by_site/<site>/<reason>``) and build the
    exception that drops the item."""
    stats.inc_value(DROPPED_PREFIX + reason)
    if site:
        stats.inc_value(f"govnews/dropped_by_site/{site}/{reason}")
    return DropItem(f"{reason}{': ' + detail if detail else ''}")
