"""Where a crawl's summary sits beside its output (shared by the crawl extension and the report)."""

from __future__ import annotations

from pathlib import Path


def summary_path(output: str | Path) -> Path:
    """``data/klx/2024-05-01T06-00-00.jsonl`` -> ``data/klx/2024-05-01T06-00-00.summary.json``."""
    path = Path(output)
    return path.with_name(path.stem + ".summary.json")
