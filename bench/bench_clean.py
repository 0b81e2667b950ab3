"""How long ``clean_article`` takes on adversarial and typical input.

Run: ``.venv/bin/python bench/bench_clean.py``. Every case must finish in time roughly proportional to
its size (no catastrophic backtracking); the last row is the per-article throughput on a typical
3,000-character article with the usual mirror-site dirt.
"""

from __future__ import annotations

import random
import time

from opencc import OpenCC

from govnews.clean.article import clean_article
from govnews.items import Article

RNG = random.Random(20261122)
# GB2312 level-1 characters (rows 0xB0-0xD7): the 3,755 most common Simplified characters, so the
# typical article reads as Simplified text, as real articles do.
COMMON_HAN = [bytes((row, cell)).decode("gb2312") for row in range(0xB0, 0xD8) for cell in range(0xA1, 0xFF)
              if (row, cell) < (0xD7, 0xFA)]


def random_han(n: int) -> str:
    return "".join(RNG.choice(COMMON_HAN) for _ in range(n))


def paragraph_of_bytes(size: int) -> str:
    """One paragraph of Han sentences, ``size`` bytes in UTF-8."""
    sentence_chars = 29  # 29 Han + "，" or "。"
    n = size // 3 // (sentence_chars + 1)
    return "".join(random_han(sentence_chars) + ("，" if i % 3 else "。") for i in range(n))


def to_traditional(text: str) -> str:
    """The same text in Traditional script, as mirrors publish it (OpenCC s2t)."""
    return OpenCC("s2t").convert(text)


def typical_article() -> Article:
    paragraphs = [random_han(120) + "。" for _ in range(22)]
    paragraphs[3] = paragraphs[3][:10] + "(xīnwén)" + paragraphs[3][10:]
    head = ["当前位置：首页 > 新闻中心", "【字体：大 中 小】", "临汾市召开安全生产工作会议"]
    tail = ["▲会议现场", "(张三 李四)", "责任编辑:王五", "分享到：", "评论列表", "暂无评论,快抢沙发吧~"]
    body = ["临汾新闻网讯 (记者 张三) " + paragraphs[0], *paragraphs[1:], *paragraphs[5:7]]
    text = "\n".join([*head, *body, *tail])
    return Article(url="http://127.0.0.1/a.html", title="临汾市召开安全生产工作会议", text=text)


def cases() -> list[tuple[str, Article, int]]:
    def art(text: str) -> Article:
        return Article(url="http://127.0.0.1/a.html", title="标题", text=text)

    return [
        ("200,000 Han characters in one run", art(random_han(200_000)), 1),
        ("10,000 nested (", art("(" * 10_000 + "中文" + ")" * 10_000), 1),
        ("10,000 unbalanced ( after Han+pinyin", art("中(zhōng" * 10_000), 1),
        ("5 MB paragraph", art(paragraph_of_bytes(5_000_000)), 1),
        ("5 MB Traditional paragraph", art(to_traditional(paragraph_of_bytes(5_000_000))), 1),
        ("typical 3,000-char article", typical_article(), 200),
    ]


def main() -> None:
    clean_article(typical_article())  # load OpenCC / pypinyin tables outside the timings
    print(f"{'case':<40} {'chars':>10} {'runs':>5} {'s/article':>10} {'articles/s':>11}")
    for name, article, runs in cases():
        start = time.perf_counter()
        for _ in range(runs):
            clean_article(article)
        per = (time.perf_counter() - start) / runs
        print(f"{name:<40} {len(article.text):>10,} {runs:>5} {per:>10.4f} {1 / per:>11.1f}")


if __name__ == "__main__":
    main()
