"""A generated county site for crawl tests that need many articles: the klx platform layout
(``klx.sxxz.gov.cn/klxzw/zwyw/xxyw/``), TRS paging, one body per article that shares no sentence with
the others, served on 127.0.0.1 (optionally slowly, so a test can kill a crawl in the middle). ``key``
makes the same layout for another county of that platform (bdx, fsx, scx), with bodies of its own."""

from __future__ import annotations

import functools
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

LIST_DIR = "klx.sxxz.gov.cn/klxzw/zwyw/xxyw"
# Common characters of government news; each body draws its own sentences from them.
_CHARS = ("县乡镇村委会议工作发展建设推进落实要求强调部署安排开展组织领导干部群众服务经济社会项目企业农业"
          "生产安全环境保护教育卫生健康文化旅游交通水利电力城市规划管理改革创新产业投资资金政策制度责任"
          "检查督导调研考察座谈学习宣传活动培训志愿扶贫振兴生态治理防控应急消防市场监管税务财政统计人口")


def _list_dir(key: str) -> str:
    return f"{key}.sxxz.gov.cn/{key}zw/zwyw/xxyw"


def article_text(n: int, version: int = 1, key: str = "klx") -> list[str]:
    rng = random.Random(n * 1000 + version if key == "klx" else f"{key}/{n}/{version}")
    return ["".join(rng.choice(_CHARS) for _ in range(rng.randint(40, 70))) + "。" for _ in range(5)]


@functools.lru_cache(maxsize=64)
def furniture(key: str, kb: int) -> tuple[str, str, str]:
    """(head, before, after): about ``kb`` KB of what surrounds an article on a real county portal (a style
    sheet and scripts, top navigation, breadcrumb, a side column of links, related articles, a footer with
    the site's registration lines), so that parsing and extraction cost what they do on a real page: the
    median real article page here is some 38 KB (tests/corpus2), a bare generated one under 2 KB."""
    if kb <= 0:
        return "", "", ""
    rng = random.Random(f"furniture/{key}/{kb}")

    def words(low: int, high: int) -> str:
        return "".join(rng.choice(_CHARS) for _ in range(rng.randint(low, high)))

    def links(count: int, prefix: str) -> str:
        return "".join(f'<li><a href="/{key}zw/{prefix}/{i}/index.html" target="_blank" title="{words(6, 14)}">'
                       f'{words(6, 14)}</a><span>2024-0{1 + i % 9}-{10 + i % 18}</span></li>' for i in range(count))

    head = ('<link rel="stylesheet" href="/images/style.css"><style>'
            + "".join(f".c{i}{{margin:0 {i % 7}px;padding:{i % 5}px;color:#{i * 2654435761 % 16**6:06x}}}"
                      for i in range(40))
            + '</style><script>var _hmt=_hmt||[];(function(){var hm=document.createElement("script");'
            'hm.src="/images/stat.js";var s=document.getElementsByTagName("script")[0];'
            's.parentNode.insertBefore(hm,s);})();</script>')
    nav = "".join(f'<li class="nav{i}"><a href="/{key}zw/col{i}/">{words(2, 4)}</a><div class="sub"><ul>'
                  f'{links(4, f"col{i}")}</ul></div></li>' for i in range(9))
    before = (f'<div class="top"><div class="topbar"><span>今天是2024年3月1日</span><a href="/">无障碍浏览</a>'
              f'<a href="/">长者模式</a><a href="/">繁體</a></div><div class="logo"><img src="/images/logo.png"'
              f' alt="{words(4, 6)}"></div><form action="/search"><input name="q"><button>搜索</button></form>'
              f'</div><div class="nav"><ul>{nav}</ul></div><div class="position">当前位置：<a href="/">首页</a>'
              f' &gt; <a href="/{key}zw/zwyw/">政务要闻</a> &gt; 信息要闻</div><div class="main">')
    after = ""
    while len((head + before + after).encode()) < kb * 1024:
        after += (f'<div class="side"><h3>{words(4, 6)}</h3><ul>{links(12, "side")}</ul></div>'
                  f'<div class="related"><h3>相关文章</h3><ul>{links(8, "xgwz")}</ul></div>')
    after = (f'</div>{after}<div class="share">分享到：<a>微信</a><a>微博</a></div>'
             f'<div class="footer"><p>主办：{words(6, 10)}　承办：{words(6, 10)}</p><p>地址：{words(10, 16)}'
             f'　电话：0350-{rng.randint(1000000, 9999999)}</p><p>网站标识码：1409{rng.randint(100000, 999999)}'
             f'　晋ICP备{rng.randint(10000000, 99999999)}号　晋公网安备 1409{rng.randint(10**9, 10**10 - 1)}号</p>'
             f'</div><script src="/images/common.js"></script>')
    return head, before, after


