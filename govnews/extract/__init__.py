"""HTML -> article fields, without Scrapy: ``extract_article(html, url, overrides) -> Extracted``."""

from __future__ import annotations

from govnews.extract.article import extract_article
from govnews.extract.result import Extracted

__all__ = ["Extracted", "extract_article"]
