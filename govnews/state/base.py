"""The one interface behind which article state and the duplicate indexes live.

A crawl asks the store four kinds of question: have I exported this article, and as which body
(``get``)? has this body been exported under another address (``find_content``, ``near``)? which
crawl runs died without finishing (``stale_runs``)? and which of their lines reached an output file
(``outputs``)? Backends implement these few methods; everything above them (``govnews.state.judge``,
``govnews.state.recovery``, the Scrapy glue) is written once against this interface, and the same
tests run against every backend (SQLite, embedded, the default; Redis for a fleet of workers).

Consistency model. An article is *staged* (``stage``) when the pipeline has decided to export it,
and *committed* (``commit``) only once its line is durably in an output file. Staged rows answer
lookups (so a second copy in the same crawl is recognised) but are not remembered across a crash:
recovery commits the staged rows whose lines it finds in the run's outputs and discards the rest,
so the next run exports exactly what is missing.

Concurrency. Several processes may share a store (crawls of different sites on one SQLite file; a fleet
of workers on one Redis). Deciding about an article reads the store (``get``, ``find_content``,
``near``) and then writes it (``stage``); ``decision`` holds that read-then-write against every other
process deciding about the same id, body or near-duplicate band, so two copies of one article met at
the same moment are one original and one repost, never two originals.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from govnews.state.neardup import Fingerprint, Signature


@dataclass
class ArticleState:
    """What the store remembers of one article (one ``id``)."""

    id: str  #: the article id (SHA-1 hex of its canonical URL)
    url: str  #: its canonical URL
    site: str
    content_hash: str  #: SHA-256 hex of the body last exported
    version: int = 1
    published_at: str | None = None
    first_seen: float = 0.0  #: when version 1 was staged (Unix time)
    exported_at: float = 0.0  #: when the current version was staged
    checked_at: float = 0.0  #: when the page was last fetched (200 or 304)
    etag: str | None = None
    last_modified: str | None = None
    duplicate_of: str | None = None  #: id of the earliest article with the same body; None for originals
    exported: bool = True  #: False for duplicates remembered but not written (not exported by default)
    title: str = ""  #: kept so an exact-body match can require the same headline for short notices


@dataclass
class Output:
    """An output file a run writes; recovery uses it to tell which staged rows reached disk.

    ``mode`` is ``append`` (lines go straight into ``path``, each flushed and fsynced; ``committed``
    is the byte offset up to which every line has been committed) or ``replace`` (lines go into
    ``tmp``, which is renamed onto ``path`` when the run closes it; ``state`` becomes ``renaming``
    just before the rename)."""

    path: str
    run: str
    mode: str = "append"
    tmp: str | None = None
    committed: int = 0
    state: str = "open"


@dataclass
class MissingLink:
    """An article link that answered HTTP 404 or 410: on how many runs in a row, and when last. A link
    missing on ``GOVNEWS_GONE_AFTER_RUNS`` runs in a row is *gone* (``govnews.incremental``): it no longer
    leaves its column's walk incomplete, and it is fetched again only after ``GOVNEWS_RECHECK_DAYS``."""

    id: str  #: the id the article would have (SHA-1 hex of its canonical URL)
    url: str
    site: str
    misses: int  #: consecutive runs in which it answered 404/410 (a run counts once)
    run: str  #: the last run that found it missing
    missed_at: float  #: when it last answered 404/410 (Unix time)


