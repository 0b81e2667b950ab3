"""Time the pinyin, script and garble steps on adversarial inputs (linear time is the requirement).

Run: ``.venv/bin/python bench/bench_pinyin_script_garble.py``. Prints seconds per step and input;
no network, no files written.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from opencc import OpenCC

from govnews.clean.base import StepResult
from govnews.clean.garble import garbled_ratio, repair_gbk_garble
from govnews.clean.pinyin import strip_pinyin_glosses, strip_ruby_text
from govnews.clean.script import to_simplified

# GB2312 level 1: the 3,755 common characters (leads 0xB0-0xD7), minus the five empty cells.
COMMON = "".join(
    bytes((lead, trail)).decode("gbk", "ignore") for lead in range(0xB0, 0xD8) for trail in range(0xA1, 0xFF)
)


def han_run(n: int) -> str:
    rng = random.Random(1)
    return "".join(rng.choice(COMMON) for _ in range(n))


def mixed_paragraph(size: int) -> str:
    """Han text with Latin, digits, real parentheticals, glosses, ruby, Traditional and ``?``."""
    rng = random.Random(2)
    pieces = [han_run(40), "新闻(xīnwén)", "(GDP)", "2023年", "國務院辦公廳", "<ruby>康<rt>kāng</rt></ruby>",
              "是吗?我们", "罪人?！睍r任", "ISO9001", "(晋政发〔2023〕5号)", "Kelan (Kelan)", " ", "，", "。"]
    out: list[str] = []
    total = 0
    while total < size:
        piece = rng.choice(pieces)
        out.append(piece)
        total += len(piece.encode("utf-8"))
    return "".join(out)


INPUTS: dict[str, str] = {
    "200k Han": han_run(200_000),
    "10k nested (": "(" * 10_000 + "中" + ")" * 10_000,
    "10k unbalanced (/)": "".join(random.Random(3).choice("()（）中a") for _ in range(20_000)) + "(" * 10_000,
    "10k '中(zhong' unclosed": "中(zhong" * 10_000,
    "10k '?中'": "?中" * 10_000,
    "? + 200k Han": "?" + han_run(200_000),
    "100k glosses 中(zhōng)": "中(zhōng)" * 100_000,
    "10k '?' then 睍": "?" * 10_000 + "睍",
    "5 MB mixed paragraph": mixed_paragraph(5_000_000),
    "5 MB Traditional paragraph": OpenCC("s2t").convert(mixed_paragraph(5_000_000)),
}

STEPS: dict[str, Callable[[str], object]] = {
    "strip_pinyin_glosses": strip_pinyin_glosses,
    "strip_ruby_text": strip_ruby_text,
    "to_simplified": to_simplified,
    "repair_gbk_garble": repair_gbk_garble,
    "garbled_ratio": garbled_ratio,
}


def main() -> None:
    for step in STEPS.values():  # load dictionaries before timing
        step("新闻(xīnwén)?！睍r")
    print(f"{'input':<26}{'chars':>10}  " + "".join(f"{name:>22}" for name in STEPS))
    for label, text in INPUTS.items():
        timings = []
        for step in STEPS.values():
            start = time.perf_counter()
            result = step(text)
            timings.append(time.perf_counter() - start)
            assert isinstance(result, StepResult | float)
        print(f"{label:<26}{len(text):>10}  " + "".join(f"{t:>21.3f}s" for t in timings))


if __name__ == "__main__":
    main()
