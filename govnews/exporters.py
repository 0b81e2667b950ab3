"""The JSON lines exporter of ``-o out.jsonl`` (Scrapy glue): Scrapy's own, byte for byte, minus its cost.

Scrapy's ``JsonLinesItemExporter`` reads every field of an item through ``ItemAdapter`` and a per-field
serializer lookup; for an ``Article`` (27 fields) that was a tenth of a fast crawl's event-loop time
(BENCHMARKS.md, "Crawl throughput"). For a dataclass item whose fields declare no ``serializer`` and with
no ``FEED_EXPORT_FIELDS``, the same dict is read with ``getattr`` and encoded by the same encoder, so the
line is the same; anything else goes through Scrapy's path.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from scrapy.exporters import JsonLinesItemExporter
from scrapy.utils.python import to_bytes


@cache
def _plain_fields(cls: type) -> tuple[str, ...] | None:
    """The field names of a dataclass none of whose fields has a ``serializer``; None otherwise."""
    if not dataclasses.is_dataclass(cls):
        return None
    fields = dataclasses.fields(cls)
    if any("serializer" in f.metadata for f in fields):
        return None
    return tuple(f.name for f in fields)


class JsonLinesExporter(JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        names = _plain_fields(type(item)) if self.fields_to_export is None else None
        if names is None:
            super().export_item(item)
            return
        # What ItemAdapter gives for a dataclass: every field that is set, in declaration order.
        itemdict = {name: getattr(item, name) for name in names if hasattr(item, name)}
        self.file.write(to_bytes(self.encoder.encode(itemdict) + "\n", self.encoding))
