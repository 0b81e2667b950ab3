"""One fetched article page -> one ``Article``: extraction, the article's identity, and (when asked) the
pure stages of the item pipeline and the near-duplicate features the state store needs.

This is the CPU-heavy part of a crawl. ``process_page`` takes only plain data (``PageJob``) and returns
only plain data (``PageResult``), so the crawl runs it either in its own process or in a worker process of
the pool (``govnews.workers``), with the same result. Spiders build the job (``spiders.base``); the
pipelines apply the stage results the worker computed (``prepared``) exactly as they would apply their own.
Nothing here imports Scrapy.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from govnews.items import Article, CleaningRecord, Image, Region
from govnews.stages import Drop, StageResult, run_stages
from govnews.urls import article_id, canonical_url, declared_canonical, relative_file_url

#: Attribute of an ``Article`` under which a worker's stage results travel to the pipelines.
PREPARED_ATTR = "_govnews_prepared"


@dataclass
class PageJob:
    """Everything ``process_page`` needs to know about one page and the crawl."""

    url: str
    html: str
    site: str  #: the registry key, or the host for a page outside the registry
    site_name: str | None = None  #: the registry's name of the site
    region: Region | None = None
    aliases: dict[str, str] | None = None  #: the registry site's URL aliases
    selectors: dict[str, str] | None = None  #: the registry site's extraction overrides
    id_root: str | None = None  #: folder file:// pages are named relative to
    encoding: str | None = None  #: how the page was decoded (``Article.encoding``)
    crawled_at: str = ""
    #: Pure pipeline stages to run, in pipeline order, with their options (``govnews.stages``).
    stages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Near-duplicate threshold of the state store when its features are wanted (``Judge.features``).
    threshold: float | None = None


@dataclass
class Prepared:
    """Stage results a worker computed for an article, for the pipelines to apply (``govnews.stages``)."""

    stages: dict[str, StageResult]
    features: Any = None  #: ``govnews.state.judge.Features`` of the final text, or None
    content_hash: str = ""  #: the body the features describe

    def take(self, stage: str, item: Article) -> StageResult | None:
        """The result of ``stage`` for ``item`` (the final article), or None when it was not computed."""
        result = self.stages.get(stage)
        if result is None:
            return None
        return StageResult(item, result.counts, result.drop, result.error)


@dataclass
class PageResult:
    article: Article | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)  #: extraction stats for the crawl
    error: str | None = None  #: traceback of an extraction that failed (the page is ``extract_error``)


def canonical_for(url: str, declared: str | None, aliases: dict[str, str] | None) -> str:
    """Trust a page's declared canonical URL only on the same host and when it names a document: CMS
    templates often point every page's canonical link at the home page."""
    own = canonical_url(url, aliases)
    if not declared:
        return own
    try:
        theirs = canonical_url(declared, aliases)
    except ValueError:  # e.g. a port out of range: not an address at all
        return own
    same_host = urlsplit(theirs).netloc == urlsplit(own).netloc
    path = urlsplit(theirs).path
    names_document = path not in ("", "/") and not path.rstrip("/").endswith(("index.html", "index.shtml"))
    return theirs if same_host and names_document else own


def empty_fields(extracted: Any) -> list[str]:
    """The fields a reader expects on every article page that extraction found nothing for."""
    values = {"title": extracted.title, "published_at": extracted.published_at,
              "source": extracted.source, "text": extracted.paragraphs}
    return [name for name, value in values.items() if not value]


def article_fields(extracted: Any) -> dict[str, Any]:
    """The ``Article`` fields an extraction gives as they are (the rest come from the crawl: id, site, region).
    One place for the crawl, the benchmarks and the evaluation scripts, so they judge the article a crawl makes."""
    return {"title": extracted.title or "", "published_at": extracted.published_at, "source": extracted.source,
            "authors": list(extracted.authors), "editor": extracted.editor, "text": "\n".join(extracted.paragraphs),
            "captions": list(extracted.captions),
            "images": [Image(url=str(img["url"]), caption=img.get("caption")) for img in extracted.images]}


def process_page(job: PageJob) -> PageResult:
    """Extract the page into an ``Article`` and run the stages the job names (see module doc)."""
    from govnews.extract import extract_article

    try:
        extracted = extract_article(job.html, job.url, job.selectors)
    except Exception:  # one odd page must cost one counted article, never the crawl
        return PageResult(error=traceback.format_exc())
    counts = [(f"govnews/fallback/{job.site}/{name}", 1) for name in extracted.fallbacks]
    # A template change shows up here first: a field every page of a site had is suddenly empty.
    counts += [(f"govnews/empty/{job.site}/{name}", 1) for name in empty_fields(extracted)]
    counts.append((f"govnews/extracted/{extracted.method or 'unknown'}", 1))
    counts += [(f"govnews/images_dropped/{reason}", n) for reason, n in sorted(extracted.dropped_images.items())]
    declared = declared_canonical(job.url, extracted.canonical_url, extracted.gov_meta.get("Url"))
    canonical = relative_file_url(canonical_for(job.url, declared, job.aliases), job.id_root)
    cleaning = []
    if extracted.counts:
        cleaning.append(CleaningRecord(step="extract", field="html", count=sum(extracted.counts.values()),
                                       details=dict(extracted.counts), samples=list(extracted.samples[:3])))
    article = Article(
        id=article_id(canonical),
        url=job.url,
        canonical_url=canonical,
        site=job.site,
        site_name=job.site_name or extracted.site_name,
        region=job.region or Region(),
        **article_fields(extracted),
        encoding=job.encoding,
        gov_meta=dict(extracted.gov_meta),
        cleaning=cleaning,
        crawled_at=job.crawled_at,
    )
    if job.stages:
        article, results = run_stages(article, job.stages)
        # What travels back is each stage's counts and drop; the pipelines apply them to the final article.
        for result in results.values():
            result.article = article
        features = None
        if job.threshold is not None and not any(r.drop for r in results.values()):
            from govnews.state.judge import features as judge_features

            features = judge_features(article.text, job.threshold)
        setattr(article, PREPARED_ATTR, Prepared(results, features, article.content_hash))
    return PageResult(article, counts)


def prepared(item: Any) -> Prepared | None:
    """The worker's stage results travelling with ``item``, if any."""
    return getattr(item, PREPARED_ATTR, None)


def apply_counts(stats: Any, counts: list[tuple[str, int]]) -> None:
    for key, value in counts:
        stats.inc_value(key, value)


__all__ = ["PREPARED_ATTR", "Drop", "PageJob", "PageResult", "Prepared", "apply_counts", "canonical_for",
           "prepared", "process_page"]
