"""What two processes add on this machine when they only compute: pure-Python work (regex and hashing over a
short string, a working set that fits a core's cache), one process, then two at once, three rounds.

Run: ``.venv/bin/python bench/cpu_scaling.py [units]``. The peer of the crawl benches' two-process figures:
if two of these reach about 2x of one while two crawl processes do not, the difference is the crawl's
own (its memory traffic), not the scheduler or another tenant.
"""

from __future__ import annotations

import multiprocessing as mp
import re
import sys
import time

TEXT = "县乡镇村委会议工作发展建设推进落实要求强调部署安排开展" * 200


def work(n: int) -> float:
    started, total = time.perf_counter(), 0
    for i in range(n):
        total += len(re.findall("工作", TEXT)) + hash(TEXT[i % 50:i % 50 + 30])
    return time.perf_counter() - started


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    for r in range(3):
        one = work(n)
        with mp.Pool(2) as pool:
            started = time.perf_counter()
            pool.map(work, [n, n])
            two = time.perf_counter() - started
        print(f"round {r + 1}: one process {n / one:,.0f} units/s; two at once {2 * n / two:,.0f} units/s "
              f"= {one * 2 / two:.2f}x of one")


if __name__ == "__main__":
    main()
