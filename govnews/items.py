"""The article schema: the one source of truth for what govnews exports.

Every exported JSONL line is one ``Article``. ``govnews/schema/article.schema.json`` is generated from
this class (``python -m govnews.schema``), and the field table in README.md is checked against it by a
test, so the three never drift. Each field's docstring lives in its ``metadata["doc"]``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Semantic version of the exported schema. Three parts, so no reader mistakes it for a number.
SCHEMA_VERSION = "2.0.0"


def _f(doc: str, default: Any = None, **schema: Any) -> Any:
    """A dataclass field carrying its documentation and any extra JSON Schema keywords."""
    meta = {"doc": doc, "schema": schema}
    if isinstance(default, list | dict):
        factory = type(default)
        return field(default_factory=factory, metadata=meta)
    if isinstance(default, type):  # a dataclass: every article gets its own instance
        return field(default_factory=default, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class Image:
    """One picture of the article body."""

    url: str = _f("Absolute http(s) URL of the image.", "", pattern=r"^https?://")
    caption: str | None = _f("Its caption, when the page gives one.")


@dataclass
class Region:
    """Where the publishing government sits, from the site registry."""

    province: str | None = _f("Province, e.g. 山西省.")
    city: str | None = _f("Prefecture-level city, e.g. 忻州市.")
    county: str | None = _f("County or district, e.g. 岢岚县.")
    code: str | None = _f("Administrative division code (GB/T 2260), 6 digits.", pattern=r"^\d{6}$")


@dataclass
class CleaningRecord:
    """What one cleaning step changed in one field."""

    step: str = _f("Name of the cleaning function, e.g. strip_pinyin_glosses.", "")
    field: str = _f("The article field it changed (title, text, captions, ...).", "")
    count: int = _f("How many changes it made.", 0, minimum=0)
    details: dict[str, int] = _f("Changes by kind, e.g. {\"glosses\": 3, \"ruby\": 1}.", {})
    samples: list[str] = _f("Up to three short excerpts of what was removed or rewritten.", [])


@dataclass
class Article:
    """One news or government article, cleaned and normalized."""

    id: str = _f("Stable identifier: SHA-1 of canonical_url (hex). Same article, same id, on every machine.", "",
                 pattern=r"^[0-9a-f]{40}$")
    url: str = _f("The URL the article was fetched from.", "", minLength=1)
    canonical_url: str = _f("Canonical address: twins (_slb, http/https, tracking parameters) collapse; a local "
                            "file is named by its own absolute path (file:///home/me/pages/a.html), or by its "
                            "path below GOVNEWS_FILE_ROOT when that is set (file:articles/a.html).",
                            "", minLength=1)
    site: str = _f("Site registry key, or the host name for pages outside the registry.", "", minLength=1)
    site_name: str | None = _f("Human name of the site (registry, SiteName meta tag or <title> suffix).")
    region: Region = _f("Administrative region of the publisher, from the site registry; every part null when "
                        "unknown (never null itself, so every line has the same shape).", Region)
    title: str = _f("The headline, without the site-name suffix of <title>.", "", minLength=1)
    published_at: str | None = _f(
        "Publication time, ISO 8601 in Beijing time (+08:00); a bare date when the page gives no time; "
        "null when the page gives none.", None,
        pattern=r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?\+08:00)?$")
    source: str | None = _f("来源: the originating outlet or office.")
    authors: list[str] = _f("Reporters and correspondents (记者, 通讯员, bylines).", [])
    editor: str | None = _f("责任编辑 / 编辑: the responsible editor.")
    text: str = _f("The body: paragraphs separated by a newline.", "", minLength=1)
    captions: list[str] = _f("Photo captions moved out of the body, one per picture (repeats kept).", [])
    photo_credits: list[str] = _f("Photographers and picture providers (摄影, 图片由…提供).", [])
    images: list[Image] = _f("Body images with their captions; only http(s) addresses (an image whose address is a "
                             "local file, data:, javascript: or another scheme is left out and counted as "
                             "govnews/images_dropped/<reason>).", [])
    lang: str = _f("Language and script of the exported text: always zh-Hans after cleaning.", "zh-Hans",
                   enum=["zh-Hans"])
    script_original: str = _f("Script the page was published in.", "zh-Hans", enum=["zh-Hans", "zh-Hant"])
    encoding: str | None = _f("How the page bytes were decoded, e.g. gb18030 (meta said utf-8).")
    gov_meta: dict[str, str] = _f(
        "Government-website meta tags found on the page (SiteName, SiteIDCode, ColumnName, ArticleTitle, "
        "PubDate, ContentSource, ...).", {})
    cleaning: list[CleaningRecord] = _f("Provenance: every change each cleaning step made, in order.", [])
    content_hash: str = _f("SHA-256 (hex) of the normalized text: equal hashes mean the same body.", "",
                           pattern=r"^[0-9a-f]{64}$")
    version: int = _f("1 when this id is first exported; one more each time its body changed since.", 1,
                      minimum=1)
    previous_hash: str | None = _f("content_hash of the version this one replaces; null for version 1.", None,
                                   pattern=r"^[0-9a-f]{64}$")
    duplicate_of: str | None = _f(
        "id of the earliest exported article with the same or nearly the same body (a repost); null for "
        "originals. Reposts are only exported when GOVNEWS_EXPORT_DUPLICATES is on.", None,
        pattern=r"^[0-9a-f]{40}$")
    crawled_at: str = _f("When the page was fetched, ISO 8601 UTC.", "", format="date-time")
    schema_version: str = _f("Version of this schema.", SCHEMA_VERSION)