@dataclass
class RunInfo:
    run: str
    spider: str
    started: float
    pid: int = 0
    host: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class StateStore(ABC):
    """Persistent article state and duplicate indexes. Not thread-safe: one per crawl process."""

    #: Backend name, for logs ("sqlite", "redis").
    kind: str = "abstract"
    #: Whether ``Judge.decide`` looks the article up before taking a decision (an unchanged article then
    #: needs no fingerprint and no decision). False where a look-up is a network round trip that the
    #: decision repeats anyway (Redis: its claim reads the article's rows in the same trip).
    lookup_first: bool = True
    #: Whether a decision waits on the network (Redis): the crawl then takes it off its event loop. An
    #: embedded store decides on the loop (SQLite's connection belongs to the thread that opened it).
    remote: bool = False

    # --- runs ----------------------------------------------------------------------------------------
    @abstractmethod
    def open_run(self, spider: str) -> RunInfo:
        """Register a new run and hold its liveness until ``close_run`` (or the process dies)."""

    @abstractmethod
    def close_run(self, run: str, status: str) -> None:
        """End a run: ``finished``, ``interrupted``, ``recovered``, ..."""

    @abstractmethod
    def stale_runs(self) -> list[str]:
        """Runs that were opened and whose process is gone without closing them."""

    # --- decisions -----------------------------------------------------------------------------------
    @contextmanager
    def decision(self, article_id: str, content_hash: str, fp: Fingerprint | None, timeout: float = 60.0,
                 if_new: tuple[str, ArticleState] | None = None) -> Iterator[bool]:
        """Hold the decision about one article: until the block ends no other process stages an article
        with this id, this body hash or one of these band keys. Re-entrant. Raises ``TimeoutError`` when
        another process holds it longer than ``timeout`` seconds.

        ``if_new``: (run, state) to stage straight away if the store holds nothing the article could
        match (no row with its id, no body with its hash, no band key of ``fp``): the block then gets
        True and the decision is made (a shared store saves a round trip on most articles). Otherwise,
        and in this default, which suits a store only one process uses, the block gets False."""
        yield False

    # --- articles ------------------------------------------------------------------------------------
    @abstractmethod
    def get(self, article_id: str) -> ArticleState | None:
        """The article as committed, or as staged by a live run (staged wins)."""

    def get_many(self, ids: Iterable[str]) -> dict[str, ArticleState]:
        found = {}
        for article_id in ids:
            state = self.get(article_id)
            if state is not None:
                found[article_id] = state
        return found

    @abstractmethod
    def find_content(self, content_hash: str, exclude_id: str) -> list[ArticleState]:
        """Originals (``duplicate_of`` is None) of another id whose current body has this hash."""

    @abstractmethod
    def near(self, fp: Fingerprint, exclude_id: str) -> list[tuple[ArticleState, Signature]]:
        """Originals of another id that share at least one LSH band key with ``fp``, each with its
        stored signature (the caller checks the similarity)."""

    @abstractmethod
    def stage(self, run: str, state: ArticleState, fp: Fingerprint | None) -> None:
        """Remember ``state`` provisionally for ``run`` (replacing an earlier staging of the id)."""

    @abstractmethod
    def commit(self, run: str, ids: Sequence[str], output: str | None = None, offset: int | None = None) -> int:
        """Make the staged rows of ``ids`` permanent (their lines are durable in ``output``); with
        ``offset``, also advance that output's committed offset, in the same transaction. Returns the
        number of rows committed."""

    @abstractmethod
    def discard(self, run: str, ids: Sequence[str] | None = None) -> int:
        """Forget staged rows of ``run`` (all of them when ``ids`` is None). Returns how many."""

    @abstractmethod
    def staged_ids(self, run: str) -> list[str]:
        """Ids staged by ``run`` and not yet committed."""

    @abstractmethod
    def touch(self, article_id: str, checked_at: float, etag: str | None = None,
              last_modified: str | None = None) -> None:
        """Record a fetch that found the article unchanged (a 304, or the same body again)."""

    # --- outputs -------------------------------------------------------------------------------------
    # One record per run and path: a run's record is never replaced, updated or removed by another run's,
    # so recovery of a dead run always finds every output it wrote, even if another run named the same file.
    @abstractmethod
    def add_output(self, output: Output) -> None: ...

    @abstractmethod
    def update_output(self, run: str, path: str, *, committed: int | None = None, state: str | None = None
                      ) -> None: ...

    @abstractmethod
    def outputs(self, run: str) -> list[Output]: ...

    @abstractmethod
    def remove_output(self, run: str, path: str) -> None: ...

    # --- sites ---------------------------------------------------------------------------------------
    @abstractmethod
    def site_complete(self, site: str) -> bool:
        """Whether the last run that walked ``site`` (a key: ``govnews.incremental.column_key`` names one
        list chain of a site) walked all of it, finished, and had no page of it fail: only then may a
        later run stop paginating that list at the first page with nothing new. False for a key never set."""

    @abstractmethod
    def set_site_complete(self, site: str, complete: bool) -> None: ...

    # --- links that answer 404/410 ------------------------------------------------------------------
    @abstractmethod
    def missing_links(self, ids: Iterable[str]) -> dict[str, MissingLink]:
        """The records of those of ``ids`` that answered 404/410 on their last fetch (one look-up)."""

    @abstractmethod
    def note_missing(self, article_id: str, url: str, site: str, run: str, now: float) -> MissingLink:
        """Record that the link answered 404/410 in ``run``: one more miss, unless ``run`` already counted
        one. Atomic against other processes sharing the store. Returns the record as it now is."""

    @abstractmethod
    def clear_missing(self, article_id: str) -> None:
        """The link answered something else: its run of misses is broken (a no-op for an unknown id)."""

    # --- housekeeping --------------------------------------------------------------------------------
    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Sizes for logs and benchmarks: articles, duplicates, staged, index keys."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
