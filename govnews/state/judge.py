"""Is this article new, a new version, unchanged, or a repost of one already exported?

The decision is made once per article, in the item pipeline, against everything the store has seen
(earlier runs, other sites, earlier in this run). It needs only the article's own fields, so it is
plain code over ``govnews.state.base.StateStore``; the pipeline that calls it is a thin adapter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from govnews.state.base import ArticleState, StateStore
from govnews.state.neardup import (
    DEFAULT_THRESHOLD,
    Fingerprint,
    distinct_documents,
    fingerprint,
    normalize_for_shingles,
)

#: Below this many letters and digits a body is a short notice ("详见附件。", a one-line 公告): two
#: of them with the same body but different headlines are different notices, so a match on the body
#: also needs the same headline.
SHORT_BODY_CHARS = 200


class ArticleLike(Protocol):
    id: str
    canonical_url: str
    site: str
    title: str
    text: str
    content_hash: str
    published_at: str | None


@dataclass(frozen=True)
class Features:
    """What judging a body needs from its text alone: its near-duplicate fingerprint (None below
    ``MIN_CHARS``) and whether it is a short notice (``SHORT_BODY_CHARS``). Computed where the CPU is free
    (a worker process of the pool) and handed to ``Judge.decide``."""

    fingerprint: Fingerprint | None
    short: bool


def features(text: str, threshold: float = DEFAULT_THRESHOLD) -> Features:
    return Features(fingerprint(text, threshold), len(normalize_for_shingles(text)) < SHORT_BODY_CHARS)


@dataclass
class Verdict:
    kind: str  #: "new", "changed", "unchanged" or "duplicate"
    version: int = 1
    previous_hash: str | None = None
    duplicate_of: str | None = None
    match: str | None = None  #: "exact" or "near" for duplicates
    similarity: float | None = None
    previous: ArticleState | None = None
    fingerprint: Fingerprint | None = None
    #: ids of near matches set aside as different documents of one template (``distinct_documents``)
    siblings: tuple[str, ...] = ()


def _earliest(states: list[ArticleState]) -> ArticleState:
    """The original a repost points to: earliest published, then earliest seen (the one the dataset
    already holds longest)."""
    return min(states, key=lambda s: (s.published_at or "9999", s.first_seen, s.id))


class Judge:
    """``judge`` an article, then ``stage`` it with the verdict; the store does the rest."""

    def __init__(self, store: StateStore, run: str, threshold: float = DEFAULT_THRESHOLD) -> None:
        self.store = store
        self.run = run
        self.threshold = threshold

    def judge(self, article: ArticleLike) -> Verdict:
        """The verdict alone, for a process that has the store to itself (see ``decide``)."""
        return self._verdict(article, None, fingerprinted=False)

    def decide(self, article: ArticleLike, export_duplicates: bool = False, etag: str | None = None,
               last_modified: str | None = None, known: Features | None = None) -> Verdict:
        """Judge and remember the article as one decision: no other process sharing the store stages a
        copy of it (same id, same body, or a near-duplicate) between this one's lookups and its stage
        (``StateStore.decision``). An unchanged article is recorded as checked; a duplicate is staged as
        exported only with ``export_duplicates``. ``known``: the text's ``features``, if already computed."""
        if self.store.lookup_first:
            previous = self.store.get(article.id)
            if previous is not None and previous.content_hash == article.content_hash:
                # Nothing to stage, so no decision to hold (and no fingerprint to compute).
                self.store.touch(article.id, time.time(), etag, last_modified)
                return Verdict("unchanged", previous.version, previous=previous)
        known = known or features(article.text, self.threshold)
        fp = known.fingerprint
        new = Verdict("new", fingerprint=fp)  # what an article nothing in the store matches is
        if_new = (self.run, self.state(article, new, exported=True, etag=etag, last_modified=last_modified))
        with self.store.decision(article.id, article.content_hash, fp, if_new=if_new) as staged:
            if staged:
                return new
            verdict = self._verdict(article, fp, fingerprinted=True, short=known.short)
            if verdict.kind == "unchanged":
                self.store.touch(article.id, time.time(), etag, last_modified)
            else:
                exported = verdict.kind != "duplicate" or export_duplicates
                self.stage(article, verdict, exported=exported, etag=etag, last_modified=last_modified)
        return verdict

    def _verdict(self, article: ArticleLike, fp: Fingerprint | None, fingerprinted: bool,
                 short: bool | None = None) -> Verdict:
        previous = self.store.get(article.id)
        if previous is not None and previous.content_hash == article.content_hash:
            return Verdict("unchanged", previous.version, previous=previous)
        version = previous.version + 1 if previous else 1
        previous_hash = previous.content_hash if previous else None
        if short is None:
            short = len(normalize_for_shingles(article.text)) < SHORT_BODY_CHARS
        if not fingerprinted:
            fp = fingerprint(article.text, self.threshold)
        same = [s for s in self.store.find_content(article.content_hash, article.id)
                if not short or s.title == article.title]
        if same:
            original = _earliest(same)
            return Verdict("duplicate", version, previous_hash, original.id, "exact", 1.0, previous, fp)
        siblings: list[str] = []
        if fp is not None:
            near = []
            for state, signature in self.store.near(fp, article.id):
                similarity = fp.signature.similarity(signature)
                if similarity >= self.threshold and (not short or state.title == article.title):
                    if distinct_documents(fp.signature, signature):
                        siblings.append(state.id)
                    else:
                        near.append((state, similarity))
            if near:
                original = _earliest([s for s, _ in near])
                similarity = max(sim for s, sim in near if s.id == original.id)
                return Verdict("duplicate", version, previous_hash, original.id, "near", similarity, previous, fp,
                               tuple(siblings))
        return Verdict("changed" if previous else "new", version, previous_hash, None, previous=previous,
                       fingerprint=fp, siblings=tuple(siblings))

    def stage(self, article: ArticleLike, verdict: Verdict, exported: bool, etag: str | None = None,
              last_modified: str | None = None, now: float | None = None) -> ArticleState:
        """Remember the article as ``verdict`` says; ``exported`` is False for a duplicate that is
        recorded but not written (then it is committed at once: there is no line to wait for)."""
        state = self.state(article, verdict, exported, etag, last_modified, now)
        self.store.stage(self.run, state, verdict.fingerprint)
        if not exported:
            self.store.commit(self.run, [article.id])
        return state

    @staticmethod
    def state(article: ArticleLike, verdict: Verdict, exported: bool, etag: str | None = None,
              last_modified: str | None = None, now: float | None = None) -> ArticleState:
        """What the store remembers of ``article`` judged ``verdict``."""
        now = time.time() if now is None else now
        previous = verdict.previous
        return ArticleState(
            id=article.id, url=article.canonical_url, site=article.site, content_hash=article.content_hash,
            version=verdict.version, published_at=article.published_at,
            first_seen=previous.first_seen if previous else now, exported_at=now, checked_at=now,
            etag=etag, last_modified=last_modified, duplicate_of=verdict.duplicate_of, exported=exported,
            title=article.title)
