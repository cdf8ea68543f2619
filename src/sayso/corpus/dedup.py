"""Near-duplicates: syndicated or lightly edited copies, by MinHash LSH over word shingles.

Each article's set of 5-word shingles is summarised by 128 min-hashes; LSH (32 bands of 4) puts
articles that share a band in one bucket, so only those are compared (no all-pairs). A pair whose
estimated Jaccard similarity reaches ``THRESHOLD`` is a duplicate; the groups are the connected
components, and each copy points at the group's first article (by date, then input order). The
store keeps each article's signature and bucket keys (``sayso.corpus.state``), so an update computes
them for its new articles alone and finds their candidates with a join.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from sayso.corpus.linkage import root

SHINGLE = 5
PERMUTATIONS = 128
BANDS = 32
THRESHOLD = 0.8
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20240101)  # fixed: the same signatures in every run
_A = _rng.integers(1, _PRIME, PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, PERMUTATIONS, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        return {zlib.crc32(" ".join(words).encode())} if words else set()
    return {zlib.crc32(" ".join(words[i : i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}


def signature(text: str) -> np.ndarray:
    """128 min-hashes of the text's shingles (all ones for an empty text)."""
    sh = shingles(text)
    if not sh:
        return np.full(PERMUTATIONS, np.iinfo(np.uint64).max, dtype=np.uint64)
    x = np.fromiter(sh, dtype=np.uint64)
    with np.errstate(over="ignore"):
        h = (np.outer(_A, x) + _B[:, None]) % np.uint64(_PRIME)  # wraps modulo 2**64, still a fixed hash
    return h.min(axis=1)


def buckets(sig: np.ndarray) -> list[int]:
    """The signature's ``BANDS`` LSH bucket keys, each a 63-bit number (the band's place folded in),
    so one stored column holds them all and two articles are candidates when they share one."""
    rows = PERMUTATIONS // BANDS
    return [
        int.from_bytes(hashlib.blake2b(sig[b * rows : (b + 1) * rows].tobytes(), digest_size=8, salt=b.to_bytes(2, "big")).digest(), "big") >> 1
        for b in range(BANDS)
    ]


def similar(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two signatures estimate a Jaccard similarity of ``THRESHOLD`` or more."""
    return float(agreement(a, b)) >= THRESHOLD


def agreement(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The estimated Jaccard similarity: the share of min-hashes two signatures agree on (rows of
    two matrices, pair by pair, or two signatures)."""
    return np.mean(a == b, axis=-1)


def candidate_pairs(sigs: Sequence[np.ndarray]) -> set[tuple[int, int]]:
    """Index pairs (i < j) that share an LSH bucket."""
    by_bucket: dict[int, list[int]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        for key in buckets(sig):
            by_bucket[key].append(i)
    return {(i, j) for members in by_bucket.values() for k, i in enumerate(members) for j in members[k + 1 :]}


def originals(order: Mapping[str, tuple], pairs: Iterable[tuple[str, str]], kept: Mapping[str, str | None] | None = None) -> dict[str, str]:
    """copy id -> its original: the duplicate groups are the connected components of the ``pairs``
    (near-duplicates), and each copy points at its group's first article by ``order`` keys.

    ``kept``: articles placed by an earlier build (id -> its original, or None for an original),
    which stay as they are; a new article in their group points at the first of its originals."""
    kept = kept or {}
    ids = sorted(order)
    at = {a: k for k, a in enumerate(ids)}
    parent = list(range(len(ids)))
    for a, b in pairs:
        parent[root(parent, at[a])] = root(parent, at[b])
    groups: dict[int, list[str]] = defaultdict(list)
    for a in ids:
        groups[root(parent, at[a])].append(a)
    out: dict[str, str] = {a: o for a, o in kept.items() if o is not None and a in at}
    for members in groups.values():
        if len(members) < 2:
            continue
        placed = [a for a in members if a in kept and kept[a] is None]
        copied = sorted({o for a in members if (o := kept.get(a)) is not None})  # their original is outside the group
        first = min(placed, key=lambda a: order[a]) if placed else copied[0] if copied else min(members, key=lambda a: order[a])
        out.update({a: first for a in members if a != first and a not in kept})
    return out


def duplicate_of(ids: Sequence[str], texts: Sequence[str], order: Sequence[tuple]) -> dict[str, str]:
    """copy id -> the id of the first article of its duplicate group (first by ``order`` keys)."""
    sigs = [signature(t) for t in texts]
    pairs = [(ids[i], ids[j]) for i, j in sorted(candidate_pairs(sigs)) if similar(sigs[i], sigs[j])]
    return originals(dict(zip(ids, order, strict=True)), pairs)
