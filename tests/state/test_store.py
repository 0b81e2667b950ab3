"""The StateStore contract, run against every backend (tests/state/conftest.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from govnews.state import ArticleState, Output, StateStore, open_store
from govnews.state.neardup import fingerprint

BODY = "忻州市召开全市春季植树造林动员会，会议强调各地要扎实推进国土绿化工作，确保完成年度目标任务。" * 3


def _state(n: int, **changes: object) -> ArticleState:
    values: dict[str, object] = {"id": f"{n:040x}", "url": f"http://x.gov.cn/{n}.html", "site": "x",
                                 "content_hash": f"{n:064x}", "title": f"标题{n}", "first_seen": float(n)}
    values.update(changes)
    return ArticleState(**values)  # type: ignore[arg-type]


def test_staged_rows_answer_lookups_and_commit_makes_them_permanent(store_factory: Callable[[], StateStore]) -> None:
    store = store_factory()
    run = store.open_run("test").run
    store.stage(run, _state(1), None)
    assert store.get(_state(1).id).content_hash == _state(1).content_hash
    assert store.staged_ids(run) == [_state(1).id]
    assert store.commit(run, [_state(1).id]) == 1
    assert store.staged_ids(run) == []
    assert store_factory().get(_state(1).id) is not None  # seen by another connection
    assert store.counts()["articles"] == 1


def test_discard_forgets_staged_rows_and_the_reposts_judged_against_them(store: StateStore) -> None:
    run = store.open_run("test").run
    store.stage(run, _state(1), None)
    store.stage(run, _state(2, duplicate_of=_state(1).id, exported=False), None)
    store.commit(run, [_state(2).id])  # a repost is remembered at once (not written anywhere)
    assert store.discard(run) == 1
    assert store.get(_state(1).id) is None
    assert store.get(_state(2).id) is None  # its original never reached disk: judge it again next time


def test_a_new_version_replaces_the_old_one_only_when_committed(store: StateStore) -> None:
    run = store.open_run("test").run
    store.stage(run, _state(1), None)
    store.commit(run, [_state(1).id])
    run2 = store.open_run("test").run
    store.stage(run2, _state(1, content_hash="f" * 64, version=2), None)
    assert store.get(_state(1).id).version == 2
    store.discard(run2)
    assert store.get(_state(1).id).version == 1


def test_find_content_returns_originals_of_other_ids(store: StateStore) -> None:
    run = store.open_run("test").run
    store.stage(run, _state(1, content_hash="a" * 64), None)
    store.commit(run, [_state(1).id])
    store.stage(run, _state(2, content_hash="a" * 64), None)
    store.stage(run, _state(3, content_hash="a" * 64, duplicate_of=_state(1).id), None)
    found = {s.id for s in store.find_content("a" * 64, _state(9).id)}
    assert found == {_state(1).id, _state(2).id}
    assert {s.id for s in store.find_content("a" * 64, _state(1).id)} == {_state(2).id}


def test_near_finds_indexed_bodies_by_band_keys_committed_or_staged(store: StateStore) -> None:
    run = store.open_run("test").run
    fp = fingerprint(BODY)
    assert fp is not None
    store.stage(run, _state(1), fp)
    assert [s.id for s, _ in store.near(fp, _state(9).id)] == [_state(1).id]
    store.commit(run, [_state(1).id])
    found = store.near(fp, _state(9).id)
    assert [s.id for s, _ in found] == [_state(1).id]
    assert found[0][1] == fp.signature
    assert store.near(fp, _state(1).id) == []  # never its own match
    other = fingerprint("洪洞县召开招商引资工作推进会，会议听取了各乡镇重点项目进展情况汇报，安排部署下一步工作。" * 3)
    assert store.near(other, _state(9).id) == []


def test_touch_records_a_recheck_and_new_validators(store: StateStore) -> None:
    run = store.open_run("test").run
    store.stage(run, _state(1, etag='"a"'), None)
    store.commit(run, [_state(1).id])
    store.touch(_state(1).id, 1234.0, last_modified="Tue, 02 Apr 2024 08:00:00 GMT")
    state = store.get(_state(1).id)
    assert (state.checked_at, state.etag, state.last_modified) == (1234.0, '"a"', "Tue, 02 Apr 2024 08:00:00 GMT")


def test_outputs_are_tracked_per_run(store: StateStore) -> None:
    run = store.open_run("test").run
    store.add_output(Output("/tmp/a.jsonl", run, "append", None, 0))
    store.update_output(run, "/tmp/a.jsonl", committed=120, state="open")
    assert store.outputs(run) == [Output("/tmp/a.jsonl", run, "append", None, 120, "open")]
    store.stage(run, _state(1), None)
    store.commit(run, [_state(1).id], "/tmp/a.jsonl", 300)
    assert store.outputs(run)[0].committed == 300
    store.remove_output(run, "/tmp/a.jsonl")
    assert store.outputs(run) == []


def test_two_runs_naming_one_file_keep_a_record_each(store: StateStore) -> None:
    """A second run's record of a path never replaces, moves or removes the first's: recovery of either
    must find every file that run wrote (one record per path lost a dead run's written lines)."""
    first, second = store.open_run("a").run, store.open_run("b").run
    store.add_output(Output("/tmp/shared.jsonl", first, "append", None, 0))
    store.add_output(Output("/tmp/shared.jsonl", second, "append", None, 50))
    store.stage(second, _state(2), None)
    store.commit(second, [_state(2).id], "/tmp/shared.jsonl", 400)
    store.update_output(second, "/tmp/shared.jsonl", state="renaming")
    assert store.outputs(first) == [Output("/tmp/shared.jsonl", first, "append", None, 0, "open")]
    assert store.outputs(second) == [Output("/tmp/shared.jsonl", second, "append", None, 400, "renaming")]
    store.remove_output(second, "/tmp/shared.jsonl")
    assert store.outputs(first) == [Output("/tmp/shared.jsonl", first, "append", None, 0, "open")]
    assert store.outputs(second) == []


def test_site_completeness(store: StateStore) -> None:
    assert not store.site_complete("klx")
    store.set_site_complete("klx", True)
    assert store.site_complete("klx")
    store.set_site_complete("klx", False)
    assert not store.site_complete("klx")


def test_a_link_missing_counts_once_per_run_and_is_forgotten_when_it_answers(
        store_factory: Callable[[], StateStore]) -> None:
    """Consecutive runs in which an article link answered 404/410: a run counts once, whichever process of
    the store records it; another answer breaks the series."""
    store, other = store_factory(), store_factory()
    gone, kept = f"{7:040x}", f"{8:040x}"
    assert store.missing_links([gone, kept]) == {}
    first = store.note_missing(gone, "http://x/7.html", "x", "run1", 100.5)
    assert (first.misses, first.run, first.missed_at) == (1, "run1", 100.5)
    assert (first.url, first.site) == ("http://x/7.html", "x")
    assert other.note_missing(gone, "http://x/7.html", "x", "run1", 101.0).misses == 1  # the same run again
    assert other.note_missing(gone, "http://x/7.html", "x", "run2", 200.0).misses == 2
    store.note_missing(kept, "http://x/8.html", "x", "run2", 200.0)
    found = store.missing_links([gone, kept, f"{9:040x}"])
    assert set(found) == {gone, kept} and found[gone].misses == 2 and found[gone].missed_at == 200.0
    assert store.note_missing(gone, "http://x/7.html", "x", "run3", 300.0).misses == 3
    other.clear_missing(kept)
    other.clear_missing(f"{9:040x}")  # unknown: nothing to do
    assert set(store.missing_links([gone, kept])) == {gone}
    assert store.note_missing(kept, "http://x/8.html", "x", "run4", 400.0).misses == 1  # a new series
    assert store.counts()["missing_links"] == 2


def test_a_run_whose_process_died_is_stale_and_a_live_one_is_not(store_factory: Callable[[], StateStore],
                                                                  store_config: dict[str, object]) -> None:
    store = store_factory()
    mine = store.open_run("alive").run
    code = ("import json, os, sys; from govnews.state import open_store; "
            f"s = open_store(json.loads({json.dumps(store_config)!r})); print(s.open_run('dead').run); "
            "sys.stdout.flush(); os._exit(0)")  # exits without close_run: as if killed
    dead = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert store_factory().stale_runs() == [dead]
    assert mine not in store_factory().stale_runs()
    store.close_run(mine, "finished")


def test_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown state backend 'mongo'"):
        open_store({"type": "mongo"})


def test_a_new_versions_indexes_replace_the_old_ones_only_when_committed(store: StateStore) -> None:
    """Near and exact look-ups answer for the version that counts: the committed one until the new one is
    committed; a discarded new version leaves no trace in them, a committed one retires the old body."""
    old_fp, new_fp = fingerprint(BODY), fingerprint(BODY.replace("植树造林", "森林防火") + "全市共组织十二支队伍。")
    assert old_fp is not None and new_fp is not None
    run = store.open_run("test").run
    store.stage(run, _state(1, content_hash="a" * 64), old_fp)
    store.commit(run, [_state(1).id])
    run2 = store.open_run("test").run
    store.stage(run2, _state(1, content_hash="b" * 64, version=2), new_fp)
    assert [s.version for s, _ in store.near(old_fp, _state(9).id)] == [1]  # the committed version first
    store.discard(run2)
    assert [s.id for s in store.find_content("a" * 64, _state(9).id)] == [_state(1).id]
    assert store.find_content("b" * 64, _state(9).id) == []
    assert [(s.version, sig) for s, sig in store.near(old_fp, _state(9).id)] == [(1, old_fp.signature)]
    assert store.near(new_fp, _state(9).id) in ([], [(store.get(_state(1).id), old_fp.signature)])

    run3 = store.open_run("test").run
    store.stage(run3, _state(1, content_hash="b" * 64, version=2), new_fp)
    store.commit(run3, [_state(1).id])
    assert store.find_content("a" * 64, _state(9).id) == []
    assert [s.id for s in store.find_content("b" * 64, _state(9).id)] == [_state(1).id]
    for fp in (old_fp, new_fp):  # any band key ever indexed leads to the article, judged on its current body
        assert [(s.version, sig) for s, sig in store.near(fp, _state(9).id)] == [(2, new_fp.signature)]
    assert store.near(new_fp, _state(1).id) == []


def test_a_sqlite_store_of_the_layout_before_keeps_its_output_records(tmp_path: Path) -> None:
    """Records of the one-per-path table are moved to the per-run one when the store opens, so a run that
    died under the old layout is still recovered from its file."""
    import sqlite3

    path = tmp_path / "state.sqlite"
    open_store({"type": "sqlite", "path": str(path)}).close()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE outputs (path TEXT PRIMARY KEY, run TEXT NOT NULL, mode TEXT NOT NULL, tmp TEXT, "
               "committed INTEGER NOT NULL, state TEXT NOT NULL)")
    db.execute("INSERT INTO outputs VALUES ('/tmp/old.jsonl', 'r1', 'append', NULL, 42, 'open')")
    db.commit()
    db.close()
    store = open_store({"type": "sqlite", "path": str(path)})
    assert store.outputs("r1") == [Output("/tmp/old.jsonl", "r1", "append", None, 42, "open")]
