"""Pages of the hostile test site: a TRS-style county site whose articles the crawl must export."""

from __future__ import annotations

from html import escape

_PARAGRAPHS = (
    "{date}，{place}召开专题会议，研究部署{topic}工作，县政府主要负责同志出席会议并讲话。",
    "会议指出，各乡镇、各部门要进一步提高思想认识，压实工作责任，确保各项任务按时完成。",
    "会议强调，要坚持问题导向，加强督促检查，及时协调解决工作中遇到的困难和问题。",
)
TOPICS = ("春耕生产", "安全生产", "森林防火", "乡村振兴", "招商引资", "防汛抗旱", "文明创建", "疫情防控",
          "营商环境", "生态保护", "就业创业", "教育发展", "医疗保障", "交通建设", "水利建设", "旅游推广")


def article_url_path(n: int) -> str:
    return f"/zwyw/202403/t202403{(n % 28) + 1:02d}_{n}.html"


def title_for(n: int) -> str:
    return f"岢岚县部署{TOPICS[n % len(TOPICS)]}工作（第{n}号）"


def article_html(n: int, head: str = "", before: str = "", after: str = "", title: str | None = None,
                 paragraphs: list[str] | None = None, charset: str = "utf-8") -> str:
    """A complete, well-formed article page (meta tags per the national conventions)."""
    title = title or title_for(n)
    topic = TOPICS[n % len(TOPICS)]
    paras = paragraphs or [p.format(date=f"3月{(n % 28) + 1}日", place="岢岚县", topic=topic) for p in _PARAGRAPHS]
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{escape(title)}_岢岚县人民政府</title>'
            f'<meta name="ArticleTitle" content="{escape(title)}">'
            f'<meta name="PubDate" content="2024-03-{(n % 28) + 1:02d} 09:30">'
            f'<meta name="ContentSource" content="岢岚县融媒体中心">{head}</head>'
            f'<body>{before}<h1>{escape(title)}</h1><div class="TRS_Editor">{body}</div>{after}'
            '<div class="footer">版权所有：岢岚县人民政府</div></body></html>')


def list_html(links: list[str], next_href: str | None = None, head: str = "") -> str:
    items = "".join(f'<li><a href="{escape(h)}">文章 {i}</a> <span>2024-03-20</span></li>'
                    for i, h in enumerate(links))
    pager = f'<div class="page"><a href="{escape(next_href)}">下一页</a></div>' if next_href else ""
    return f"<html><head><meta charset='utf-8'>{head}</head><body><ul class='list'>{items}</ul>{pager}</body></html>"
