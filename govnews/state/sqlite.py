"""The embedded state store: one SQLite file in WAL mode.

Why SQLite: it keeps everything on disk and only a bounded page cache in memory (``cache_mb``), so
ten million remembered articles cost disk, not RAM (``bench/bench_state.py``); WAL lets a crawl
write while ``govnews report`` or another crawl reads; one file is easy to back up. Several crawl
processes may share the file (writes are serialised with a busy timeout).

Layout: ``articles`` (committed state, ids and hashes as raw bytes), ``staged`` (rows of running or
dead runs, same columns plus the run), ``lsh``/``staged_lsh`` (band key -> article) and
``signatures`` for near-duplicates, ``outputs`` and ``runs`` for crash recovery, ``sites`` for
incremental pagination, ``missing`` for article links that answer 404/410. Liveness of a run is an
exclusive ``flock`` on ``<db>.runs/<run>.lock``:
the kernel releases it when the process dies, however it dies.
"""

from __future__ import annotations

import fcntl
import os
import socket
import sqlite3
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from govnews.state.base import ArticleState, MissingLink, Output, RunInfo, StateStore
from govnews.state.neardup import Fingerprint, Signature

SCHEMA_VERSION = 1
#: Most candidates one lookup considers (see find_content).
_LIMIT = 500

_COLUMNS = ("id", "url", "site", "content_hash", "version", "published_at", "first_seen", "exported_at",
            "checked_at", "etag", "last_modified", "duplicate_of", "exported", "title")

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    n INTEGER PRIMARY KEY,          -- compact number used by the LSH index
    id BLOB NOT NULL UNIQUE,        -- 20 bytes: SHA-1 of the canonical URL
    url TEXT NOT NULL, site TEXT NOT NULL,
    content_hash BLOB NOT NULL,     -- 32 bytes
    version INTEGER NOT NULL, published_at TEXT,
    first_seen REAL NOT NULL, exported_at REAL NOT NULL, checked_at REAL NOT NULL,
    etag TEXT, last_modified TEXT,
    duplicate_of BLOB, exported INTEGER NOT NULL, title TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_content ON articles (content_hash);
