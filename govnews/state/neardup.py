"""Near-duplicate fingerprints: MinHash over character shingles, banded for an on-disk LSH index.

A repost on a mirror or content farm keeps the words of the original but not its bytes: other
boilerplate, another script (Traditional mirrors are converted before this runs), glosses and
spacing cleaned away, a paragraph cut or added. Character shingles of the cleaned text survive all
of that, and MinHash (datasketch) estimates the Jaccard similarity of two shingle sets from a short
signature. For an index that outlives the process, the signature is cut into ``bands`` of ``rows``
values and each band is hashed to one 63-bit key: two articles whose Jaccard similarity is near the
threshold share at least one key with high probability (the LSH "S-curve"), so a lookup is one
indexed query over those keys, whatever the size of the store. Candidates are then checked against
the stored signature, so a shared band alone never marks an article.

The threshold and shingle size are measured on real repost pairs: ``tests/state/data/reposts.jsonl``
and ``tests/state/test_neardup_eval.py`` (README, "Duplicates").
"""

from __future__ import annotations

import hashlib
import math
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
import regex
from datasketch import MinHash
from datasketch.lsh import _optimal_param

#: Characters per shingle. 5 Han characters are roughly two words: short enough that a converted
#: script or a dropped comma changes few shingles, long enough that two different reports of the same
#: meeting (same names, same phrases) share few of them.
SHINGLE_CHARS = 5
NUM_PERM = 128
#: Estimated Jaccard similarity at or above which two bodies count as the same article. Measured on
#: real reposts (README, "Duplicates"): every pair of different articles stays below 0.64, reposts
#: of the same text score 0.7-1.0; precision first, since a false match drops a real article.
DEFAULT_THRESHOLD = 0.7
#: Bodies shorter than this (in kept characters) are left to the exact-hash check: a handful of
#: shingles gives a signature too noisy to judge ("详见附件" notices would all look alike).
MIN_CHARS = 60
_SEED = 20240521

# Letters and digits of any script; punctuation, spaces and symbols carry no identity.
_KEEP = regex.compile(r"[\p{L}\p{N}]+")


def normalize_for_shingles(text: str) -> str:
    """NFKC (full-width digits and letters to ASCII), lower case, only letters and digits."""
    return "".join(_KEEP.findall(unicodedata.normalize("NFKC", text).lower()))


def shingles(text: str, k: int = SHINGLE_CHARS) -> set[str]:
    """The set of k-character substrings of the normalized text (the whole text if shorter)."""
    norm = normalize_for_shingles(text)
    if len(norm) <= k:
        return {norm} if norm else set()
    return {norm[i:i + k] for i in range(len(norm) - k + 1)}


@cache
def _permutations() -> np.ndarray:
    return MinHash(num_perm=NUM_PERM, seed=_SEED).permutations


#: A pair at the threshold must become a candidate at least this often: the band index only finds
#: candidates, the stored signature decides, so the index is tuned for recall.
CANDIDATE_RECALL = 0.99
MIN_ROWS = 4


@cache
def band_params(threshold: float) -> tuple[int, int]:
    """(bands, rows): the fewest bands (index rows per article) with at least ``MIN_ROWS`` values each
    that make a pair at ``threshold`` a candidate with probability >= CANDIDATE_RECALL. (datasketch's
    ``_optimal_param`` balances false positives and negatives instead: at 0.7 it picks 14 x 9, which
    finds a pair at 0.7 only 44% of the time.)"""
    best: tuple[int, int] | None = None
    for rows in range(MIN_ROWS, NUM_PERM + 1):
        p = threshold ** rows
        if p < 1e-9:
            break
        bands = math.ceil(math.log(1 - CANDIDATE_RECALL) / math.log(1 - p)) if p < 1 else 1
        if bands * rows <= NUM_PERM and (best is None or bands < best[0]):
            best = (bands, rows)
    return best or _optimal_param(threshold, NUM_PERM, 0.1, 0.9)


@dataclass(frozen=True)
class Signature:
    """A body's MinHash signature in the compact form the store keeps.

    ``values`` holds the low 16 bits of each of the NUM_PERM hash values (256 bytes): two different
    values collide with probability 1/65536, far below the noise of the estimate itself."""

    values: bytes

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets."""
        a = np.frombuffer(self.values, dtype=np.uint16)
        b = np.frombuffer(other.values, dtype=np.uint16)
        return float(np.count_nonzero(a == b)) / len(a)


@dataclass(frozen=True)
class Fingerprint:
    """Signature plus the LSH band keys under which it is indexed."""

    signature: Signature
    keys: tuple[int, ...]


def fingerprint(text: str, threshold: float = DEFAULT_THRESHOLD) -> Fingerprint | None:
    """MinHash fingerprint of a body, or None when it is too short to judge by similarity."""
    norm = normalize_for_shingles(text)
    if len(norm) < MIN_CHARS:
        return None
    k = SHINGLE_CHARS
    grams = {norm[i:i + k] for i in range(len(norm) - k + 1)}
    mh = MinHash(num_perm=NUM_PERM, seed=_SEED, permutations=_permutations(), scheme="affine32")
    mh.update_batch([g.encode("utf-8") for g in grams])
    values = np.asarray(mh.hashvalues)
    bands, rows = band_params(threshold)
    keys = tuple(_band_key(i, values[i * rows:(i + 1) * rows]) for i in range(bands))
    return Fingerprint(Signature((values & 0xFFFF).astype("<u2").tobytes()), keys)


def _band_key(band: int, values: np.ndarray) -> int:
    """One band's values hashed to a signed 63-bit integer (SQLite INTEGER, Redis set member)."""
    digest = hashlib.blake2b(band.to_bytes(2, "little") + values.astype("<u4").tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) >> 1
