"""How every pipeline drops an item: a named reason, counted, in one log line."""

from __future__ import annotations

from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from govnews.extensions import DROPPED_PREFIX


def drop(stats: StatsCollector, reason: str, detail: str = "") -> DropItem:
    """Count ``govnews/dropped/<reason>`` and build the exception that drops the item."""
    stats.inc_value(DROPPED_PREFIX + reason)
    return DropItem(f"{reason}{': ' + detail if detail else ''}")
