"""Two crawls given the same ``-O FILE`` (or ``-o FILE``): the second refuses to start (one line, exit 2)
and the first keeps every article. Without the lock both wrote ``FILE.tmp``, and one crawl's articles
vanished from disk while its state store counted them as exported; two appenders interleaved their lines,
and one run's repair of a partial last line could cut a line the other was writing. Real crawls against a
server on 127.0.0.1; the lock against a live appender is also tested with a real second process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.sitegen import serve_site, write_site
from tests.support import REPO, serve_with


class _HeldHandler(SimpleHTTPRequestHandler):
    """Serves the site, but holds every article until ``release`` is set: the first crawl is surely
    still running while the second one starts."""

    release = threading.Event()
    asked: list[str] = []  # noqa: RUF012 (replaced per server)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.asked.append(self.path)
        if "/202403/" in self.path:
            self.release.wait(60)
        super().do_GET()


@pytest.mark.parametrize(("flag", "second_flag"), [("-O", "-O"), ("-o", "-o"), ("-o", "-O"), ("-O", "-o")])
def test_a_second_crawl_into_the_same_output_file_refuses_to_start(tmp_path: Path, flag: str,
                                                                   second_flag: str) -> None:
    write_site(tmp_path / "site", 30)
    out = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    release = threading.Event()
    asked: list[str] = []
    handler = type("Handler", (_HeldHandler,), {"release": release, "asked": asked})
    with serve_with(tmp_path / "site", handler) as base:
        first = subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "klx", flag, str(out), "-s", f"GOVNEWS_MIRROR={base}/",
             "-s", f"GOVNEWS_STATE_PATH={tmp_path / 'one.sqlite'}", "-s", "LOG_LEVEL=WARNING"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not any("/202403/" in path for path in asked) and time.monotonic() < deadline:
                time.sleep(0.05)  # until the first crawl is fetching articles (held by the server)
            with serve_site(tmp_path / "site") as (other, _):  # the second crawl's pages are not held
                second = subprocess.run(
                    [sys.executable, "-m", "scrapy", "crawl", "klx", second_flag, str(out), "-s",
                     f"GOVNEWS_MIRROR={other}/", "-s", f"GOVNEWS_STATE_PATH={tmp_path / 'two.sqlite'}"],
                    cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
        finally:
            release.set()
        _, err = first.communicate(timeout=120)
    assert first.poll() is not None and first.returncode == 0, err.decode()[-2000:]
    assert second.returncode == 2
    assert second.stderr.strip().splitlines() == ([
        f"error: {out} is being written by another crawl (its out.jsonl.tmp is locked); wait for it to end, "
        f"or give this crawl another {second_flag} file"] if flag == "-O" else [
        f"error: {out} is being appended to by another crawl (it holds the file's lock); wait for it to end, "
        f"or give this crawl another {second_flag} file"])
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 30 and len({item["id"] for item in lines}) == 30
    assert not (tmp_path / "out.jsonl.tmp").exists()


_APPENDER = """
import sys, time
from pathlib import Path
from govnews.state.output import DurableOutput
out = DurableOutput(Path(sys.argv[1]), "append")
out.write(b'{"id": "%040x"}\\n' % 1)
out.write(b'{"id": "%040x", "title": "half' % 2)  # a line not finished yet: its newline is still to come
import os; os.write(out.fd, out.buffer); out.buffer = b""  # on disk, as a long line is mid-write
print("ready", flush=True)
time.sleep(120)
"""


def test_a_live_appenders_half_written_line_is_never_cut_by_another_runs_repair(tmp_path: Path) -> None:
    """A run that died appending to FILE is repaired by the next run to open its state store; if another
    live run appends to FILE meanwhile, its last line may be half written (a long line, a slow disk): that
    is not a dead run's partial line, and cutting it would leave the live run writing past a hole."""
    from govnews.state import open_store
    from govnews.state.filelock import OutputLocked
    from govnews.state.output import DurableOutput, StateBinding
    from govnews.state.recovery import recover

    out = tmp_path / "out.jsonl"
    config = {"type": "sqlite", "path": str(tmp_path / "state.sqlite")}
    dead = subprocess.run([sys.executable, "-c", (
        "import sys, os\n"
        "from govnews.state import open_store, ArticleState\n"
        "from govnews.state.output import DurableOutput, StateBinding\n"
        f"store = open_store({config!r}); run = store.open_run('t').run\n"
        "store.stage(run, ArticleState(id='%040x' % 9, url='http://x/9', site='x', content_hash='%064x' % 9), None)\n"
        f"f = DurableOutput({str(out)!r}, 'append', StateBinding(store, run))\n"
        "os.write(f.fd, b'{\"id\": \"%040x\"}\\n' % 9)\n"
        "os._exit(0)  # dies without closing: its run and its output are left to recovery\n")],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
    assert dead.returncode == 0
    live = subprocess.Popen([sys.executable, "-c", _APPENDER, str(out)], cwd=REPO,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE, text=True)
    try:
        assert live.stdout is not None and live.stdout.readline().strip() == "ready"
        before = out.read_bytes()
        assert before.endswith(b'"title": "half')
        with open_store(config) as store:
            report = recover(store)  # the dead run's line is found and kept; the live run's tail is left
            assert report.committed == 1 and report.truncated_bytes == 0
            assert store.get(f"{9:040x}") is not None
        assert out.read_bytes() == before
        with pytest.raises(OutputLocked):  # and no other run appends to it meanwhile
            DurableOutput(out, "append")
    finally:
        live.kill()
        live.wait()
    with DurableOutput(out, "append", StateBinding(open_store(config), "r2")) as f:  # the writer is dead now:
        f.write(b'{"id": "%040x"}\n' % 3)  # its half line is cut before appending
    assert [json.loads(line)["id"][-1] for line in out.read_text(encoding="utf-8").splitlines()] == ["9", "1", "3"]


def test_runs_started_in_the_same_second_get_a_default_output_file_each(tmp_path: Path) -> None:
    """The default feed is data/<spider>/<start time>.jsonl, to the second. Two runs started in one second
    (a loop over sites that find nothing new, overlapping cron jobs) wrote one file and one summary. Here
    the file of every second of the next minutes already exists (another run's, which must stay as it
    is), and two real crawls start at once: each writes a file of its own, with its own summary."""
    from datetime import UTC, datetime, timedelta

    write_site(tmp_path / "site", 4)
    feed = tmp_path / "feed" / "klx"
    feed.mkdir(parents=True)
    now = datetime.now(UTC).replace(microsecond=0)
    taken = {}
    for second in range(-5, 300):
        name = (now + timedelta(seconds=second)).isoformat().replace(":", "-") + ".jsonl"
        taken[name] = b'{"id": "another run"}\n'
        (feed / name).write_bytes(taken[name])
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    with serve_site(tmp_path / "site") as (base, _):
        runs = [subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "klx", "-s", f"GOVNEWS_MIRROR={base}/", "-s",
             "GOVNEWS_STATE_PATH=", "-s", f"GOVNEWS_DEFAULT_FEED={tmp_path}/feed/%(name)s/%(time)s.jsonl"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        logs = [run.communicate(timeout=180)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], logs[0][-2000:] + logs[1][-2000:]
    assert all((feed / name).read_bytes() == content for name, content in taken.items())
    new = sorted(path for path in feed.glob("*.jsonl") if path.name not in taken)
    assert len(new) == 2 and all(path.name.endswith(("-2.jsonl", "-3.jsonl")) for path in new)
    for path in new:  # each run's four articles, once, in its own file, named in its log, with its summary
        assert len([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]) == 4
        assert sum(f"output: {path}" in log for log in logs) == 1
        summary = json.loads(path.with_name(path.stem + ".summary.json").read_text(encoding="utf-8"))
        assert summary["totals"]["exported"] == 4


def test_an_output_file_that_cannot_be_written_is_one_line_before_anything_is_fetched(tmp_path: Path) -> None:
    (tmp_path / "out.jsonl").mkdir()  # a folder where the file should be
    env = {**os.environ, "PYTHONPATH": str(REPO), "SCRAPY_SETTINGS_MODULE": "govnews.settings"}
    result = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "sample", "-o", str(tmp_path / "out.jsonl"),
                             "-s", "GOVNEWS_STATE_PATH="], cwd=REPO, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [f"error: cannot write {tmp_path / 'out.jsonl'}: Is a directory"]
