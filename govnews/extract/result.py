"""What extraction hands to the rest of the project: plain data, no Scrapy, no parsel objects."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    """Fields read off one article page, before text cleaning.

    ``counts`` records what the DOM pass removed (boilerplate nodes, ruby annotations, ...) so the
    article's provenance covers extraction too; ``fallbacks`` names the fields whose site-specific
    selector found nothing, so the generic extractor was used (the crawl stats count them); ``samples`` shows
a few excerpts of the text the DOM and line passes removed.
    """

    title: str | None = None
    published_at: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    editor: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    images: list[dict[str, str | None]] = field(default_factory=list)  # {"url": ..., "caption": ...}
    site_name: str | None = None
    canonical_url: str | None = None
    gov_meta: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    fallbacks: list[str] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)  # up to 3 excerpts (≤40 chars) of removed text
    dropped_images: dict[str, int] = field(default_factory=dict)  # image addresses left out, by reason
    method: str = ""  # how the body was found, e.g. "cms:TRS_Editor" or "density"
