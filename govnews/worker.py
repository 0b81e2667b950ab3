"""A worker process of the crawl's pool (``govnews.workers``): ``python -m govnews.worker``.

Reads jobs from stdin and writes results to what was stdout, one frame each: a 4-byte big-endian length,
then a pickle. A job is ``(task id, function name, arguments)``; a result is ``(task id, True, value)`` or
``(task id, False, (exception type, message, traceback))`` when the function raised: a Python error costs
one job, never the worker. Anything the libraries print goes to stderr (fd 1 is pointed there), so it
cannot corrupt a frame. The worker ignores SIGINT and SIGTERM, which a terminal or a service manager sends
to the whole process group: the crawl decides when its workers stop (it closes their stdin), and when the
crawl dies they read end-of-file and exit. Nothing here imports Scrapy.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import IO, Any

#: Functions a job may name (module:function), imported when the worker starts.
FUNCTIONS = {"process_page": "govnews.pages:process_page"}
_HEADER = 4


def frame(obj: Any) -> bytes:
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    return len(data).to_bytes(_HEADER, "big") + data


def _read_exactly(stream: IO[bytes], size: int) -> bytes | None:
    data = stream.read(size)
    return data if data is not None and len(data) == size else None


def _load(spec: str) -> Callable[..., Any]:
    module, _, name = spec.partition(":")
    return getattr(__import__(module, fromlist=[name]), name)


def serve(jobs: IO[bytes], results: IO[bytes]) -> None:
    functions = {name: _load(spec) for name, spec in FUNCTIONS.items()}
    while True:
        header = _read_exactly(jobs, _HEADER)
        if header is None:
            return  # the crawl closed the pipe (or died): nothing more to do
        payload = _read_exactly(jobs, int.from_bytes(header, "big"))
        if payload is None:
            return
        task, name, args = pickle.loads(payload)
        try:
            reply = (task, True, functions[name](*args))
        except Exception as exc:
            reply = (task, False, (exc.__class__.__name__, str(exc)[:1000], traceback.format_exc()))
        results.write(frame(reply))
        results.flush()


def main() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    results = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    serve(sys.stdin.buffer, results)


if __name__ == "__main__":
    main()
