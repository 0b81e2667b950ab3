"""Scheduling with Scrapyd, for real: a ``scrapyd`` server on 127.0.0.1, ``scrapyd-deploy`` from a fresh
copy of the repository (its tracked files only) to the documented ``local`` target, then scheduled
jobs with settings passed as ``setting=NAME=VALUE``. The second job of the same spider exports nothing
new: the state store carries over between scheduled runs.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import REPO

BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(not (BIN / "scrapyd").exists() or not (BIN / "scrapyd-deploy").exists(),
                                reason="scrapyd / scrapyd-client not installed (pip install -e '.[scrapyd]')")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _call(base: str, endpoint: str, data: list[tuple[str, str]] | None = None) -> dict:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    with urllib.request.urlopen(f"{base}/{endpoint}", data=body, timeout=30) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("scrapyd")
    port = _free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = {home}/eggs\nlogs_dir = {home}/logs\ndbs_dir = {home}/dbs\n"
        "items_dir =\njobs_to_keep = 5\nmax_proc = 2\npoll_interval = 0.5\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    log = (home / "scrapyd.out").open("wb")
    proc = subprocess.Popen([str(BIN / "scrapyd")], cwd=home, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                assert _call(base, "daemonstatus.json")["status"] == "ok"
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError((home / "scrapyd.out").read_text(errors="replace")) from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository as a fresh clone has it: tracked files only (no .venv, data/, build/)."""
    clone = tmp_path_factory.mktemp("clone")
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = REPO / name
        if source.is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, clone / name)
    return clone


def test_the_egg_ships_data_files_and_no_tests(fresh_clone: Path, tmp_path: Path) -> None:
    egg = tmp_path / "govnews.egg"
    subprocess.run([str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)], cwd=fresh_clone, check=True,
                   capture_output=True)
    names = zipfile.ZipFile(egg).namelist()
    assert not [n for n in names if n.startswith("tests/")]
    assert "govnews/demo/site/index.html" in names and "govnews/schema/article.schema.json" in names
    assert "settings = govnews.settings" in zipfile.ZipFile(egg).read("EGG-INFO/entry_points.txt").decode()


def test_deploy_and_scheduled_incremental_jobs(scrapyd: str, fresh_clone: Path, tmp_path: Path) -> None:
    cfg = fresh_clone / "scrapy.cfg"
    text = cfg.read_text(encoding="utf-8")
    assert "[deploy:local]\nurl = http://127.0.0.1:6800/" in text  # the documented target ...
    cfg.write_text(text.replace("http://127.0.0.1:6800/", scrapyd + "/"), encoding="utf-8")  # ... on our port
    deploy = subprocess.run([str(BIN / "scrapyd-deploy"), "local", "-p", "govnews", "--version", "1"],
                            cwd=fresh_clone, capture_output=True, text=True, timeout=180)
    assert deploy.returncode == 0 and '"status": "ok"' in deploy.stdout + deploy.stderr, deploy.stderr
    assert "sample" in _call(scrapyd, "listspiders.json?project=govnews")["spiders"]

    outputs = []
    for run in (1, 2):
        out = tmp_path / f"run{run}.jsonl"
        job = _call(scrapyd, "schedule.json", [
            ("project", "govnews"), ("spider", "sample"),
            ("setting", f"GOVNEWS_STATE_PATH={tmp_path / 'state.sqlite'}"),
            ("setting", f"GOVNEWS_DEFAULT_FEED={out}")])["jobid"]
        deadline = time.monotonic() + 120
        while not any(j["id"] == job for j in _call(scrapyd, "listjobs.json?project=govnews")["finished"]):
            assert time.monotonic() < deadline, "the scheduled job did not finish"
            time.sleep(0.5)
        outputs.append(out)
    first = [json.loads(line) for line in outputs[0].read_text(encoding="utf-8").splitlines()]
    assert len(first) == 13 and all(a["version"] == 1 for a in first)
    assert all(a["canonical_url"].startswith("file:articles/") for a in first)  # no egg or temp path in ids
    assert outputs[1].read_text(encoding="utf-8") == ""  # nothing new the second time
    summary = json.loads(outputs[1].with_name("run2.summary.json").read_text(encoding="utf-8"))
    # the 13 known article links were not even fetched; the one page dropped as empty_text is looked at again
    assert summary["sites"]["local"]["articles"]["skipped_known"] == 13 and summary["finish_reason"] == "finished"
