"""``govnews.idset.DigestSet`` behaves as a set of 16-byte keys, and stays small."""

from __future__ import annotations

import hashlib
import random

import pytest

from govnews.idset import DigestSet


def test_it_is_a_set_through_every_growth() -> None:
    rng = random.Random(7)
    keys = [hashlib.sha1(str(rng.random()).encode()).digest()[:16] for _ in range(5000)]
    # Keys that share their first 8 bytes (the slot) collide on purpose, and the all-zero key is a key too.
    keys += [bytes(8) + bytes([n]) * 8 for n in range(1, 40)] + [bytes(16)]
    ours, theirs = DigestSet(capacity=4), set()
    for key in keys + keys[:100]:
        assert (key in ours) == (key in theirs)
        assert ours.add(key) == (key not in theirs)
        theirs.add(key)
        assert len(ours) == len(theirs)
    assert all(key in ours for key in theirs)
    assert not any(hashlib.md5(str(n).encode()).digest() in ours for n in range(2000))
    assert ours.nbytes <= 16 * len(ours) * 3  # at most three slots an entry (two-thirds full after growing)


@pytest.mark.parametrize("bad", [b"short", "x" * 16, 12345, bytes(17)])
def test_other_keys_are_an_error(bad: object) -> None:
    with pytest.raises(TypeError):
        DigestSet().add(bad)  # type: ignore[arg-type]
