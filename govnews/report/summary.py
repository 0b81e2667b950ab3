"""The end-of-crawl summary, per site, computed from the crawl stats (plain dicts; no Scrapy).

Keys read (all written by govnews components): ``govnews/pages/<site>/<list|article>``,
``govnews/state/<new|changed|unchanged|duplicate|skipped_known|rechecked|not_modified|stopped_paging|gone|
skipped_gone>/<site>``,
``govnews/dropped_by_site/<site>/<reason>`` (and the crawl-wide ``govnews/dropped/<reason>``),
``govnews/fallback/<site>/<field>``, ``govnews/empty/<site>/<field>``,
``govnews/cleaning_by_site/<site>/<step>``, ``govnews/failed_by_site/<site>/<reason>`` (pages of the site
that could not be fetched, and ``refused_<reason>`` for requests its pages led to that the URL policy
refused), ``govnews/fetch_failed[/<reason>]`` and Scrapy's
``spider_exceptions/*``, ``downloader/exception_type_count/*``, ``log_count/ERROR``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

SUMMARY_VERSION = "1"
_STATE_KINDS = ("new", "changed", "unchanged", "duplicate", "skipped_known", "rechecked", "not_modified",
                "stopped_paging", "gone", "skipped_gone")


def _site_entry() -> dict[str, Any]:
    return {
        "pages": {"list": 0, "article": 0, "not_modified": 0},
        "articles": {"new": 0, "changed": 0, "unchanged": 0, "duplicate": 0, "skipped_known": 0,
                     "rechecked": 0, "dropped": {}},
        # article links that answered 404/410 on GOVNEWS_GONE_AFTER_RUNS runs in a row: recorded as gone
        # this run, and gone links not fetched (until GOVNEWS_RECHECK_DAYS after their last 404/410)
        "links": {"gone": 0, "skipped_gone": 0},
        "fallbacks": {}, "empty_fields": {}, "cleaning": {},
        "failed": {},  # fetch failures by reason, and refused_<reason> for requests the URL policy refused
    }


def crawl_summary(stats: dict[str, Any], spider: str = "", reason: str = "", outputs: list[str] | None = None
                  ) -> dict[str, Any]:
    """Per-site counts and crawl-wide errors, as the log line and the ``.summary.json`` give them."""
    sites: dict[str, dict[str, Any]] = defaultdict(_site_entry)
    dropped_total: dict[str, int] = {}
    errors: dict[str, int] = {}
    stopped_paging: dict[str, int] = {}
    for key, value in sorted(stats.items()):
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        parts = key.split("/")
        if key.startswith("govnews/pages/") and len(parts) == 4:
            sites[parts[2]]["pages"][parts[3]] = sites[parts[2]]["pages"].get(parts[3], 0) + value
        elif key.startswith("govnews/state/") and len(parts) == 4 and parts[2] in _STATE_KINDS:
            what, site = parts[2], parts[3]
            if what == "not_modified":
                sites[site]["pages"]["not_modified"] += value
            elif what == "stopped_paging":
                stopped_paging[site] = value
            elif what in ("gone", "skipped_gone"):
                sites[site]["links"][what] += value
            else:
                sites[site]["articles"][what] += value
        elif key.startswith("govnews/dropped_by_site/") and len(parts) == 4:
            sites[parts[2]]["articles"]["dropped"][parts[3]] = value
        elif key.startswith("govnews/dropped/") and len(parts) == 3:
            dropped_total[parts[2]] = value
        elif key.startswith("govnews/fallback/") and len(parts) == 4:
            sites[parts[2]]["fallbacks"][parts[3]] = value
        elif key.startswith("govnews/empty/") and len(parts) == 4:
            sites[parts[2]]["empty_fields"][parts[3]] = value
        elif key.startswith("govnews/cleaning_by_site/") and len(parts) == 4:
            sites[parts[2]]["cleaning"][parts[3]] = value
        elif key.startswith("govnews/failed_by_site/") and len(parts) == 4:
            sites[parts[2]]["failed"][parts[3]] = value
        elif (key.startswith(("govnews/fetch_failed", "spider_exceptions/", "downloader/exception_type_count/",
                              "govnews/refused/"))
              or key in ("log_count/ERROR", "log_count/CRITICAL")):
            errors[key] = value
    for site, count in stopped_paging.items():
        sites[site]["stopped_paging"] = count
    attributed = defaultdict(int)
    for entry in sites.values():
        for reason_, count in entry["articles"]["dropped"].items():
            attributed[reason_] += count
    unattributed = {r: n - attributed[r] for r, n in dropped_total.items() if n > attributed[r]}
    totals = {
        "pages": sum(e["pages"]["list"] + e["pages"]["article"] + e["pages"]["not_modified"] for e in sites.values()),
        "exported": stats.get("item_scraped_count", 0),
        **{kind: sum(e["articles"][kind] for e in sites.values())
           for kind in ("new", "changed", "unchanged", "duplicate", "skipped_known")},
        "gone": sum(e["links"]["gone"] for e in sites.values()),
        "dropped": dropped_total,
        # Whether a state store told new from changed (its pipeline counts govnews/state/...): without one,
        # "0 new, 0 changed" beside N exported would read as a contradiction.
        "tracked": any(k.startswith("govnews/state/") for k in stats),
    }
    return {
        "summary_version": SUMMARY_VERSION,
        "spider": spider,
        "finish_reason": reason,
        "start_time": str(stats.get("start_time", "")),
        "finish_time": str(stats.get("finish_time", "")),
        "outputs": list(outputs or []),
        "totals": totals,
        "sites": dict(sorted(sites.items())),
        "dropped_without_site": unattributed,
        "errors": errors,
        "recovered": {k.rsplit("/", 1)[1]: v for k, v in stats.items() if k.startswith("govnews/state/recovered/")},
    }


def _kv(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))) or "-"


def render_summary(summary: dict[str, Any]) -> str:
    """The per-site table the log (and ``govnews report``) prints."""
    lines = ["site: pages list/article/304 | new changed unchanged duplicate skipped | dropped"]
    for site, e in summary["sites"].items():
        p, a = e["pages"], e["articles"]
        lines.append(f"  {site}: {p['list']}/{p['article']}/{p['not_modified']} | {a['new']} {a['changed']} "
                     f"{a['unchanged']} {a['duplicate']} {a['skipped_known']} | {_kv(a['dropped'])}")
        if e["fallbacks"]:
            lines.append(f"    selector fallbacks: {_kv(e['fallbacks'])}")
        if e["cleaning"]:
            lines.append(f"    cleaning: {_kv(e['cleaning'])}")
        if e.get("failed"):
            lines.append("    failed: " + ", ".join(f"{k}={v}" for k, v in sorted(e["failed"].items())))
        links = e.get("links", {})
        if links.get("gone") or links.get("skipped_gone"):
            lines.append(f"    gone links (HTTP 404/410 on several runs in a row): {links.get('gone', 0)} answered "
                         f"404/410 again, {links.get('skipped_gone', 0)} not fetched")
        if e.get("stopped_paging"):
            lines.append(f"    stopped paging after {e['stopped_paging']} list page(s) with nothing new")
    t = summary["totals"]
    if t.get("tracked", True):
        lines.append(f"total: {t['pages']} pages fetched, {t['exported']} exported ({t['new']} new, {t['changed']} "
                     f"changed), {t['unchanged']} unchanged, {t['duplicate']} duplicates, {t['skipped_known']} known "
                     f"links not fetched, dropped: {_kv(t['dropped'])}")
    else:
        lines.append(f"total: {t['pages']} pages fetched, {t['exported']} exported (no state store: new and changed "
                     f"not told apart), dropped: {_kv(t['dropped'])}")
    if summary["errors"]:
        lines.append(f"errors: {_kv(summary['errors'])}")
    if summary.get("recovered"):
        lines.append(f"recovered from an interrupted run: {_kv(summary['recovered'])}")
    if t["pages"] == 0:
        lines.append("WARNING: no list or article page was fetched")
    return "\n".join(lines)
