"""Time the pinyin, script and garble steps on adversarial inputs (linear time is the requirement).

Run: ``.venv/bin/python bench/bench_pinyin_script_garble.py``. Prints seconds per step and input,
then ``to_simplified`` on Traditional text with OpenCC's own converter (before) and with
``opencc_t2s`` (after), then the garble and gloss steps on the acceptance review's inputs, before
(the modules as of BASELINE_COMMIT, read with ``git show``) and after. Reads the shared corpus when
present; no network, no files written.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from opencc import OpenCC

from govnews.clean import script
from govnews.clean.base import StepResult
from govnews.clean.garble import garbled_ratio, repair_gbk_garble
from govnews.clean.pinyin import strip_pinyin_glosses, strip_ruby_text
from govnews.clean.script import HANT, detect_script, to_simplified

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"
SENTENCES = Path(__file__).resolve().parents[1] / "tests" / "clean" / "data" / "clean_sentences.txt"

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


def typical_article(size: int = 3_000) -> str:
    """The first corpus article body of at least ``size`` characters, cut to ``size``.

    Without the corpus, the repo's clean test sentences repeated to ``size``.
    """
    labels = CORPUS / "labels.jsonl"
    if labels.is_file():
        from parsel import Selector

        from govnews.encoding import decode_html

        for line in labels.read_text(encoding="utf-8").splitlines():
            label = json.loads(line)
            html = decode_html((CORPUS / "pages" / label["file"]).read_bytes()).text
            body = "".join(Selector(text=html).xpath(f"({label['body_xpath']})//text()").getall())
            if len(body) >= size:
                return body[:size]
    text = SENTENCES.read_text(encoding="utf-8").replace("\n", "")
    return (text * (size // len(text) + 1))[:size]


BASELINE_COMMIT = "a672982"  # before the garble and gloss scans were made fast
REPO = Path(__file__).resolve().parents[1]


def simplified_paragraph(size: int, parentheticals: bool) -> str:
    """Realistic Simplified text with no garble: the repo's clean sentences in random order,
    optionally with ``(GDP)``/``(镇)``-style parentheticals (not glosses) inside sentences."""
    rng = random.Random(5)
    sentences = [s for s in SENTENCES.read_text(encoding="utf-8").splitlines() if s]
    extras = ["(GDP)", "(镇)", "(试行)", "(2023年)", "(CPI)", "（以下简称“办法”）"]
    out: list[str] = []
    total = 0
    while total < size:
        sentence = rng.choice(sentences)
        if parentheticals and rng.random() < 0.3:
            half = len(sentence) // 2
            sentence = sentence[:half] + rng.choice(extras) + sentence[half:]
        out.append(sentence)
        total += len(sentence.encode("utf-8"))
    return "".join(out)


def _repeat_to(piece: str, size: int) -> str:
    """``piece`` repeated to ``size`` bytes of UTF-8."""
    return piece * (size // len(piece.encode("utf-8")))


REVIEW_INPUTS: dict[str, str] = {
    "6.8 MB 罪人?！睍r任": _repeat_to("罪人?！睍r任", 6_800_000),
    "5 MB 網(wǎng)絡(luò)": _repeat_to("網(wǎng)絡(luò)", 5_000_000),
    "5 MB Simplified (GDP)/(镇)": simplified_paragraph(5_000_000, parentheticals=True),
    "5 MB Simplified, no garble": simplified_paragraph(5_000_000, parentheticals=False),
}


def _baseline_module(path: str) -> types.ModuleType | None:
    """``path`` as it was at BASELINE_COMMIT, or None without git or that commit."""
    try:
        source = subprocess.run(["git", "-C", str(REPO), "show", f"{BASELINE_COMMIT}:{path}"],
                                capture_output=True, check=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    module = types.ModuleType(f"baseline_{Path(path).stem}")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, path, "exec"), module.__dict__)  # our own file, from our own history
    return module


def _timed(step: Callable[[str], object], text: str) -> tuple[float, object]:
    start = time.perf_counter()
    result = step(text)
    return time.perf_counter() - start, result


def bench_review_inputs() -> None:
    """repair_gbk_garble, garbled_ratio and strip_pinyin_glosses before and after on the review's inputs."""
    garble_before = _baseline_module("govnews/clean/garble.py")
    pinyin_before = _baseline_module("govnews/clean/pinyin.py")
    steps = {"repair_gbk_garble": (garble_before, repair_gbk_garble), "garbled_ratio": (garble_before, garbled_ratio),
             "strip_pinyin_glosses": (pinyin_before, strip_pinyin_glosses)}
    print(f"\n{'step on input':<50}{'bytes':>10}{'before':>10}{'after':>10}  same result")
    for label, text in REVIEW_INPUTS.items():
        for name, (old_module, step) in steps.items():
            after_s, after = _timed(step, text)
            if old_module is None:
                print(f"{name + ' on ' + label:<50}{len(text.encode()):>10}{'n/a':>10}{after_s:>9.3f}s")
                continue
            old_step = getattr(old_module, name)
            old_step("新闻(xīnwén)?！睍r")  # load its tables before timing
            before_s, before = _timed(old_step, text)
            same = before == after if isinstance(after, float) else _same_step_result(before, after)  # type: ignore[arg-type]
            print(f"{name + ' on ' + label:<50}{len(text.encode()):>10}{before_s:>9.3f}s{after_s:>9.3f}s  {same}")


def _same_step_result(before: StepResult, after: StepResult) -> bool:
    """Same text and the same total count (runs left holding U+FFFD are now counted apart)."""
    return before.text == after.text and before.changed == after.changed


def bench_traditional() -> None:
    """to_simplified on Traditional text: OpenCC's pure-Python converter vs opencc_t2s."""
    s2t = OpenCC("s2t")
    inputs = {
        "5 MB Traditional paragraph": INPUTS["5 MB Traditional paragraph"],
        "200k Traditional Han": s2t.convert(han_run(200_000)),
        "3,000-char article": s2t.convert(typical_article()),
    }
    print(f"\n{'to_simplified on':<28}{'chars':>10}{'before (OpenCC)':>18}{'after':>10}  same output")
    for label, text in inputs.items():
        assert detect_script(text) == HANT, label
        with mock.patch.object(script, "opencc_t2s", OpenCC("t2s").convert):
            start = time.perf_counter()
            before = to_simplified(text)
            before_s = time.perf_counter() - start
        start = time.perf_counter()
        after = to_simplified(text)
        after_s = time.perf_counter() - start
        print(f"{label:<28}{len(text):>10}{before_s:>17.3f}s{after_s:>9.3f}s  {before == after}")


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
    bench_traditional()
    bench_review_inputs()


if __name__ == "__main__":
    main()
