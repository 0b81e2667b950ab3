"""``govnews report``: what a dataset holds, from its JSONL files and the crawl summaries beside them.

From the lines: articles per site and per publication day, later versions, reposts marked
``duplicate_of``, cleaning steps applied, fields left empty. From each ``<file>.summary.json`` (written
by the crawl): pages fetched, articles new / changed / unchanged / duplicate, drops by reason,
selector fallbacks, errors. Plain data in, plain data out; no Scrapy.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from govnews.idset import DigestSet
from govnews.report.paths import summary_path

_EMPTY_FIELDS = ("published_at", "source", "site_name")


def _add(target: dict[str, Any], source: dict[str, Any]) -> None:
    """Add nested counts of ``source`` into ``target``."""
    for key, value in source.items():
        if isinstance(value, dict):
            _add(target.setdefault(key, {}), value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            target[key] = target.get(key, 0) + value


def dataset_report(files: Iterable[str | Path]) -> dict[str, Any]:
    files = [Path(f) for f in files]
    sites: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "articles": 0, "days": Counter(), "versions": 0, "duplicates": 0, "cleaning": Counter(),
        "empty": Counter(), "first": None, "last": None, "name": ""})
    bad_lines = repeated = 0
    seen = DigestSet()  # (id, version) of every line counted: a file named twice, or runs with separate stores
    for path in files:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                try:
                    article = json.loads(line)
                except ValueError:
                    bad_lines += 1
                    continue
                key = hashlib.blake2b(f"{article.get('id')}|{article.get('version', 1)}".encode(),
                                      digest_size=16).digest()
                if key in seen:
                    repeated += 1
                    continue
                seen.add(key)
                entry = sites[article.get("site") or "?"]
                entry["articles"] += 1
                entry["name"] = entry["name"] or article.get("site_name") or ""
                day = (article.get("published_at") or "")[:10] or "undated"
                entry["days"][day] += 1
                if day != "undated":
                    entry["first"] = min(entry["first"] or day, day)
                    entry["last"] = max(entry["last"] or day, day)
                entry["versions"] += article.get("version", 1) > 1
                entry["duplicates"] += bool(article.get("duplicate_of"))
                for record in article.get("cleaning") or []:
                    entry["cleaning"][record.get("step", "?")] += record.get("count", 0)
                for field in _EMPTY_FIELDS:
                    entry["empty"][field] += not article.get(field)
    crawls: dict[str, Any] = {}
    summaries = 0
    for path in files:
        beside = summary_path(path)
        if beside.exists():
            summaries += 1
            _add(crawls, {k: v for k, v in json.loads(beside.read_text(encoding="utf-8")).items()
                          if k in ("totals", "sites", "errors", "dropped_without_site")})
    dropped = Counter(crawls.get("totals", {}).get("dropped", {}))
    return {
        "files": [str(f) for f in files],
        "summaries_found": summaries,
        "bad_lines": bad_lines,
        "repeated_lines": repeated,
        "articles": sum(e["articles"] for e in sites.values()),
        "sites": {site: {**e, "days": dict(sorted(e["days"].items())), "cleaning": dict(e["cleaning"]),
                         "empty": dict(e["empty"])} for site, e in sorted(sites.items())},
        "crawls": crawls,
        "dropped": dict(dropped.most_common()),
        "cleaning": dict(sum((Counter(e["cleaning"]) for e in sites.values()), Counter()).most_common()),
    }


def render_report(report: dict[str, Any]) -> str:
    lines = [f"{report['articles']} articles in {len(report['files'])} file(s) "
             f"({report['summaries_found']} crawl summaries found beside them)"]
    crawl_sites = report["crawls"].get("sites", {})
    for site, e in report["sites"].items():
        span = f"{e['first']} to {e['last']}" if e["first"] else "no dates"
        lines.append(f"  {site} {e['name']}: {e['articles']} articles, published {span}; {e['versions']} later "
                     f"versions, {e['duplicates']} reposts marked")
        crawl = crawl_sites.get(site)
        if crawl:
            p, a = crawl.get("pages", {}), crawl.get("articles", {})
            dropped = ", ".join(f"{k}={v}" for k, v in sorted(a.get("dropped", {}).items())) or "-"
            lines.append(f"    crawls: pages list/article/304 {p.get('list', 0)}/{p.get('article', 0)}/"
                         f"{p.get('not_modified', 0)}; new {a.get('new', 0)}, changed {a.get('changed', 0)}, "
                         f"unchanged {a.get('unchanged', 0)}, duplicate {a.get('duplicate', 0)}; dropped {dropped}")
            if crawl.get("fallbacks"):
                lines.append("    selector fallbacks: " + ", ".join(f"{k}={v}" for k, v in crawl["fallbacks"].items()))
        empty = {k: v for k, v in e["empty"].items() if v}
        if empty:
            lines.append("    empty fields: " + ", ".join(f"{k}={v}" for k, v in empty.items()))
    if report["dropped"]:
        lines.append("dropped: " + ", ".join(f"{k}={v}" for k, v in report["dropped"].items()))
    if report["cleaning"]:
        lines.append("cleaning: " + ", ".join(f"{k}={v}" for k, v in report["cleaning"].items()))
    errors = report["crawls"].get("errors", {})
    if errors:
        lines.append("errors: " + ", ".join(f"{k}={v}" for k, v in sorted(errors.items())))
    if report.get("repeated_lines"):
        lines.append(f"WARNING: {report['repeated_lines']} line(s) repeat an article already counted (same id and "
                     "version), counted once: drop repeats by id when loading")
    if report["bad_lines"]:
        lines.append(f"WARNING: {report['bad_lines']} line(s) are not JSON")
    return "\n".join(lines)
