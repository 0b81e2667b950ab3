"""A set of 16-byte keys (digests) in one ``bytearray``: what a crawl keeps per article must stay small.

A Python ``set`` of 128-bit ints costs about 120 bytes an entry (a 44-byte int object and the set's slots);
here an entry is its 16 bytes in an open-addressing table kept at most two-thirds full: 24 to 48 bytes.
Keys are digests, so their first bytes are already uniformly spread and serve as the hash. Nothing here
imports Scrapy.
"""

from __future__ import annotations

KEY_BYTES = 16
_EMPTY = bytes(KEY_BYTES)
_MAX_LOAD = 2 / 3


class DigestSet:
    """``add`` and ``in`` for 16-byte keys (see module doc). The all-zero key, which marks an empty slot in
    the table, is remembered apart."""

    def __init__(self, capacity: int = 1024) -> None:
        slots = 16
        while slots * _MAX_LOAD < capacity:
            slots *= 2
        self._mask = slots - 1
        self._table = bytearray(KEY_BYTES * slots)
        self._len = 0
        self._zero = False

    def __len__(self) -> int:
        return self._len + self._zero

    @property
    def nbytes(self) -> int:
        """Bytes the table takes."""
        return len(self._table)

    def _slot(self, key: bytes) -> tuple[int, bool]:
        """The slot that holds ``key``, or the empty slot where it would go; and whether it is there."""
        table, mask = self._table, self._mask
        i = int.from_bytes(key[:8], "little") & mask
        while True:
            start = i * KEY_BYTES
            found = table[start:start + KEY_BYTES]
            if found == key:
                return i, True
            if found == _EMPTY:
                return i, False
            i = (i + 1) & mask

    def __contains__(self, key: object) -> bool:
        key = _checked(key)
        return self._zero if key == _EMPTY else self._slot(key)[1]

    def add(self, key: bytes) -> bool:
        """Add ``key``; True if it was not there yet."""
        key = _checked(key)
        if key == _EMPTY:
            new, self._zero = not self._zero, True
            return new
        i, there = self._slot(key)
        if there:
            return False
        self._table[i * KEY_BYTES:(i + 1) * KEY_BYTES] = key
        self._len += 1
        if self._len > (self._mask + 1) * _MAX_LOAD:
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._table
        self._mask = self._mask * 2 + 1
        self._table = bytearray(len(old) * 2)
        for start in range(0, len(old), KEY_BYTES):
            key = bytes(old[start:start + KEY_BYTES])
            if key != _EMPTY:
                i, _ = self._slot(key)
                self._table[i * KEY_BYTES:(i + 1) * KEY_BYTES] = key


def _checked(key: object) -> bytes:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise TypeError(f"a DigestSet key is {KEY_BYTES} bytes, not {key!r}")
    return bytes(key)
