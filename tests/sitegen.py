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


def article_html(n: int, version: int = 1, key: str = "klx") -> str:
    day = 1 + n % 28
    paragraphs = "".join(f"<p>{p}</p>" for p in article_text(n, version, key))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>岢岚县工作动态第{n}期-岢岚县人民政府</title>'
            f'<meta name="ArticleTitle" content="岢岚县工作动态第{n}期">'
            f'<meta name="PubDate" content="2024-03-{day:02d} 09:00">'
            f'<meta name="ContentSource" content="岢岚县融媒体中心"></head><body><div class="article">'
            f'<div class="article-head"><h2>岢岚县工作动态第{n}期</h2>'
            f'<p>2024-03-{day:02d}　来源：岢岚县融媒体中心</p></div>'
            f'<div class="article-con">{paragraphs}</div></div></body></html>')


def article_path(n: int, key: str = "klx") -> str:
    return f"{_list_dir(key)}/202403/t202403{1 + n % 28:02d}_{n}.html"


def write_site(root: Path, articles: int, per_page: int = 10, version_of: dict[int, int] | None = None,
               key: str = "klx") -> list[str]:
    """Write the mirror; returns the real URLs of the articles, newest (highest number) first."""
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
            path.write_text(article_html(n, (version_of or {}).get(n, 1), key), encoding="utf-8")
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
