"""DurableOutput and crash recovery: whole lines only, nothing lost, nothing written twice."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from govnews.state import ArticleState, StateStore, open_store
from govnews.state.output import DurableOutput, StateBinding
from govnews.state.recovery import recover


def _line(n: int) -> bytes:
    return (json.dumps({"id": f"{n:040x}", "title": f"标题{n}"}, ensure_ascii=False) + "\n").encode()


def _stage(store: StateStore, run: str, n: int) -> None:
    store.stage(run, ArticleState(id=f"{n:040x}", url=f"http://x/{n}", site="x", content_hash=f"{n:064x}"), None)


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_append_commits_each_line_once_it_is_on_disk(store: StateStore, tmp_path: Path) -> None:
    run = store.open_run("t").run
    out = tmp_path / "out.jsonl"
    with DurableOutput(out, "append", StateBinding(store, run)) as f:
        for n in (1, 2):
            _stage(store, run, n)
            f.write(_line(n)[:10])
            assert store.staged_ids(run) == [f"{n:040x}"]  # half a line: not exported yet
            f.write(_line(n)[10:])
            assert store.staged_ids(run) == []
    assert _ids(out) == [f"{1:040x}", f"{2:040x}"]
    assert store.outputs(run) == []


def test_append_commits_lines_in_groups_once_they_are_on_disk(store: StateStore, tmp_path: Path) -> None:
    """``sync_lines``: one fsync and one commit for a group of lines; ``sync()`` (the feed's timer) and
    closing commit what waits."""
    run = store.open_run("t").run
    out = tmp_path / "out.jsonl"
    with DurableOutput(out, "append", StateBinding(store, run), sync_lines=3) as f:
        for n in range(1, 8):
            _stage(store, run, n)
            f.write(_line(n))
            waiting = [f"{m:040x}" for m in range(1, n + 1) if m > n // 3 * 3]
            assert store.staged_ids(run) == waiting, n
        f.sync()
        assert store.staged_ids(run) == []
        _stage(store, run, 8)
        f.write(_line(8))
    assert store.staged_ids(run) == []
    assert _ids(out) == [f"{n:040x}" for n in range(1, 9)]


def test_replace_keeps_the_previous_file_until_the_new_one_is_complete(store: StateStore, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(_line(1))
    run = store.open_run("t").run
    f = DurableOutput(out, "replace", StateBinding(store, run), keep_previous=True)
    _stage(store, run, 2)
    f.write(_line(2))
    assert _ids(out) == [f"{1:040x}"] and store.staged_ids(run) == [f"{2:040x}"]
    f.close()
    assert _ids(out) == [f"{2:040x}"] and store.staged_ids(run) == []
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("out.") and p.name != "out.jsonl"]
    assert len(kept) == 1 and _ids(kept[0]) == [f"{1:040x}"]  # the previous run's articles are not lost


def test_an_exporter_fragment_without_newline_is_completed_on_close(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    with DurableOutput(out, "append") as f:
        f.write(_line(1)[:-1])
    assert out.read_bytes() == _line(1)


def test_appending_to_a_file_that_ends_in_half_a_line_cuts_the_half_first(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    out.write_bytes(_line(1) + _line(2)[:15])
    with DurableOutput(out, "append") as f:
        f.write(_line(3))
    assert _ids(out) == [f"{1:040x}", f"{3:040x}"]


def _crashed_run(config: dict[str, Any], tmp_path: Path, mode: str, written: int, staged: int,
                 close: bool) -> tuple[str, Path]:
    """A run that staged ``staged`` articles, wrote ``written`` lines without committing them, and died."""
    store = open_store(config)
    run = store.open_run("t").run
    out = tmp_path / f"{mode}.jsonl"
    binding = StateBinding(store, run)
    f = DurableOutput(out, mode, binding)
    binding.lines_written = lambda *args: None  # type: ignore[method-assign]  # died before each commit
    for n in range(1, staged + 1):
        _stage(store, run, n)
        if n <= written:
            f.write(_line(n))
    if mode == "append":
        f.write(_line(99)[:7])  # half a line stays in memory: DurableOutput writes whole lines only
        with out.open("ab") as raw:  # a short write (disk full, power cut) is what leaves half a line
            raw.write(_line(98)[:7])
    if close:  # the run got as far as renaming its -O file, then died
        binding.replaced = lambda *args: None  # type: ignore[method-assign]
        binding.closed = lambda *args: None  # type: ignore[method-assign]
        f.close()
    store.close()  # releases the run's lock like a dead process, without close_run
    return run, out


def test_recovery_commits_lines_that_reached_an_append_file_and_forgets_the_rest(store_config: dict[str, Any],
                                                                                 tmp_path: Path) -> None:
    config = store_config
    run, out = _crashed_run(config, tmp_path, "append", written=2, staged=3, close=False)
    store = open_store(config)
    report = recover(store)
    assert (report.runs, report.committed, report.discarded, report.truncated_bytes) == ([run], 2, 1, 7)
    assert store.get(f"{1:040x}") is not None and store.get(f"{3:040x}") is None
    assert out.read_bytes().endswith(b"\n") and len(_ids(out)) == 2
    assert recover(store).runs == []


def test_recovery_keeps_a_dead_runs_lines_in_a_file_a_live_run_also_writes(store_config: dict[str, Any],
                                                                            tmp_path: Path) -> None:
    """Defence in depth (review 4, #1): should two runs ever name one file, the live one's record must not
    hide the dead one's: its written lines are found and kept, not exported again. (That a tail another
    process is writing is never cut is tested with real processes in tests/test_output_lock.py.)"""
    dead, out = _crashed_run(store_config, tmp_path, "append", written=2, staged=3, close=False)
    live_store = open_store(store_config)
    live = live_store.open_run("t").run
    with DurableOutput(out, "append", StateBinding(live_store, live)) as live_file:
        _stage(live_store, live, 50)
        live_file.write(_line(50))
        report = recover(open_store(store_config))
        assert (report.runs, report.committed, report.discarded) == ([dead], 2, 1)
        assert [o.run for o in live_store.outputs(live)] == [live]
    assert live_store.get(f"{1:040x}") is not None and live_store.get(f"{2:040x}") is not None
    assert live_store.get(f"{3:040x}") is None


def test_recovery_of_an_unrenamed_replace_file_keeps_the_old_file(store_config: dict[str, Any], tmp_path: Path) -> None:
    config = store_config
    (tmp_path / "replace.jsonl").write_bytes(_line(50))
    _run, out = _crashed_run(config, tmp_path, "replace", written=2, staged=2, close=False)
    store = open_store(config)
    report = recover(store)
    assert (report.committed, report.discarded) == (0, 2)
    assert _ids(out) == [f"{50:040x}"] and not out.with_name("replace.jsonl.tmp").exists()


def test_recovery_after_the_rename_commits_the_new_file(store_config: dict[str, Any], tmp_path: Path) -> None:
    config = store_config
    _crashed_run(config, tmp_path, "replace", written=2, staged=2, close=True)
    store = open_store(config)
    report = recover(store)
    assert (report.committed, report.discarded) == (2, 0)
    assert store.get(f"{2:040x}") is not None


def test_replace_keeps_each_previous_file_with_its_summary_and_never_over_another(tmp_path: Path) -> None:
    """The kept previous file takes its summary with it (``govnews report`` reads it beside the file), and
    two kept files whose modification times fall in one second do not replace each other."""
    out = tmp_path / "out.jsonl"
    summary = tmp_path / "out.summary.json"
    for n in (1, 2, 3):
        if out.exists():
            os.utime(out, (1_700_000_000, 1_700_000_000))  # every previous file from the same second
        with DurableOutput(out, "replace", keep_previous=True) as f:
            f.write(_line(n))
        summary.write_text(json.dumps({"run": n}), encoding="utf-8")  # what the crawl writes after closing
    kept = sorted(tmp_path.glob("out.*.jsonl"), key=lambda p: (len(p.name), p.name))
    assert [_ids(p) for p in kept] == [[f"{1:040x}"], [f"{2:040x}"]] and _ids(out) == [f"{3:040x}"]
    assert kept[1].name == kept[0].name.replace(".jsonl", "-2.jsonl")
    for n, path in enumerate(kept, start=1):
        assert json.loads(path.with_name(path.stem + ".summary.json").read_text(encoding="utf-8")) == {"run": n}
    assert json.loads(summary.read_text(encoding="utf-8")) == {"run": 3}