CREATE TABLE IF NOT EXISTS signatures (n INTEGER PRIMARY KEY, sig BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS lsh (key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (key, n)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS staged (
    run TEXT NOT NULL, {", ".join(c + (" BLOB" if c in ("id", "content_hash", "duplicate_of") else "")
                                  for c in _COLUMNS)},
    sig BLOB, PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS staged_run ON staged (run);
CREATE INDEX IF NOT EXISTS staged_content ON staged (content_hash);
CREATE TABLE IF NOT EXISTS staged_lsh (key INTEGER NOT NULL, id BLOB NOT NULL, PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (run TEXT PRIMARY KEY, spider TEXT, pid INTEGER, host TEXT,
                                 started REAL, ended REAL, status TEXT);
CREATE TABLE IF NOT EXISTS run_outputs (path TEXT NOT NULL, run TEXT NOT NULL, mode TEXT NOT NULL, tmp TEXT,
                                        committed INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run, path));
CREATE TABLE IF NOT EXISTS sites (site TEXT PRIMARY KEY, complete INTEGER NOT NULL, updated REAL NOT NULL);
CREATE TABLE IF NOT EXISTS missing (id BLOB PRIMARY KEY, url TEXT NOT NULL, site TEXT NOT NULL,
                                    misses INTEGER NOT NULL, run TEXT NOT NULL, missed_at REAL NOT NULL);
"""


def _b(hex_id: str | None) -> bytes | None:
    return bytes.fromhex(hex_id) if hex_id else None


def _h(raw: bytes | None) -> str | None:
    return raw.hex() if raw is not None else None


class SQLiteStateStore(StateStore):
    """``SQLiteStateStore("data/state.sqlite")``; ``cache_mb`` bounds the page cache (RAM)."""

    kind = "sqlite"

    def _enable_wal(self) -> None:
        """Switch the file to WAL. Two processes opening a new store at the same moment: SQLite answers the
        loser's switch "database is locked" at once, without waiting for the busy timeout, so wait here."""
        deadline = time.monotonic() + self.busy_timeout_s
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def __init__(self, path: str | os.PathLike[str], cache_mb: int = 16, busy_timeout_s: float = 60.0) -> None:
        self.path = Path(path)
        self.busy_timeout_s = busy_timeout_s
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly in _tx, so nothing is left pending.
        self.db = sqlite3.connect(str(self.path), timeout=busy_timeout_s, isolation_level=None)
        self._enable_wal()
        # NORMAL: a commit survives a crash of this process (it is in the WAL, in the OS); after a power
        # cut the last commits may be lost, which recovery repairs from the fsynced output files.
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute(f"PRAGMA cache_size=-{int(cache_mb) * 1024}")
        self.db.execute("PRAGMA temp_store=FILE")
        with self._tx() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            if db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='outputs'").fetchone():
                # One record per path (before): a second run's record replaced the first's, so recovery of
                # the first found no output and exported its written lines again. Now one per run and path.
                db.execute("INSERT OR IGNORE INTO run_outputs "
                           "SELECT path, run, mode, tmp, committed, state FROM outputs")
                db.execute("DROP TABLE outputs")
            row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
        if row is not None and int(row[0]) != SCHEMA_VERSION:
            raise RuntimeError(f"{self.path}: state schema {row[0]}, this govnews reads {SCHEMA_VERSION}")
        self.lock_dir = self.path.with_name(self.path.name + ".runs")
        self._locks: dict[str, IO[bytes]] = {}

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken eagerly so concurrent crawls queue instead of deadlocking.
        Nested calls join the outer transaction (a ``decision`` stages inside one)."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def decision(self, article_id: str, content_hash: str, fp: Fingerprint | None, timeout: float = 60.0,
                 if_new: tuple[str, ArticleState] | None = None) -> Iterator[bool]:
        """The whole decision is one write transaction: other processes on the file wait for it. (``if_new``
        saves nothing here: the look-ups cost no round trip.)"""
        if self.db.in_transaction:
            yield False
            return
        self.db.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        try:
            with self._tx():
                yield False
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                raise TimeoutError(f"another process held {self.path} for {timeout:g} s") from exc
            raise
        finally:
            self.db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")

    # --- runs ----------------------------------------------------------------------------------------
    def open_run(self, spider: str) -> RunInfo:
        run = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self.lock_dir.mkdir(parents=True, exist_ok=True)
        lock = (self.lock_dir / f"{run}.lock").open("wb")
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        self._locks[run] = lock
        info = RunInfo(run=run, spider=spider, started=time.time(), pid=os.getpid(), host=socket.gethostname())
        with self._tx() as db:
            db.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?, NULL, 'running')",
                       (run, spider, info.pid, info.host, info.started))
        return info

    def close_run(self, run: str, status: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE runs SET ended=?, status=? WHERE run=?", (time.time(), status, run))
        lock = self._locks.pop(run, None)
        if lock is not None:
            lock.close()
        with suppress(OSError):
            (self.lock_dir / f"{run}.lock").unlink()

    def stale_runs(self) -> list[str]:
        stale = []
        for (run,) in self.db.execute("SELECT run FROM runs WHERE status='running'").fetchall():
            if run in self._locks:
                continue
            lock_path = self.lock_dir / f"{run}.lock"
            try:
                handle = lock_path.open("ab")
            except OSError:
                stale.append(run)
                continue
            with handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # its process is alive
                stale.append(run)
        return stale

    # --- articles ------------------------------------------------------------------------------------
    def _state(self, row: Sequence[Any]) -> ArticleState:
        values = dict(zip(_COLUMNS, row, strict=True))
        for key in ("id", "content_hash", "duplicate_of"):
            values[key] = _h(values[key])
        values["exported"] = bool(values["exported"])
        return ArticleState(**values)

    def get(self, article_id: str) -> ArticleState | None:
        cols = ", ".join(_COLUMNS)
        raw = _b(article_id)
        row = self.db.execute(f"SELECT {cols} FROM staged WHERE id=?", (raw,)).fetchone()
        if row is None:
            row = self.db.execute(f"SELECT {cols} FROM articles WHERE id=?", (raw,)).fetchone()
        return self._state(row) if row else None

    def find_content(self, content_hash: str, exclude_id: str) -> list[ArticleState]:
        cols = ", ".join(_COLUMNS)
        args = (_b(content_hash), _b(exclude_id))
        # Bounded: a body shared by hundreds of originals is a boilerplate notice ("详见附件") under many
        # headlines; the earliest few hundred are enough to find one with the same headline.
        rows = self.db.execute(
            f"SELECT {cols} FROM staged WHERE content_hash=? AND id<>? AND duplicate_of IS NULL LIMIT {_LIMIT}",
            args).fetchall()
        rows += self.db.execute(
            f"SELECT {cols} FROM articles WHERE content_hash=? AND id<>? AND duplicate_of IS NULL "
            f"ORDER BY first_seen LIMIT {_LIMIT}", args).fetchall()
        return self._unique(rows)

    def near(self, fp: Fingerprint, exclude_id: str) -> list[tuple[ArticleState, Signature]]:
        keys = list(fp.keys)
        marks = ",".join("?" * len(keys))
        cols = ", ".join("a." + c for c in _COLUMNS)
        rows = self.db.execute(
            f"SELECT {cols}, s.sig FROM articles a JOIN signatures s ON s.n = a.n "
            f"WHERE a.n IN (SELECT DISTINCT n FROM lsh WHERE key IN ({marks}) LIMIT {_LIMIT}) "
            f"AND a.id<>? AND a.duplicate_of IS NULL", (*keys, _b(exclude_id))).fetchall()
        staged_cols = ", ".join("t." + c for c in _COLUMNS)
        rows += self.db.execute(
            f"SELECT {staged_cols}, t.sig FROM staged t "
            f"WHERE t.id IN (SELECT DISTINCT id FROM staged_lsh WHERE key IN ({marks})) "
            f"AND t.id<>? AND t.duplicate_of IS NULL AND t.sig IS NOT NULL", (*keys, _b(exclude_id))).fetchall()
        seen: set[str] = set()
        found = []
        for row in rows:
            state = self._state(row[:-1])
            if state.id not in seen:
                seen.add(state.id)
                found.append((state, Signature(row[-1])))
        return found

    def _unique(self, rows: list[Any]) -> list[ArticleState]:
        seen: set[str] = set()
        out = []
        for row in rows:
            state = self._state(row)
            if state.id not in seen:
                seen.add(state.id)
                out.append(state)
        return out

    def _row(self, state: ArticleState) -> tuple[Any, ...]:
        values = dict(state.__dict__)
        for key in ("id", "content_hash", "duplicate_of"):
            values[key] = _b(values[key])
        values["exported"] = int(values["exported"])
        return tuple(values[c] for c in _COLUMNS)

    def stage(self, run: str, state: ArticleState, fp: Fingerprint | None) -> None:
        marks = ",".join("?" * (len(_COLUMNS) + 2))
        raw = _b(state.id)
        with self._tx() as db:
            db.execute("DELETE FROM staged_lsh WHERE id=?", (raw,))
            db.execute(f"INSERT OR REPLACE INTO staged (run, {', '.join(_COLUMNS)}, sig) VALUES ({marks})",
                       (run, *self._row(state), fp.signature.values if fp else None))
            if fp is not None and state.duplicate_of is None:
                db.executemany("INSERT OR IGNORE INTO staged_lsh VALUES (?, ?)", [(k, raw) for k in fp.keys])

    def commit(self, run: str, ids: Sequence[str], output: str | None = None, offset: int | None = None) -> int:
        cols = ", ".join(_COLUMNS)
        updates = ", ".join(f"{c}=excluded.{c}" for c in _COLUMNS if c != "id")
        done = 0
        with self._tx() as db:
            for article_id in ids:
                raw = _b(article_id)
                row = db.execute(f"SELECT {cols}, sig FROM staged WHERE id=? AND run=?", (raw, run)).fetchone()
                if row is None:
                    continue
                db.execute(f"INSERT INTO articles ({cols}) VALUES ({','.join('?' * len(_COLUMNS))}) "
                           f"ON CONFLICT(id) DO UPDATE SET {updates}", row[:-1])
                (n,) = db.execute("SELECT n FROM articles WHERE id=?", (raw,)).fetchone()
                if row[-1] is not None and row[_COLUMNS.index("duplicate_of")] is None:
                    db.execute("INSERT OR REPLACE INTO signatures VALUES (?, ?)", (n, row[-1]))
                    db.execute("INSERT OR IGNORE INTO lsh SELECT key, ? FROM staged_lsh WHERE id=?", (n, raw))
                db.execute("DELETE FROM staged_lsh WHERE id=?", (raw,))
                db.execute("DELETE FROM staged WHERE id=?", (raw,))
                done += 1
            if output is not None and offset is not None:
                db.execute("UPDATE run_outputs SET committed=? WHERE run=? AND path=?", (offset, run, output))
        return done

    def discard(self, run: str, ids: Sequence[str] | None = None) -> int:
        with self._tx() as db:
            if ids is None:
                targets = [r[0] for r in db.execute("SELECT id FROM staged WHERE run=?", (run,)).fetchall()]
            else:
                targets = [_b(i) for i in ids]
            gone = 0
            for raw in targets:
                gone += db.execute("DELETE FROM staged WHERE id=? AND run=?", (raw, run)).rowcount
                db.execute("DELETE FROM staged_lsh WHERE id=?", (raw,))
                # Duplicates of an original that never reached disk must be judged again next time.
                for table in ("staged", "articles"):
                    db.execute(f"DELETE FROM {table} WHERE duplicate_of=? AND exported=0", (raw,))
        return gone

    def staged_ids(self, run: str) -> list[str]:
        return [r[0].hex() for r in self.db.execute("SELECT id FROM staged WHERE run=?", (run,)).fetchall()]

    def touch(self, article_id: str, checked_at: float, etag: str | None = None,
              last_modified: str | None = None) -> None:
        with self._tx() as db:
            db.execute("UPDATE articles SET checked_at=?, etag=COALESCE(?, etag), "
                       "last_modified=COALESCE(?, last_modified) WHERE id=?",
                       (checked_at, etag, last_modified, _b(article_id)))

    # --- outputs -------------------------------------------------------------------------------------
    def add_output(self, output: Output) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO run_outputs VALUES (?, ?, ?, ?, ?, ?)",
                       (output.path, output.run, output.mode, output.tmp, output.committed, output.state))

    def update_output(self, run: str, path: str, *, committed: int | None = None, state: str | None = None) -> None:
        with self._tx() as db:
            if committed is not None:
                db.execute("UPDATE run_outputs SET committed=? WHERE run=? AND path=?", (committed, run, path))
            if state is not None:
                db.execute("UPDATE run_outputs SET state=? WHERE run=? AND path=?", (state, run, path))

    def outputs(self, run: str) -> list[Output]:
        rows = self.db.execute("SELECT path, run, mode, tmp, committed, state FROM run_outputs WHERE run=? "
                               "ORDER BY path", (run,)).fetchall()
        return [Output(*row) for row in rows]

    def remove_output(self, run: str, path: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM run_outputs WHERE run=? AND path=?", (run, path))

    # --- sites ---------------------------------------------------------------------------------------
    def site_complete(self, site: str) -> bool:
        row = self.db.execute("SELECT complete FROM sites WHERE site=?", (site,)).fetchone()
        return bool(row and row[0])

    def set_site_complete(self, site: str, complete: bool) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO sites VALUES (?, ?, ?)", (site, int(complete), time.time()))

    # --- links that answer 404/410 ------------------------------------------------------------------
    def _missing(self, row: Sequence[Any]) -> MissingLink:
        return MissingLink(row[0].hex(), row[1], row[2], row[3], row[4], row[5])

    def missing_links(self, ids: Iterable[str]) -> dict[str, MissingLink]:
        raw = [bytes.fromhex(i) for i in ids]
        found: dict[str, MissingLink] = {}
        for start in range(0, len(raw), _LIMIT):
            chunk = raw[start:start + _LIMIT]
            rows = self.db.execute(f"SELECT id, url, site, misses, run, missed_at FROM missing WHERE id IN "
                                   f"({','.join('?' * len(chunk))})", chunk).fetchall()
            for row in rows:
                link = self._missing(row)
                found[link.id] = link
        return found

    def note_missing(self, article_id: str, url: str, site: str, run: str, now: float) -> MissingLink:
        with self._tx() as db:
            db.execute("INSERT INTO missing VALUES (?, ?, ?, 1, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                       "misses = misses + (run != excluded.run), run = excluded.run, url = excluded.url, "
                       "site = excluded.site, missed_at = excluded.missed_at",
                       (bytes.fromhex(article_id), url, site, run, now))
            row = db.execute("SELECT id, url, site, misses, run, missed_at FROM missing WHERE id=?",
                             (bytes.fromhex(article_id),)).fetchone()
        return self._missing(row)

    def clear_missing(self, article_id: str) -> None:
        with self._tx() as db:
            db.execute("DELETE FROM missing WHERE id=?", (bytes.fromhex(article_id),))

    # --- housekeeping --------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        one = self.db.execute
        return {
            "articles": one("SELECT COUNT(*) FROM articles").fetchone()[0],
            "duplicates": one("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
            "staged": one("SELECT COUNT(*) FROM staged").fetchone()[0],
            "lsh_keys": one("SELECT COUNT(*) FROM lsh").fetchone()[0],
            "missing_links": one("SELECT COUNT(*) FROM missing").fetchone()[0],
        }

    def close(self) -> None:
        for run in list(self._locks):
            self._locks.pop(run).close()
        with suppress(sqlite3.Error):
            self.db.close()
