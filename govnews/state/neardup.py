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

Similarity alone cannot tell a repost from a sibling: documents built on one template (penalty
decisions, procurement results, appointment notices) share 70-80% of their shingles and differ only in
what identifies them: case and project numbers, credit codes, amounts, dates. So each signature also
carries the numbers of its body (``identity_marks``), and ``distinct_documents`` rejects a near match
when each body holds a number the other lacks: a repost keeps the original's numbers (a cut copy keeps
fewer, a page with furniture adds some, but not both), a sibling has its own.

The threshold and shingle size are measured on real repost pairs: ``tests/state/data/reposts.jsonl``
and ``tests/state/test_neardup_eval.py`` (README, "Duplicates").

The signature is datasketch's ``MinHash`` (scheme ``affine32``, ``sha1_hash32``), computed here with the
same permutations and arithmetic rather than through the ``datasketch`` package, whose ``__init__`` imports
its LSH module and with it scipy (43 MB of a crawl's start-up memory for one function nobody calls);
``tests/state/test_neardup.py`` checks every value against datasketch itself. numpy is imported when the
first signature is computed (in a crawl: by the worker processes), never to compare two signatures.
"""

from __future__ import annotations

import hashlib
import math
import struct
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import regex

if TYPE_CHECKING:
    import numpy as np

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
    """datasketch's affine32 permutations for (NUM_PERM, _SEED): rows ``a`` (odd) and ``b``, uint32."""
    import numpy as np

    gen = np.random.RandomState(_SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return np.array([a, b])


def minhash_values(grams: Any) -> np.ndarray:
    """datasketch ``MinHash(num_perm=NUM_PERM, seed=_SEED)`` updated with ``grams`` (an iterable of bytes):
    its ``hashvalues``. Each gram's SHA-1 (first 4 bytes, little-endian) is mixed with the MurmurHash3
    finalizer and sent through every affine permutation ``a * h + b mod 2**32``; the minimum per permutation
    is kept (2**32 - 1 when there is no gram)."""
    import numpy as np

    empty = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    hashes = [int.from_bytes(hashlib.sha1(gram).digest()[:4], "little") for gram in grams]
    if not hashes:
        return empty
    hv = np.array(hashes, dtype=np.uint32).reshape(-1, 1)
    hv = hv ^ (hv >> np.uint32(16))
    hv = hv * np.uint32(0x85EBCA6B)
    hv = hv ^ (hv >> np.uint32(13))
    hv = hv * np.uint32(0xC2B2AE35)
    hv = hv ^ (hv >> np.uint32(16))
    a, b = _permutations()
    return np.minimum(empty, (hv * a + b).min(axis=0))


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
    return best or _optimal_param(threshold)


#: datasketch's ``lsh._optimal_param(t, NUM_PERM, 0.1, 0.9)`` for the thresholds of 0.01 to 0.60 in steps of
#: 0.01: the thresholds where no (bands, rows) reaches CANDIDATE_RECALL (from about 0.605 up one always
#: does). ``tests/state/test_neardup.py`` recomputes every entry with datasketch.
_OPTIMAL_PARAMS = {
    1: (128, 1), 2: (128, 1), 3: (127, 1), 4: (94, 1), 5: (75, 1), 6: (62, 1), 7: (53, 1), 8: (46, 1),
    9: (40, 1), 10: (36, 1), 11: (32, 1), 12: (29, 1), 13: (27, 1), 14: (25, 1), 15: (23, 1), 16: (64, 2),
    17: (64, 2), 18: (64, 2), 19: (64, 2), 20: (64, 2), 21: (64, 2), 22: (62, 2), 23: (57, 2), 24: (52, 2),
    25: (48, 2), 26: (44, 2), 27: (41, 2), 28: (38, 2), 29: (35, 2), 30: (32, 2), 31: (30, 2), 32: (28, 2),
    33: (26, 2), 34: (42, 3), 35: (42, 3), 36: (42, 3), 37: (42, 3), 38: (42, 3), 39: (42, 3), 40: (42, 3),
    41: (39, 3), 42: (36, 3), 43: (34, 3), 44: (31, 3), 45: (29, 3), 46: (27, 3), 47: (25, 3), 48: (32, 4),
    49: (32, 4), 50: (32, 4), 51: (32, 4), 52: (32, 4), 53: (32, 4), 54: (30, 4), 55: (28, 4), 56: (26, 4),
    57: (24, 4), 58: (25, 5), 59: (25, 5), 60: (25, 5),
}


def _optimal_param(threshold: float) -> tuple[int, int]:
    """datasketch's trade-off between false positives and negatives (weights 0.1, 0.9), from the table for
    the thresholds on it; any other low threshold asks datasketch itself (which imports scipy)."""
    hundredths = round(threshold * 100)
    if hundredths in _OPTIMAL_PARAMS and math.isclose(threshold, hundredths / 100, abs_tol=1e-12):
        return _OPTIMAL_PARAMS[hundredths]
    from datasketch.lsh import _optimal_param as datasketch_optimal_param

    bands, rows = datasketch_optimal_param(threshold, NUM_PERM, 0.1, 0.9)
    return int(bands), int(rows)


_SIGNATURE_BYTES = 2 * NUM_PERM
# Runs of digits, with thousands separators and decimals inside (after NFKC, so full-width digits count).
_NUMBER = regex.compile(r"[0-9]+(?:[.,][0-9]+)*")


def identity_marks(text: str) -> frozenset[int]:
    """32-bit hashes of the numbers of two or more digits in ``text`` (``3,286,500.00`` and
    ``3286500.00`` are one number, leading zeros are dropped): what tells apart documents of one
    template. Single digits (list items, "1个工作日") say nothing about which document it is."""
    marks = set()
    for raw in _NUMBER.findall(unicodedata.normalize("NFKC", text)):
        number = raw.replace(",", "").lstrip("0")
        if sum(c.isdigit() for c in number) >= 2:
            marks.add(int.from_bytes(hashlib.blake2b(number.encode(), digest_size=4).digest(), "little"))
    return frozenset(marks)


@dataclass(frozen=True)
class Signature:
    """A body's MinHash signature in the compact form the store keeps.

    ``values`` holds the low 16 bits of each of the NUM_PERM hash values (256 bytes): two different
    values collide with probability 1/65536, far below the noise of the estimate itself. The sorted
    ``identity_marks`` of the body follow, 4 bytes each (none in signatures stored before they existed:
    such a candidate is judged by similarity alone)."""

    values: bytes

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two shingle sets: the share of equal values."""
        a = memoryview(self.values)[:_SIGNATURE_BYTES].cast("H")
        b = memoryview(other.values)[:_SIGNATURE_BYTES].cast("H")
        return sum(x == y for x, y in zip(a, b, strict=True)) / len(a)

    @property
    def marks(self) -> frozenset[int]:
        tail = self.values[_SIGNATURE_BYTES:]
        return frozenset(struct.unpack(f"<{len(tail) // 4}I", tail[:len(tail) // 4 * 4]))


def distinct_documents(a: Signature, b: Signature) -> bool:
    """Whether two near-identical bodies are different documents of one template: each holds a number
    (``identity_marks``) the other lacks. A repost holds the original's numbers, or fewer when cut, or
    more when page furniture was kept, but never both (measured: ``python -m tests.state.neardup_eval``)."""
    ma, mb = a.marks, b.marks
    return bool(ma - mb) and bool(mb - ma)


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
    values = minhash_values(g.encode("utf-8") for g in grams)
    bands, rows = band_params(threshold)
    keys = tuple(_band_key(i, values[i * rows:(i + 1) * rows]) for i in range(bands))
    marks = sorted(identity_marks(text))
    signature = (values & 0xFFFF).astype("<u2").tobytes() + struct.pack(f"<{len(marks)}I", *marks)
    return Fingerprint(Signature(signature), keys)


def _band_key(band: int, values: np.ndarray) -> int:
    """One band's values hashed to a signed 63-bit integer (SQLite INTEGER, Redis set member)."""
    digest = hashlib.blake2b(band.to_bytes(2, "little") + values.astype("<u4").tobytes(), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) >> 1
