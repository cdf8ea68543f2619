"""Near-duplicates: syndicated or lightly edited copies, by MinHash LSH over word shingles.

Each article's set of 5-word shingles is summarised by 128 min-hashes; LSH (32 bands of 4) puts
articles that share a band in one bucket, so only those are compared (no all-pairs). A pair whose
estimated Jaccard similarity reaches ``THRESHOLD`` is a duplicate; the groups are the connected
components, and each copy points at the group's first article (by date, then input order).
"""

from __future__ import annotations

import re
import zlib
from collections import defaultdict
from collections.abc import Sequence

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


def duplicate_of(ids: Sequence[str], texts: Sequence[str], order: Sequence[tuple]) -> dict[str, str]:
    """copy id -> the id of the first article of its duplicate group (first by ``order`` keys)."""
    sigs = [signature(t) for t in texts]
    rows = PERMUTATIONS // BANDS
    buckets: dict[tuple[int, bytes], list[int]] = defaultdict(list)
    for i, sig in enumerate(sigs):
        for b in range(BANDS):
            buckets[(b, sig[b * rows : (b + 1) * rows].tobytes())].append(i)
    parent = list(range(len(ids)))
    seen: set[tuple[int, int]] = set()
    for members in buckets.values():
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                if (i, j) in seen or root(parent, i) == root(parent, j):
                    continue
                seen.add((i, j))
                if float(np.mean(sigs[i] == sigs[j])) >= THRESHOLD:
                    parent[root(parent, i)] = root(parent, j)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(ids)):
        groups[root(parent, i)].append(i)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) > 1:
            first = min(members, key=lambda i: order[i])
            out.update({ids[i]: ids[first] for i in members if i != first})
    return out
