"""One self-contained HTML page for ``govnews report``: inline SVG charts and tables, no scripts, no
fonts or styles from elsewhere, so it opens anywhere (mail it, put it beside the data).

Charts: articles per site per publication day (stacked bars), drop reasons, cleaning steps.
"""

from __future__ import annotations

import html
from typing import Any

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
           "#bab0ac")
_STYLE = """
body{font-family:system-ui,-apple-system,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .6rem;text-align:right}
td:first-child,th:first-child{text-align:left}td{white-space:nowrap}.legend span{display:inline-block;margin-right:1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle}
svg text{font-size:11px;fill:#333}.muted{color:#777}
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def stacked_days_chart(sites: dict[str, dict[str, Any]], width: int = 900, height: int = 260) -> str:
    """Articles per publication day, one colour per site."""
    days = sorted({d for e in sites.values() for d in e["days"] if d != "undated"})
    if not days:
        return '<p class="muted">No article has a publication date.</p>'
    names = list(sites)
    totals = [sum(sites[s]["days"].get(d, 0) for s in names) for d in days]
    top = max(totals) or 1
    left, bottom, plot_h = 40, 40, height - 60
    step = (width - left - 10) / len(days)
    bar = max(1.0, step * 0.8)
    parts = [f'<svg id="chart-days" role="img" aria-label="articles per site per day" width="{width}" '
             f'height="{height}" viewBox="0 0 {width} {height}">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#999"/>',
             f'<text x="{left - 6}" y="{height - bottom - plot_h + 4}" text-anchor="end">{top}</text>',
             f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>']
    for i, day in enumerate(days):
        x = left + i * step + (step - bar) / 2
        y = height - bottom
        for k, site in enumerate(names):
            count = sites[site]["days"].get(day, 0)
            if not count:
                continue
            h = count / top * plot_h
            y -= h
            parts.append(f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                         f'fill="{PALETTE[k % len(PALETTE)]}"><title>{_e(site)} {day}: {count}</title></rect>')
    every = max(1, len(days) // 8)
    labels = [i for i in range(0, len(days), every) if len(days) - 1 - i >= every or i == 0] + [len(days) - 1]
    for i in sorted(set(labels)):
        parts.append(f'<text x="{left + i * step + step / 2:.1f}" y="{height - bottom + 16}" '
                     f'text-anchor="middle">{days[i]}</text>')
    parts.append("</svg>")
    legend = "".join(f'<span><i class="swatch" style="background:{PALETTE[k % len(PALETTE)]}"></i>{_e(s)}</span>'
                     for k, s in enumerate(names))
    return "".join(parts) + f'<p class="legend">{legend}</p>'


def bar_chart(chart_id: str, counts: dict[str, int], label: str, width: int = 700) -> str:
    """Horizontal bars, largest first."""
    if not counts:
        return f'<p class="muted">No {_e(label)}.</p>'
    items = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    top = max(v for _, v in items) or 1
    row, left = 22, 200
    height = row * len(items) + 10
    parts = [f'<svg id="{chart_id}" role="img" aria-label="{_e(label)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}">']
    for i, (name, value) in enumerate(items):
        w = value / top * (width - left - 60)
        y = 5 + i * row
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{_e(name)}</text>'
                     f'<rect class="bar" x="{left}" y="{y}" width="{max(w, 1):.1f}" height="{row - 6}" '
                     f'fill="{PALETTE[0]}"><title>{_e(name)}: {value}</title></rect>'
                     f'<text x="{left + w + 6:.1f}" y="{y + 14}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(report: dict[str, Any], title: str = "govnews dataset report") -> str:
    rows = []
    crawl_sites = report["crawls"].get("sites", {})
    for site, e in report["sites"].items():
        crawl = crawl_sites.get(site, {})
        pages = crawl.get("pages", {})
        rows.append(
            f"<tr><td>{_e(site)} {_e(e['name'])}</td><td>{e['articles']}</td><td>{_e(e['first'] or '-')}</td>"
            f"<td>{_e(e['last'] or '-')}</td><td>{e['versions']}</td><td>{e['duplicates']}</td>"
            f"<td>{pages.get('list', '-')}</td><td>{pages.get('article', '-')}</td>"
            f"<td>{sum(crawl.get('articles', {}).get('dropped', {}).values()) if crawl else '-'}</td></tr>")
    errors = report["crawls"].get("errors", {})
    error_rows = "".join(f"<tr><td>{_e(k)}</td><td>{v}</td></tr>" for k, v in sorted(errors.items()))
    files = "".join(f"<li>{_e(f)}</li>" for f in report["files"])
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>{_e(title)}</title><style>{_STYLE}</style></head>
<body>
<h1>{_e(title)}</h1>
<p id="totals">{report['articles']} articles from {len(report['sites'])} site(s) in {len(report['files'])} file(s);
{report['summaries_found']} crawl summaries found beside them.</p>
<h2>Articles per site per day</h2>
{stacked_days_chart(report['sites'])}
<h2>Sites</h2>
<table id="sites"><tr><th>site</th><th>articles</th><th>first</th><th>last</th><th>later versions</th>
<th>reposts marked</th><th>list pages</th><th>article pages</th><th>dropped</th></tr>{"".join(rows)}</table>
<h2>Drop reasons</h2>
{bar_chart("chart-drops", report['dropped'], "articles dropped")}
<h2>Cleaning steps</h2>
{bar_chart("chart-cleaning", report['cleaning'], "cleaning changes")}
<h2>Errors</h2>
{f'<table id="errors">{error_rows}</table>' if error_rows else '<p class="muted">None recorded.</p>'}
<h2>Files</h2><ul>{files}</ul>
</body></html>
"""
