"""Project-level promises: CI runs the README's test command; the code is ruff-clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from tests.support import REPO


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert block, "README must open with a bash block of two commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_two_commands_and_ci_runs_the_second() -> None:
    commands = readme_commands()
    assert len(commands) == 2
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff") or str(REPO / ".venv" / "bin" / "ruff")
    if not shutil.which(ruff):
        pytest.skip("ruff not installed (pip install -e '.[test]')")
    proc = subprocess.run([ruff, "check", "."], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_no_scrapy_in_the_library() -> None:
    """govnews/extract, govnews/clean and the pure modules must stay usable without Scrapy."""
    code = ("import sys, govnews.extract, govnews.clean, govnews.encoding, govnews.urls, govnews.schema, "
            "govnews.state, govnews.state.sqlite, govnews.state.redis, govnews.fleet.control, govnews.state.judge, "
            "govnews.state.output, govnews.state.recovery, "
            "govnews.report.summary, govnews.report.dataset, govnews.report.html, govnews.dataset, govnews.cli; "
            "sys.exit(int(any(m == 'scrapy' or m.startswith('scrapy.') for m in sys.modules)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr or "scrapy was imported by the library"
