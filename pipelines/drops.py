"""How every pipeline drops an item: a named reason, counted, in one log line; and how the pure stages'
results (``govnews.stages``, computed here or by a worker of the pool) are applied."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.statscollectors import StatsCollector

from govnews.extensions import DROPPED_PREFIX
from govnews.pages import prepared
from govnews.stages import StageResult


def drop(stats: StatsCollector, reason: str, detail: str = "", site: str | None = None) -> DropItem:
    """Count ``govnews/dropped/<reason>`` (and ``govnews/dropped_by_site/<site>/<reason>``) and build the
    exception that drops the item."""
    stats.inc_value(DROPPED_PREFIX + reason)
    if site:
        stats.inc_value(f"govnews/dropped_by_site/{site}/{reason}")
    return DropItem(f"{reason}{': ' + detail if detail else ''}")


class StagePipeline:
    """A pipeline that applies one stage of ``govnews.stages``: the result a worker of the pool computed
    for this item when there is one, else the stage run here. Either way the same counts, the same drop."""

    #: Name of the stage in ``govnews.stages.STAGES``.
    stage = ""
    #: What is logged at ERROR level when the stage failed with a traceback (``%s``: the URL).
    error_message = "%s failed"

    def __init__(self, stats: StatsCollector, **options: Any) -> None:
        self.stats = stats
        self.options = options

    @classmethod
    def stage_options(cls, settings: Any) -> dict[str, Any]:
        """The stage function's keyword arguments, from the crawl's settings."""
        return {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> StagePipeline:
        return cls(crawler.stats, **cls.stage_options(crawler.settings))

    def run(self, item: Any) -> StageResult:
        from govnews.stages import STAGES

        return STAGES[self.stage](item, **self.options)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        ready = prepared(item)
        result = (ready.take(self.stage, item) if ready is not None else None) or self.run(item)
        for key, value in result.counts:
            self.stats.inc_value(key, value)
        if result.error:
            logging.getLogger(type(self).__module__).error(self.error_message + "\n%s", getattr(item, "url", "?"),
                                                           result.error.rstrip())
        if result.drop is not None:
            site = getattr(item, "site", None) if result.drop.by_site else None
            raise drop(self.stats, result.drop.reason, result.drop.detail, site)
        return result.article
