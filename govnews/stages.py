"""The per-article stages of the item pipeline that need nothing but the article: size limit, cleaning,
validation. Article in; the article after the stage, the crawl stats it adds and, maybe, why to drop it out.

Each stage is a plain function, so it runs the same in the crawl process (``pipelines/``, which apply the
result: count, drop, pass on) and in a worker process of the pool (``govnews.pages``), which computes the
results of all of them at once and lets the pipelines apply them in order. Nothing here imports Scrapy.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from govnews.items import Article

DEFAULT_MAX_TEXT_CHARS = 300_000
DEFAULT_MIN_TEXT_CHARS = 10


@dataclass
class Drop:
    """Why an article is dropped: counted as ``govnews/dropped/<reason>`` (and per site when ``by_site``)."""

    reason: str
    detail: str = ""
    by_site: bool = True


@dataclass
class StageResult:
    """What one stage did to one article. ``error`` is a traceback the crawl logs at ERROR level."""

    article: Article
    counts: list[tuple[str, int]] = field(default_factory=list)
    drop: Drop | None = None
    error: str | None = None


def limit(article: Article, max_text_chars: int = DEFAULT_MAX_TEXT_CHARS) -> StageResult:
    """``oversized``: more than ``max_text_chars`` characters of title and text (0: no limit). A government
    article is tens of thousands of characters at most; cleaning megabytes of text would only hold up the
    crawl, so such a page is dropped before cleaning."""
    size = len(article.text) + len(article.title)
    if max_text_chars and size > max_text_chars:
        return StageResult(article, drop=Drop("oversized", f"{size} characters of text, more than "
                                                           f"GOVNEWS_MAX_TEXT_CHARS={max_text_chars}", by_site=False))
    return StageResult(article)


def clean(article: Article) -> StageResult:
    """``govnews.clean.article.clean_article``, with a count per step that changed something
    (``govnews/cleaning/<step>``, ``govnews/cleaning_by_site/<site>/<step>``, ``govnews/script/zh-Hant``);
    a bug met on one article drops that article as ``clean_error``, never the crawl."""
    from govnews.clean.article import clean_article

    already = len(article.cleaning)
    try:
        cleaned = clean_article(article)
    except Exception as exc:
        return StageResult(article, drop=Drop("clean_error", f"{exc.__class__.__name__}: {exc}"[:200]),
                           error=traceback.format_exc())
    counts: list[tuple[str, int]] = []
    for record in cleaned.cleaning[already:]:
        counts.append((f"govnews/cleaning/{record.step}", record.count))
        counts.append((f"govnews/cleaning_by_site/{article.site}/{record.step}", record.count))
    if cleaned.script_original == "zh-Hant":
        counts.append(("govnews/script/zh-Hant", 1))
    return StageResult(cleaned, counts)


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    from govnews.schema import article_schema

    return Draft202012Validator(article_schema())


def validate(article: Article, min_text_chars: int = DEFAULT_MIN_TEXT_CHARS) -> StageResult:
    """The quality gate (``govnews.clean.quality.drop_reason``: empty, untitled, not Chinese, garbled), then
    the JSON Schema of the export (``schema_invalid``, with the first error). The article is validated as
    ``dataclasses.asdict`` gives it, the same dict as Scrapy's ``ItemAdapter(article).asdict()`` (which
    would import Scrapy into a worker process for nothing)."""
    from govnews.clean.quality import drop_reason

    reason = drop_reason(article, min_text_chars)
    if reason:
        return StageResult(article, drop=Drop(reason))
    error = next(iter(_validator().iter_errors(dataclasses.asdict(article))), None)
    if error is not None:
        path = "/".join(str(p) for p in error.absolute_path) or "(root)"
        return StageResult(article, drop=Drop("schema_invalid", f"{path}: {error.message[:200]}"))
    return StageResult(article)


#: Stage name -> function(article, **options).
STAGES: dict[str, Callable[..., StageResult]] = {"limit": limit, "clean": clean, "validate": validate}


def run_stages(article: Article, stages: list[tuple[str, dict[str, Any]]]) -> tuple[Article, dict[str, StageResult]]:
    """Run ``stages`` (name, options) in order until one drops the article: the last article, and each
    stage's result (the stages after a drop are not run, as the pipelines would not run them)."""
    results: dict[str, StageResult] = {}
    for name, options in stages:
        result = STAGES[name](article, **options)
        results[name] = result
        article = result.article
        if result.drop is not None:
            break
    return article, results
