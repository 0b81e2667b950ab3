"""How often the GBK garble repair writes a character that was not there, on real sentences.

A lost lead byte is simulated the way a broken pipeline makes it (``tests/clean/test_garble.py``): the lead byte
of one double-byte character becomes ``?`` and the bytes are decoded again, by one of three decoders (Python's
``errors="replace"``; ``A``: an invalid pair becomes ``?`` and both its bytes go; ``B``: only its first byte goes).
Every repaired sentence is compared with the original:

* ``marks``: where the repair put a punctuation mark in place of the lost character, whether it was that mark
  (the precision of the mark guess, per mark);
* ``introduced_wrong``: repairs that hold a character neither in the original nor U+FFFD (anywhere in the run);
* ``exact``, ``marked`` (the original with some characters U+FFFD), ``untouched``, ``other``.

Usage::

    .venv/bin/python bench/garble_marks.py [--per-sentence N] [--seed S] [FILE ...]

With no FILE, the real sentences of ``tests/realtext`` (laws, documents, the review's sentences) and
``tests/clean/data/clean_sentences.txt`` are used, in Simplified and in Traditional script.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from govnews.clean.garble import REPLACEMENT, repair_gbk_garble  # noqa: E402

_SENTENCE = re.compile(r"[^\n]{6,300}(?![^\n])")  # a paragraph (line) of at most 300 characters


def decode(data: bytes, variant: str) -> str:
    """GBK decoding by a careless pipeline: ``replace`` is Python's; ``A``/``B`` write ``?`` for an invalid pair
    and drop both of its bytes (A) or only the first (B)."""
    if variant == "replace":
        return data.decode("gbk", errors="replace")
    out, i = [], 0
    while i < len(data):
        byte = data[i]
        if byte < 0x80:
            out.append(chr(byte))
            i += 1
            continue
        if i + 1 < len(data):
            try:
                char = data[i:i + 2].decode("gbk")
            except UnicodeDecodeError:
                char = ""
            if len(char) == 1:
                out.append(char)
                i += 2
                continue
        out.append("?")
        i += 2 if variant == "A" else 1
    return "".join(out)


def lose_lead(sentence: str, index: int, variant: str) -> str:
    data = sentence.encode("gbk")
    offset = len(sentence[:index].encode("gbk"))
    return decode(data[:offset] + b"?" + data[offset + 1:], variant)


def real_sentences() -> list[str]:
    """Paragraphs of the real texts kept in tests/ (laws, notices, the review's cases), up to 300 characters."""
    texts: list[str] = []
    realtext = REPO / "tests" / "realtext"
    for path in sorted((realtext / "legit" / "laws").glob("*.md")):
        texts.append(path.read_text(encoding="utf-8"))
    for line in (realtext / "legit" / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        texts.extend(json.loads(line)["paragraphs"])
    for name in ("sim_sentences.txt",):
        if (realtext / name).exists():
            texts.append((realtext / name).read_text(encoding="utf-8"))
    texts.append((REPO / "tests" / "clean" / "data" / "clean_sentences.txt").read_text(encoding="utf-8"))
    sentences = []
    for text in texts:
        for match in _SENTENCE.finditer(text):
            sentence = match.group().strip()
            try:
                sentence.encode("gbk")
            except UnicodeEncodeError:
                continue
            if sum(len(c.encode("gbk")) == 2 for c in sentence) >= 6 and "?" not in sentence:
                sentences.append(sentence)
    return sentences


def _matches_with_holes(repaired: str, original: str) -> bool:
    """``original`` read as ``repaired`` where each U+FFFD stands for 0 to 3 characters (linear in practice)."""
    reachable = {0}
    for char in repaired:
        if char == REPLACEMENT:
            reachable = {i + k for i in reachable for k in range(4) if i + k <= len(original)}
        else:
            reachable = {i + 1 for i in reachable if i < len(original) and original[i] == char}
        if not reachable:
            return False
    return len(original) in reachable


def classify(original: str, garbled: str, repaired: str) -> str:
    if repaired == original:
        return "exact"
    if repaired == garbled:
        return "untouched"
    if len(repaired) == len(original) and all(r in (o, REPLACEMENT) for r, o in zip(repaired, original, strict=True)):
        return "marked"
    if _matches_with_holes(repaired, original):
        return "marked"
    if any(c not in original and c not in garbled and c != REPLACEMENT for c in repaired):
        return "introduced_wrong"
    return "other"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--per-sentence", type=int, default=5, help="lost characters per sentence, at random positions")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from opencc import OpenCC

    sentences = [line.strip() for f in args.files for line in f.read_text(encoding="utf-8").splitlines()
                 if line.strip()] if args.files else real_sentences()
    s2t = OpenCC("s2t")
    variants = []
    for sentence in sentences:
        variants.append(sentence)
        traditional = s2t.convert(sentence)
        try:
            traditional.encode("gbk")
        except UnicodeEncodeError:
            continue
        if traditional != sentence:
            variants.append(traditional)
    rng = random.Random(args.seed)
    outcomes: Counter[tuple[str, str]] = Counter()
    marks: Counter[tuple[str, str]] = Counter()  # (mark guessed, right/wrong)
    examples: list[str] = []
    for sentence in variants:
        positions = [i for i, c in enumerate(sentence[:-1]) if len(c.encode("gbk")) == 2]
        for index in sorted(rng.sample(positions, min(args.per_sentence, len(positions)))):
            for variant in ("replace", "A", "B"):
                garbled = lose_lead(sentence, index, variant)
                repaired = repair_gbk_garble(garbled).text
                kind = classify(sentence, garbled, repaired)
                outcomes[(variant, kind)] += 1
                if kind == "introduced_wrong" and len(examples) < 12:
                    window = slice(max(0, index - 5), index + 8)
                    examples.append(f"{sentence[window]} | {repaired[window]}")
                got = repaired[index] if len(repaired) > index and repaired[:index] == sentence[:index] else ""
                if got and got != REPLACEMENT and got != "?" and not "\u4e00" <= got <= "\u9fff" \
                        and got not in garbled[index:index + 1]:
                    marks[(got, "right" if got == sentence[index] else "wrong")] += 1
    total = sum(outcomes.values())
    print(f"sentences: {len(variants)} (Simplified and Traditional); garbles: {total}")
    for variant in ("replace", "A", "B"):
        row = {kind: n for (v, kind), n in sorted(outcomes.items()) if v == variant}
        n = sum(row.values())
        wrong = row.get("introduced_wrong", 0)
        print(f"decoder {variant:7s}: {n} garbles, introduced_wrong {wrong} ({wrong / max(n, 1):.2%}); {row}")
    wrong = sum(n for (_, kind), n in outcomes.items() if kind == "introduced_wrong")
    print(f"all decoders: introduced_wrong {wrong}/{total} ({wrong / max(total, 1):.2%})")
    guessed = sum(marks.values())
    right = sum(n for (_, verdict), n in marks.items() if verdict == "right")
    print(f"marks guessed for the lost character: {guessed}, right {right}"
          f" (precision {right / guessed:.1%})" if guessed else "marks guessed for the lost character: 0")
    for mark in sorted({m for m, _ in marks}):
        print(f"  {mark}: right {marks[(mark, 'right')]}, wrong {marks[(mark, 'wrong')]}")
    for example in examples:
        print("  wrong:", example)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