def article_html(n: int, version: int = 1, key: str = "klx", furniture_kb: int = 0) -> str:
    day = 1 + n % 28
    paragraphs = "".join(f"<p>{p}</p>" for p in article_text(n, version, key))
    head, before, after = furniture(key, furniture_kb)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>岢岚县工作动态第{n}期-岢岚县人民政府</title>'
            f'<meta name="ArticleTitle" content="岢岚县工作动态第{n}期">'
            f'<meta name="PubDate" content="2024-03-{day:02d} 09:00">'
            f'<meta name="ContentSource" content="岢岚县融媒体中心">{head}</head><body>{before}<div class="article">'
            f'<div class="article-head"><h2>岢岚县工作动态第{n}期</h2>'
            f'<p>2024-03-{day:02d}　来源：岢岚县融媒体中心</p></div>'
            f'<div class="article-con">{paragraphs}</div></div>{after}</body></html>')


def article_path(n: int, key: str = "klx") -> str:
    return f"{_list_dir(key)}/202403/t202403{1 + n % 28:02d}_{n}.html"


def write_site(root: Path, articles: int, per_page: int = 10, version_of: dict[int, int] | None = None,
               key: str = "klx", furniture_kb: int = 0) -> list[str]:
    """Write the mirror; returns the real URLs of the articles, newest (highest number) first.
    ``furniture_kb``: pages of about that size, the rest being a real portal's furniture (``furniture``)."""
    list_dir = _list_dir(key)
    numbers = list(range(articles, 0, -1))
    pages = [numbers[i:i + per_page] for i in range(0, len(numbers), per_page)] or [[]]
    for index, chunk in enumerate(pages):
        items = "".join(f'<li><a href="./{article_path(n, key)[len(list_dir) + 1:]}">岢岚县工作动态第{n}期</a>'
                        f'<span class="date">2024-03-{1 + n % 28:02d}</span></li>' for n in chunk)
        html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>信息要闻-岢岚县人民政府</title></head><body>'
                f'<div class="list-con"><ul class="list">{items}</ul><div class="page"><script>'
                f'createPageHTML({len(pages)}, {index}, "index", "html");</script></div></div></body></html>')
        name = "index.html" if index == 0 else f"index_{index}.html"
        (root / list_dir).mkdir(parents=True, exist_ok=True)
        (root / list_dir / name).write_text(html, encoding="utf-8")
        for n in chunk:
            path = root / article_path(n, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(article_html(n, (version_of or {}).get(n, 1), key, furniture_kb), encoding="utf-8")
    return [f"http://{article_path(n, key)}" for n in numbers]


class _Handler(SimpleHTTPRequestHandler):
    delay = 0.0
    counter: ClassVar[list[int]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.counter.append(1)
        if "/202403/" in self.path and self.delay:
            time.sleep(self.delay)
        super().do_GET()


@contextmanager
def serve_site(root: Path, delay: float = 0.0) -> Iterator[tuple[str, list[int]]]:
    """(base URL, list that grows by one per request) of a server on 127.0.0.1 for ``root``."""
    counter: ClassVar[list[int]] = []
    handler = type("Handler", (_Handler,), {"delay": delay, "counter": counter})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", counter
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
